# The particle type and update step of 30_particles.c. C declares Particle
# from the header jlc-reflect writes at build time from this file, fills a
# million of them in its own memory, and Julia's run! moves them in place.

struct Vec3
    x::Float64
    y::Float64
    z::Float64
end

struct Particle
    pos::Vec3
    vel::Vec3
    mass::Float32
    id::Int32
    alive::Bool
end

# One explicit Euler step under gravity: a particle that falls through the
# floor (z = 0) bounces back, losing half its vertical speed. Dead particles
# do not move.
@inline function step(p::Particle, dt::Float64)
    p.alive || return p
    vel = Vec3(p.vel.x, p.vel.y, p.vel.z - 9.81 * dt)
    pos = Vec3(p.pos.x + vel.x * dt, p.pos.y + vel.y * dt, p.pos.z + vel.z * dt)
    if pos.z < 0
        pos = Vec3(pos.x, pos.y, -pos.z)
        vel = Vec3(vel.x, vel.y, -0.5 * vel.z)
    end
    return Particle(pos, vel, p.mass, p.id, p.alive)
end

# nsteps steps over all particles, in place (ps may be C's memory).
function run!(ps::Vector{Particle}, dt::Float64, nsteps::Int)
    for _ in 1:nsteps
        @inbounds for i in eachindex(ps)
            ps[i] = step(ps[i], dt)
        end
    end
    return nothing
end

# Total kinetic energy of the live particles, for C to print.
kinetic_energy(ps::Vector{Particle}) =
    sum(p -> p.alive ? 0.5 * p.mass * (p.vel.x^2 + p.vel.y^2 + p.vel.z^2) : 0.0, ps)

/* 30_particles.c — a Julia struct as a C struct: particles.h is written at
 * build time by jlc-reflect from particles.jl (CMake's jlc_reflect()), so
 * the C Particle has exactly Julia's layout (checked by the compiler, and
 * by jlc_struct_register against the live type). C fills a million
 * particles in its own memory, Julia runs the update step over them in place
 * (no copies either way), and C reads the results. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime, CLOCK_MONOTONIC in strict C11 */
#include "example.h"
#include "particles.h"

#include <math.h>
#include <time.h>

enum { N = 1000000, STEPS = 100 };
static const double DT = 0.001;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The same step in C, to check Julia's result. */
static Particle step_c(Particle p)
{
    if (!p.alive) return p;
    p.vel.z = p.vel.z - 9.81 * DT;
    p.pos.x += p.vel.x * DT;
    p.pos.y += p.vel.y * DT;
    p.pos.z += p.vel.z * DT;
    if (p.pos.z < 0) {
        p.pos.z = -p.pos.z;
        p.vel.z = -0.5 * p.vel.z;
    }
    return p;
}

static Particle initial(int32_t i)
{
    Particle p;
    memset(&p, 0, sizeof p);
    p.pos = (Vec3){(double)(i % 1000), (double)(i / 1000), 0.05 + 0.01 * (i % 7)};
    p.vel = (Vec3){1.0, -0.5, 0.1 * (i % 5)};
    p.mass = 1.0f + (float)(i % 3);
    p.id = i;
    p.alive = i % 10 != 0; /* every tenth particle is dead and must not move */
    return p;
}

int main(void)
{
    Particle *ps = malloc((size_t)N * sizeof *ps);
    if (!ps) return 1;
    for (int32_t i = 0; i < N; i++) ps[i] = initial(i);

    CHECK(jlc_init(NULL));
    jlc_scope S;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &S));
    jlc_value r, run, energy, arr, args[3];
    CHECK(jlc_include(S, "particles.jl", &r));
    /* Check the header against the type just loaded (a stale header would
     * stop here with the first differing field named). */
    CHECK(jlc_struct_register(S, &Particle_layout, NULL));
    printf("Particle: %zu bytes in C and in Julia (%s)\n", sizeof(Particle), Particle_layout.type);

    /* C's memory as a Julia Vector{Particle}, no copy. */
    CHECK(jlc_struct_array_wrap(S, &Particle_layout, ps, N, &arr));
    CHECK(jlc_global_lookup(S, "run!", &run));
    CHECK(jlc_global_lookup(S, "kinetic_energy", &energy));
    args[0] = arr;
    CHECK(jlc_float64_new(S, DT, &args[1]));
    CHECK(jlc_int64_new(S, STEPS, &args[2]));
    CHECK(jlc_call(S, energy, 1, &arr, &r));
    double e0, e1;
    CHECK(jlc_float64_get(r, &e0));
    double t0 = now();
    CHECK(jlc_call(S, run, 3, args, &r));
    double t = now() - t0;
    CHECK(jlc_call(S, energy, 1, &arr, &r));
    CHECK(jlc_float64_get(r, &e1));

    /* Julia wrote into ps: check every particle against the same steps in C. */
    size_t bad = 0, moved = 0;
    double worst = 0;
    for (int32_t i = 0; i < N; i++) {
        Particle want = initial(i);
        for (int k = 0; k < STEPS; k++) want = step_c(want);
        const Particle *got = &ps[i];
        if (got->id != i || got->alive != want.alive || got->mass != want.mass) bad++;
        double d = fabs(got->pos.x - want.pos.x) + fabs(got->pos.y - want.pos.y) +
                   fabs(got->pos.z - want.pos.z) + fabs(got->vel.z - want.vel.z);
        if (d > worst) worst = d;
        if (!got->alive && (got->pos.x != want.pos.x || got->pos.z != want.pos.z ||
                            got->vel.z != want.vel.z))
            bad++; /* dead: untouched */
        if (got->alive) moved++;
    }
    printf("%d particles, %d steps of %g s in Julia, in place: %.1f ns per particle-step\n", N, STEPS,
           DT, t / ((double)N * STEPS) * 1e9);
    printf("  particle 1: pos (%.6f, %.6f, %.6f), vel z %.6f\n", ps[1].pos.x, ps[1].pos.y, ps[1].pos.z,
           ps[1].vel.z);
    printf("  kinetic energy of the live particles: %.6g J -> %.6g J\n", e0, e1);
    printf("  %zu moved, %zu wrong, largest difference from the same steps in C: %.3g\n", moved, bad,
           worst);

    CHECK(jlc_scope_close(S)); /* the wrapper array dies with the scope; ps stays C's */
    CHECK(jlc_shutdown(0, NULL));
    free(ps);
    return bad == 0 && worst < 1e-9 && moved == N - N / 10 ? 0 : 1;
}

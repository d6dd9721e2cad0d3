# Julia types mapped to C structs by tests/test_struct.c (descriptors written
# by hand there, as jlc-reflect would write them). One type per field kind.

# A parametric type, used as Point{Float64} and Point{Int32}.
struct Point{T}
    x::T
    y::T
end

# Nested isbits structs.
struct Segment
    a::Point{Float64}
    b::Point{Float64}
    id::Int32
end

# An NTuple, Bool, Char (UInt32 bits) and Float16 (UInt16 bits).
struct Sample
    v::NTuple{3,Float32}
    ok::Bool
    c::Char
    h::Float16
    n::Int64
end

# An inline bits union: payload then selector byte.
struct Tagged
    tag::UInt8
    u::Union{Int32,Float64}
    after::Int16
end

# A union with a zero-size member: payload 2 bytes (Int16), selector at 2.
struct Small
    u::Union{Nothing,Int8,Int16}
    c::UInt8
end

# No fields: a singleton.
struct Empty end

# A reference field among bits fields.
struct Named
    id::Int64
    name::String
end

# A mutable struct written in place from C.
mutable struct Counter
    count::Int64
    scale::Float64
    flag::Bool
end

# Helpers the tests call.
same(a, b) = a === b
sum_x(v::Vector{Point{Float64}}) = sum(p -> p.x, v)
sum_y(v::Vector{Point{Float64}}) = sum(p -> p.y, v)
set_point!(v::Vector{Point{Float64}}, i::Int, x::Float64, y::Float64) = (v[i] = Point(x, y); nothing)
points(n::Int) = [Point(Float64(i), 2.0 * i) for i in 1:n]

# Julia types for jlc-reflect's tests, one of each field kind it maps:
# tests/CMakeLists.txt generates reflect_types.h from this file at build time
# and tests/test_reflect.c round-trips sample(T) of each type through it.

struct RPoint{T}                  # parametric: RPoint{Float64} and RPoint{Int32}
    x::T
    y::T
end

struct RScalars                   # every number type, Bool, Char, Float16
    i8::Int8
    u8::UInt8
    i16::Int16
    u16::UInt16
    i32::Int32
    u32::UInt32
    i64::Int64
    u64::UInt64
    i128::Int128
    u128::UInt128
    f32::Float32
    f64::Float64
    f16::Float16
    b::Bool
    c::Char
end

struct RNested                    # nested structs and tuples (padding between)
    a::RPoint{Float64}
    flag::Bool
    b::RPoint{Int32}
    pts::NTuple{3,RPoint{Int32}}
    mix::Tuple{Int8,Float64,Int16}
    codes::NTuple{4,UInt8}
end

struct RUnion                     # inline bits unions: payload, then the selector byte
    tag::Int8
    u::Union{Int32,Float64}
    maybe::Union{Nothing,Int16}
    after::UInt8
end

struct REmpty end                 # zero bytes in Julia

struct RWithEmpty                 # zero-size fields take no C member
    e::REmpty
    n::Int32
    nothing_::Nothing
end

struct RPtrs                      # pointers: typed where the target is mapped
    p::Ptr{Float64}
    v::Ptr{Cvoid}
    s::Ptr{RPoint{Float64}}
end

struct RRef                       # references among bits fields: handles only
    id::Int64
    name::String
    data::Vector{Float64}
    any::Any
end

mutable struct RMutable           # a mutable struct: the object's body
    count::Int64
    pos::RPoint{Float64}
    u::Union{Int32,Float64}
end

struct RVersioned                 # tests/data/reflect_stale.jl has an older copy
    a::Int32
    b::Float64
end

struct RHoldsRefs                 # stored inline, with a reference inside
    id::Int32
    s::String
end
struct RInlineRefs                # refused: field `r` is neither bits nor a handle
    r::RHoldsRefs
end

if VERSION >= v"1.7"              # @atomic exists from Julia 1.7: refused
    include_string(@__MODULE__, """
        mutable struct RAtomic
            x::Float64
            @atomic n::Int64
        end""")
end

# The values the tests compare, field by field, on both sides.
sample(::Type{RPoint{Float64}}) = RPoint(1.5, -2.25)
sample(::Type{RPoint{Int32}}) = RPoint{Int32}(7, -8)
sample(::Type{RScalars}) = RScalars(-8, 250, -1600, 65000, -320000, 4000000000,
    -(Int64(1) << 40), typemax(UInt64) - 5, -(Int128(1) << 100) - 3, (UInt128(1) << 127) + 9,
    1.25f0, -3.5e300, Float16(0.333), true, 'é')
sample(::Type{RNested}) = RNested(RPoint(0.5, 1.5), true, RPoint{Int32}(3, 4),
    (RPoint{Int32}(1, 2), RPoint{Int32}(3, 4), RPoint{Int32}(5, 6)), (Int8(-3), 2.75, Int16(300)),
    (0x01, 0x02, 0xfe, 0xff))
sample(::Type{RUnion}) = RUnion(5, Int32(-77), nothing, 0xaa)
sample2(::Type{RUnion}) = RUnion(-5, 6.5, Int16(1234), 0x55)
sample(::Type{REmpty}) = REmpty()
sample(::Type{RWithEmpty}) = RWithEmpty(REmpty(), 42, nothing)
sample(::Type{RPtrs}) = RPtrs(Ptr{Float64}(UInt(0x1000)), Ptr{Cvoid}(UInt(0x2008)), Ptr{RPoint{Float64}}(UInt(0x3010)))
sample(::Type{RMutable}) = RMutable(99, RPoint(2.0, 3.0), 0.125)
sample(::Type{RVersioned}) = RVersioned(1, 2.0)

# Field-by-field identity (=== on every field, recursively for mutable structs).
same(a, b) = a === b
same(a::RMutable, b::RMutable) = all(f -> getfield(a, f) === getfield(b, f), fieldnames(RMutable))

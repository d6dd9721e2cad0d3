# An older copy of RVersioned (tests/data/reflect_types.jl has the live one):
# tests/CMakeLists.txt generates reflect_stale.h from it, and
# tests/test_reflect.c shows that header's layout refused against the live type.

struct RVersioned
    a::Int32
    c::Float32
    b::Float64
end

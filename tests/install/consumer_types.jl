# The type consumer_reflect.c maps through an installed jlc's jlc_reflect().
struct Sample
    n::Int32
    w::Float64
end
twice(s::Sample) = Sample(2 * s.n, 2 * s.w)

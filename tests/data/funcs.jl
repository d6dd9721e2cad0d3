# Included by test_call.c and examples.
module Geometry
struct Point{T}
    x::T
    y::T
end
norm2(p::Point) = p.x^2 + p.y^2
end

scaled_sum(xs...; scale = 1, offset = 0) = scale * sum(xs) + offset
"loaded"

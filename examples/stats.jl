# Included by examples/04_include.c.
module Stats
export describe

"Mean and (sample) standard deviation of xs, as a named tuple."
function describe(xs)
    n = length(xs)
    m = sum(xs) / n
    s = sqrt(sum((x - m)^2 for x in xs) / (n - 1))
    return (mean = m, std = s, n = n)
end
end

using .Stats

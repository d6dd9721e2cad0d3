# Used by 40_pmap.c (loaded on the master and every worker) and 41_async.c.
"Steps the Collatz map takes from n down to 1 (n must be positive)."
function collatz_steps(n::Int64)
    n > 0 || throw(DomainError(n, "collatz_steps needs a positive number"))
    steps = Int64(0)
    while n != 1
        n = iseven(n) ? n ÷ 2 : 3n + 1
        steps += 1
    end
    return steps
end

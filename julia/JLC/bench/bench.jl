# Benchmarks of the JLC package against tests/export/export_lib.c (issue 11):
#  1. an exported C function called through its generated method vs a plain
#     `ccall` of the same C function pointer (checked and JLC_EXPORT_NOFAIL);
#  2. a C function raising an error (jlc_export_error -> DomainError) vs a
#     Julia function throwing the same exception;
#  3. a Julia callback kept by C (jlc_callback_fn + the typed pointer) per call.
# Only Base timing (time_ns): each row is the median, over `runs` runs, of the
# time per call of a loop of `n` calls, with the 10th-90th percentile spread.
# Run: scripts/bench-jlc.sh (builds libjlct_export.so, then runs this).
using JLC
using Printf

const LIB = isempty(ARGS) ? get(ENV, "JLC_TEST_LIB", "") : ARGS[1]
isfile(LIB) || error("bench.jl: give the path of libjlct_export.so")
@jlc_module MyLib LIB

# The C function pointers of the table, as the package read them.
const FPTR = let lib = JLC.LIBS[abspath(LIB)], api = JLC.api_of(lib)
    table = ccall(JLC.Libdl.dlsym(lib, :jlc_export_entry), Ptr{Cvoid}, ())
    _, fns, _, _ = JLC.describe(api, table)
    Dict(f[1] => f[2] for f in fns)
end
const ADD = FPTR[:add]          # jlc_status add(double, double, double *)
const HYPOT2 = FPTR[:hypot2]    # double hypot2(double, double)

# Plain ccalls of the same functions, written as a user would by hand.
@inline function ccall_add(a::Float64, b::Float64)
    out = Ref{Float64}()
    st = ccall(ADD, Int32, (Float64, Float64, Ptr{Float64}), a, b, out)
    st == 0 || error("add failed")
    return out[]
end
@inline ccall_hypot2(a::Float64, b::Float64) = ccall(HYPOT2, Float64, (Float64, Float64), a, b)

# Julia's twin of checked_sqrt: the same exception, with the same message.
julia_sqrt(x::Float64) = x < 0 ? throw(DomainError(@sprintf("checked_sqrt: %g is negative", x))) : sqrt(x)

function loop(f, n)
    s = 0.0
    x = 1.0
    for i in 1:n
        s += f(x, 2.0)
        x += 1.0
    end
    return s
end

function throwloop(f, n)
    c = 0
    for i in 1:n
        try
            f(-1.0)
        catch
            c += 1
        end
    end
    return c
end

cb_square(x::Float64) = x * x
cbloop(n) = MyLib.cb_sum(n)

# Nearest-rank percentile of sorted data.
pct(sorted, p) = sorted[clamp(round(Int, p * (length(sorted) - 1)) + 1, 1, length(sorted))]

function measure(g, n; runs = 31)
    g(n) # compile
    ts = Float64[]
    for r in 1:runs
        t0 = time_ns()
        g(n)
        push!(ts, (time_ns() - t0) / n)
    end
    sort!(ts)
    return pct(ts, 0.5), pct(ts, 0.1), pct(ts, 0.9)
end

row(name, m) = @printf("%-44s %10.2f ns  [%.2f .. %.2f]\n", name, m...)

function main()
    println("JLC package benchmarks, ", Sys.CPU_NAME, ", Julia ", VERSION, ", ",
            Sys.CPU_THREADS, " logical CPUs, load ", read("/proc/loadavg", String))
    N = 2_000_000
    a = measure(n -> loop(MyLib.add, n), N)
    b = measure(n -> loop(ccall_add, n), N)
    row("exported add (checked: status + out)", a)
    row("plain ccall of the same add", b)
    @printf("  ratio exported/ccall: %.2f\n", a[1] / b[1])
    c = measure(n -> loop(MyLib.hypot2, n), N)
    d = measure(n -> loop(ccall_hypot2, n), N)
    row("exported hypot2 (JLC_EXPORT_NOFAIL)", c)
    row("plain ccall of the same hypot2", d)
    @printf("  ratio exported/ccall: %.2f\n", c[1] / d[1])
    M = 20_000
    e = measure(n -> throwloop(MyLib.checked_sqrt, n), M)
    f = measure(n -> throwloop(julia_sqrt, n), M)
    row("C raises DomainError (jlc_export_error)", e)
    row("Julia throws the same DomainError", f)
    @printf("  ratio C/Julia: %.2f\n", e[1] / f[1])
    MyLib.cb_register(cb_square)
    g = measure(cbloop, 1_000_000)
    row("callback kept by C, per call (C loop)", g)
    MyLib.cb_unregister()
end

main()

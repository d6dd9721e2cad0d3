# jlc's Julia-side helpers. Loaded at jlc_init into a module of its own
# (JlcSupport, bound nowhere), so user code never sees it. Everything whose
# form changed between Julia releases is done here, in Julia, rather than in C.

# Keyword calls: one generated caller per (positional count, keyword names),
#   ((f::F, v1, ..., vk, a1, ..., an) where F) -> f(a1, ..., an; name1 = v1, ...)
# so a call is one dynamic dispatch to a fully specialised method, not a
# NamedTuple built at run time. `where F` forces specialisation on f (Julia
# does not specialise on a function that is only passed to a keyword call);
# without it the call costs about 3x more. The C side caches the callers.
const KWCALLERS = Dict{Tuple{Int,Vararg{Symbol}},Function}()
function kwcaller(nargs::Int, names::Symbol...)
    get!(KWCALLERS, (nargs, names...)) do
        vs = [Symbol("v", i) for i in 1:length(names)]
        as = [Symbol("a", i) for i in 1:nargs]
        kws = [Expr(:kw, n, v) for (n, v) in zip(names, vs)]
        body = Expr(:call, :f, Expr(:parameters, kws...), as...)
        sig = Expr(:where, Expr(:tuple, :(f::F), vs..., as...), :F)
        Core.eval(@__MODULE__, Expr(:->, sig, body))
    end
end

# Every top-level expression of code, evaluated in m in order; the last value.
# Unlike include_string, exceptions are not wrapped in LoadError.
function evalstr(m::Module, code::String)
    result = nothing
    pos = 1
    while true
        ex, pos = Meta.parse(code, pos)
        ex === nothing && return result
        result = Core.eval(m, ex)
    end
end

includefile(path::String) = Base.include(Main, path)

usepkg(name::String) = Core.eval(Main, Meta.parse("using " * name))

# A module by name: a binding of Main, or a loaded root module (a package).
function find_module(name::Symbol)
    if isdefined(Main, name)
        m = getfield(Main, name)
        m isa Module && return m
    end
    for (_, m) in Base.loaded_modules
        nameof(m) === name && return m
    end
    return nothing
end

# raw is what jl_get_excstack(task, 1, 1) returned in the catch block:
# [exception, backtrace data, backtrace values].
function exception_text(exc, raw, with_bt::Bool)
    io = IOBuffer()
    if with_bt && raw isa Vector{Any} && length(raw) >= 3
        bt = Base._reformat_bt(raw[2], raw[3])
        showerror(io, exc, bt)
    else
        showerror(io, exc)
    end
    return String(take!(io))
end

to_string(x) = string(x)
to_repr(x) = repr(x)
make_tuple(xs...) = xs

set_global(m::Module, name::Symbol, x) = Core.eval(m, Expr(:(=), name, QuoteNode(x)))

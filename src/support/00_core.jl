# jlc's Julia-side helpers. Loaded at jlc_init into a module of its own
# (JlcSupport, bound nowhere), so user code never sees it. Everything whose
# form changed between Julia releases is done here, in Julia, rather than in C.

# f(pos...; names .=> vals...). xs = (names..., vals..., pos...).
function kwcall(f, nkw::Int, xs...)
    names = ntuple(i -> xs[i]::Symbol, nkw)
    vals = ntuple(i -> xs[nkw+i], nkw)
    return f(xs[2nkw+1:end]...; NamedTuple{names}(vals)...)
end

evalstr(m::Module, code::String) = Base.include_string(m, code, "jlc_eval")

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

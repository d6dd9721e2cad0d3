# The core's Julia-side helpers (submodule JlcSupport.CoreSupport, loaded at
# jlc_init; JlcSupport is bound nowhere, so user code never sees it). Work
# whose form changed between Julia releases is done here rather than in C;
# every use of a release-specific name is gated below.

# Keyword calls: one generated caller per (positional count, keyword names),
#   ((f::F, v1, ..., vk, a1, ..., an) where F) -> f(a1, ..., an; name1 = v1, ...)
# so a call is one dynamic dispatch to a fully specialised method, not a
# NamedTuple built at run time. `where F` forces specialisation on f (Julia
# does not specialise on a function that is only passed to a keyword call);
# without it the call costs about 3x more. The C side caches the callers.
# Julia threads may make first-time keyword calls at once: the Dict is locked.
const KWCALLERS = Dict{Tuple{Int,Vararg{Symbol}},Function}()
const KWLOCK = ReentrantLock()
kwcaller(nargs::Int, names::Symbol...) = lock(() -> make_kwcaller(nargs, names), KWLOCK)
function make_kwcaller(nargs::Int, names)
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

# A loaded root module (a package) by name, for names not bound in Main (the
# C side looks there first). Base.loaded_modules is guarded by Julia's
# require lock where the release has one (1.7+), as Julia's own readers do.
const REQUIRE_LOCK = isdefined(Base, :require_lock) ? Base.require_lock : ReentrantLock()
function find_module(name::Symbol)
    lock(REQUIRE_LOCK) do
        for (_, m) in Base.loaded_modules
            nameof(m) === name && return m
        end
        return nothing
    end
end

# raw is what jl_get_excstack(task, 1, 1) returned in the catch block: in
# every release 1.5-1.12 a Vector{Any} [exception, backtrace data, backtrace
# values]; Base._reformat_bt turns the last two into the frames showerror
# takes (present under that name 1.5-1.12; without it, no backtrace).
const REFORMAT_BT = isdefined(Base, :_reformat_bt) ? Base._reformat_bt : nothing
function exception_text(exc, raw, with_bt::Bool)
    io = IOBuffer()
    if with_bt && REFORMAT_BT !== nothing && raw isa Vector{Any} && length(raw) >= 3
        showerror(io, exc, REFORMAT_BT(raw[2], raw[3]))
    else
        showerror(io, exc)
    end
    return String(take!(io))
end

to_string(x) = string(x)
to_repr(x) = repr(x)
make_tuple(xs...) = xs

set_global(m::Module, name::Symbol, x) = Core.eval(m, Expr(:(=), name, QuoteNode(x)))

# Julia's standard output streams, for jlc_flush and jlc_output_redirect.
# Redirecting rebinds Base.stdout/stderr to an IOStream on the caller's file
# descriptor (not closed by Julia) without touching the process's fd 1 and 2,
# so C's own stdio keeps going where it went. fd < 0 restores the stream that
# was bound before the first redirect.
function flushio()
    flush(stdout)
    flush(stderr)
    return nothing
end
const STD_ORIGINAL = Any[nothing, nothing]
function redirect_std(which::Int, fd::Int)
    name = which == 1 ? :stdout : :stderr
    fd < 0 && STD_ORIGINAL[which] === nothing && return nothing # not redirected
    current = getfield(Base, name)
    flush(current)
    STD_ORIGINAL[which] === nothing && (STD_ORIGINAL[which] = current)
    io = fd < 0 ? STD_ORIGINAL[which] : fdio(fd, false)
    fd < 0 && (STD_ORIGINAL[which] = nothing)
    Core.eval(Base, Expr(:(=), name, io))
    return nothing
end

# jlc_namedtuple_new: namedtuple(n, name1, ..., namen, value1, ..., valuen).
namedtuple(n::Int, args...) = NamedTuple{args[1:n]}(args[n+1:end])

# Scale-out's Julia-side helpers (submodule JlcSupport.WorkersSupport, used
# by src/workers/, loaded on first use): starting worker processes with what
# they need, code evaluated on every process, a pmap between C buffers, and
# the exceptions of workers unwrapped to the one that names the failure.
# Every Distributed name whose form differs between releases is gated here.
#
# Nothing defined in this module is ever sent to a worker: it is bound
# nowhere, so workers could not deserialize it. pmap gets the user's own
# function, and code for workers travels as expressions.

import Distributed
const D = Distributed

# ---- starting workers ----

# Julia 1.6 added addprocs' `env` keyword (variables set on top of the
# master's environment). 1.5's LocalManager starts workers with the master's
# environment as it is at that moment, so there the variable is set in the
# master around the call and put back after it, under a lock.
const HAS_ENV_KEYWORD = VERSION >= v"1.6"
const START_LOCK = ReentrantLock()

function with_libdir(f, libdir::String)
    isempty(libdir) && return f(Pair{String,String}[])
    old = get(ENV, "LD_LIBRARY_PATH", "")
    value = isempty(old) ? libdir : libdir * ":" * old
    HAS_ENV_KEYWORD && return f(["LD_LIBRARY_PATH" => value])
    had = haskey(ENV, "LD_LIBRARY_PATH")
    ENV["LD_LIBRARY_PATH"] = value
    try
        return f(Pair{String,String}[])
    finally
        had ? (ENV["LD_LIBRARY_PATH"] = old) : delete!(ENV, "LD_LIBRARY_PATH")
    end
end

# Starts n workers; their ids go to ids[1:n] (a C int buffer) unless ids is
# C_NULL.
function start(n::Int, exeflags::String, libdir::String, dir::String, ids::Ptr{Cvoid})
    kw = Dict{Symbol,Any}(:exeflags => Cmd(Base.shell_split(exeflags)))
    isempty(dir) || (kw[:dir] = dir)
    new = lock(START_LOCK) do
        with_libdir(libdir) do env
            isempty(env) || (kw[:env] = env)
            guarded(() -> D.addprocs(n; kw...))
        end
    end
    ids == C_NULL || for (i, id) in enumerate(new)
        unsafe_store!(Ptr{Cint}(ids), Cint(id), i)
    end
    return nothing
end

count_workers() = D.nprocs() - 1

# Stops every worker; the number still running after `timeout` seconds.
function stop(timeout::Float64)
    ws = filter(!=(1), D.workers())
    isempty(ws) && return 0
    try
        D.rmprocs(ws; waitfor = timeout)
    catch e
        # rmprocs reports workers still running after waitfor as an
        # ErrorException; they are counted below.
        e isa ErrorException || rethrow()
    end
    return count(in(D.procs()), ws)
end

# ---- code everywhere ----

# The top-level expressions of code, parsed on the master (a parse error
# throws here, before any process runs anything), as one :toplevel block.
function parse_all(code::String)
    exs = Any[]
    pos = 1
    while true
        ex, pos = Meta.parse(code, pos)
        ex === nothing && break
        push!(exs, ex)
    end
    return Expr(:toplevel, exs...)
end

eval_everywhere(code::String) = run_everywhere(parse_all(code))

include_everywhere(path::String) =
    run_everywhere(:(Base.include_string(Main, $(read(path, String)), $(abspath(path)))))

run_everywhere(ex) = guarded(() -> (D.remotecall_eval(Main, D.procs(), ex); nothing))

# ---- pmap between C buffers ----

# batch_size 0: about four messages per worker (pmap has no automatic size).
auto_batch(n::Int) = max(1, cld(n, 4 * D.nworkers()))

# pmap(f, in) with in wrapped in place; nothing when every result is a Tout
# (then written into out), else a message for JLC_ERR_TYPE (out untouched).
function pmap_into(f, Tin::Type, pin::Ptr{Cvoid}, Tout::Type, pout::Ptr{Cvoid}, n::Int, batch::Int)
    src = unsafe_wrap(Array, Ptr{Tin}(pin), n)
    results = guarded(() -> D.pmap(f, src; batch_size = batch == 0 ? auto_batch(n) : batch))
    for i in 1:n
        r = results[i]
        typeof(r) === Tout && continue
        return string("result ", i - 1, " of ", nameof(f), " is ", repr(typeof(r)),
                      ", the output buffer holds ", repr(Tout))
    end
    copyto!(unsafe_wrap(Array, Ptr{Tout}(pout), n), results)
    return nothing
end

# ---- exceptions ----

# A worker's failure arrives wrapped: on 1.5 (measured) pmap throws the
# RemoteException itself and remotecall_eval a CompositeException of them;
# the master's own failure inside remotecall_eval (an @async task) may come
# as a TaskFailedException (1.3+), as may any failure in releases whose
# @sync wraps failed tasks. The first inner exception says what happened.
const TASK_FAILED = isdefined(Base, :TaskFailedException) ? Base.TaskFailedException : Nothing
function unwrap(e)
    while true
        if e isa CompositeException && !isempty(e.exceptions)
            e = first(e.exceptions)
        elseif e isa TASK_FAILED
            e = e.task.exception
        else
            return e
        end
    end
end

# f() with a wrapped exception rethrown as the one inside it.
function guarded(f)
    try
        return f()
    catch e
        inner = unwrap(e)
        inner === e && rethrow()
        throw(inner)
    end
end

# One line for jlc_last_error() (the message after "Type: "): the worker and
# its exception without the remote backtrace, which can be long.
# ProcessExitedException carries the worker's id from 1.5.3 on (gated).
function describe(e)
    if e isa D.RemoteException
        inner = e.captured isa CapturedException ? e.captured.ex : e.captured
        text = string("on worker ", e.pid, ": ", sprint(showerror, inner))
    elseif e isa D.ProcessExitedException
        id = hasfield(typeof(e), :worker_id) ? string(" ", e.worker_id) : ""
        text = string("worker", id, " exited (it crashed or was stopped)")
    else
        text = sprint(showerror, e)
    end
    return replace(text, '\n' => ' ')
end

# The async runtime's Julia side (submodule JlcSupport.AsyncSupport, used by
# src/async): the runtime thread's job loop, and calls on Julia's thread pool.
# Done in Julia because waiting without blocking the thread means Julia
# tasks: each job runs in a task of its own, so a job waiting in
# jlc_async_call yields and the loop runs other jobs meanwhile.

# Runs on the runtime thread's root task until C says stop. take() returns
# the next job (a C pointer), C_NULL when the queue is empty (C has then
# noted that the loop sleeps and will uv_async_send the wake-up), or
# Ptr{Cvoid}(1) to stop. When no job of the loop runs, take() may first
# spin a little for the next job (jlc_async_options.spin_us). AsyncCondition
# keeps a wake-up that arrives before the wait (its `set` flag, 1.5 and
# later), so none is lost. Jobs run in sticky tasks on this thread, at most
# max_running at once.
function run_loop(take::Ptr{Cvoid}, run::Ptr{Cvoid}, set_wake::Ptr{Cvoid}, max_running::Int)
    wake = Base.AsyncCondition()
    running = Ref(0)
    finished = Base.Condition()
    ccall(set_wake, Cvoid, (Ptr{Cvoid},), wake.handle)
    try
        while true
            while running[] >= max_running
                wait(finished)
            end
            job = ccall(take, Ptr{Cvoid}, (Cint,), running[] == 0)
            if job == C_NULL
                wait(wake)
            elseif job == Ptr{Cvoid}(1)
                break
            else
                running[] += 1
                t = Task() do
                    try
                        ccall(run, Cvoid, (Ptr{Cvoid},), job)
                    finally
                        running[] -= 1
                        notify(finished)
                    end
                end
                schedule(t)
                yield()
            end
        end
    finally
        # C forgets the handle before it is closed: no wake-up reaches a
        # freed handle.
        ccall(set_wake, Cvoid, (Ptr{Cvoid},), C_NULL)
        while running[] > 0
            wait(finished)
        end
        close(wake)
    end
    return nothing
end

# The default pool's thread ids (ascending) are fixed once Julia runs: read
# at the first call, not at every one (a racing first read stores the same).
const next_thread = Threads.Atomic{Int}(0)
const pool_ids = Ref{Vector{Int}}(Int[])
function default_pool()
    isempty(pool_ids[]) || return pool_ids[]
    ids = isdefined(Threads, :threadpooltids) ? collect(Int, Threads.threadpooltids(:default)) :
          collect(1:Threads.nthreads())
    return pool_ids[] = ids
end

# f(args...) on Julia's thread pool; the caller's task waits (yields). With
# more than one thread in Julia's default pool the call is pinned,
# round-robin, to one of them other than the caller's (the same
# jl_set_task_tid step Base's @threads uses), so it never occupies the
# runtime thread and runs in parallel with it; otherwise it is a plain
# Threads.@spawn. Julia 1.9 and later also have an :interactive pool
# (JULIA_NUM_THREADS="N,M"), whose threads come first in threadid order:
# they are left alone. The exception f threw is rethrown as itself, not as
# TaskFailedException.
function async_call(f, args...)
    me = Threads.threadid()
    pool = default_pool()
    mine = me in pool
    n = length(pool) - mine
    if n > 0
        # The k-th id of the pool other than the caller's (no copy of it).
        k = Threads.atomic_add!(next_thread, 1) % n + 1
        tid = pool[k]
        mine && tid >= me && (tid = pool[k+1])
        t = Task(() -> f(args...))
        t.sticky = true
        ccall(:jl_set_task_tid, Cvoid, (Any, Cint), t, tid - 1)
        schedule(t)
    else
        t = Threads.@spawn f(args...)
    end
    try
        return fetch(t)
    catch e
        e isa TaskFailedException && throw(e.task.exception)
        rethrow()
    end
end

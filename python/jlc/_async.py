"""_async.py — the async runtime (include/jlc/async.h) from Python: Julia on
jlc's runtime thread, jobs whose body is a Python callable, futures to wait
on, poll, cancel or await with asyncio (on the future's eventfd).

A job is fn(scope): it runs on the runtime thread, inside the top-level
scope jlc opened for the job, and may use the whole Scope/Value API there,
and Scope.async_call to run a Julia call on Julia's thread pool.
The C job signature (jlc_job_fn) has no result slot: results cross threads
as data the job writes. Here that data is the Future's own record: fn's
return value is stored in it as a Python object. A Value dies with the
job's scope, so a returned Value is converted with to_python() on the
runtime thread, before the scope closes (ERR_TYPE if it has no Python
equivalent: return v.repr() or plain Python data instead).

Python jobs run one at a time. Every job is a Julia task on the runtime
thread, and a job that waits in Julia (sleep, I/O, Scope.async_call) lets
the thread run other tasks. But the runtime thread has one Python thread
state, whose frames form a single stack: if job B's Python code started
while job A waited, and A's wait ended first, A would return through frames
that lie below B's and free them, and B would resume on freed memory
(measured on CPython 3.11: a segfault every time). So every Python job goes
through a gate written in Julia (_GATE_JL) that lets a job's Python code
start only when no other Python job is between its start and its return;
the others wait in Julia (their tasks yield), so C jobs and Julia tasks
still run meanwhile.
"""
import asyncio
import ctypes
import itertools
import sys
import threading
import traceback

from . import _capi
from ._errors import JlcError, JuliaError, Status
from ._runtime import check, init_options, lib, load

# Jobs queued or running, by the id passed as the job's data pointer; the
# trampoline takes its record out when it runs, cancel() when it cancels,
# stop() clears what is left (every future is complete then).
_jobs = {}
_ids = itertools.count(1)
_jobs_lock = threading.Lock()

# The status a job returns when fn raised a Python exception that is not a
# jlc error (C sees a failed job; Future.result() re-raises the exception).
PYTHON_EXCEPTION_STATUS = Status.ERR_STATE


class _Job:
    __slots__ = ("fn", "value", "exc", "ran")

    def __init__(self, fn):
        self.fn = fn
        self.value = None
        self.exc = None
        self.ran = False


def _run_job(scope_h, data):
    """The one C trampoline (jlc_job_fn) every job runs through, on the
    runtime thread, with the GIL taken by ctypes."""
    with _jobs_lock:
        job = _jobs.pop(data, None)
    if job is None:  # cannot happen: a job's record stays until it runs
        return int(Status.ERR_STATE)
    job.ran = True
    from ._value import Scope, Value  # the value layer imports _runtime
    scope = Scope._of_job(_capi.jlc_scope(scope_h._h))
    try:
        try:
            r = job.fn(scope)
            if isinstance(r, Value):
                r = r.to_python()
            job.value = r
        finally:
            scope._end_job()
        return int(Status.OK)
    except JuliaError as e:
        job.exc = e
        return int(Status.EXCEPTION)
    except JlcError as e:
        job.exc = e
        return int(e.status)
    except BaseException as e:  # nothing may unwind through C
        job.exc = e
        return int(PYTHON_EXCEPTION_STATUS)


_trampoline = _capi.JOB_FN(_run_job)  # module-level: alive as long as the package

# The gate every Python job is submitted through (a @cfunction of Julia's,
# made by the first job after the start; see the module docstring): it waits,
# yielding, while another Python job runs, then calls _trampoline. It catches
# everything: a Julia exception must not unwind through jlc's C frames that
# call a job. A gate that could not wait returns JLC_ERR_STATE; the job then
# fails without running. The module is bound in Main under a name no user
# code writes, so its constants stay rooted.
_GATE_JL = """
Core.eval(Main, Expr(:module, true, Symbol("#jlc_python_jobs"), quote
    const busy = Ref(false)
    const turn = Base.Condition()
    const python_job = Ptr{Cvoid}(%d)
    function gate(scope::UInt64, data::Ptr{Cvoid})::Cint
        try
            while busy[]
                wait(turn)
            end
        catch
            return Cint(%d)
        end
        busy[] = true
        try
            return ccall(python_job, Cint, (UInt64, Ptr{Cvoid}), scope, data)
        finally
            busy[] = false
            notify(turn; all=false)
        end
    end
    const gate_c = @cfunction(gate, Cint, (UInt64, Ptr{Cvoid}))
end))
UInt(getfield(Main, Symbol("#jlc_python_jobs")).gate_c)
"""
_gate = None  # a JOB_FN for the gate's address while the runtime runs


def _install_gate():
    """Runs the first job (straight through _trampoline: nothing else runs
    Python yet) that makes the gate, and keeps its function pointer."""
    global _gate
    addr = ctypes.cast(_trampoline, ctypes.c_void_p).value
    code = _GATE_JL % (addr, int(Status.ERR_STATE))
    f = _submit(lambda s: s.eval(code).uint64(), False, _trampoline)
    try:
        _gate = _capi.JOB_FN(f.result())
    finally:
        f.release()


# Completion callbacks set and not called yet, by the id passed as their ctx:
# (Future, cb). The record keeps both alive until C calls the callback, even
# if the user dropped the Future; _run_on_done takes it out. Every callback
# runs through one module-level ctypes callback, alive as long as the package.
_callbacks = {}

# The jlc_futures whose completion callbacks run on this thread now (their
# addresses, innermost last: a callback may cancel another future). A Future
# collected or released inside its own callback must not release its
# jlc_future there (jlc/async.h: not from f's own completion callback); its
# handle waits in _deferred until the next submit, on_done or async_stop.
_tls = threading.local()
_deferred = []


def _completing():
    c = getattr(_tls, "completing", None)
    if c is None:
        c = _tls.completing = []
    return c


def _release_deferred():
    """Releases the deferred jlc_futures whose callbacks are not running on
    this thread."""
    if not _deferred:
        return
    mine = _completing()
    with _jobs_lock:
        todo = [h for h in _deferred if h.value not in mine]
        _deferred[:] = [h for h in _deferred if h.value in mine]
    for h in todo:
        lib().jlc_future_release(h)


class _Unraisable:
    """What sys.unraisablehook reads (the attributes of UnraisableHookArgs)."""
    __slots__ = ("exc_type", "exc_value", "exc_traceback", "err_msg", "object")

    def __init__(self, exc, err_msg, obj):
        self.exc_type, self.exc_value, self.exc_traceback = type(exc), exc, exc.__traceback__
        self.err_msg, self.object = err_msg, obj


def _report_callback_error(exc, cb):
    """Reports an exception an on_done callback raised: through
    sys.unraisablehook when the program installed one, else (Python's own
    hook accepts only its own argument type) as that hook would print it."""
    msg = "Exception ignored in jlc.Future.on_done callback"
    hook = sys.unraisablehook
    if hook is not sys.__unraisablehook__:
        try:
            hook(_Unraisable(exc, msg, cb))
            return
        except BaseException:
            pass  # a hook that failed: print it instead
    try:
        print("%s %r:" % (msg, cb), file=sys.stderr)
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    except BaseException:
        pass  # no stderr: nothing else may unwind into C


def _run_on_done(fptr, job_status, ctx):
    """The one C completion callback (jlc_future_on_done), on the thread that
    completes the job, with the GIL taken by ctypes. Nothing may unwind
    through C: cb's exceptions are reported and dropped here."""
    with _jobs_lock:
        rec = _callbacks.pop(ctx, None)
    if rec is None:  # cannot happen: a record stays until its callback ran
        return
    _release_deferred()
    mine = _completing()
    mine.append(fptr)
    try:
        fut, cb = rec
        rec = None
        try:
            cb(fut)
        except BaseException as e:
            _report_callback_error(e, cb)
        # If the user dropped the Future it dies here, while fptr is marked:
        # its release waits in _deferred.
        del fut, cb
    finally:
        mine.pop()


_done_trampoline = _capi.DONE_FN(_run_on_done)  # module-level: alive as long as the package


def async_start(library=None, *, prefix=None, julia_bindir=None, image_path=None,
                nthreads=0, julia_signals=False, gc_stress=False, gc_stress_full_every=0,
                debug=False, queue_capacity=0, max_running=0, stack_size=0, spin_us=0):
    """Starts the async runtime (jlc_async_start) instead of init(): Julia
    starts on a runtime thread of jlc's own, and no Python thread becomes
    Julia's; every thread submits jobs with submit(). Julia's keyword
    arguments are init()'s (julia_signals=False by default, as there);
    queue_capacity, max_running, stack_size, spin_us as jlc_async_options
    (0: jlc's default; spin_us < 0: never busy-wait before sleeping).
    Raises JlcError ERR_STATE (Julia already started in this process, by
    init() or an earlier runtime: it does not restart), and what init()
    raises."""
    L = load(library, prefix)
    io = init_options(L, julia_bindir, image_path, nthreads, julia_signals, gc_stress,
                      gc_stress_full_every, debug)
    o = _capi.jlc_async_options()
    L.jlc_async_options_default(o)
    o.init = ctypes.pointer(io)
    o.queue_capacity = int(queue_capacity)
    o.max_running = int(max_running)
    o.stack_size = int(stack_size)
    o.spin_us = int(spin_us)
    check(L.jlc_async_start(o))
    try:
        _install_gate()
    except BaseException:
        # Cannot happen unless the gate's Julia code is wrong; without the
        # gate, Python jobs could crash the process: stop rather than run.
        L.jlc_async_stop(1, 0, None)
        raise


def async_stop(cancel=False, exit_code=0):
    """Stops the runtime (jlc_async_stop): refuses new jobs, runs the queued
    ones (cancel=False) or completes them with ERR_CANCELLED (cancel=True),
    waits for running jobs, shuts Julia down and joins the runtime thread.
    Every future is complete afterwards. Returns the number of jlc_ref never
    freed. Raises JlcError ERR_STATE (not running), ERR_THREAD (from a job)."""
    global _gate
    leaked = _capi.c_size_t(0)
    check(lib().jlc_async_stop(1 if cancel else 0, int(exit_code), leaked))
    with _jobs_lock:
        _jobs.clear()
    _gate = None
    _release_deferred()
    return leaked.value


def on_runtime_thread():
    """True on the runtime thread, i.e. inside a job."""
    return bool(lib().jlc_async_on_runtime_thread())


def submit(fn, *, nowait=False):
    """Queues fn(scope) to run on the runtime thread and returns its Future.
    fn gets the job's Scope (closed by jlc when fn returns) and may use the
    whole Scope/Value API in it; its return value becomes Future.result()
    (a Value is converted with to_python() first). nowait: on a full queue
    raise JlcError ERR_BUSY instead of blocking (required inside a job).
    Raises JlcError ERR_STATE (runtime not running), ERR_BUSY, ERR_THREAD
    (a blocking submit from a job), ERR_NOMEM; fn is then never called."""
    if not callable(fn):
        raise JlcError(Status.ERR_ARG, "submit() needs a callable, not %s" % type(fn).__name__)
    gate = _gate
    if gate is None:
        raise JlcError(Status.ERR_STATE, "the async runtime is not running (async_start)")
    return _submit(fn, nowait, gate)


def _submit(fn, nowait, via):
    _release_deferred()
    job = _Job(fn)
    jid = next(_ids)
    with _jobs_lock:
        _jobs[jid] = job
    h = _capi.c_void_p()
    st = lib().jlc_async_submit(via, jid, 1 if nowait else 0, h)
    if st != Status.OK:
        with _jobs_lock:
            _jobs.pop(jid, None)
        check(st)
    return Future(h, job, jid)


class Future:
    """The future of one submitted job (a jlc_future).

    wait(timeout=None) -> bool, done(), cancel() -> bool, result(timeout=None),
    on_done(cb), fileno() (the eventfd, readable once the job completed);
    `await fut` (or `await fut.wait_async()`) waits in asyncio without
    blocking the loop and returns result(). Any thread may use it. release()
    (or garbage collection) lets the jlc_future go; a job still queued or
    running goes on.
    """

    def __init__(self, handle, job, jid):
        self._h = handle
        self._job = job
        self._jid = jid
        self._aio = None  # (loop, asyncio future) while a reader is registered
        self._lock = threading.Lock()

    def _handle(self):
        if self._h is None:
            raise JlcError(Status.ERR_STATE, "the future was released")
        return self._h

    def wait(self, timeout=None):
        """Waits until the job completed, at most timeout seconds (None: no
        limit; 0: do not wait). Returns True if it completed. The GIL is
        released meanwhile. Raises JlcError ERR_THREAD (a waiting wait inside
        a job)."""
        ms = -1 if timeout is None else max(0, int(round(timeout * 1000)))
        st = lib().jlc_future_wait(self._handle(), ms, None)
        if st == Status.ERR_TIMEOUT:
            return False
        check(st)
        return True

    def done(self):
        """True if the job completed (ran, failed or was cancelled)."""
        d = _capi.c_bool()
        check(lib().jlc_future_poll(self._handle(), d, None))
        return bool(d.value)

    def status(self):
        """The job's Status once it completed, else None."""
        d, st = _capi.c_bool(), _capi.c_int()
        check(lib().jlc_future_poll(self._handle(), d, st))
        return Status(st.value) if d.value else None

    def cancel(self):
        """Cancels the job if it has not started (it completes with
        ERR_CANCELLED). Returns True if cancelled now, False if it was
        already running or complete."""
        st = lib().jlc_future_cancel(self._handle())
        if st == Status.ERR_STATE:
            return False
        check(st)
        with _jobs_lock:
            _jobs.pop(self._jid, None)
        return True

    def result(self, timeout=None):
        """The job's result: fn's return value. Waits as wait(timeout) first
        (JlcError ERR_TIMEOUT if it did not complete in time). Raises what fn
        raised: JuliaError for a Julia exception (its .value is stale: the
        job's scope closed), JlcError for a jlc error, any other Python
        exception as is; JlcError ERR_CANCELLED for a cancelled job."""
        if not self.wait(timeout):
            raise JlcError(Status.ERR_TIMEOUT, "the job did not complete within %ss" % timeout)
        st = self.status()
        if self._job.exc is not None:
            raise self._job.exc
        if st == Status.OK:
            return self._job.value
        message = lib().jlc_future_message(self._handle()).decode("utf-8", "replace")
        if st == Status.EXCEPTION:
            raise JuliaError("?", message, None)
        raise JlcError(st, message)

    def on_done(self, cb):
        """Has cb(future) called exactly once, when the job completes
        (jlc_future_on_done), with this Future as its argument (result(0)
        is ready then). It runs on the thread that completes the job: the
        runtime thread after the job returned, the thread whose cancel()
        cancelled it (before cancel returns), or the one in
        async_stop(cancel=True); or at once, on this thread before on_done
        returns, if the job already completed. Until that call the package
        keeps this Future and cb alive, even if you drop every reference to
        the Future.

        cb must be quick and must not block: on the runtime thread it holds
        up every job. In it use only what does not wait for a job: this
        Future's done(), status(), result(0), other futures' cancel(),
        submit(nowait=True) (a blocking submit or a wait with a timeout is
        JlcError ERR_THREAD on the runtime thread); not Scope or Value (cb
        is not a job). An exception cb raises cannot reach a caller (it
        would unwind through C): it goes to sys.unraisablehook if the
        program installed one (Python's own hook takes only its own argument
        type, so then the same report is printed to sys.stderr), and is
        otherwise ignored. A future release()d before completion still gets
        its call, as a released Future (its methods raise ERR_STATE).

        Raises JlcError ERR_STATE (a callback was already set: one per
        future; or this Future was released), ERR_ARG (cb not callable);
        cb is then never called."""
        if not callable(cb):
            raise JlcError(Status.ERR_ARG, "on_done() needs a callable, not %s" % type(cb).__name__)
        h = self._handle()
        _release_deferred()
        cid = next(_ids)
        with _jobs_lock:
            _callbacks[cid] = (self, cb)
        st = lib().jlc_future_on_done(h, _done_trampoline, cid)
        if st != Status.OK:
            with _jobs_lock:
                _callbacks.pop(cid, None)
            check(st)

    def fileno(self):
        """The future's eventfd (jlc_future_fd): readable once the job
        completed. Wait for readability only; never read or close it."""
        fd = _capi.c_int()
        check(lib().jlc_future_fd(self._handle(), fd))
        return fd.value

    async def wait_async(self):
        """Waits in the running asyncio loop (loop.add_reader on the
        eventfd: no polling, the loop runs other tasks) and returns
        result(). Cancelling the awaiting task does not cancel the job."""
        if not self.done():
            loop = asyncio.get_running_loop()
            with self._lock:
                if self._aio is None or self._aio[0] is not loop or self._aio[1].done():
                    self._aio = (loop, loop.create_future())
                    fd, waiter = self.fileno(), self._aio[1]

                    def ready():
                        loop.remove_reader(fd)
                        if not waiter.done():
                            waiter.set_result(None)
                    loop.add_reader(fd, ready)
                waiter = self._aio[1]
            await asyncio.shield(waiter)
        return self.result(0)

    def __await__(self):
        return self.wait_async().__await__()

    def release(self):
        """Lets the jlc_future go (jlc_future_release); the job, if still
        queued or running, goes on. Later calls raise JlcError ERR_STATE.
        Inside this future's own on_done callback (also when the Future is
        collected there) the C release waits until the next submit(),
        on_done() or async_stop(): C forbids it in the callback."""
        h, self._h = self._h, None
        if h is None:
            return
        aio, self._aio = self._aio, None
        if aio is not None and not aio[1].done():
            try:
                aio[0].remove_reader(_fd_of(h))
            except Exception:
                pass
        if h.value in _completing():  # inside its own completion callback
            with _jobs_lock:
                _deferred.append(h)
            return
        lib().jlc_future_release(h)

    def __del__(self):
        try:
            self.release()
        except Exception:
            pass

    def __repr__(self):
        if self._h is None:
            return "<jlc.Future released>"
        st = self.status()
        return "<jlc.Future %s>" % ("pending" if st is None else st.name)


def _fd_of(h):
    fd = _capi.c_int()
    check(lib().jlc_future_fd(h, fd))
    return fd.value

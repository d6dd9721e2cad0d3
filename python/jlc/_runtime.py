"""_runtime.py — the loaded library and the runtime as a whole: load, init,
shutdown, threads entering and leaving Julia, queries, and the status check
every call goes through."""
import contextlib
import threading

from . import _capi
from ._errors import JlcError, JuliaError, Status

_lib = None
_lib_path = None
_lock = threading.Lock()


def load(library=None, prefix=None):
    """Loads libjlc once per process (see find_library for the search) and
    returns the ctypes library. A later call naming another file raises
    JlcError(ERR_STATE). Raises FileNotFoundError (see find_library) or
    OSError (the dynamic loader refused the file)."""
    global _lib, _lib_path
    with _lock:
        if _lib is not None:
            if library is not None and _capi.find_library(library) != _lib_path:
                raise JlcError(Status.ERR_STATE,
                               "libjlc is already loaded from %s" % _lib_path)
            return _lib
        path = _capi.find_library(library, prefix)
        lib = _capi.load(path)
        major, minor = lib.jlc_version() // 10000, lib.jlc_version() // 100 % 100
        if (major, minor) < (0, 2):
            raise JlcError(Status.ERR_UNSUPPORTED,
                           "%s is jlc %d.%d; this package needs 0.2 or later"
                           % (path, major, minor))
        _lib, _lib_path = lib, path
        return lib


def lib():
    """The loaded library; loads it with the default search if needed."""
    return _lib if _lib is not None else load()


def library_path():
    """The path (or name) libjlc was loaded from; None before load()."""
    return _lib_path


def last_error():
    """jlc_last_error(): the text of the latest failure on this thread."""
    return lib().jlc_last_error().decode("utf-8", "replace")


def fail(st, scope=None):
    """Raises the exception for a non-OK status: JuliaError for
    JLC_EXCEPTION (with the exception as a Value of scope), else JlcError.
    The error text is read first: it lives until the next jlc call."""
    L = lib()
    message = L.jlc_last_error().decode("utf-8", "replace")
    if st == Status.EXCEPTION:
        from ._value import Value  # the value layer imports this module
        exc = _capi.jlc_value()
        name = _capi.c_char_p()
        value, type_name = None, "?"
        if L.jlc_exception_get(exc) == Status.OK:
            if L.jlc_value_type_name(exc, name) == Status.OK:
                type_name = name.value.decode("utf-8", "replace")
            value = Value(scope, exc)
        raise JuliaError(type_name, message, value)
    raise JlcError(st, message)


def check(st, scope=None):
    """Returns None for JLC_OK, raises as fail() otherwise."""
    if st != 0:
        fail(st, scope)


def init(library=None, *, prefix=None, julia_bindir=None, image_path=None,
         nthreads=0, julia_signals=False, gc_stress=False,
         gc_stress_full_every=0, debug=False):
    """Starts Julia in this process (jlc_init); the calling thread becomes
    the only Python thread that may use it. Loads libjlc first (load()).

    julia_signals: False (this package's default, unlike C's) keeps
      Python's signal handlers and this thread's signal mask: Ctrl-C raises
      KeyboardInterrupt as usual, once the running jlc call returns. The
      price (jlc.h, julia_signals): Ctrl-C cannot interrupt Julia code, a
      Julia stack overflow crashes the process instead of raising
      StackOverflowError, and Julia gets one thread only (nthreads above
      1 is ERR_ARG; thread_enter() on a new thread is ERR_STATE). True installs
      Julia's handlers: Ctrl-C then surfaces as a JuliaError of type
      InterruptException at the next Julia code, never as KeyboardInterrupt.
    julia_bindir, image_path: as jlc_init_options (None: the environment,
      then the Julia jlc was built with).
    nthreads, gc_stress, gc_stress_full_every, debug: as jlc_init_options.

    Raises: JlcError ERR_STATE (already initialised or shut down: Julia
    starts once per process), ERR_NOT_FOUND (bindir, image or libjulia),
    ERR_ARG (nthreads < 0; more than one thread, from nthreads or
    JULIA_NUM_THREADS, with julia_signals=False), ERR_FORK; JuliaError (jlc's support code failed
    to load)."""
    L = load(library, prefix)
    o = init_options(L, julia_bindir, image_path, nthreads, julia_signals, gc_stress,
                     gc_stress_full_every, debug)
    check(L.jlc_init(o))


def init_options(L, julia_bindir, image_path, nthreads, julia_signals, gc_stress,
                 gc_stress_full_every, debug):
    """A jlc_init_options filled from init()'s keyword arguments."""
    o = _capi.jlc_init_options()
    L.jlc_init_options_default(o)
    o.julia_bindir = julia_bindir.encode() if julia_bindir else None
    o.image_path = image_path.encode() if image_path else None
    o.nthreads = int(nthreads)
    o.julia_signals = 1 if julia_signals else 0
    o.gc_stress = 1 if gc_stress else 0
    o.gc_stress_full_every = int(gc_stress_full_every)
    o.debug = 1 if debug else 0
    return o


def shutdown(exit_code=0):
    """Closes every open scope, runs Julia's exit hooks and stops jlc
    (jlc_shutdown); Julia cannot start again in this process. Returns the
    number of references never freed. Raises JlcError (ERR_STATE: not
    running; ERR_THREAD: not the thread that called init)."""
    leaked = _capi.c_size_t(0)
    check(lib().jlc_shutdown(int(exit_code), leaked))
    return leaked.value


def thread_enter():
    """Makes the calling thread one that may use Julia directly (Scope,
    calls, values: the whole direct API) until the matching thread_leave()
    (jlc_thread_enter). On a Python thread Julia does not know, the first
    call adopts the thread into Julia (Julia 1.9 and later); adoption lasts
    until the thread exits, and later enters are cheap. Calls nest: each
    enter needs one leave. The thread that called init() starts entered.
    Works after init(), and beside the async runtime (async_start).

    While entered, a thread holds up Julia's garbage collector whenever it
    runs code of its own (Python code included): a collection started by
    any thread waits until this one next calls into Julia through jlc. So
    leave before blocking on anything another thread that uses Julia may
    hold or wait for (a Python lock, Thread.join, queue.get, Event.wait,
    I/O), or both wait forever; the thread that called init() too (leave
    around the join of a thread that uses Julia). jlc's own waits
    (Future.wait and result, a blocking submit, async_stop) need no leave.
    A second Julia thread (this one, beside the init() thread or the async
    runtime's) needs Julia's signal handlers for its GC safepoints: start
    Julia with julia_signals=True; with init()'s default False the enter of
    a new thread is refused (ERR_STATE).

    Raises JlcError ERR_UNSUPPORTED (Julia before 1.9 and a thread Julia
    does not know: adoption does not exist there; submit jobs to the async
    runtime instead), ERR_STATE (before init() or async_start(), after
    shutdown, while Julia stops, nested 2**31 deep, or a new thread while
    Julia runs with julia_signals=False), ERR_NOMEM,
    ERR_FORK; the thread is then not entered."""
    check(lib().jlc_thread_enter())


def thread_leave():
    """Ends the innermost thread_enter() of the calling thread
    (jlc_thread_leave). When its outermost entry ends the thread no longer
    holds up Julia's GC and may block as long as it likes; every direct
    call on it is JlcError ERR_THREAD until it enters again. Its scopes stay
    open (their Values stay rooted): close them before leaving, or later
    from a thread that may use Julia. On the thread that called init(),
    which starts entered, a leave alone begins such a region and
    thread_enter() ends it. Raises JlcError ERR_STATE (nothing to leave on
    this thread: it did not enter, or a second leave), ERR_NOMEM."""
    check(lib().jlc_thread_leave())


@contextlib.contextmanager
def thread_entered():
    """`with jlc.thread_entered():` thread_enter() before the block,
    thread_leave() after it, also when it raises. Raises what thread_enter()
    raises, before the block runs (nothing is left then). The rules of
    thread_enter() hold inside: do not block there on anything another
    Julia thread may hold."""
    thread_enter()
    try:
        yield
    finally:
        thread_leave()


def is_ready():
    """True between init() and shutdown(); False before libjlc is loaded."""
    return bool(_lib is not None and _lib.jlc_is_ready())


def julia_version():
    """The running Julia's version string ("1.5.3")."""
    return lib().jlc_julia_version().decode()


def gc_collect(full=True):
    """Runs Julia's garbage collector now (jlc_gc_collect)."""
    check(lib().jlc_gc_collect(bool(full)))


def borrow_count():
    """Live borrows of array data in the process (jlc_borrow_count)."""
    return int(lib().jlc_borrow_count())

"""jlc — call Julia from Python through libjlc, with plain ctypes.

    import jlc
    jlc.init()                       # Julia starts once per process
    with jlc.Scope() as s:           # values made in s live until it closes
        s.call("Base.+", 2, 3).to_python()        # 5
        s.call("round", 3.14159, digits=2).to_python()  # 3.14
        try:
            s.eval("[1, 2][5]")
        except jlc.JuliaError as e:
            e.type_name              # "BoundsError"

The rules are libjlc's (include/jlc.h): values are handles that live in a
scope; a handle used after its scope closed is JlcError ERR_STALE; a Julia
exception is JuliaError, every other failure is JlcError naming its status;
every conversion is checked. Only the thread that called init() may use
Julia (others get JlcError ERR_THREAD) unless, on Julia 1.9 and later, they
enter with thread_enter() or `with thread_entered():`; or Julia runs on the
async runtime (async_start; jobs from any thread with submit(), futures to
wait on, await or watch with on_done). See python/README.md.
"""
from ._capi import find_library
from ._errors import Error, JlcError, JuliaError, Status
from ._runtime import (borrow_count, gc_collect, init, is_ready, julia_version, last_error,
                       library_path, load, shutdown, thread_enter, thread_entered, thread_leave)
from ._value import Scope, Value
from ._array import ArrayInfo, Borrow
from ._async import Future, async_start, async_stop, on_runtime_thread, submit

__all__ = [
    "ArrayInfo", "Borrow", "Error", "Future", "JlcError", "JuliaError", "Scope", "Status", "Value",
    "async_start", "async_stop", "borrow_count", "find_library", "gc_collect", "init", "is_ready", "julia_version",
    "last_error", "library_path", "load", "on_runtime_thread", "shutdown", "submit",
    "thread_enter", "thread_entered", "thread_leave",
]

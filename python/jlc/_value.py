"""_value.py — scopes and values: Scope (a jlc_scope as a context manager),
Value (a jlc_value handle with checked conversions), the conversion of
Python objects to Julia values, lookups, evaluation and calls."""
import ctypes

from . import _capi
from ._errors import JlcError, Status
from ._runtime import check, lib

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1

_SIGNED = ("Int8", "Int16", "Int32", "Int64")
_UNSIGNED = ("UInt8", "UInt16", "UInt32", "UInt64")


class Scope:
    """A jlc scope: every Value made in it stays rooted (alive for Julia's
    GC) until it closes; then its Values are stale (JlcError ERR_STALE on
    use), its borrows end and its wrapped Python buffers are let go.

    Scope() opens a top-level scope, Scope(parent) or parent.child() a
    nested one; a scope cannot close while a child is open (JlcError
    ERR_STATE). Use it as a context manager, or call close(). A scope
    belongs to the thread that opened it (the one that called init(), one
    that entered with thread_enter(), or the runtime thread in a job).
    Raises on opening: JlcError ERR_NOMEM, ERR_STATE (before init), ERR_THREAD,
    ERR_STALE (parent closed)."""

    def __init__(self, parent=None):
        self._h = _capi.jlc_scope()
        self._borrows = []   # live Borrow objects made in this scope
        self._pins = []      # exports of wrapped Python buffers
        self._closed = False
        self._job = False    # the scope jlc opened for an async job (_of_job)
        ph = parent._h if parent is not None else _capi.jlc_scope()
        check(lib().jlc_scope_open(ph, self._h))

    @classmethod
    def _of_job(cls, handle):
        """The scope the async runtime opened for a job (jlc_job_fn's scope):
        jlc closes it when the job returns, so close() refuses (ERR_STATE)."""
        s = cls.__new__(cls)
        s._h = handle
        s._borrows = []
        s._pins = []
        s._closed = False
        s._job = True
        return s

    def _end_job(self):
        """Called as the job returns: ends the job scope's borrows (as
        close() does; ERR_BORROW if a derived view is alive) and marks it
        closed. jlc closes the C scope itself right after."""
        for b in list(self._borrows):
            b.release()
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def child(self):
        """A new scope nested in this one."""
        return Scope(self)

    @property
    def closed(self):
        return self._closed

    def close(self):
        """Closes the scope (jlc_scope_close). A second close does nothing.
        First every borrow made in this scope is released (Borrow.release);
        if a memoryview derived from a borrow's view (a slice, a cast) is
        still alive, that raises JlcError ERR_BORROW and the scope stays
        open with that borrow: delete those views first. Raises JlcError
        ERR_STATE (a child scope is still open; the borrows are released
        all the same)."""
        if self._closed:
            return
        if self._job:
            raise JlcError(Status.ERR_STATE,
                           "a job's scope closes when the job returns; open a child scope "
                           "to close values early")
        for b in list(self._borrows):
            b.release()  # raises ERR_BORROW with the scope still open
        check(lib().jlc_scope_close(self._h))
        self._pins = []      # the Python buffers may now resize or be freed
        self._closed = True

    def size(self):
        """Live handles in the scope (jlc_scope_size)."""
        n = _capi.c_size_t()
        check(lib().jlc_scope_size(self._h, n))
        return n.value

    def keep(self, value):
        """A Value of this scope for value's Julia value (jlc_scope_keep):
        how a result leaves an inner scope for an outer one."""
        return self._new(lambda out: lib().jlc_scope_keep(self._h, value._h, out))

    def _new(self, make):
        out = _capi.jlc_value()
        check(make(out), self)
        return Value(self, out)

    # ---- values from Python ----

    def int64(self, x):
        """An Int64. Raises JlcError ERR_LOSSY if x is outside Int64's range."""
        x = _index(x)
        if not _INT64_MIN <= x <= _INT64_MAX:
            raise JlcError(Status.ERR_LOSSY, "%d does not fit in an Int64" % x)
        return self._new(lambda out: lib().jlc_int64_new(self._h, x, out))

    def uint64(self, x):
        """A UInt64. Raises JlcError ERR_LOSSY outside 0..2**64-1."""
        x = _index(x)
        if not 0 <= x < (1 << 64):
            raise JlcError(Status.ERR_LOSSY, "%d does not fit in a UInt64" % x)
        return self._new(lambda out: lib().jlc_uint64_new(self._h, x, out))

    def float64(self, x):
        """A Float64 from a Python float (or int, converted exactly or
        raising JlcError ERR_LOSSY)."""
        if isinstance(x, int) and not isinstance(x, bool):
            f = float(x)
            if int(f) != x:
                raise JlcError(Status.ERR_LOSSY, "%d is not exactly a Float64" % x)
            x = f
        if not isinstance(x, float):
            raise JlcError(Status.ERR_TYPE, "a float is needed, not %s" % type(x).__name__)
        return self._new(lambda out: lib().jlc_float64_new(self._h, x, out))

    def bool(self, x):
        """A Bool from a Python bool (nothing else: no truthiness)."""
        if not isinstance(x, bool):
            raise JlcError(Status.ERR_TYPE, "a bool is needed, not %s" % type(x).__name__)
        return self._new(lambda out: lib().jlc_bool_new(self._h, x, out))

    def string(self, x):
        """A String holding x encoded as UTF-8 (a copy)."""
        if not isinstance(x, str):
            raise JlcError(Status.ERR_TYPE, "a str is needed, not %s" % type(x).__name__)
        b = x.encode("utf-8")
        return self._new(lambda out: lib().jlc_string_new(self._h, b, len(b), out))

    def nothing(self):
        """Julia's `nothing`."""
        return self._new(lambda out: lib().jlc_nothing_new(self._h, out))

    def symbol(self, name):
        """A Symbol."""
        b = name.encode("utf-8")
        return self._new(lambda out: lib().jlc_symbol_new(self._h, b, len(b), out))

    def value(self, x):
        """x as a Julia value: a Value is returned as is; bool -> Bool,
        int -> Int64 (ERR_LOSSY outside its range: use uint64()), float ->
        Float64, str -> String, None -> nothing. Anything else raises
        JlcError ERR_TYPE (wrap buffers explicitly with array_wrap)."""
        if isinstance(x, Value):
            return x
        if isinstance(x, bool):
            return self.bool(x)
        if isinstance(x, int):
            return self.int64(x)
        if isinstance(x, float):
            return self.float64(x)
        if isinstance(x, str):
            return self.string(x)
        if x is None:
            return self.nothing()
        raise JlcError(Status.ERR_TYPE,
                       "no Julia value for a Python %s" % type(x).__name__)

    # ---- lookups, evaluation, calls ----

    def lookup(self, path):
        """Any value by dotted path: "sum", "Base.+", "Main.x",
        "LinearAlgebra.norm" (jlc_global_lookup). Raises JlcError
        ERR_NOT_FOUND (the missing part is named), ERR_TYPE, ERR_ARG."""
        b = path.encode("utf-8")
        return self._new(lambda out: lib().jlc_global_lookup(self._h, b, out))

    def module(self, path):
        """A module by dotted path ("Main", "Base.Math") (jlc_module_lookup)."""
        b = path.encode("utf-8")
        return self._new(lambda out: lib().jlc_module_lookup(self._h, b, out))

    def eval(self, code, module=None):
        """Evaluates every top-level expression of code in module (a module
        Value; None for Main) and returns the last value (jlc_eval).
        Raises JuliaError (a parse error is a Base.Meta.ParseError)."""
        b = code.encode("utf-8")
        m = module._h if module is not None else _capi.jlc_value()
        return self._new(lambda out: lib().jlc_eval(self._h, m, b, out))

    def include(self, path):
        """include(path) into Main; returns the file's last value."""
        b = str(path).encode()
        return self._new(lambda out: lib().jlc_include(self._h, b, out))

    def using(self, package):
        """`using package` in Main ("LinearAlgebra")."""
        check(lib().jlc_using(self._h, package.encode("utf-8")), self)

    def call(self, f, /, *args, **kwargs):
        """f(args...; kwargs...) with the result in this scope. f is a
        Value or a dotted path for lookup(); arguments are Values or Python
        objects converted by value(). Without keywords this is jlc_call,
        with them jlc_call_kw. Raises JuliaError for a Julia exception,
        JlcError for a jlc error."""
        if not isinstance(f, Value):
            f = self.lookup(f)
        argv = (_capi.jlc_value * max(len(args), 1))(*[self.value(a)._h for a in args])
        if not kwargs:
            return self._new(lambda out: lib().jlc_call(self._h, f._h, len(args), argv, out))
        names = (_capi.c_char_p * len(kwargs))(*[k.encode("utf-8") for k in kwargs])
        vals = (_capi.jlc_value * len(kwargs))(*[self.value(v)._h for v in kwargs.values()])
        return self._new(lambda out: lib().jlc_call_kw(
            self._h, f._h, len(args), argv, len(kwargs), names, vals, out))

    def async_call(self, f, /, *args):
        """f(args...) run on Julia's thread pool (jlc_async_call), with the
        result in this scope. f and the arguments are as for call(): f a
        Value or a dotted path, each argument a Value or a Python object
        converted by value(); there are no keyword arguments (call a Julia
        closure that passes them).

        Use it in a job (submit): the job's Julia task waits for the call by
        yielding, so the runtime thread runs C jobs and Julia tasks meanwhile
        (Python jobs still take turns: the next starts when this job has
        returned). With more than one Julia thread (async_start(nthreads=2,
        julia_signals=True)) f runs on a thread other than the runtime
        thread, in parallel with it; with one thread it runs on the runtime
        thread between other tasks. Elsewhere it only costs a task: on the
        thread that called init(), the call just waits for f.

        Raises JuliaError for the exception f threw (that exception, e.g.
        DomainError, not Julia's TaskFailedException wrapper; its .value in
        this scope), JlcError ERR_NOMEM (more than 1024 arguments), ERR_THREAD
        (a thread that may not use Julia), ERR_STALE (this scope, f or an
        argument is stale), and what lookup() and value() raise."""
        if not isinstance(f, Value):
            f = self.lookup(f)
        argv = (_capi.jlc_value * max(len(args), 1))(*[self.value(a)._h for a in args])
        return self._new(lambda out: lib().jlc_async_call(self._h, f._h, len(args), argv, out))

    # ---- arrays (_array.py) ----

    def array_wrap(self, buffer, dims=None):
        """A Julia Array sharing a writable Python buffer without copying;
        see jlc._array.wrap."""
        from . import _array
        return _array.wrap(self, buffer, dims)


def _index(x):
    if isinstance(x, bool) or not hasattr(x, "__index__"):
        raise JlcError(Status.ERR_TYPE, "an int is needed, not %s" % type(x).__name__)
    return x.__index__()


class Value:
    """A handle to a Julia value in a scope (a jlc_value). It is valid while
    its scope is open; afterwards every use raises JlcError ERR_STALE,
    checked by jlc. Conversions are checked: a wrong type is ERR_TYPE, a
    value that does not fit is ERR_LOSSY. Calling a Value calls the Julia
    value with the result in the same scope."""

    __slots__ = ("_scope", "_h")

    def __init__(self, scope, handle):
        self._scope = scope
        self._h = handle

    @property
    def scope(self):
        return self._scope

    def __call__(self, *args, **kwargs):
        return self._scope.call(self, *args, **kwargs)

    def __repr__(self):
        try:
            return "<jlc.Value %s>" % self.repr()
        except Exception as e:  # stale, or show threw
            return "<jlc.Value (%s)>" % e

    def _get(self, fn, ctype):
        out = ctype()
        check(fn(self._h, out), self._scope)
        return out.value

    def type_name(self):
        """The short name of the value's type ("Int64", "Array")."""
        return self._get(lib().jlc_value_type_name, _capi.c_char_p).decode("utf-8")

    def int64(self):
        """As a Python int, through Int64 (jlc_int64_get: Bool, integers and
        integral floats that fit)."""
        return self._get(lib().jlc_int64_get, ctypes.c_int64)

    def uint64(self):
        """As a Python int, through UInt64 (jlc_uint64_get)."""
        return self._get(lib().jlc_uint64_get, ctypes.c_uint64)

    def float64(self):
        """As a Python float (jlc_float64_get: floats, and integers exactly
        representable)."""
        return self._get(lib().jlc_float64_get, ctypes.c_double)

    def bool(self):
        """As a Python bool (Bool only)."""
        return self._get(lib().jlc_bool_get, _capi.c_bool)

    def str(self):
        """A String as a Python str (a copy, decoded as UTF-8; invalid
        UTF-8 raises UnicodeDecodeError)."""
        p, n = _capi.c_void_p(), _capi.c_size_t()
        check(lib().jlc_string_get(self._h, p, n), self._scope)
        return ctypes.string_at(p.value, n.value).decode("utf-8") if n.value else ""

    def is_nothing(self):
        """Whether the value is `nothing`."""
        return self._get(lib().jlc_value_is_nothing, _capi.c_bool)

    def to_python(self):
        """The value as a Python object, by its type: Int8..Int64 and
        UInt8..UInt64 -> int, Bool -> bool, Float32/Float64 -> float,
        String -> str, Char -> str, Nothing -> None. Other types raise
        JlcError ERR_TYPE (use the explicit getters, repr() or arrays)."""
        t = self.type_name()
        if t in _SIGNED:
            return self.int64()
        if t in _UNSIGNED:
            return self.uint64()
        if t in ("Float32", "Float64"):
            return self.float64()
        if t == "Bool":
            return self.bool()
        if t == "String":
            return self.str()
        if t == "Nothing":
            return None
        if t == "Char":
            return chr(self._get(lib().jlc_char_get, ctypes.c_uint32))
        raise JlcError(Status.ERR_TYPE, "no Python conversion for a Julia %s" % t)

    def string(self):
        """string(v) from Julia, as a Python str."""
        return self._scope._new(
            lambda out: lib().jlc_value_string(self._scope._h, self._h, out)).str()

    def repr(self):
        """repr(v) from Julia, as a Python str."""
        return self._scope._new(
            lambda out: lib().jlc_value_repr(self._scope._h, self._h, out)).str()

    # ---- arrays (_array.py) ----

    def array_info(self):
        """Element type, sizes and dims of a Julia Array; see
        jlc._array.info."""
        from . import _array
        return _array.info(self)

    def borrow(self, writable=False):
        """Borrows an Array's data as a memoryview; see jlc._array.Borrow."""
        from . import _array
        return _array.Borrow(self, writable)

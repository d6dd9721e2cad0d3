"""_array.py — arrays shared between Python and Julia without copying:
a writable Python buffer wrapped as a Julia Array (wrap), and a Julia
Array's data read or written through a memoryview (Borrow), under jlc's
borrow rules (include/jlc/array.h, rules E and F)."""
import collections
import ctypes
import gc
import sys

from . import _capi
from ._errors import JlcError, Status
from ._runtime import check, lib

_C = _capi.CTYPE
# memoryview formats (native, one character) and jlc's codes.
_FORMAT_OF_CODE = {
    _C["BOOL"]: "?", _C["INT8"]: "b", _C["INT16"]: "h", _C["INT32"]: "i",
    _C["INT64"]: "q", _C["UINT8"]: "B", _C["UINT16"]: "H", _C["UINT32"]: "I",
    _C["UINT64"]: "Q", _C["FLOAT32"]: "f", _C["FLOAT64"]: "d",
}
_SIGNED_BY_SIZE = {1: _C["INT8"], 2: _C["INT16"], 4: _C["INT32"], 8: _C["INT64"]}
_UNSIGNED_BY_SIZE = {1: _C["UINT8"], 2: _C["UINT16"], 4: _C["UINT32"], 8: _C["UINT64"]}

ArrayInfo = collections.namedtuple("ArrayInfo", "eltype elsize rank length dims isbits boxed")
ArrayInfo.__doc__ = """What jlc_array_inspect and jlc_array_dims say about an Array:
eltype is the jlc_ctype name ("FLOAT64", "STRUCT", "ANY"), dims are
Julia's (column-major)."""


def _code_of_format(fmt, itemsize):
    """jlc's code for a buffer's struct format, or None."""
    native = {"@", "="} | ({"<"} if sys.byteorder == "little" else {">"})
    if len(fmt) == 2 and fmt[0] in native:
        fmt = fmt[1:]
    if len(fmt) != 1:
        return None
    if fmt in "bhilqn":
        return _SIGNED_BY_SIZE.get(itemsize)
    if fmt in "BHILQNc":
        return _UNSIGNED_BY_SIZE.get(itemsize)
    if fmt == "f" and itemsize == 4:
        return _C["FLOAT32"]
    if fmt == "d" and itemsize == 8:
        return _C["FLOAT64"]
    if fmt == "?" and itemsize == 1:
        return _C["BOOL"]
    return None


def wrap(scope, buffer, dims=None):
    """A Julia Array (jlc_array_wrap, borrowed mode) whose data IS the
    memory of `buffer`: no copy. Julia reads and writes it in place, and
    Python sees Julia's writes.

    buffer: a writable, C-contiguous object with the buffer protocol
      (array.array, bytearray, a writable memoryview, ctypes arrays). Its
      format gives the element type: 'd' Float64, 'f' Float32, 'b'/'h'/'i'/
      'l'/'q' signed and 'B'/'H'/'I'/'L'/'Q' unsigned integers of their
      size, '?' Bool.
    dims: Julia's dims, column-major (default: one dimension, all items).

    Lifetime (the borrowed mode of jlc_array_wrap): the scope holds an
    export of the buffer until it closes, so Python cannot resize or free
    it meanwhile (bytearray and array.array raise BufferError on resize).
    After the scope closes the buffer is Python's again: do not let Julia
    code keep the array (in a global, a closure) beyond the scope. Julia
    cannot resize the array (push! throws).

    Raises JlcError: ERR_TYPE (read-only, not contiguous, or a format with
    no Julia element type), ERR_ARG (dims do not multiply to the item
    count; misaligned data), ERR_STALE (scope closed)."""
    try:
        mv = memoryview(buffer)
    except TypeError:
        raise JlcError(Status.ERR_TYPE, "%s has no buffer" % type(buffer).__name__) from None
    if mv.readonly:
        raise JlcError(Status.ERR_TYPE, "the buffer is read-only: Julia could write to it")
    if not mv.c_contiguous:
        raise JlcError(Status.ERR_TYPE, "the buffer is not contiguous")
    code = _code_of_format(mv.format, mv.itemsize)
    if code is None:
        raise JlcError(Status.ERR_TYPE, "no Julia element type for buffer format %r" % mv.format)
    count = mv.nbytes // mv.itemsize
    dims = (count,) if dims is None else tuple(int(d) for d in dims)
    n = 1
    for d in dims:
        n *= d
    if n != count or any(d < 0 for d in dims):
        raise JlcError(Status.ERR_ARG, "dims %r do not hold the buffer's %d items" % (dims, count))
    # The export: a ctypes view that keeps the buffer pinned while it lives.
    pin = (ctypes.c_char * mv.nbytes).from_buffer(mv)
    cdims = (_capi.c_size_t * len(dims))(*dims)
    out = _capi.jlc_value()
    check(lib().jlc_array_wrap(scope._h, ctypes.addressof(pin), code, len(dims), cdims, out),
          scope)
    scope._pins.append((pin, mv))
    from ._value import Value
    return Value(scope, out)


def info(a):
    """ArrayInfo of an Array. Raises JlcError ERR_TYPE (not an Array),
    ERR_STALE."""
    L = lib()
    i = _capi.jlc_array_info()
    check(L.jlc_array_inspect(a._h, i), a._scope)
    dims = (_capi.c_size_t * max(i.rank, 1))()
    check(L.jlc_array_dims(a._h, dims, i.rank, None), a._scope)
    name = _capi.CTYPE_NAMES[i.eltype] if 0 <= i.eltype < len(_capi.CTYPE_NAMES) else "?"
    return ArrayInfo(name, i.elsize, i.rank, i.length, tuple(dims[:i.rank]), i.isbits, i.boxed)


_PyMemoryView_FromMemory = ctypes.pythonapi.PyMemoryView_FromMemory
_PyMemoryView_FromMemory.restype = ctypes.py_object
_PyMemoryView_FromMemory.argtypes = [ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int]
_PyBUF_READ, _PyBUF_WRITE = 0x100, 0x200


def _managed_buffer(view):
    """The managed buffer a memoryview shares with views made from it (None
    where memoryview is not built that way)."""
    for o in gc.get_referents(view):
        if type(o).__name__ == "managedbuffer":
            return o
    return None


class Borrow:
    """A borrow of a Julia Array's data (jlc_array_borrow, or
    jlc_array_borrow_mut with writable=True), in the array's scope, seen
    through `view`: a one-dimensional memoryview of the elements in memory
    order (column-major: element (i, j) of an m x n matrix is view[i + j*m]),
    format 'd', 'q', ... for numbers and Bool, or raw bytes 'B' for other
    plain-bits element types. Read-only unless writable.

    Rules (include/jlc/array.h, E): any number of read-only borrows of the
    same data, or one writable borrow and nothing else (JlcError
    ERR_BORROW); jlc's own element access respects them. Julia code is not
    checked: do not run Julia code that writes or resizes the array while a
    borrow is live.

    The borrow ends at release(), at the end of a `with` block (which gives
    the view), or when its scope closes, whichever is first; the view is
    released then and any use raises ValueError. A memoryview derived from
    the view (a slice, a cast, memoryview(view)) must be gone first (del
    it): release() and the scope's close() raise JlcError ERR_BORROW while
    one is alive, and keep the borrow.

    Raises on creation: JlcError ERR_TYPE (not an Array, or not plain
    bits data), ERR_BORROW, ERR_NOMEM (too many live borrows), ERR_STALE."""

    def __init__(self, array, writable=False):
        scope = array._scope
        ai = info(array)
        if not ai.isbits:
            raise JlcError(Status.ERR_TYPE, "a %s array is not plain bits data" % ai.eltype)
        code = _C[ai.eltype]
        self._h = _capi.jlc_borrow()
        data = _capi.c_void_p()
        fn = lib().jlc_array_borrow_mut if writable else lib().jlc_array_borrow
        check(fn(scope._h, array._h, code, ai.elsize, self._h, data), scope)
        self._scope = scope
        self._ended = False
        self.writable = bool(writable)
        self.dims = ai.dims
        nbytes = ai.length * ai.elsize
        # Julia's data pointer may be NULL for an empty array.
        base = data.value or 0
        if nbytes == 0:
            raw = memoryview(b"" if not writable else bytearray())
        else:
            raw = _PyMemoryView_FromMemory(base, nbytes, _PyBUF_WRITE if writable else _PyBUF_READ)
        fmt = _FORMAT_OF_CODE.get(code, "B")
        self._raw = raw
        self.view = raw.cast(fmt) if fmt != "B" else raw
        # Slices and casts of the view share its managed buffer (CPython's
        # memoryview internals) without counting as exports, so release()
        # would let them outlive the borrow. Each view object holds one
        # reference to that buffer: more than ours means a derived view.
        self._mbuf = _managed_buffer(raw)
        self._mbuf_refs = sys.getrefcount(self._mbuf) if self._mbuf is not None else 0
        scope._borrows.append(self)

    def _end_views(self):
        """Releases the views; JlcError ERR_BORROW if a derived one lives."""
        derived = (self._mbuf is not None
                   and sys.getrefcount(self._mbuf) > self._mbuf_refs)
        try:
            if derived:
                raise BufferError
            if self.view is not self._raw:
                self.view.release()
            self._raw.release()
        except BufferError:
            raise JlcError(Status.ERR_BORROW,
                           "a memoryview derived from the borrowed view (a slice, a cast, "
                           "memoryview(view)) is still alive; delete it first") from None
        self._mbuf = None

    def release(self):
        """Ends the borrow (jlc_borrow_release). A second call does
        nothing. Raises JlcError ERR_BORROW (a derived memoryview is alive;
        the borrow stays)."""
        if self._ended:
            return
        self._end_views()
        self._ended = True
        self._scope._borrows.remove(self)
        check(lib().jlc_borrow_release(self._h), self._scope)

    @property
    def released(self):
        return self._ended

    def __enter__(self):
        return self.view

    def __exit__(self, *exc):
        self.release()
        return False

"""_capi.py — libjlc's C API as ctypes declarations (handles, option and
info structs, prototypes) and the search for the library file.

Every struct mirrors include/jlc.h field for field; every handle is passed
by value, as the header defines it (a one-field struct of a uint64_t).
"""
import ctypes
import os
import sys

c_size_t = ctypes.c_size_t
c_int = ctypes.c_int
c_bool = ctypes.c_bool
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
POINTER = ctypes.POINTER

# One constant per jlc_status, in the order of JLC_STATUS_MAP (jlc.h).
STATUS_NAMES = (
    "OK", "EXCEPTION", "ERR_ARG", "ERR_STALE", "ERR_TYPE", "ERR_LOSSY",
    "ERR_BOUNDS", "ERR_BORROW", "ERR_THREAD", "ERR_STATE", "ERR_FORK",
    "ERR_NOT_FOUND", "ERR_IMMUTABLE", "ERR_SPACE", "ERR_NOMEM", "ERR_TIMEOUT",
    "ERR_UNSUPPORTED", "ERR_CANCELLED", "ERR_BUSY",
)

# One constant per jlc_ctype, in the order of the enum (jlc.h).
CTYPE_NAMES = (
    "VOID", "BOOL", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16",
    "UINT32", "UINT64", "FLOAT32", "FLOAT64", "COMPLEXF32", "COMPLEXF64",
    "PTR", "STRUCT", "ANY",
)
CTYPE = {name: code for code, name in enumerate(CTYPE_NAMES)}


class jlc_scope(ctypes.Structure):
    _fields_ = [("_h", ctypes.c_uint64)]


class jlc_value(ctypes.Structure):
    _fields_ = [("_h", ctypes.c_uint64)]


class jlc_ref(ctypes.Structure):
    _fields_ = [("_h", ctypes.c_uint64)]


class jlc_borrow(ctypes.Structure):
    _fields_ = [("_h", ctypes.c_uint64)]


class jlc_init_options(ctypes.Structure):
    _fields_ = [
        ("julia_bindir", c_char_p),
        ("image_path", c_char_p),
        ("nthreads", c_int),
        ("julia_signals", c_int),
        ("gc_stress", c_int),
        ("gc_stress_full_every", c_int),
        ("debug", c_int),
    ]


class jlc_async_options(ctypes.Structure):
    _fields_ = [
        ("init", ctypes.POINTER(jlc_init_options)),
        ("queue_capacity", c_size_t),
        ("max_running", c_size_t),
        ("stack_size", c_size_t),
        ("spin_us", c_int),
    ]


# jlc_job_fn: jlc_status (*)(jlc_scope scope, void *data)
JOB_FN = ctypes.CFUNCTYPE(c_int, jlc_scope, c_void_p)

# jlc_future_on_done's callback: void (*)(jlc_future *f, jlc_status st, void *ctx)
DONE_FN = ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p)


class jlc_array_info(ctypes.Structure):
    _fields_ = [
        ("eltype", c_int),
        ("elsize", c_size_t),
        ("rank", c_size_t),
        ("length", c_size_t),
        ("isbits", c_bool),
        ("boxed", c_bool),
    ]


S, V, B = jlc_scope, jlc_value, jlc_borrow
P = POINTER
# name: (restype, argtypes); restype c_int is a jlc_status.
PROTOTYPES = {
    "jlc_status_name": (c_char_p, [c_int]),
    "jlc_status_str": (c_char_p, [c_int]),
    "jlc_last_error": (c_char_p, []),
    "jlc_version": (c_int, []),
    "jlc_init_options_default": (None, [P(jlc_init_options)]),
    "jlc_init": (c_int, [P(jlc_init_options)]),
    "jlc_shutdown": (c_int, [c_int, P(c_size_t)]),
    "jlc_is_ready": (c_bool, []),
    "jlc_julia_version": (c_char_p, []),
    "jlc_thread_enter": (c_int, []),
    "jlc_thread_leave": (c_int, []),
    "jlc_gc_collect": (c_int, [c_bool]),
    "jlc_scope_open": (c_int, [S, P(S)]),
    "jlc_scope_close": (c_int, [S]),
    "jlc_scope_keep": (c_int, [S, V, P(V)]),
    "jlc_scope_size": (c_int, [S, P(c_size_t)]),
    "jlc_int64_new": (c_int, [S, ctypes.c_int64, P(V)]),
    "jlc_uint64_new": (c_int, [S, ctypes.c_uint64, P(V)]),
    "jlc_float64_new": (c_int, [S, ctypes.c_double, P(V)]),
    "jlc_bool_new": (c_int, [S, c_bool, P(V)]),
    "jlc_nothing_new": (c_int, [S, P(V)]),
    "jlc_string_new": (c_int, [S, c_char_p, c_size_t, P(V)]),
    "jlc_symbol_new": (c_int, [S, c_char_p, c_size_t, P(V)]),
    "jlc_int64_get": (c_int, [V, P(ctypes.c_int64)]),
    "jlc_uint64_get": (c_int, [V, P(ctypes.c_uint64)]),
    "jlc_float64_get": (c_int, [V, P(ctypes.c_double)]),
    "jlc_bool_get": (c_int, [V, P(c_bool)]),
    "jlc_char_get": (c_int, [V, P(ctypes.c_uint32)]),
    "jlc_string_get": (c_int, [V, P(c_void_p), P(c_size_t)]),
    "jlc_symbol_get": (c_int, [V, P(c_char_p)]),
    "jlc_value_is_nothing": (c_int, [V, P(c_bool)]),
    "jlc_module_lookup": (c_int, [S, c_char_p, P(V)]),
    "jlc_global_lookup": (c_int, [S, c_char_p, P(V)]),
    "jlc_call": (c_int, [S, V, c_size_t, P(V), P(V)]),
    "jlc_call_kw": (c_int, [S, V, c_size_t, P(V), c_size_t, P(c_char_p), P(V), P(V)]),
    "jlc_eval": (c_int, [S, V, c_char_p, P(V)]),
    "jlc_include": (c_int, [S, c_char_p, P(V)]),
    "jlc_using": (c_int, [S, c_char_p]),
    "jlc_exception_get": (c_int, [P(V)]),
    "jlc_exception_text": (c_int, [S, V, c_bool, P(V)]),
    "jlc_value_type_name": (c_int, [V, P(c_char_p)]),
    "jlc_value_string": (c_int, [S, V, P(V)]),
    "jlc_value_repr": (c_int, [S, V, P(V)]),
    "jlc_value_is_array": (c_int, [V, P(c_bool)]),
    "jlc_array_wrap": (c_int, [S, c_void_p, c_int, c_size_t, P(c_size_t), P(V)]),
    "jlc_array_inspect": (c_int, [V, P(jlc_array_info)]),
    "jlc_array_dims": (c_int, [V, P(c_size_t), c_size_t, P(c_size_t)]),
    "jlc_array_borrow": (c_int, [S, V, c_int, c_size_t, P(B), P(c_void_p)]),
    "jlc_array_borrow_mut": (c_int, [S, V, c_int, c_size_t, P(B), P(c_void_p)]),
    "jlc_borrow_release": (c_int, [B]),
    "jlc_borrow_count": (c_size_t, []),
    # the async runtime (jlc/async.h); a jlc_future * is a c_void_p
    "jlc_async_options_default": (None, [P(jlc_async_options)]),
    "jlc_async_start": (c_int, [P(jlc_async_options)]),
    "jlc_async_stop": (c_int, [c_int, c_int, P(c_size_t)]),
    "jlc_async_on_runtime_thread": (c_bool, []),
    "jlc_async_submit": (c_int, [JOB_FN, c_void_p, ctypes.c_uint, P(c_void_p)]),
    "jlc_future_wait": (c_int, [c_void_p, ctypes.c_int64, P(c_int)]),
    "jlc_future_poll": (c_int, [c_void_p, P(c_bool), P(c_int)]),
    "jlc_future_message": (c_char_p, [c_void_p]),
    "jlc_future_cancel": (c_int, [c_void_p]),
    "jlc_future_on_done": (c_int, [c_void_p, DONE_FN, c_void_p]),
    "jlc_future_fd": (c_int, [c_void_p, P(c_int)]),
    "jlc_future_release": (None, [c_void_p]),
    "jlc_async_call": (c_int, [S, V, c_size_t, P(V), P(V)]),
}
del S, V, B, P

# The file names the dynamic loader knows libjlc by (the SONAME first).
LIBRARY_NAMES = ("libjlc.so.0.3", "libjlc.so")  # soname of 0.3 (CMakeLists.txt JLC_SOVERSION)


def _prefix_candidates(prefix):
    """Where libjlc lives under an install prefix (cmake --install)."""
    libdirs = ["lib", "lib64"]
    multiarch = getattr(sys.implementation, "_multiarch", None)
    if multiarch:
        libdirs.append(os.path.join("lib", multiarch))
    return [os.path.join(prefix, d, n) for d in libdirs for n in LIBRARY_NAMES]


def _own_prefixes():
    """Install prefixes this package may sit in: <prefix>/lib/pythonX.Y/
    site-packages/jlc, <prefix>/lib/python3/dist-packages/jlc, or
    <prefix>/share/jlc/python/jlc."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts = here.split(os.sep)
    out = []
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] in ("lib", "lib64", "share"):
            out.append(os.sep.join(parts[:i]) or os.sep)
    return out


def find_library(path=None, prefix=None):
    """The file of libjlc to load: `path` if given; else $JLC_LIBRARY; else
    under `prefix` or $JLC_PREFIX (its lib/, lib64/, lib/<multiarch>/);
    else under the install prefix this package sits in; else the bare
    SONAME "libjlc.so.0", left to the dynamic loader (LD_LIBRARY_PATH,
    ld.so.cache). Returns a path or a name; never loads anything. Raises
    FileNotFoundError when an explicit path, $JLC_LIBRARY or a prefix was
    given but holds no library (an explicit choice never falls through)."""
    for explicit in (path, os.environ.get("JLC_LIBRARY") or None):
        if explicit is not None:
            if not os.path.isfile(explicit):
                raise FileNotFoundError("libjlc not found at %r" % explicit)
            return os.path.abspath(explicit)
    for given in (prefix, os.environ.get("JLC_PREFIX") or None):
        if given is not None:
            for c in _prefix_candidates(given):
                if os.path.isfile(c):
                    return c
            raise FileNotFoundError("no libjlc under prefix %r (looked in %s)"
                                    % (given, ", ".join(_prefix_candidates(given))))
    for own in _own_prefixes():
        for c in _prefix_candidates(own):
            if os.path.isfile(c):
                return c
    return LIBRARY_NAMES[0]


def load(path):
    """Loads libjlc with ctypes' default mode (RTLD_LOCAL: jlc_init makes
    libjulia's names global itself) and declares every prototype."""
    lib = ctypes.CDLL(path)
    for name, (restype, argtypes) in PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib

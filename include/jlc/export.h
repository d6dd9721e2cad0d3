/**
 * \file
 * jlc/export.h — included by jlc.h; do not include directly.
 *
 * Exports: a C library declares, in one static table, the functions,
 * constants and opaque types it offers Julia; the JLC Julia package
 * (julia/JLC) loads the library and makes a Julia module from the table, one
 * typed method per function. Guide: docs/julia-calls-c.md.
 *
 *     static const jlc_export_function fns[] = {
 *         {"add", JLC_EXPORT_FN(my_add), "double(double, double)", "add(a, b): a + b", 0},
 *         {NULL, NULL, NULL, NULL, 0}};
 *     static const jlc_export_module mod = {JLC_EXPORT_ABI, "MyLib docs", fns, NULL, NULL};
 *     JLC_EXPORT_MODULE(mod)
 *
 * and in Julia: `using JLC; @jlc_module MyLib "path/to/libmylib.so"`.
 *
 * How a signature becomes a C function. The signature is written in the
 * typed-call syntax of jlc/cfunc.h (scalars, `T *`, `void *`) plus:
 *  - `jlc_value`: a Julia value of any type, passed as a handle (parameter
 *    and return);
 *  - `jlc_scope`: only as the first parameter; it takes no Julia argument.
 *    jlc opens a scope before the call, passes it, and closes it after the
 *    result was taken. A signature with a jlc_value needs it.
 *  - `struct Name *`: an opaque type of the table (jlc_export_type). Julia
 *    passes its object, C receives the pointer (borrowed: do not free it);
 *    a returned pointer becomes a new Julia object that owns it.
 *
 * By default (flags 0) the C function reports failure through its status:
 *
 *     "R(A1, ..., An)"   is implemented as   jlc_status f(A1, ..., An, R *out)
 *
 * (no out when R is void), the transform of checked typed calls. JLC_OK
 * returns *out to Julia. JLC_EXCEPTION throws the exception the function
 * raised (jlc_export_throw, jlc_export_rethrow, jlc_export_error), else the
 * exception of the latest failed jlc call on this thread if its scope is
 * still open, else an ErrorException with jlc_last_error(). Any other status
 * throws `JLC.JlcError(status_name, jlc_last_error())`. The Julia wrapper
 * throws after the C function has returned: no Julia exception ever unwinds
 * through it, so its cleanup code always runs.
 *
 * With JLC_EXPORT_NOFAIL the C function has exactly the signature's
 * prototype and the wrapper is a bare `ccall` (no status, no scope: only for
 * signatures without jlc_scope).
 *
 * Threads: exported functions run on the Julia thread that calls them; the
 * pending error of jlc_export_throw and friends is per thread, so raise it
 * just before returning (not before a call back into Julia that might
 * switch tasks).
 */
#ifndef JLC_EXPORT_H
#define JLC_EXPORT_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

/** Version of the table layout; jlc_export_module.abi must hold it. */
#define JLC_EXPORT_ABI 1

/** Flags of a jlc_export_function. */
enum {
    JLC_EXPORT_NOFAIL = 1 /**< plain prototype, bare ccall; the function cannot fail */
};

/** A C function pointer of any type, as stored in a table entry. */
typedef void (*jlc_export_fnptr)(void);

/** Converts a C function to jlc_export_fnptr for a table entry. */
#define JLC_EXPORT_FN(f) ((jlc_export_fnptr)(f))

/** One exported function. */
typedef struct jlc_export_function {
    const char *name;      /**< Julia name: an identifier, unique in the table */
    jlc_export_fnptr fn;   /**< the C function (JLC_EXPORT_FN); never NULL */
    const char *signature; /**< e.g. "double(double, double)"; see the header comment */
    const char *doc;       /**< docstring, or NULL */
    unsigned flags;        /**< 0 or JLC_EXPORT_NOFAIL */
} jlc_export_function;

/** One exported constant: bound as a Julia `const`. */
typedef struct jlc_export_constant {
    const char *name;  /**< Julia name, unique among all names of the table */
    const char *type;  /**< a scalar type of the signature syntax ("double",
                            "int64_t", "bool"...), or "const char *" */
    const void *value; /**< the address of a C object of that type; for
                            "const char *", the NUL-terminated string itself */
    const char *doc;   /**< docstring, or NULL */
} jlc_export_constant;

/** One opaque type: C data owned by a Julia object. The package defines a
 * mutable Julia type of this name holding the pointer, and a finalizer that
 * calls destroy exactly once (when Julia collects the object, or at exit). */
typedef struct jlc_export_type {
    const char *name;            /**< Julia type name, unique among all names */
    void (*destroy)(void *data); /**< frees data; NULL when nothing to free.
                                      It runs inside Julia's finalizer pass:
                                      it must not call jlc or Julia. */
    const char *doc;             /**< docstring, or NULL */
} jlc_export_type;

/** A library's table. Each array ends with an entry whose name is NULL; an
 * array pointer may be NULL (nothing of that kind). Must stay valid while
 * the library is loaded (a static table). */
typedef struct jlc_export_module {
    unsigned abi;                          /**< JLC_EXPORT_ABI */
    const char *doc;                       /**< the module's docstring, or NULL */
    const jlc_export_function *functions;  /**< functions, or NULL */
    const jlc_export_constant *constants;  /**< constants, or NULL */
    const jlc_export_type *types;          /**< opaque types, or NULL */
} jlc_export_module;

/** Name of the entry point JLC_EXPORT_MODULE defines; the JLC package looks
 * it up in the library it loads. */
#define JLC_EXPORT_ENTRY jlc_export_entry

/** Defines the library's entry point, returning the address of table (a
 * jlc_export_module with static storage). Use once per shared library, at
 * file scope; in C++ the entry point gets C linkage. */
#ifdef __cplusplus
#define JLC_EXPORT_MODULE(table)                                                                 \
    extern "C" JLC_EXPORT_VISIBLE const jlc_export_module *JLC_EXPORT_ENTRY(void) { return &(table); }
#else
#define JLC_EXPORT_MODULE(table)                                                       \
    JLC_EXPORT_VISIBLE const jlc_export_module *JLC_EXPORT_ENTRY(void) { return &(table); }
#endif

/** Makes the entry point visible from the shared library. */
#if defined(_WIN32)
#define JLC_EXPORT_VISIBLE __declspec(dllexport)
#elif defined(__GNUC__)
#define JLC_EXPORT_VISIBLE __attribute__((visibility("default")))
#else
#define JLC_EXPORT_VISIBLE
#endif

/* ---- raising errors from an exported function ---- */

/** Makes exc the exception the wrapper throws when this function returns
 * JLC_EXCEPTION. If exc is this thread's latest caught exception (from a
 * failed jlc call), its backtrace goes with it. jlc keeps exc alive until
 * the wrapper takes it, so the scope holding exc may close first.
 * Returns: JLC_EXCEPTION (the status to return); [entry]; [handles].
 * Threads: an exported function's thread. */
JLC_API jlc_status jlc_export_throw(jlc_value exc);

/** Re-raises this thread's latest caught exception (the one jlc_exception_get
 * returns) with its original backtrace, as jlc_export_throw does.
 * Returns: JLC_EXCEPTION; JLC_ERR_NOT_FOUND (no exception, or its scope
 * closed: return it and the wrapper throws a JlcError); [entry]. */
JLC_API jlc_status jlc_export_rethrow(void);

/** Raises a new exception of the Julia type named type ("ArgumentError",
 * "DomainError", "MyLib.MyError"...) built from the formatted message:
 * the wrapper calls T(message) for a subtype of Exception found in the
 * exported module, Main or Base; otherwise it throws
 * `JLC.CError(type, message)`. type NULL means ErrorException. Nothing is
 * allocated in Julia here. Returns: JLC_EXCEPTION (the status to return);
 * [entry]. Limits: type up to 127 bytes, message up to 1023 (longer is cut). */
JLC_API jlc_status jlc_export_error(const char *type, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- the JLC package's side (not for C code) ---- */

/** For the JLC package: checks the table (abi, names, signatures, pointers,
 * types) and describes it as a Julia value (handle in scope): a Vector{Any}
 * [doc, functions, constants, types]; every problem names its entry in
 * jlc_last_error(). Returns: JLC_OK; JLC_ERR_ARG (a NULL name, function
 * pointer or signature; a duplicate name; a bad abi; a malformed signature);
 * JLC_ERR_UNSUPPORTED (a type exports cannot pass); JLC_ERR_NOT_FOUND (an
 * unknown opaque type); JLC_EXCEPTION; [entry]; [handles]. Allocates. */
JLC_API jlc_status jlc_export_describe(jlc_scope scope, const jlc_export_module *m, jlc_value *out);

/** For the JLC package's wrappers, after an exported function returned st
 * != JLC_OK: throws the Julia exception it raised (with its original
 * backtrace when known) and does not return; or, for an error Julia code
 * must build, copies the type name (jlc_export_error; "" for a jlc error)
 * and message into the buffers and returns 1 (jlc_export_error) or 2 (a jlc
 * error: the message is jlc_last_error()). Clears what it took. Threads: the
 * thread the function ran on, right after it returned. */
JLC_API int jlc_export_raise(jlc_status st, char *type, size_t type_cap, char *msg, size_t msg_cap);

#ifdef __cplusplus
}
#endif
#endif

/*
 * jlc — a C library for two-way interop with Julia.
 *
 * This header is the specification. Rules that hold for the whole API:
 *
 *  1. Every fallible function returns a jlc_status; JLC_OK is 0. Results are
 *     written through the last parameter(s) and only on success: on failure the
 *     out-parameters are left untouched.
 *  2. Two kinds of failure. JLC_EXCEPTION means Julia threw; the exception is
 *     rooted in the scope the call was given and jlc_exception() returns it.
 *     Every other non-OK status is a jlc error: nothing in Julia ran, or it ran
 *     to completion and jlc refused the result. jlc_last_error() describes the
 *     latest failure of either kind on the calling thread.
 *  3. No Julia exception ever unwinds (longjmps) through a caller's frame, and
 *     jlc never prints, exits or aborts on a user error.
 *  4. Values are handles (jlc_value), created inside a scope (jlc_scope) that
 *     keeps them rooted until it closes. A handle used after its scope closed
 *     is rejected with JLC_ERR_STALE — always, not only in debug builds.
 *     Argument handles are never consumed; returned handles are never borrowed
 *     from another scope: each lives exactly as long as the scope it was made in.
 *  5. Threads: call jlc from the thread that called jlc_init(), or from a
 *     thread Julia runs code on (C called from Julia). Any other thread gets
 *     JLC_ERR_THREAD. A process forked after jlc_init() gets JLC_ERR_FORK.
 *  6. Functions marked "allocates" may run Julia's garbage collector; values
 *     are safe across that only while they are held by handles or references.
 *
 * Contract blocks: "Returns" lists the statuses beyond the universal ones
 * (JLC_ERR_STATE before init / after shutdown, JLC_ERR_THREAD, JLC_ERR_FORK,
 * JLC_ERR_ARG for a NULL pointer or zeroed handle, JLC_ERR_STALE for a closed
 * scope or handle), which every function taking a handle may return.
 */
#ifndef JLC_H
#define JLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define JLC_API __declspec(dllexport)
#elif defined(__GNUC__)
#define JLC_API __attribute__((visibility("default")))
#else
#define JLC_API
#endif

#define JLC_VERSION_MAJOR 0
#define JLC_VERSION_MINOR 1
#define JLC_VERSION_PATCH 0

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

/* One list gives the enum, jlc_status_name() and jlc_status_str(). */
#define JLC_STATUS_MAP(X)                                                       \
    X(OK, "success")                                                            \
    X(EXCEPTION, "a Julia exception was thrown")                                \
    X(ERR_ARG, "invalid argument (NULL pointer, zeroed handle, bad size)")      \
    X(ERR_STALE, "handle is stale: its scope was closed or it never existed")   \
    X(ERR_TYPE, "value has the wrong type")                                     \
    X(ERR_LOSSY, "conversion would lose information (out of range or inexact)") \
    X(ERR_BOUNDS, "index out of bounds")                                        \
    X(ERR_BORROW, "conflicting borrow of the same data")                        \
    X(ERR_THREAD, "calling thread may not use the Julia runtime")               \
    X(ERR_STATE, "wrong state (not initialised, already initialised, shut down, open child scope)") \
    X(ERR_FORK, "process was forked after Julia was initialised")               \
    X(ERR_NOT_FOUND, "name, path or method not found")                          \
    X(ERR_IMMUTABLE, "value is immutable")                                      \
    X(ERR_SPACE, "caller's buffer is too small")                                \
    X(ERR_NOMEM, "out of memory")                                               \
    X(ERR_TIMEOUT, "timed out")                                                 \
    X(ERR_UNSUPPORTED, "not supported")

typedef enum jlc_status {
#define JLC__STATUS_ENUM(name, msg) JLC_##name,
    JLC_STATUS_MAP(JLC__STATUS_ENUM)
#undef JLC__STATUS_ENUM
    JLC_STATUS_COUNT
} jlc_status;

/* "JLC_ERR_STALE" for JLC_ERR_STALE; "JLC_UNKNOWN_STATUS" for others.
 * Returns a static string. Any thread, any time. */
JLC_API const char *jlc_status_name(jlc_status st);

/* One-line description of a status. Static string. Any thread, any time. */
JLC_API const char *jlc_status_str(jlc_status st);

/* Text of the latest failure on the calling thread (jlc error or the type and
 * message of a Julia exception), e.g. "global `foo` not found in module Main".
 * Lifetime: valid until the next jlc call on this thread. Never NULL ("" when
 * there was no failure). Any thread, any time. */
JLC_API const char *jlc_last_error(void);

/* ------------------------------------------------------------------------ */
/* Handles                                                                  */
/* ------------------------------------------------------------------------ */

/* Opaque one-field structs: they cannot be mixed up with each other or with
 * integers. An all-zero handle is never valid (JLC_ERR_ARG). */
typedef struct jlc_scope { uint64_t _h; } jlc_scope;
typedef struct jlc_value { uint64_t _h; } jlc_value;
typedef struct jlc_ref { uint64_t _h; } jlc_ref;

#define JLC_NO_SCOPE ((jlc_scope){0})
#define JLC_NO_VALUE ((jlc_value){0})

/* ------------------------------------------------------------------------ */
/* C scalar types: one set of codes for arrays, typed calls and structs     */
/* ------------------------------------------------------------------------ */

/* Each code but JLC_VOID, JLC_STRUCT and JLC_ANY names one Julia type and
 * one C type of the same size and layout. */
typedef enum jlc_ctype {
    JLC_VOID = 0,   /* Cvoid       — void: a return type, or what void * points to */
    JLC_BOOL,       /* Bool        — bool (1 byte; only 0 or 1 may be stored) */
    JLC_INT8,       /* Int8        — int8_t   */
    JLC_INT16,      /* Int16       — int16_t  */
    JLC_INT32,      /* Int32       — int32_t  */
    JLC_INT64,      /* Int64       — int64_t  */
    JLC_UINT8,      /* UInt8       — uint8_t  */
    JLC_UINT16,     /* UInt16      — uint16_t */
    JLC_UINT32,     /* UInt32      — uint32_t */
    JLC_UINT64,     /* UInt64      — uint64_t */
    JLC_FLOAT32,    /* Float32     — float    */
    JLC_FLOAT64,    /* Float64     — double   */
    JLC_COMPLEXF32, /* ComplexF32  — float _Complex  (re, im) */
    JLC_COMPLEXF64, /* ComplexF64  — double _Complex (re, im) */
    JLC_PTR,        /* Ptr{T}      — void * (made as Ptr{Cvoid}) */
    JLC_STRUCT,     /* any other isbits type (user structs, Char, Float16,
                     * tuples): a C struct the caller declares; its size is
                     * checked against Julia's */
    JLC_ANY,        /* values that are not plain bits (Any, String, mutable
                     * or reference-holding structs, unions): handles only */
    JLC_CTYPE_COUNT
} jlc_ctype;

/* "JLC_FLOAT64" for JLC_FLOAT64; "JLC_CTYPE_INVALID" for anything unknown.
 * Static string. Any thread, any time, before init too. */
JLC_API const char *jlc_ctype_name(jlc_ctype code);

/* sizeof the C type of a code (8 for JLC_FLOAT64, 16 for JLC_COMPLEXF64);
 * 0 for JLC_VOID, JLC_STRUCT, JLC_ANY and invalid codes. Any thread, any
 * time, before init too. */
JLC_API size_t jlc_ctype_size(jlc_ctype code);

/* The Julia type of a code (Float64 for JLC_FLOAT64, Ptr{Cvoid} for JLC_PTR,
 * Nothing for JLC_VOID, Any for JLC_ANY) as a handle in scope.
 * Returns: JLC_ERR_ARG for JLC_STRUCT or an invalid code. */
JLC_API jlc_status jlc_ctype_type(jlc_scope scope, jlc_ctype code, jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Borrows: C pointers into Julia-owned data, tracked                       */
/* ------------------------------------------------------------------------ */

/* A borrow (of an array's data: jlc_array_borrow): a one-field handle like
 * jlc_value. Any number of shared (read-only) borrows of the same bytes may
 * be live at once, or one mutable borrow and nothing else; a borrow keeps the
 * borrowed value alive and ends at jlc_borrow_release() or when the scope it
 * was made in closes, whichever is first. */
typedef struct jlc_borrow { uint64_t _h; } jlc_borrow;

/* Most borrows live at once in a process. */
#define JLC_BORROW_MAX 1024

/* The data pointer of a live borrow and whether it is mutable (writable may
 * be NULL). Returns: JLC_ERR_STALE (released, or its scope closed). */
JLC_API jlc_status jlc_borrow_data(jlc_borrow b, void **data, bool *writable);

/* Ends a borrow. Returns: JLC_ERR_STALE (already released, or its scope
 * closed: it ended then). */
JLC_API jlc_status jlc_borrow_release(jlc_borrow b);

/* Number of live borrows in the process (for tests and leak checks); 0
 * before init and after shutdown. Any thread. */
JLC_API size_t jlc_borrow_count(void);

/* ------------------------------------------------------------------------ */
/* Runtime                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct jlc_init_options {
    /* Directory holding the julia executable; NULL = found at build time.
     * Must exist, or jlc_init returns JLC_ERR_NOT_FOUND. */
    const char *julia_bindir;
    /* System image (sys.so); NULL = found at build time (JLC_IMAGE env var
     * overrides). Must be a readable file, or JLC_ERR_NOT_FOUND. */
    const char *image_path;
    /* Julia threads; 0 = Julia's default (JULIA_NUM_THREADS or 1). */
    int nthreads;
    /* Keep Julia's signal handlers (1, the default) or not (0). See docs/runtime.md:
     * without them a stack overflow and some GC safepoints become crashes. */
    int julia_signals;
    /* GC stress: force a collection at every allocating API call (young each
     * time, full every gc_stress_full_every calls). Also enabled by the
     * environment variable JLC_GC_STRESS=1 (JLC_GC_STRESS_FULL_EVERY=N). */
    int gc_stress;
    int gc_stress_full_every; /* 0 = default (256) */
    /* Debug checks (also JLC_DEBUG=1): a scope used from a thread other than
     * the one that opened it is JLC_ERR_THREAD instead of a data race. Costs
     * one compare per scope lookup. */
    int debug;
} jlc_init_options;

/* Fills *opts with defaults. */
JLC_API void jlc_init_options_default(jlc_init_options *opts);

/* Starts Julia in this process; the calling thread becomes the owner thread.
 * opts may be NULL (defaults). Paths are checked before Julia sees them,
 * because Julia exits the process when its own initialisation fails.
 * Returns: JLC_ERR_STATE (already initialised or shut down: Julia starts once
 * per process), JLC_ERR_NOT_FOUND (bindir or image missing), JLC_EXCEPTION
 * (loading jlc's Julia support code failed; Julia is running but jlc is not
 * usable), JLC_ERR_FORK. If Julia was already started by someone else (a
 * library loaded by Julia), jlc attaches to it instead; see jlc_attach().
 * Threads: any thread not yet known to Julia. */
JLC_API jlc_status jlc_init(const jlc_init_options *opts);

/* For C libraries called from Julia (ccall): make jlc usable in a process
 * where Julia is already running. Idempotent. The calling thread must be a
 * Julia thread. Returns: JLC_ERR_STATE if Julia is not running or jlc was
 * shut down; JLC_ERR_THREAD. */
JLC_API jlc_status jlc_attach(void);

/* Runs Julia's exit hooks (atexit functions, finalizers) and stops jlc.
 * Afterwards every call returns JLC_ERR_STATE; Julia cannot be restarted.
 * *leaked_refs (may be NULL) receives the number of jlc_ref never freed.
 * Open scopes are closed. Threads: owner thread. */
JLC_API jlc_status jlc_shutdown(int exit_code, size_t *leaked_refs);

/* true between a successful jlc_init()/jlc_attach() and jlc_shutdown(). */
JLC_API bool jlc_is_ready(void);

/* Julia's version string ("1.5.3") of the running runtime, or the compiled
 * one before init. Static string. */
JLC_API const char *jlc_julia_version(void);

/* Runs Julia's garbage collector now (full or young generation). */
JLC_API jlc_status jlc_gc_collect(bool full);

/* ------------------------------------------------------------------------ */
/* Scopes                                                                   */
/* ------------------------------------------------------------------------ */

/* Opens a scope; parent is JLC_NO_SCOPE for a top-level scope. Every value
 * created in the scope stays rooted until jlc_scope_close(). Scopes need not
 * close in LIFO order relative to scopes of other nests (Julia tasks may
 * interleave them), but a scope may not close while it has open children.
 * No heap allocation in the steady state. Returns: JLC_ERR_NOMEM. */
JLC_API jlc_status jlc_scope_open(jlc_scope parent, jlc_scope *out);

/* Closes a scope: its handles become stale and its values may be collected.
 * Closing JLC_NO_SCOPE is a harmless no-op returning JLC_OK.
 * Returns: JLC_ERR_STATE if a child scope is still open. */
JLC_API jlc_status jlc_scope_close(jlc_scope scope);

/* Makes *out, a handle of `target` for the value of v: the way to return a
 * result from an inner scope to an outer one. v stays valid too.
 * Returns: JLC_ERR_NOMEM. */
JLC_API jlc_status jlc_scope_keep(jlc_scope target, jlc_value v, jlc_value *out);

/* Number of live handles in a scope (for tests and debugging). */
JLC_API jlc_status jlc_scope_size(jlc_scope scope, size_t *out);

/* ------------------------------------------------------------------------ */
/* References: keep a value alive beyond any scope                          */
/* ------------------------------------------------------------------------ */

/* Creates a reference that roots v's value until jlc_ref_free(). Counted;
 * jlc_shutdown() reports the ones never freed. Returns: JLC_ERR_NOMEM. */
JLC_API jlc_status jlc_ref_new(jlc_value v, jlc_ref *out);

/* A handle in `scope` for the referenced value. */
JLC_API jlc_status jlc_ref_get(jlc_scope scope, jlc_ref ref, jlc_value *out);

/* Frees a reference; it becomes stale (JLC_ERR_STALE if used again). */
JLC_API jlc_status jlc_ref_free(jlc_ref ref);

/* Number of live references. */
JLC_API size_t jlc_ref_count(void);

/* ------------------------------------------------------------------------ */
/* Values from C (all allocate; the new handle lives in `scope`)             */
/* ------------------------------------------------------------------------ */

JLC_API jlc_status jlc_int8(jlc_scope scope, int8_t x, jlc_value *out);
JLC_API jlc_status jlc_int16(jlc_scope scope, int16_t x, jlc_value *out);
JLC_API jlc_status jlc_int32(jlc_scope scope, int32_t x, jlc_value *out);
JLC_API jlc_status jlc_int64(jlc_scope scope, int64_t x, jlc_value *out);
JLC_API jlc_status jlc_uint8(jlc_scope scope, uint8_t x, jlc_value *out);
JLC_API jlc_status jlc_uint16(jlc_scope scope, uint16_t x, jlc_value *out);
JLC_API jlc_status jlc_uint32(jlc_scope scope, uint32_t x, jlc_value *out);
JLC_API jlc_status jlc_uint64(jlc_scope scope, uint64_t x, jlc_value *out);
JLC_API jlc_status jlc_bool(jlc_scope scope, bool x, jlc_value *out);
JLC_API jlc_status jlc_float32(jlc_scope scope, float x, jlc_value *out);
JLC_API jlc_status jlc_float64(jlc_scope scope, double x, jlc_value *out);
JLC_API jlc_status jlc_nothing(jlc_scope scope, jlc_value *out);

/* A Char from a Unicode code point. Returns: JLC_ERR_LOSSY for a code point
 * above 0x10FFFF (surrogates are allowed, as in Julia). */
JLC_API jlc_status jlc_char(jlc_scope scope, uint32_t codepoint, jlc_value *out);

/* A String holding a copy of len bytes (embedded NULs and invalid UTF-8 are
 * kept byte for byte, as Julia does). bytes may be NULL only if len is 0. */
JLC_API jlc_status jlc_string(jlc_scope scope, const char *bytes, size_t len, jlc_value *out);

/* Same for a NUL-terminated string. */
JLC_API jlc_status jlc_cstring(jlc_scope scope, const char *str, jlc_value *out);

/* A Symbol named by a NUL-terminated string. Symbols are never freed. */
JLC_API jlc_status jlc_symbol(jlc_scope scope, const char *name, jlc_value *out);

/* A Tuple of the n values (n may be 0). */
JLC_API jlc_status jlc_tuple(jlc_scope scope, size_t n, const jlc_value *elts, jlc_value *out);

/* A Ptr{Cvoid} holding p (e.g. a C function pointer for Julia to ccall). */
JLC_API jlc_status jlc_voidptr(jlc_scope scope, void *p, jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Values to C: checked casts                                               */
/* ------------------------------------------------------------------------ */

/* Integer getters accept Bool, Int8…Int64, UInt8…UInt64, and a Float32/64
 * holding an exact integer, like Julia's convert(). Returns: JLC_ERR_TYPE (not a number), JLC_ERR_LOSSY
 * (out of range for the C type, or not an integer). */
JLC_API jlc_status jlc_get_int8(jlc_value v, int8_t *out);
JLC_API jlc_status jlc_get_int16(jlc_value v, int16_t *out);
JLC_API jlc_status jlc_get_int32(jlc_value v, int32_t *out);
JLC_API jlc_status jlc_get_int64(jlc_value v, int64_t *out);
JLC_API jlc_status jlc_get_uint8(jlc_value v, uint8_t *out);
JLC_API jlc_status jlc_get_uint16(jlc_value v, uint16_t *out);
JLC_API jlc_status jlc_get_uint32(jlc_value v, uint32_t *out);
JLC_API jlc_status jlc_get_uint64(jlc_value v, uint64_t *out);

/* Float getters accept Float32/64 and the integers above; JLC_ERR_LOSSY when the
 * value is not exactly representable (NaN and infinities convert as such). */
JLC_API jlc_status jlc_get_float32(jlc_value v, float *out);
JLC_API jlc_status jlc_get_float64(jlc_value v, double *out);

/* Bool only (no integer truthiness). Returns: JLC_ERR_TYPE. */
JLC_API jlc_status jlc_get_bool(jlc_value v, bool *out);

/* Code point of a Char. Returns: JLC_ERR_TYPE, JLC_ERR_LOSSY for a malformed
 * Char (one built from invalid UTF-8). */
JLC_API jlc_status jlc_get_char(jlc_value v, uint32_t *out);

/* Any Ptr{T}. Returns: JLC_ERR_TYPE. */
JLC_API jlc_status jlc_get_voidptr(jlc_value v, void **out);

/* Borrows a String's bytes. Lifetime: *bytes is valid while v's scope is
 * open (Julia strings are immutable and do not move); it is NUL-terminated
 * at (*bytes)[*len], but may contain NULs. len may be NULL. Returns: JLC_ERR_TYPE. */
JLC_API jlc_status jlc_get_string(jlc_value v, const char **bytes, size_t *len);

/* Copies a String into buf (cap bytes) with a terminating NUL. *needed (may
 * be NULL) always receives length+1. Returns: JLC_ERR_SPACE if cap < length+1
 * (buf untouched), JLC_ERR_TYPE. buf may be NULL when cap is 0. */
JLC_API jlc_status jlc_copy_string(jlc_value v, char *buf, size_t cap, size_t *needed);

/* A Symbol's name. Lifetime: forever (symbols are never freed). */
JLC_API jlc_status jlc_get_symbol(jlc_value v, const char **name);

/* true if v is `nothing`. */
JLC_API jlc_status jlc_is_nothing(jlc_value v, bool *out);

/* ------------------------------------------------------------------------ */
/* Modules and globals                                                      */
/* ------------------------------------------------------------------------ */

/* A module by dotted path: "Main", "Base", "Core", "Base.Math",
 * "LinearAlgebra" (a loaded package: Main's binding or a loaded root module).
 * Returns: JLC_ERR_NOT_FOUND (the missing part is named in jlc_last_error()),
 * JLC_ERR_TYPE (the path names something that is not a module). */
JLC_API jlc_status jlc_module(jlc_scope scope, const char *path, jlc_value *out);

/* The value of a global: `name` in `module`. Returns: JLC_ERR_NOT_FOUND,
 * JLC_ERR_TYPE (module is not a Module). */
JLC_API jlc_status jlc_global(jlc_scope scope, jlc_value module, const char *name, jlc_value *out);

/* Any value by a dotted path from Main or a root module: "Base.Math.sin",
 * "Main.x", "println" (searched in Main). Returns: JLC_ERR_NOT_FOUND. */
JLC_API jlc_status jlc_lookup(jlc_scope scope, const char *path, jlc_value *out);

/* Assigns a global. Returns: JLC_ERR_TYPE (module is not a Module),
 * JLC_EXCEPTION (e.g. the global is a constant); the exception goes to scope. */
JLC_API jlc_status jlc_set_global(jlc_scope scope, jlc_value module, const char *name, jlc_value v);

/* ------------------------------------------------------------------------ */
/* Calls and evaluation (all allocate and may run any Julia code)            */
/* ------------------------------------------------------------------------ */

/* f(args...). Up to 16 arguments without heap allocation. Returns:
 * JLC_EXCEPTION (exception rooted in scope; see jlc_exception()). */
JLC_API jlc_status jlc_call(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                            jlc_value *out);

/* f(args...; kwnames[i] = kwvals[i]...). */
JLC_API jlc_status jlc_call_kw(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                               size_t nkw, const char *const *kwnames, const jlc_value *kwvals,
                               jlc_value *out);

/* Parses and evaluates all expressions in `code` in `module` (JLC_NO_VALUE
 * for Main); *out (may be NULL) receives the last value. */
JLC_API jlc_status jlc_eval(jlc_scope scope, jlc_value module, const char *code, jlc_value *out);

/* include(path) into Main; *out (may be NULL) receives the file's last value.
 * Returns: JLC_ERR_NOT_FOUND if the file cannot be read. */
JLC_API jlc_status jlc_include(jlc_scope scope, const char *path, jlc_value *out);

/* `using <package>` in Main, e.g. "LinearAlgebra". Returns: JLC_ERR_ARG if
 * the name is not a valid (dotted) identifier, JLC_EXCEPTION if loading fails. */
JLC_API jlc_status jlc_using(jlc_scope scope, const char *package);

/* ------------------------------------------------------------------------ */
/* Exceptions                                                               */
/* ------------------------------------------------------------------------ */

/* The exception of the latest JLC_EXCEPTION on this thread, as a handle of
 * the scope that call was given. Returns: JLC_ERR_NOT_FOUND if there is none
 * or its scope has closed. */
JLC_API jlc_status jlc_exception(jlc_value *out);

/* showerror(exc) as a String handle in scope; with_backtrace adds the
 * backtrace captured when jlc caught exc (if exc is not the latest caught
 * exception, there is none to add). */
JLC_API jlc_status jlc_exception_text(jlc_scope scope, jlc_value exc, bool with_backtrace,
                                      jlc_value *out);

/* Clears this thread's latest exception and error text. */
JLC_API void jlc_exception_clear(void);

/* ------------------------------------------------------------------------ */
/* Types and fields                                                         */
/* ------------------------------------------------------------------------ */

/* typeof(v). */
JLC_API jlc_status jlc_typeof(jlc_scope scope, jlc_value v, jlc_value *out);

/* Short name of v's type ("Int64", "Array", "Point"). Lifetime: forever. */
JLC_API jlc_status jlc_typeof_name(jlc_value v, const char **name);

/* string(v) / repr(v) as a String handle in scope. */
JLC_API jlc_status jlc_to_string(jlc_scope scope, jlc_value v, jlc_value *out);
JLC_API jlc_status jlc_repr(jlc_scope scope, jlc_value v, jlc_value *out);

/* isa(v, type) and a <: b. Returns: JLC_ERR_TYPE if type/b/a is not a type. */
JLC_API jlc_status jlc_isa(jlc_value v, jlc_value type, bool *out);
JLC_API jlc_status jlc_subtype(jlc_value a, jlc_value b, bool *out);

/* Field reflection on a concrete DataType. Returns: JLC_ERR_TYPE (not a
 * concrete DataType), JLC_ERR_BOUNDS (index >= field count). Field names
 * live forever. Indices are 0-based. */
JLC_API jlc_status jlc_type_nfields(jlc_value type, size_t *out);
JLC_API jlc_status jlc_type_field_name(jlc_value type, size_t i, const char **name);
JLC_API jlc_status jlc_type_field_type(jlc_scope scope, jlc_value type, size_t i, jlc_value *out);
/* Index of a field by name. Returns: JLC_ERR_NOT_FOUND. */
JLC_API jlc_status jlc_type_field_index(jlc_value type, const char *name, size_t *out);

/* Reads a field (by 0-based index or by name) of v into scope.
 * Returns: JLC_ERR_BOUNDS, JLC_ERR_NOT_FOUND (no such field name),
 * JLC_EXCEPTION (the field is undefined: UndefRefError). */
JLC_API jlc_status jlc_field(jlc_scope scope, jlc_value v, size_t i, jlc_value *out);
JLC_API jlc_status jlc_field_by_name(jlc_scope scope, jlc_value v, const char *name, jlc_value *out);

/* Sets a field of a mutable struct. The value must already have the field's
 * type (no conversion). Returns: JLC_ERR_IMMUTABLE, JLC_ERR_BOUNDS,
 * JLC_ERR_NOT_FOUND, JLC_ERR_TYPE (x does not match the field type). */
JLC_API jlc_status jlc_set_field(jlc_value v, size_t i, jlc_value x);
JLC_API jlc_status jlc_set_field_by_name(jlc_value v, const char *name, jlc_value x);

/* T{params...}, e.g. Vector{Float64} from Array, Float64 and 1.
 * Returns: JLC_EXCEPTION (Julia rejects the parameters). */
JLC_API jlc_status jlc_apply_type(jlc_scope scope, jlc_value type, size_t n,
                                  const jlc_value *params, jlc_value *out);

/* A new instance of concrete struct type from exactly its field values (no
 * conversion: call the type with jlc_call for converting constructors).
 * Returns: JLC_ERR_TYPE (not a concrete struct type, or a field value of the
 * wrong type), JLC_ERR_ARG (n differs from the field count). */
JLC_API jlc_status jlc_new(jlc_scope scope, jlc_value type, size_t n, const jlc_value *fields,
                           jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Raw escape hatch (for code that also uses julia.h)                       */
/* ------------------------------------------------------------------------ */

/* The jl_value_t* behind a handle. Lifetime: rooted while v's scope is
 * open; after that the GC may free it at any allocation. */
JLC_API jlc_status jlc_raw(jlc_value v, void **out);

/* A handle in scope for a jl_value_t* the caller obtained from julia.h and
 * keeps alive until this returns. raw must be a Julia value (not checked). */
JLC_API jlc_status jlc_from_raw(jlc_scope scope, void *raw, jlc_value *out);

#ifdef __cplusplus
}
#endif

/* Areas built on the core, one sub-header each. */
#include "jlc/array.h"
#include "jlc/cfunc.h"

#endif /* JLC_H */

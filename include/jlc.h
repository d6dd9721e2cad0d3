/**
 * \file
 * jlc — a C library for two-way interop with Julia.
 *
 * This header is the specification. Rules that hold for the whole API:
 *
 *  1. Every fallible function returns a jlc_status; JLC_OK is 0. Results are
 *     written through the last parameter(s) and only on success: on failure
 *     the out-parameters are left untouched.
 *  2. Two kinds of failure. JLC_EXCEPTION means Julia threw; the exception is
 *     rooted in the scope the call was given and jlc_exception_get() returns it.
 *     Every other non-OK status is a jlc error: nothing in Julia ran, or it ran
 *     to completion and jlc refused the result. jlc_last_error() describes the
 *     latest failure of either kind on the calling thread ("Type: message" for
 *     an exception).
 *  3. No Julia exception ever unwinds (longjmps) through a caller's frame, and
 *     jlc never prints, exits or aborts on a user error. A Ctrl-C (SIGINT)
 *     that arrives while the host runs its own code is delivered at the next
 *     Julia code jlc runs: that call returns JLC_EXCEPTION with an
 *     InterruptException (docs/runtime.md). With julia_signals = 0
 *     (jlc_init_options) SIGINT is the host's instead.
 *  4. Values are handles (jlc_value), created inside a scope (jlc_scope) that
 *     keeps them rooted until it closes. A handle used after its scope closed
 *     is rejected with JLC_ERR_STALE — always, not only in debug builds.
 *     Argument handles are never consumed; returned handles are never borrowed
 *     from another scope: each lives exactly as long as the scope it was made
 *     in. A scope cannot close while a jlc call that was given it is running
 *     (a C function called back from Julia cannot pull it away).
 *  5. Threads: call jlc from the thread that called jlc_init(), from a
 *     thread Julia runs code on (C called from Julia), or, on Julia 1.9 and
 *     later, from any thread between jlc_thread_enter() and
 *     jlc_thread_leave(). Any other thread gets JLC_ERR_THREAD (on Julia
 *     before 1.9, such threads use the async runtime, jlc/async.h). A
 *     process forked after jlc_init() gets JLC_ERR_FORK. A scope and its
 *     handles belong to one thread at a time.
 *  6. Functions marked "Allocates" may run Julia's garbage collector; values
 *     are safe across that only while they are held by handles or references.
 *  7. Naming: `jlc_<object>_<verb>` (jlc_scope_open, jlc_int64_get,
 *     jlc_array_new); functions of the runtime as a whole drop the object
 *     (jlc_init, jlc_call, jlc_eval). Buffers are passed as (buf, cap). A query
 *     that takes a handle returns a status (the handle may be stale); a
 *     process-wide count (jlc_ref_count, jlc_borrow_count) returns its value
 *     and cannot fail.
 *
 * Contract blocks list every status a function returns. Two groups recur and
 * are named in brackets:
 *  - [entry]   JLC_ERR_STATE (before jlc_init / after jlc_shutdown),
 *              JLC_ERR_THREAD (a thread that may not use Julia, rule 5),
 *              JLC_ERR_FORK (a fork child, rule 5);
 *  - [handles] JLC_ERR_ARG (a NULL pointer argument that is not documented as
 *              optional, or an all-zero handle), JLC_ERR_STALE (a handle whose
 *              scope closed, or that was never made).
 *
 * Unless a block says otherwise, a function may be called from the threads of
 * rule 5 (Threads), owns nothing the caller passed (Ownership), and its
 * results live as long as the scope given to it (Lifetime).
 */
#ifndef JLC_H
#define JLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks jlc's public functions. Symbols are exported when building jlc
 * (JLC_BUILDING) and imported by its users. */
#if defined(_WIN32)
#if defined(JLC_BUILDING)
#define JLC_API __declspec(dllexport)
#else
#define JLC_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define JLC_API __attribute__((visibility("default")))
#else
#define JLC_API
#endif

/** The version of this header; jlc_version() gives the library's. */
/** @{ */
#define JLC_VERSION_MAJOR 0
#define JLC_VERSION_MINOR 3
#define JLC_VERSION_PATCH 0
/** @} */
/** One number for a version: maj * 10000 + min * 100 + pat. */
#define JLC_VERSION_NUMBER(maj, min, pat) ((maj) * 10000 + (min) * 100 + (pat))
/** The version of this header as one number (JLC_VERSION_NUMBER). */
#define JLC_VERSION JLC_VERSION_NUMBER(JLC_VERSION_MAJOR, JLC_VERSION_MINOR, JLC_VERSION_PATCH)
/** True when this header is at least version maj.min.pat. */
#define JLC_VERSION_AT_LEAST(maj, min, pat) (JLC_VERSION >= JLC_VERSION_NUMBER(maj, min, pat))

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

/** One list gives the enum, jlc_status_name() and jlc_status_str(): each
 * X(NAME, message) entry is the status JLC_NAME. */
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
    X(ERR_UNSUPPORTED, "not supported")                                         \
    X(ERR_CANCELLED, "job was cancelled before it started")                     \
    X(ERR_BUSY, "queue is full; try again later")

/** What every fallible function returns (rule 1): JLC_OK (0), JLC_EXCEPTION
 * or a jlc error, with the messages of JLC_STATUS_MAP. */
typedef enum jlc_status {
#define JLC__STATUS_ENUM(name, msg) JLC_##name,
    JLC_STATUS_MAP(JLC__STATUS_ENUM)
#undef JLC__STATUS_ENUM
    JLC_STATUS_COUNT /**< number of codes (not a status) */
} jlc_status;

/** "JLC_ERR_STALE" for JLC_ERR_STALE; "JLC_UNKNOWN_STATUS" for a value that
 * is not a status. Never fails. Lifetime: static string. Threads: any, at
 * any time (before init too). */
JLC_API const char *jlc_status_name(jlc_status st);

/** One-line description of a status ("unknown status" for a value that is not
 * a status). Never fails. Lifetime: static string. Threads: any, any time. */
JLC_API const char *jlc_status_str(jlc_status st);

/** Text of the latest failure on the calling thread: a jlc error
 * ("global `foo` not found in module Main") or a Julia exception as
 * "Type: message" ("BoundsError: attempt to access ..."). "" when there was
 * none. Never fails, never NULL. Lifetime: valid until the next jlc call on
 * this thread. Threads: any, any time (each thread has its own). Limits: at
 * most 1023 bytes; longer text is cut. */
JLC_API const char *jlc_last_error(void);

/** The library's version as JLC_VERSION_NUMBER(major, minor, patch): 300 for
 * 0.3.0 (compare with JLC_VERSION, the header's). Never fails.
 * Threads: any, any time. */
JLC_API int jlc_version(void);

/* ------------------------------------------------------------------------ */
/* Handles                                                                  */
/* ------------------------------------------------------------------------ */

/* Handles are opaque one-field structs: they cannot be mixed up with each
 * other or with integers. An all-zero handle is never valid (JLC_ERR_ARG). */

/** A scope: roots every value made in it until it closes (rule 4). */
typedef struct jlc_scope { uint64_t _h; } jlc_scope;
/** A value: a handle of the scope it was made in (rule 4). */
typedef struct jlc_value { uint64_t _h; } jlc_value;
/** A reference: keeps one value alive beyond any scope until jlc_ref_free(). */
typedef struct jlc_ref { uint64_t _h; } jlc_ref;

/** "No scope" (a top-level scope's parent) and "no value" (Main as a module
 * argument). Usable as expressions in C and C++. */
/** @{ */
#ifdef __cplusplus
#define JLC_NO_SCOPE (jlc_scope{0})
#define JLC_NO_VALUE (jlc_value{0})
#else
#define JLC_NO_SCOPE ((jlc_scope){0})
#define JLC_NO_VALUE ((jlc_value){0})
#endif
/** @} */

/* Limits of single calls (the calls name them in their contract blocks). */
#define JLC_MAX_KEYWORDS 64     /**< keyword arguments of one jlc_call_kw */
#define JLC_MAX_TYPE_PARAMS 16  /**< parameters of one jlc_type_apply */
#define JLC_MAX_NEW_FIELDS 32   /**< fields of a struct made by jlc_struct_new */
#define JLC_MAX_OPEN_SCOPES 65536 /**< scope records in a process */
#define JLC_MAX_HANDLES (1u << 24) /**< handles alive at once in a process */

/* ------------------------------------------------------------------------ */
/* C scalar types: one set of codes for arrays, typed calls and structs     */
/* ------------------------------------------------------------------------ */

/** C scalar type codes. Each code but JLC_VOID, JLC_STRUCT and JLC_ANY names
 * one Julia type and one C type of the same size and layout. */
typedef enum jlc_ctype {
    JLC_VOID = 0,   /**< Cvoid       — void: a return type, or what void * points to */
    JLC_BOOL,       /**< Bool        — bool (1 byte; only 0 or 1 may be stored) */
    JLC_INT8,       /**< Int8        — int8_t   */
    JLC_INT16,      /**< Int16       — int16_t  */
    JLC_INT32,      /**< Int32       — int32_t  */
    JLC_INT64,      /**< Int64       — int64_t  */
    JLC_UINT8,      /**< UInt8       — uint8_t  */
    JLC_UINT16,     /**< UInt16      — uint16_t */
    JLC_UINT32,     /**< UInt32      — uint32_t */
    JLC_UINT64,     /**< UInt64      — uint64_t */
    JLC_FLOAT32,    /**< Float32     — float    */
    JLC_FLOAT64,    /**< Float64     — double   */
    JLC_COMPLEXF32, /**< ComplexF32  — float _Complex  (re, im) */
    JLC_COMPLEXF64, /**< ComplexF64  — double _Complex (re, im) */
    JLC_PTR,        /**< Ptr{T}      — void * (made as Ptr{Cvoid}) */
    JLC_STRUCT,     /**< any other isbits type (user structs, Char, Float16,
                     * tuples): a C struct the caller declares; its size is
                     * checked against Julia's */
    JLC_ANY,        /**< values that are not plain bits (Any, String, mutable
                     * or reference-holding structs, unions): handles only */
    JLC_CTYPE_COUNT /**< number of codes (not a type) */
} jlc_ctype;

/** "JLC_FLOAT64" for JLC_FLOAT64; "JLC_CTYPE_INVALID" for anything unknown.
 * Static string. Any thread, any time, before init too. */
JLC_API const char *jlc_ctype_name(jlc_ctype code);

/** sizeof the C type of a code (8 for JLC_FLOAT64, 16 for JLC_COMPLEXF64);
 * 0 for JLC_VOID, JLC_STRUCT, JLC_ANY and invalid codes. Any thread, any
 * time, before init too. */
JLC_API size_t jlc_ctype_size(jlc_ctype code);

/** The Julia type of a code (Float64 for JLC_FLOAT64, Ptr{Cvoid} for JLC_PTR,
 * Nothing for JLC_VOID, Any for JLC_ANY) as a handle in scope.
 * Returns: JLC_ERR_ARG for JLC_STRUCT or an invalid code. */
JLC_API jlc_status jlc_ctype_type(jlc_scope scope, jlc_ctype code, jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Borrows: C pointers into Julia-owned data, tracked                       */
/* ------------------------------------------------------------------------ */

/** A borrow (of an array's data: jlc_array_borrow): a one-field handle like
 * jlc_value. Any number of shared (read-only) borrows of the same bytes may
 * be live at once, or one mutable borrow and nothing else; a borrow keeps the
 * borrowed value alive and ends at jlc_borrow_release() or when the scope it
 * was made in closes, whichever is first. */
typedef struct jlc_borrow { uint64_t _h; } jlc_borrow;

/** Most borrows live at once in a process. */
#define JLC_BORROW_MAX 1024

/** The data pointer of a live borrow and whether it is mutable (writable may
 * be NULL). Returns: JLC_ERR_STALE (released, or its scope closed). */
JLC_API jlc_status jlc_borrow_data(jlc_borrow b, void **data, bool *writable);

/** Ends a borrow. Returns: JLC_ERR_STALE (already released, or its scope
 * closed: it ended then). */
JLC_API jlc_status jlc_borrow_release(jlc_borrow b);

/** Number of live borrows in the process (for tests and leak checks); 0
 * before init and after shutdown. Any thread. */
JLC_API size_t jlc_borrow_count(void);

/* ------------------------------------------------------------------------ */
/* Runtime                                                                  */
/* ------------------------------------------------------------------------ */

/** Options of jlc_init(); jlc_init_options_default() fills in the defaults. */
typedef struct jlc_init_options {
    /** Directory holding the julia executable; NULL = JLC_JULIA_BINDIR from the
     * environment, else the one found at build time. Must exist, or jlc_init
     * returns JLC_ERR_NOT_FOUND. */
    const char *julia_bindir;
    /** System image (sys.so); NULL = JLC_IMAGE from the environment, else the
     * one found at build time. Must be a readable file, or JLC_ERR_NOT_FOUND. */
    const char *image_path;
    /** Julia threads; 0 = Julia's default (JULIA_NUM_THREADS or 1). On Julia
     * 1.9+ they all go to the default pool (none to the interactive pool).
     * Julia 1.5 caps it at the number of CPU cores: jlc_thread_count() says
     * how many started. */
    int nthreads;
    /** Install Julia's signal handlers (1, the default) or keep the host's
     * (0). With 1, Julia (measured on 1.5.3) replaces the handlers of
     * SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGABRT, SIGINT, SIGUSR1 and
     * SIGUSR2 (SIGPIPE and SIGTRAP ignored), sets an alternate signal stack,
     * and on the calling thread blocks SIGINT, SIGTERM, SIGQUIT, SIGABRT and
     * SIGUSR1 (and unblocks the rest): Ctrl-C becomes an InterruptException
     * in Julia code (rule 3). With 0, jlc_init returns with the process's
     * handlers, the calling thread's signal mask and its alternate stack
     * exactly as they were before (jlc puts back what Julia 1.5 changes
     * regardless of the option); then:
     *  - a SIGINT goes to the host's handler (e.g. Python's KeyboardInterrupt)
     *    and never interrupts Julia code: a long Julia call runs to its end;
     *  - a Julia stack overflow is a crash (SIGSEGV), not StackOverflowError;
     *  - GC safepoints of more than one Julia thread need Julia's SIGSEGV
     *    handler: jlc_init refuses more than one thread (nthreads, or
     *    JULIA_NUM_THREADS when nthreads is 0) with JLC_ERR_ARG, and
     *    jlc_thread_enter refuses to adopt a thread (JLC_ERR_STATE);
     *  - Julia's profiler and its SIGQUIT/SIGUSR1 backtraces are off.
     * Threads the host starts after jlc_init inherit its mask, as before.
     * See docs/runtime.md for what was measured. */
    int julia_signals;
    /** GC stress: force a collection at every allocating API call (young each
     * time, full every gc_stress_full_every calls). Also enabled by the
     * environment variable JLC_GC_STRESS=1 (JLC_GC_STRESS_FULL_EVERY=N;
     * JLC_GC_STRESS_EVERY=N: collect at every Nth such call only, and count
     * gc_stress_full_every in collections). */
    int gc_stress;
    int gc_stress_full_every; /**< 0 = default (256) */
    /** Debug checks (also JLC_DEBUG=1): a scope used from a thread other than
     * the one that opened it is JLC_ERR_THREAD instead of a data race. Costs
     * one compare per scope lookup. */
    int debug;
} jlc_init_options;

/** Fills *opts with the defaults (julia_signals = 1, everything else 0/NULL).
 * opts may be NULL (nothing happens). Never fails. Threads: any, any time. */
JLC_API void jlc_init_options_default(jlc_init_options *opts);

/** Starts Julia in this process; the calling thread becomes the owner thread.
 * opts may be NULL (defaults). Paths are checked before Julia sees them,
 * because Julia exits the process when its own initialisation fails. If Julia
 * was already started by someone else (a library loaded by Julia), jlc joins
 * it instead: see jlc_attach().
 * jlc may be loaded with dlopen(RTLD_LOCAL) (Python's ctypes.CDLL does so by
 * default): jlc_init then makes libjulia's names global itself, because
 * Julia looks some of them up in the process's global scope and would exit
 * the process without them (jlc's own names stay local).
 * Returns: JLC_OK; JLC_ERR_STATE (already initialised, being initialised by
 * another thread at this moment, or shut down: Julia starts once per
 * process); JLC_ERR_NOT_FOUND (bindir or image missing, or the dynamic
 * loader would not make libjulia's names global: jlc_last_error() says why;
 * Julia was not started and jlc_init may be called again); JLC_ERR_ARG
 * (nthreads < 0; more than one thread with julia_signals = 0); JLC_EXCEPTION (loading jlc's Julia support code failed:
 * Julia is running but jlc is not usable, and every later call returns
 * JLC_ERR_STATE); JLC_ERR_FORK. Race-free: when threads call it at once,
 * exactly one starts Julia and the others get JLC_ERR_STATE.
 * Threads: any thread not yet known to Julia (it becomes Julia's thread 1).
 * Allocates. Takes about 0.2 s more than Julia's own start (bench/). */
JLC_API jlc_status jlc_init(const jlc_init_options *opts);

/** For C libraries called from Julia (ccall): makes jlc usable in a process
 * where Julia is already running. Idempotent. Such a session belongs to
 * whoever started Julia: jlc_shutdown() is refused in it.
 * Returns: JLC_OK; JLC_ERR_THREAD (the calling thread is not a Julia thread:
 * checked first, whatever the state); JLC_ERR_STATE (Julia is not running,
 * jlc is being initialised by another thread, or was shut down);
 * JLC_EXCEPTION (loading the support code failed); JLC_ERR_FORK.
 * Threads: a Julia thread. Allocates. */
JLC_API jlc_status jlc_attach(void);

/** Closes every open scope, runs Julia's exit hooks (atexit functions,
 * finalizers, including deallocators of adopted arrays) and stops jlc.
 * Afterwards every call returns JLC_ERR_STATE; Julia cannot be restarted.
 * *leaked_refs (may be NULL) receives the number of jlc_ref never freed.
 * Threads adopted with jlc_thread_enter() must have left (or exited) first:
 * one that is still entered may be blocked in C, and Julia's exit hooks
 * would wait for it forever; a thread that left, or exited, does not matter.
 * Returns: JLC_OK; JLC_ERR_STATE (after jlc_attach: the session is not
 * jlc's to stop; already shut down; or an adopted thread is still entered:
 * nothing was changed, call again once it left); JLC_ERR_THREAD (also: the
 * caller is a thread jlc adopted); JLC_ERR_FORK.
 * Threads: the thread that called jlc_init. */
JLC_API jlc_status jlc_shutdown(int exit_code, size_t *leaked_refs);

/** true between a successful jlc_init()/jlc_attach() and jlc_shutdown().
 * Never fails. Threads: any, any time. */
JLC_API bool jlc_is_ready(void);

/** Julia's version string ("1.10.8") of the running runtime, or of the
 * julia.h jlc was built with before init. Never fails. Lifetime: static
 * string. Threads: any, any time. */
JLC_API const char *jlc_julia_version(void);

/** The number of Julia threads running (all pools), 0 before Julia starts.
 * Tells how many of jlc_init_options.nthreads started (Julia 1.5 caps the
 * request at the number of CPU cores). Never fails. Threads: any, any time. */
JLC_API int jlc_thread_count(void);

/** Makes the calling thread one that may use jlc (rule 5), until the
 * matching jlc_thread_leave(). On a thread Julia does not know (a host's
 * worker pool, Python's threads) the first call adopts the thread into
 * Julia (jl_adopt_thread, Julia 1.9 and later): it gets its own Julia thread
 * state and root task, and the whole API then works on it, with its own
 * jlc_last_error() and exception. Adoption lasts until the thread exits.
 * After a leave, enter only makes the thread GC-unsafe again (cheap; it
 * waits there while a collection runs).
 * The thread that called jlc_init and Julia's own threads start entered:
 * on them a jlc_thread_leave() alone begins a GC-safe region and a
 * jlc_thread_enter() ends it (balance them inside one C function when it
 * was called from Julia). Calls nest: each enter needs one leave, and only
 * the outermost pair changes anything.
 * While entered, a thread holds up Julia's garbage collector whenever it
 * runs C code of its own: a collection started by any thread waits until
 * this one next calls into Julia through jlc. Leave before blocking (a lock,
 * a queue, a join, I/O), in particular on anything another thread that uses
 * Julia may be doing, or both wait forever. jlc's own blocking waits
 * (jlc_future_wait, a full jlc_async_submit, jlc_async_stop) are GC-safe
 * already.
 * A thread may exit while entered: Julia's thread-exit hook retires it and
 * it no longer counts for jlc_shutdown(). Scopes stay open (their values
 * rooted) across leave, enter and the thread's exit; close them from any
 * thread that may use jlc.
 * Returns: JLC_OK; JLC_ERR_UNSUPPORTED (Julia before 1.9 and a thread Julia
 * does not know: adoption does not exist there; submit jobs to the async
 * runtime instead, jlc/async.h); JLC_ERR_STATE (before jlc_init /
 * jlc_async_start, after jlc_shutdown, while jlc_shutdown / jlc_async_stop
 * is stopping Julia, nested 2^31 deep, or a thread to adopt while Julia runs
 * without its signal handlers, julia_signals = 0: a collection could not
 * stop it); JLC_ERR_NOMEM (no memory for the
 * thread's jlc state); JLC_ERR_FORK.
 * Threads: any. Works beside the async runtime (jlc_async_start): adopted
 * threads call Julia directly while the runtime thread runs jobs. */
JLC_API jlc_status jlc_thread_enter(void);

/** Ends the innermost jlc_thread_enter() of the calling thread (or, on a
 * thread that started entered, begins a GC-safe region). When the thread's
 * outermost entry ends it becomes GC-safe: collections no longer wait for
 * it, it may block as long as it likes, and every jlc call on it is
 * JLC_ERR_THREAD until it enters again. An adopted thread stays Julia's
 * (adoption cannot be undone); scopes stay open. Never touch Julia values
 * (raw pointers from jlc_value_raw) while left.
 * Returns: JLC_OK; JLC_ERR_STATE (nothing to leave on this thread: a
 * foreign thread that did not enter, or a second leave); JLC_ERR_NOMEM (no
 * memory for the thread's jlc state).
 * Threads: any; needs no running Julia (an enter may be balanced after
 * jlc_shutdown). */
JLC_API jlc_status jlc_thread_leave(void);

/** Runs Julia's garbage collector now (full or young generation).
 * Returns: JLC_OK; [entry]. */
JLC_API jlc_status jlc_gc_collect(bool full);

/** Julia's standard output streams. */
typedef enum jlc_stream {
    JLC_STDOUT = 1, /**< Base.stdout */
    JLC_STDERR = 2  /**< Base.stderr */
} jlc_stream;

/** Flushes C's stdout and stderr (fflush), then Julia's stdout and stderr.
 * Julia and C buffer their output separately, so when both write to the
 * same pipe or file their lines can come out of order: call jlc_flush()
 * whenever output switches from one side to the other (docs/runtime.md).
 * Returns: JLC_OK; JLC_EXCEPTION (Julia's flush threw, e.g. a stream was
 * closed: described in jlc_last_error(), not kept); [entry]. Allocates. */
JLC_API jlc_status jlc_flush(void);

/** Makes Julia's stdout or stderr write to the file descriptor fd, or with
 * fd = -1 restores the stream it had before the first redirect (a no-op if
 * not redirected). Only Julia's binding changes: the process's descriptors 1
 * and 2, and C's stdio, keep going where they went. Julia buffers what it
 * writes to fd: it arrives at jlc_flush() or when the buffer fills. To hand
 * Julia's output to a C callback, redirect to the write end of a pipe(2) and
 * read the other end on a thread of yours (docs/runtime.md shows it).
 * Ownership: fd stays the caller's; keep it open until the stream is
 * restored or redirected elsewhere (jlc never closes it). Julia's loggers
 * (`@info`, `@warn`) keep the stderr they were created with.
 * Returns: JLC_OK; JLC_ERR_ARG (stream not JLC_STDOUT/JLC_STDERR, or fd not
 * an open descriptor that can be written); JLC_EXCEPTION (flushing the
 * previous stream threw; not kept); [entry]. Allocates. */
JLC_API jlc_status jlc_output_redirect(jlc_stream stream, int fd);

/* ------------------------------------------------------------------------ */
/* Scopes                                                                   */
/* ------------------------------------------------------------------------ */

/** Opens a scope; parent is JLC_NO_SCOPE for a top-level scope. Every value
 * created in the scope stays rooted until jlc_scope_close(). Scopes need not
 * close in LIFO order relative to scopes of other nests (Julia tasks may
 * interleave them), but a scope may not close while it has open children.
 * Returns: JLC_OK; JLC_ERR_NOMEM (JLC_MAX_OPEN_SCOPES records in use, or
 * malloc failed); [entry]; [handles] (parent stale). Ownership: the caller
 * must close the scope. No heap allocation in the steady state. */
JLC_API jlc_status jlc_scope_open(jlc_scope parent, jlc_scope *out);

/** Closes a scope: its handles become stale, its borrows end and its values
 * may be collected. Closing JLC_NO_SCOPE is a no-op returning JLC_OK.
 * Returns: JLC_OK; JLC_ERR_STATE (a child scope is still open, or a jlc call
 * given this scope is still running: close it after that call returns);
 * [entry]; [handles]. */
JLC_API jlc_status jlc_scope_close(jlc_scope scope);

/** Makes *out, a handle of `target` for the value of v: the way to return a
 * result from an inner scope to an outer one. v stays valid too.
 * Returns: JLC_OK; JLC_ERR_NOMEM (JLC_MAX_HANDLES reached); [entry];
 * [handles]. Lifetime: *out lives as long as target. */
JLC_API jlc_status jlc_scope_keep(jlc_scope target, jlc_value v, jlc_value *out);

/** Number of live handles in a scope (for tests and debugging).
 * Returns: JLC_OK; [entry]; [handles]. */
JLC_API jlc_status jlc_scope_size(jlc_scope scope, size_t *out);

/* ------------------------------------------------------------------------ */
/* References: keep a value alive beyond any scope                          */
/* ------------------------------------------------------------------------ */

/** Creates a reference that roots v's value until jlc_ref_free(). Counted;
 * jlc_shutdown() reports the ones never freed.
 * Returns: JLC_OK; JLC_ERR_NOMEM; [entry]; [handles].
 * Ownership: the caller must free it. Threads: rule 5; references may be
 * used from any of those threads. */
JLC_API jlc_status jlc_ref_new(jlc_value v, jlc_ref *out);

/** A handle in `scope` for the referenced value.
 * Returns: JLC_OK; JLC_ERR_NOMEM; [entry]; [handles] (a freed reference is
 * JLC_ERR_STALE). */
JLC_API jlc_status jlc_ref_get(jlc_scope scope, jlc_ref ref, jlc_value *out);

/** Frees a reference; it becomes stale (JLC_ERR_STALE if used again).
 * Returns: JLC_OK; [entry]; [handles]. */
JLC_API jlc_status jlc_ref_free(jlc_ref ref);

/** Number of live references in the process. Never fails (0 before init).
 * Threads: any. */
JLC_API size_t jlc_ref_count(void);

/* ------------------------------------------------------------------------ */
/* Values from C: each makes a new handle in `scope`                        */
/* ------------------------------------------------------------------------ */

/** Boxes a C number. Returns: JLC_OK; JLC_ERR_NOMEM (JLC_MAX_HANDLES
 * reached); [entry]; [handles]. Allocates (small integers and booleans are
 * cached by Julia and do not). */
/** @{ */
JLC_API jlc_status jlc_int8_new(jlc_scope scope, int8_t x, jlc_value *out);
JLC_API jlc_status jlc_int16_new(jlc_scope scope, int16_t x, jlc_value *out);
JLC_API jlc_status jlc_int32_new(jlc_scope scope, int32_t x, jlc_value *out);
JLC_API jlc_status jlc_int64_new(jlc_scope scope, int64_t x, jlc_value *out);
JLC_API jlc_status jlc_uint8_new(jlc_scope scope, uint8_t x, jlc_value *out);
JLC_API jlc_status jlc_uint16_new(jlc_scope scope, uint16_t x, jlc_value *out);
JLC_API jlc_status jlc_uint32_new(jlc_scope scope, uint32_t x, jlc_value *out);
JLC_API jlc_status jlc_uint64_new(jlc_scope scope, uint64_t x, jlc_value *out);
JLC_API jlc_status jlc_bool_new(jlc_scope scope, bool x, jlc_value *out);
JLC_API jlc_status jlc_float32_new(jlc_scope scope, float x, jlc_value *out);
JLC_API jlc_status jlc_float64_new(jlc_scope scope, double x, jlc_value *out);
/** @} */
/** A Ptr{Cvoid} holding p (say, a C function pointer for Julia to ccall). */
JLC_API jlc_status jlc_voidptr_new(jlc_scope scope, void *p, jlc_value *out);

/** `nothing`. Returns: as the number makers. Does not allocate. */
JLC_API jlc_status jlc_nothing_new(jlc_scope scope, jlc_value *out);

/** A Char from a Unicode code point. Returns: JLC_OK; JLC_ERR_LOSSY (a code
 * point above 0x10FFFF; surrogates are allowed, as in Julia);
 * JLC_ERR_NOMEM; [entry]; [handles]. Allocates. */
JLC_API jlc_status jlc_char_new(jlc_scope scope, uint32_t codepoint, jlc_value *out);

/** A String holding a copy of len bytes (embedded NULs and invalid UTF-8 are
 * kept byte for byte, as Julia does). bytes may be NULL only if len is 0.
 * Returns: JLC_OK; JLC_ERR_NOMEM (a length Julia cannot allocate, e.g.
 * SIZE_MAX, refused before Julia is asked; or Julia ran out of memory);
 * JLC_EXCEPTION (an interrupt arrived during a large copy); JLC_ERR_ARG
 * (bytes NULL with len > 0); [entry]; [handles]. Ownership: bytes stay the
 * caller's. Allocates. */
JLC_API jlc_status jlc_string_new(jlc_scope scope, const char *bytes, size_t len, jlc_value *out);

/** Same for a NUL-terminated string. Returns: as jlc_string_new. */
JLC_API jlc_status jlc_string_new_c(jlc_scope scope, const char *str, jlc_value *out);

/** A Symbol named by len bytes (UTF-8, not NUL-terminated). Returns:
 * JLC_OK; JLC_ERR_ARG (bytes NULL with len > 0; a NUL byte among them:
 * Julia symbols cannot hold one); JLC_ERR_NOMEM; [entry]; [handles].
 * Lifetime: symbols are never freed. */
JLC_API jlc_status jlc_symbol_new(jlc_scope scope, const char *bytes, size_t len, jlc_value *out);

/** Same for a NUL-terminated name. Returns: as jlc_symbol_new. */
JLC_API jlc_status jlc_symbol_new_c(jlc_scope scope, const char *name, jlc_value *out);

/** A Float16 from a float (rounded to nearest, ties to even; out of range
 * becomes ±Inf). Returns: JLC_OK; JLC_ERR_NOMEM; [entry]; [handles].
 * Allocates. */
JLC_API jlc_status jlc_float16_new(jlc_scope scope, float x, jlc_value *out);

/** The IEEE binary16 bits of x, as Julia's Float16(x) makes them (nearest,
 * ties to even; NaN stays NaN). For Float16 fields of mapped structs, which
 * C sees as uint16_t. Never fails. Threads: any, any time. */
JLC_API uint16_t jlc_float16_from_float(float x);

/** The float with the value of the binary16 bits h (exact: every Float16 is
 * a float). Never fails. Threads: any, any time. */
JLC_API float jlc_float16_to_float(uint16_t h);

/** A Complex{Float64} (ComplexF64) or Complex{Float32} (ComplexF32).
 * Returns: JLC_OK; JLC_ERR_NOMEM; [entry]; [handles]. Allocates. */
/** @{ */
JLC_API jlc_status jlc_complexf64_new(jlc_scope scope, double re, double im, jlc_value *out);
JLC_API jlc_status jlc_complexf32_new(jlc_scope scope, float re, float im, jlc_value *out);
/** @} */

/** A NamedTuple from n names and values: (a = 1, b = "x") from {"a", "b"}
 * and two handles. Read it back by name with jlc_field_get_by_name.
 * Returns: JLC_OK; JLC_ERR_ARG (names or values NULL with n > 0, a NULL or
 * empty name, more than JLC_MAX_NEW_FIELDS entries); JLC_EXCEPTION (Julia
 * refused: a name given twice); [entry]; [handles]. Allocates. */
JLC_API jlc_status jlc_namedtuple_new(jlc_scope scope, size_t n, const char *const *names,
                                      const jlc_value *values, jlc_value *out);

/** A Tuple of the n values (n may be 0; elts may be NULL then).
 * Returns: JLC_OK; JLC_ERR_NOMEM; JLC_EXCEPTION; [entry]; [handles].
 * Allocates. */
JLC_API jlc_status jlc_tuple_new(jlc_scope scope, size_t n, const jlc_value *elts, jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Values to C: checked casts (none allocates or runs Julia code)           */
/* ------------------------------------------------------------------------ */

/** Integer getters accept Bool, Int8…Int64, UInt8…UInt64, and a Float32/64
 * holding an exact integer, like Julia's convert(). Returns: JLC_OK;
 * JLC_ERR_TYPE (not a number); JLC_ERR_LOSSY (out of range for the C type,
 * or not an integer); [entry]; [handles]. */
/** @{ */
JLC_API jlc_status jlc_int8_get(jlc_value v, int8_t *out);
JLC_API jlc_status jlc_int16_get(jlc_value v, int16_t *out);
JLC_API jlc_status jlc_int32_get(jlc_value v, int32_t *out);
JLC_API jlc_status jlc_int64_get(jlc_value v, int64_t *out);
JLC_API jlc_status jlc_uint8_get(jlc_value v, uint8_t *out);
JLC_API jlc_status jlc_uint16_get(jlc_value v, uint16_t *out);
JLC_API jlc_status jlc_uint32_get(jlc_value v, uint32_t *out);
JLC_API jlc_status jlc_uint64_get(jlc_value v, uint64_t *out);
/** @} */

/** Float getters accept Float32/64 and the integers above. Returns: JLC_OK;
 * JLC_ERR_TYPE; JLC_ERR_LOSSY (not exactly representable; NaN and
 * infinities convert as such); [entry]; [handles]. */
/** @{ */
JLC_API jlc_status jlc_float32_get(jlc_value v, float *out);
JLC_API jlc_status jlc_float64_get(jlc_value v, double *out);
/** @} */

/** The value of a Float16 as a float (exact). Returns: JLC_OK; JLC_ERR_TYPE
 * (v is not a Float16); [entry]; [handles]. */
JLC_API jlc_status jlc_float16_get(jlc_value v, float *out);

/** The parts of a ComplexF64 / ComplexF32 (no conversion between the two).
 * Returns: JLC_OK; JLC_ERR_TYPE (v is not of that type); JLC_ERR_ARG (re or
 * im NULL); [entry]; [handles]. */
/** @{ */
JLC_API jlc_status jlc_complexf64_get(jlc_value v, double *re, double *im);
JLC_API jlc_status jlc_complexf32_get(jlc_value v, float *re, float *im);
/** @} */

/** Bool only (no integer truthiness). Returns: JLC_OK; JLC_ERR_TYPE; [entry];
 * [handles]. */
JLC_API jlc_status jlc_bool_get(jlc_value v, bool *out);

/** Code point of a Char. Returns: JLC_OK; JLC_ERR_TYPE; JLC_ERR_LOSSY (a
 * malformed Char, one built from invalid UTF-8); [entry]; [handles]. */
JLC_API jlc_status jlc_char_get(jlc_value v, uint32_t *out);

/** The address of any Ptr{T}. Returns: JLC_OK; JLC_ERR_TYPE; [entry];
 * [handles]. */
JLC_API jlc_status jlc_voidptr_get(jlc_value v, void **out);

/** Borrows a String's bytes; len may be NULL. Returns: JLC_OK; JLC_ERR_TYPE;
 * [entry]; [handles]. Lifetime: *bytes is valid while v's scope is open
 * (Julia strings are immutable and do not move); it is NUL-terminated at
 * (*bytes)[*len] but may contain NULs. */
JLC_API jlc_status jlc_string_get(jlc_value v, const char **bytes, size_t *len);

/** Copies a String into buf (cap bytes) with a terminating NUL. *needed (may
 * be NULL) always receives length + 1, also on JLC_ERR_SPACE. buf may be
 * NULL when cap is 0. Returns: JLC_OK; JLC_ERR_SPACE (cap < length + 1; buf
 * untouched); JLC_ERR_TYPE; [entry]; [handles]. */
JLC_API jlc_status jlc_string_copy(jlc_value v, char *buf, size_t cap, size_t *needed);

/** A Symbol's name. Returns: JLC_OK; JLC_ERR_TYPE; [entry]; [handles].
 * Lifetime: forever (symbols are never freed). */
JLC_API jlc_status jlc_symbol_get(jlc_value v, const char **name);

/** Whether v is `nothing`. Returns: JLC_OK; [entry]; [handles]. */
JLC_API jlc_status jlc_value_is_nothing(jlc_value v, bool *out);

/* ------------------------------------------------------------------------ */
/* Modules and globals (all read the latest world: definitions made by any  */
/* earlier call are seen)                                                   */
/* ------------------------------------------------------------------------ */

/** A module by dotted path: "Main", "Base", "Core", "Base.Math",
 * "LinearAlgebra" (a loaded package: Main's binding or a loaded root module).
 * Returns: JLC_OK; JLC_ERR_NOT_FOUND (the missing part is named in
 * jlc_last_error()); JLC_ERR_TYPE (the path names something that is not a
 * module); JLC_ERR_ARG (an empty part, "Base..x"); JLC_ERR_NOMEM; [entry];
 * [handles]. */
JLC_API jlc_status jlc_module_lookup(jlc_scope scope, const char *path, jlc_value *out);

/** The value of the global `name` in `module`. Returns: JLC_OK;
 * JLC_ERR_NOT_FOUND; JLC_ERR_TYPE (module is not a Module); JLC_ERR_NOMEM;
 * [entry]; [handles]. */
JLC_API jlc_status jlc_global_get(jlc_scope scope, jlc_value module, const char *name, jlc_value *out);

/** Any value by a dotted path: the first part is Main, Base, Core, a global of
 * Main (including what Main imports from Base: "sum", "println") or a loaded
 * package; each further part is a global of the module before
 * ("Base.Math.sin", "Main.x", "LinearAlgebra.norm"). Resolved in C without
 * running Julia code unless the first part is a package not bound in Main.
 * Returns: JLC_OK; JLC_ERR_NOT_FOUND; JLC_ERR_TYPE (a part before the last is
 * not a module); JLC_ERR_ARG (an empty part); JLC_ERR_NOMEM; [entry];
 * [handles]. */
JLC_API jlc_status jlc_global_lookup(jlc_scope scope, const char *path, jlc_value *out);

/** Assigns the global `name` of `module` (as `module.name = v` would from
 * inside it). Returns: JLC_OK; JLC_ERR_TYPE (module is not a Module);
 * JLC_EXCEPTION (Julia refused, e.g. the global is a constant; the exception
 * is rooted in scope); [entry]; [handles]. Allocates. */
JLC_API jlc_status jlc_global_set(jlc_scope scope, jlc_value module, const char *name, jlc_value v);

/* ------------------------------------------------------------------------ */
/* Calls and evaluation (all allocate and may run any Julia code)            */
/* ------------------------------------------------------------------------ */

/** f(args...) in the latest world. Returns: JLC_OK; JLC_EXCEPTION (exception
 * rooted in scope; see jlc_exception_get()); JLC_ERR_ARG (args NULL with
 * nargs > 0); JLC_ERR_NOMEM (more than 16 arguments and malloc failed);
 * [entry]; [handles]. Limits: up to 16 arguments without heap allocation. */
JLC_API jlc_status jlc_call(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                            jlc_value *out);

/** f(args...; kwnames[i] = kwvals[i]...). The first call with a new list of
 * keyword names compiles a caller for it (milliseconds); later calls with
 * the same names cost about a jlc_call. Returns: JLC_OK; JLC_EXCEPTION;
 * JLC_ERR_ARG (args or kwnames/kwvals NULL with a count > 0, a NULL or empty
 * name, a name given twice, more than JLC_MAX_KEYWORDS keywords);
 * JLC_ERR_NOMEM; [entry]; [handles]. */
JLC_API jlc_status jlc_call_kw(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                               size_t nkw, const char *const *kwnames, const jlc_value *kwvals,
                               jlc_value *out);

/** Parses and evaluates every top-level expression of `code`, in order, in
 * `module` (JLC_NO_VALUE for Main); *out (may be NULL) receives the last
 * value (`nothing` for empty code). Exceptions are not wrapped in LoadError.
 * Returns: JLC_OK; JLC_EXCEPTION (a parse error is a Base.Meta.ParseError
 * exception); JLC_ERR_TYPE (module is not a Module); JLC_ERR_NOMEM; [entry];
 * [handles]. */
JLC_API jlc_status jlc_eval(jlc_scope scope, jlc_value module, const char *code, jlc_value *out);

/** include(path) into Main; *out (may be NULL) receives the file's last value.
 * Returns: JLC_OK; JLC_ERR_NOT_FOUND (the file cannot be read);
 * JLC_EXCEPTION (the file threw: a LoadError wrapping the exception, as
 * Julia's include reports it); JLC_ERR_NOMEM; [entry]; [handles]. */
JLC_API jlc_status jlc_include(jlc_scope scope, const char *path, jlc_value *out);

/** `using <package>` in Main ("LinearAlgebra", "Base.Threads").
 * Returns: JLC_OK; JLC_ERR_ARG (not a valid dotted identifier);
 * JLC_EXCEPTION (loading failed, e.g. the package is not installed);
 * JLC_ERR_NOMEM; [entry]; [handles]. */
JLC_API jlc_status jlc_using(jlc_scope scope, const char *package);

/* ------------------------------------------------------------------------ */
/* Exceptions                                                               */
/* ------------------------------------------------------------------------ */

/** The exception of the latest JLC_EXCEPTION on this thread, as a handle of
 * the scope that call was given. Returns: JLC_OK; JLC_ERR_NOT_FOUND (none
 * yet, cleared, or its scope has closed); [entry]; JLC_ERR_ARG (out NULL). */
JLC_API jlc_status jlc_exception_get(jlc_value *out);

/** showerror(exc) as a String handle in scope; with_backtrace adds the
 * backtrace captured when jlc caught exc (only the latest caught exception
 * has one; for others the text has no backtrace).
 * Returns: JLC_OK; JLC_EXCEPTION (showerror itself threw); [entry];
 * [handles]. Allocates. */
JLC_API jlc_status jlc_exception_text(jlc_scope scope, jlc_value exc, bool with_backtrace,
                                      jlc_value *out);

/** Clears this thread's latest exception and error text. Never fails.
 * Threads: any. */
JLC_API void jlc_exception_clear(void);

/** A protected region (as Lua's lua_pcall runs a C function): runs fn(ctx)
 * under one Julia exception handler and returns what fn returns. Unchecked
 * typed-call pointers (jlc/cfunc.h) called inside run at full speed; if one
 * throws, the exception lands here: jlc_protect returns JLC_EXCEPTION with
 * the exception rooted in scope. The C frames between jlc_protect and the
 * throw (fn and whatever it called) are abandoned as longjmp abandons them:
 * no code after the failing call runs in them, so do not hold malloc'd
 * memory, locks, open files or C++ objects with destructors across such a
 * call. Regions nest; scope cannot close while its region runs.
 * Returns: fn's status; JLC_EXCEPTION; [entry]; [handles] (fn NULL is
 * JLC_ERR_ARG). */
JLC_API jlc_status jlc_protect(jlc_scope scope, jlc_status (*fn)(void *ctx), void *ctx);

/* ------------------------------------------------------------------------ */
/* Types and fields                                                         */
/* ------------------------------------------------------------------------ */

/** typeof(v). Returns: JLC_OK; JLC_ERR_NOMEM; [entry]; [handles]. */
JLC_API jlc_status jlc_value_type(jlc_scope scope, jlc_value v, jlc_value *out);

/** Short name of v's type ("Int64", "Array", "Point"). Returns: JLC_OK;
 * [entry]; [handles]. Lifetime: forever. */
JLC_API jlc_status jlc_value_type_name(jlc_value v, const char **name);

/** string(v) / repr(v) as a String handle in scope. Returns: JLC_OK;
 * JLC_EXCEPTION (v's show method threw); JLC_ERR_NOMEM; [entry]; [handles].
 * Allocates, runs Julia code. */
/** @{ */
JLC_API jlc_status jlc_value_string(jlc_scope scope, jlc_value v, jlc_value *out);
JLC_API jlc_status jlc_value_repr(jlc_scope scope, jlc_value v, jlc_value *out);
/** @} */

/** a === b: the same object, or equal bits of an immutable value (Julia's
 * egal). Returns: JLC_OK; [entry]; [handles]. Does not allocate. */
JLC_API jlc_status jlc_value_identical(jlc_value a, jlc_value b, bool *out);

/** What jlc_type_inspect tells about a DataType. */
typedef struct jlc_type_info {
    size_t size;      /**< sizeof(T) in bytes; 0 unless concrete */
    size_t align;     /**< alignment of T in bytes; 0 unless concrete */
    size_t nfields;   /**< fields of a concrete type; 0 otherwise */
    size_t nparams;   /**< type parameters: 1 for Vector{Int64}'s Int64... 2 */
    bool is_concrete; /**< instances exist with exactly this type */
    bool is_abstract; /**< declared `abstract type` */
    bool is_mutable;  /**< declared `mutable struct` */
    bool is_isbits;   /**< immutable plain bits: stored inline, copyable as C
                       *   memory */
} jlc_type_info;

/** Describes a DataType (Int64, Point{Float64}, AbstractFloat, Vector{Int64}).
 * A UnionAll (Vector, Point) is not a DataType: apply its parameters first
 * (jlc_type_apply). For the name with its parameters, use jlc_value_string.
 * Returns: JLC_OK; JLC_ERR_TYPE (not a DataType: a Union, a UnionAll, or not
 * a type); [entry]; [handles]. Does not allocate. */
JLC_API jlc_status jlc_type_inspect(jlc_value type, jlc_type_info *out);

/** The type's own name without parameters or module ("Point" for
 * Main.Point{Float64}). Returns: JLC_OK; JLC_ERR_TYPE (not a DataType);
 * [entry]; [handles]. Lifetime: forever. */
JLC_API jlc_status jlc_type_name(jlc_value type, const char **name);

/** supertype(T) (Any is its own supertype). Returns: JLC_OK; JLC_ERR_TYPE
 * (not a DataType); [entry]; [handles]. */
JLC_API jlc_status jlc_type_supertype(jlc_scope scope, jlc_value type, jlc_value *out);

/** Type parameter i (0-based) of a DataType: Float64 for i = 0 of
 * Point{Float64}. A parameter may be a value, not a type (the 1 of
 * Array{Float64, 1}). Returns: JLC_OK; JLC_ERR_TYPE (not a DataType);
 * JLC_ERR_BOUNDS (i >= nparams); [entry]; [handles]. */
JLC_API jlc_status jlc_type_param(jlc_scope scope, jlc_value type, size_t i, jlc_value *out);

/** Byte offset of field i (0-based) in a concrete DataType's layout, as
 * Julia's fieldoffset. Returns: JLC_OK; JLC_ERR_TYPE (not a concrete
 * DataType); JLC_ERR_BOUNDS; [entry]; [handles]. */
JLC_API jlc_status jlc_type_field_offset(jlc_value type, size_t i, size_t *out);

/** isa(v, type) and a <: b. Returns: JLC_OK; JLC_ERR_TYPE (type, a or b is
 * not a type); [entry]; [handles]. */
/** @{ */
JLC_API jlc_status jlc_value_isa(jlc_value v, jlc_value type, bool *out);
JLC_API jlc_status jlc_type_is_subtype(jlc_value a, jlc_value b, bool *out);
/** @} */

/** Field reflection on a concrete DataType; indices are 0-based. Returns:
 * JLC_OK; JLC_ERR_TYPE (not a concrete DataType); JLC_ERR_BOUNDS (index >=
 * field count); JLC_ERR_NOT_FOUND (jlc_type_field_index: no such name);
 * JLC_ERR_NOMEM (jlc_type_field_type); [entry]; [handles]. Lifetime: field
 * names live forever. */
/** @{ */
JLC_API jlc_status jlc_type_nfields(jlc_value type, size_t *out);
JLC_API jlc_status jlc_type_field_name(jlc_value type, size_t i, const char **name);
JLC_API jlc_status jlc_type_field_type(jlc_scope scope, jlc_value type, size_t i, jlc_value *out);
JLC_API jlc_status jlc_type_field_index(jlc_value type, const char *name, size_t *out);
/** @} */

/** Reads a field (by 0-based index or by name) of v into scope.
 * Returns: JLC_OK; JLC_ERR_BOUNDS; JLC_ERR_NOT_FOUND (no such field name);
 * JLC_EXCEPTION (the field is undefined: UndefRefError); JLC_ERR_NOMEM;
 * [entry]; [handles]. Allocates (bits fields are boxed). */
/** @{ */
JLC_API jlc_status jlc_field_get(jlc_scope scope, jlc_value v, size_t i, jlc_value *out);
JLC_API jlc_status jlc_field_get_by_name(jlc_scope scope, jlc_value v, const char *name, jlc_value *out);
/** @} */

/** Sets a field of a mutable struct, with the GC write barrier. The value must
 * already have the field's type (no conversion). Returns: JLC_OK;
 * JLC_ERR_IMMUTABLE (an immutable type, a `const` field (Julia 1.8+) or an
 * `@atomic` field (1.7+): set those from Julia); JLC_ERR_BOUNDS;
 * JLC_ERR_NOT_FOUND (no such field name); JLC_ERR_TYPE (x does not match the
 * field type); [entry]; [handles]. Does not allocate. */
/** @{ */
JLC_API jlc_status jlc_field_set(jlc_value v, size_t i, jlc_value x);
JLC_API jlc_status jlc_field_set_by_name(jlc_value v, const char *name, jlc_value x);
/** @} */

/** T{params...}: Vector{Float64} from Array, Float64 and 1, for example.
 * Returns: JLC_OK; JLC_EXCEPTION (Julia rejects the parameters); JLC_ERR_ARG
 * (params NULL with n > 0; more than JLC_MAX_TYPE_PARAMS); JLC_ERR_NOMEM;
 * [entry]; [handles]. Allocates. */
JLC_API jlc_status jlc_type_apply(jlc_scope scope, jlc_value type, size_t n,
                                  const jlc_value *params, jlc_value *out);

/** A new instance of a concrete struct type from exactly its field values (no
 * conversion: call the type with jlc_call for converting constructors).
 * Returns: JLC_OK; JLC_ERR_TYPE (not a concrete struct type, or a field value
 * of the wrong type); JLC_ERR_ARG (n differs from the field count, fields
 * NULL with n > 0, more than JLC_MAX_NEW_FIELDS fields); JLC_ERR_NOMEM;
 * [entry]; [handles]. Allocates. */
JLC_API jlc_status jlc_struct_new(jlc_scope scope, jlc_value type, size_t n, const jlc_value *fields,
                           jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Raw escape hatch (for code that also uses julia.h)                       */
/* ------------------------------------------------------------------------ */

/** The jl_value_t* behind a handle. Returns: JLC_OK; [entry]; [handles].
 * Lifetime: rooted while v's scope is open; after that the GC may free it at
 * any allocation. */
JLC_API jlc_status jlc_value_raw(jlc_value v, void **out);

/** A handle in scope for a jl_value_t* the caller obtained from julia.h and
 * keeps alive until this returns. raw must be a Julia value (not checked).
 * Returns: JLC_OK; JLC_ERR_NOMEM; [entry]; [handles] (raw NULL is
 * JLC_ERR_ARG). */
JLC_API jlc_status jlc_value_from_raw(jlc_scope scope, void *raw, jlc_value *out);

#ifdef __cplusplus
}
#endif

/* Areas built on the core, one sub-header each. */
#include "jlc/array.h"
#include "jlc/struct.h"
#include "jlc/cfunc.h"
#include "jlc/export.h"
#include "jlc/callback.h"
#include "jlc/workers.h"
#include "jlc/async.h"

#endif /* JLC_H */

/**
 * \file
 * jlc/callback.h — included by jlc.h; do not include directly.
 *
 * Callbacks and wake-ups: C code that keeps a Julia function and calls it
 * later (a callback), and C threads that wake Julia tasks waiting on a
 * `Base.AsyncCondition`. Guide: docs/julia-calls-c.md (sections
 * "Callbacks" and "Worker threads").
 *
 * A callback (jlc_callback) is a Julia function kept alive by jlc plus a
 * typed pointer to it (jlc/cfunc.h), under one handle with a generation:
 *
 *     jlc_callback cb;                                    // e.g. in a C struct
 *     jlc_callback_new(scope, f, "double(double)", 0, &cb);
 *     ...                                                 // later, any scope
 *     void *p;
 *     if (jlc_callback_fn(cb, &p) == JLC_OK) {            // JLC_ERR_STALE once freed
 *         jlc_status (*fn)(double, double *) = (jlc_status (*)(double, double *))p;
 *         double y;
 *         jlc_status st = fn(2.0, &y);                    // JLC_EXCEPTION if f threw
 *     }
 *     jlc_callback_free(cb);
 *
 * Ask jlc_callback_fn for the pointer at each use instead of storing it:
 * that is what turns a use after jlc_callback_free into the status
 * JLC_ERR_STALE instead of a call into a function the C side let go of.
 * The check is one table load under a mutex, no Julia call.
 *
 * Wake-ups (jlc_condition_notify) never call Julia: a thread Julia does not
 * know may send them.
 */
#ifndef JLC_CALLBACK_H
#define JLC_CALLBACK_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

/** A Julia function kept by C with a typed pointer to it, until
 * jlc_callback_free(). A one-field struct like the other handles; all-zero
 * is never valid. */
typedef struct jlc_callback { uint64_t _h; } jlc_callback;

/** Keeps f alive and makes a typed pointer calling it with the C signature
 * signature (the syntax of jlc_cfunc_new: "double(double)",
 * "void(int64_t, double *)"...) and flags (JLC_CFUNC_CHECKED, the default,
 * or JLC_CFUNC_UNCHECKED; see jlc/cfunc.h for what each means when f
 * throws). A checked callback that throws returns JLC_EXCEPTION to its C
 * caller, with the exception's "Type: message" in jlc_last_error() and the
 * exception in jlc_cfunc_exception().
 * Returns: JLC_OK; everything jlc_cfunc_new returns (JLC_ERR_ARG,
 * JLC_ERR_UNSUPPORTED, JLC_ERR_NOT_FOUND, JLC_ERR_TYPE, JLC_EXCEPTION rooted
 * in scope); JLC_ERR_ARG (flags other than the two above); JLC_ERR_NOMEM
 * (the callback table cannot grow); [entry]; [handles].
 * Ownership: the caller owns *out and frees it with jlc_callback_free; live
 * callbacks are counted (jlc_callback_count).
 * Lifetime: *out is valid until jlc_callback_free() or jlc_shutdown(),
 * whatever scope was passed (scope only receives exceptions of the creation).
 * The typed pointer itself is cached per (function, signature) until
 * jlc_shutdown() as every typed-call pointer is: freeing the callback makes
 * the handle stale, it does not free the compiled code, and the cache keeps
 * f reachable. Make long-lived callbacks from named functions (one compiled
 * pointer each); a new closure per callback compiles a new pointer (50-200
 * ms) that stays until shutdown.
 * Allocates; runs Julia's compiler the first time for (f, signature).
 * Threads: a thread allowed to call Julia. */
JLC_API jlc_status jlc_callback_new(jlc_scope scope, jlc_value f, const char *signature,
                                    unsigned flags, jlc_callback *out);

/** The typed pointer of a live callback into *fn: convert it to the C
 * function type of its signature (checked form of jlc/cfunc.h unless it was
 * made with JLC_CFUNC_UNCHECKED) and call it.
 * Returns: JLC_OK; JLC_ERR_STALE (the callback was freed: *fn untouched);
 * JLC_ERR_ARG (cb all-zero, fn NULL); [entry].
 * Lifetime: *fn may be called until jlc_callback_free(cb); calling it after
 * that is what this function exists to prevent (it still works until
 * shutdown, but the function is no longer the one C was given).
 * Does not call Julia. Threads: a thread allowed to call Julia (the pointer
 * may only be called there). */
JLC_API jlc_status jlc_callback_fn(jlc_callback cb, void **fn);

/** The Julia function of a live callback, as a handle in scope (to call it
 * dynamically with jlc_call, or to compare it).
 * Returns: JLC_OK; JLC_ERR_STALE (freed); JLC_ERR_NOMEM; [entry];
 * [handles]. Threads: a thread allowed to call Julia. */
JLC_API jlc_status jlc_callback_function(jlc_scope scope, jlc_callback cb, jlc_value *out);

/** Frees a callback: its handle becomes stale (JLC_ERR_STALE from every
 * function here, also for a second free) and jlc stops keeping the function
 * alive for it. Returns: JLC_OK; JLC_ERR_STALE; JLC_ERR_ARG (all-zero);
 * [entry]. Does not call Julia. Threads: a thread allowed to call Julia. */
JLC_API jlc_status jlc_callback_free(jlc_callback cb);

/** Number of live callbacks (made and not yet freed), process-wide. */
JLC_API size_t jlc_callback_count(void);

/** Wakes the Julia tasks waiting on a `Base.AsyncCondition`: handle is the
 * condition's `handle` field (a `uv_async_t *`), passed to C as a `void *`.
 * Sends libuv's `uv_async_send` on it, which Julia's event loop turns into a
 * `notify` of the condition on a Julia thread. Several sends before Julia
 * runs its loop may wake waiters once (libuv coalesces them): keep the
 * result in C memory and let Julia check for it after each wake-up.
 * Returns: JLC_OK; JLC_ERR_ARG (handle NULL); JLC_ERR_STATE (Julia is not
 * running: before jlc_init()/jlc_attach(), after jlc_shutdown()); JLC_ERR_FORK;
 * JLC_ERR_NOT_FOUND (libuv's uv_async_send is not among the process's
 * global symbols: a host that loaded libjulia privately); JLC_ERR_UNSUPPORTED
 * (uv_async_send failed). A failure's text goes to the calling thread's
 * jlc_last_error().
 * Lifetime: the condition must stay open until the last send returned: close
 * it from Julia only after C said it will send no more (a join, a flag).
 * Does not call Julia and does not block; it allocates only to record a
 * failure (the calling thread's error text, on its first failure).
 * Threads: any thread, including threads Julia does not know; safe
 * concurrently with Julia and with other sends. */
JLC_API jlc_status jlc_condition_notify(void *handle);

#ifdef __cplusplus
}
#endif
#endif

/*
 * exc.h — Julia exceptions: running libjulia calls under jlc's handler,
 * keeping the latest exception per thread, rendering it, and protected
 * regions. Every area calls Julia through here.
 */
#ifndef JLC_BASE_EXC_H
#define JLC_BASE_EXC_H

#include "scope.h"

#include <stdlib.h>

/* Applies argv[0] to argv[1..n-1] in the latest world under jlc's exception
 * handler. On JLC_OK *result is the unrooted result: push it into a scope or
 * root it before the next allocation. On JLC_EXCEPTION the exception is
 * rooted in sc and is this thread's latest exception. sc is marked busy for
 * the duration. argv must be rooted by the caller. */
JLC__HIDDEN jlc_status jlc__apply(jlc__scope *sc, jl_value_t **argv, uint32_t n, jl_value_t **result);

/* Adds the marker for parked exceptions to the root registry (init). */
JLC__HIDDEN jlc_status jlc__exc_init(void);

/* Applies argv like jlc__apply, for the few calls that have no scope and do
 * not expect Julia to throw (a checked element store): an exception is
 * described in jlc_last_error() and returned as JLC_EXCEPTION, but not kept.
 * The result is dropped. */
JLC__HIDDEN jlc_status jlc__apply_unscoped(jl_value_t **argv, uint32_t n);
/* The same, keeping the result: on JLC_OK *result is the unrooted result. */
JLC__HIDDEN jlc_status jlc__apply_unscoped_result(jl_value_t **argv, uint32_t n, jl_value_t **result);

/* Inside a JL_CATCH block: records the current exception (and its raw
 * exception stack, for the backtrace) as this thread's latest, in sc. */
JLC__HIDDEN void jlc__catch(jlc__scope *sc);

/* After a JL_CATCH block that called jlc__catch(sc), outside it: describes
 * the exception for jlc_last_error() ("Type: message") and returns
 * JLC_EXCEPTION. */
JLC__HIDDEN jlc_status jlc__exception_status(jlc__scope *sc);

/* Makes exc (caught elsewhere, e.g. by Julia code) this thread's latest
 * exception, rooted in sc; raw is its exception stack as jl_get_excstack(task,
 * 1, 1) returns it, or NULL. Both must be rooted by the caller. */
JLC__HIDDEN void jlc__set_exception(jlc__scope *sc, jl_value_t *exc, jl_value_t *raw);

/* An exception caught on jlc's behalf by Julia code (a checked typed call's
 * wrapper) is parked in the thread state until C claims it: park takes the
 * exception and its raw stack (called from Julia through a C pointer);
 * claim moves it into sc as the latest exception and returns 1, or returns
 * 0 when nothing is parked. */
JLC__HIDDEN void jlc__exception_park(jl_value_t *exc, jl_value_t *raw);
JLC__HIDDEN int jlc__exception_claim(jlc__scope *sc);

/* Runs fn(ctx) under a Julia handler with `scope` busy. Returns 0 normally,
 * 1 if an exception was caught and rooted in scope. *result gets fn's status
 * (JLC_OK if it threw). */
JLC__HIDDEN int jlc__run_protected(jlc__scope *sc, jlc_status (*fn)(void *), void *ctx,
                                   jlc_status *result);

/* A new String holding a copy of len bytes, made so that nothing throws past
 * jlc: a size Julia cannot allocate is JLC_ERR_NOMEM before Julia is asked;
 * a large one runs under the handler (OutOfMemoryError -> JLC_ERR_NOMEM,
 * another exception -> JLC_EXCEPTION rooted in sc); a small one defers
 * Ctrl-C. *out is unrooted. */
JLC__HIDDEN jlc_status jlc__string_new(jlc__scope *sc, const char *bytes, size_t len, jl_value_t **out);

/* A pending Ctrl-C (SIGINT) is thrown by Julia at its next safepoint. jlc's
 * own allocations outside a handler defer it, so it is raised inside the next
 * Julia call that jlc runs under its handler (JLC_EXCEPTION with an
 * InterruptException) instead of killing the process. Nestable. */
#define JLC__DEFER_SIGINT_BEGIN() JLC__SIGATOMIC_ENTER()
#define JLC__DEFER_SIGINT_END() JLC__SIGATOMIC_LEAVE()

/* ---- calls with handle arguments (inline: the hot path of jlc_call) ---- */

#define JLC__CALL_STACK_ARGS 16

/* Resolves n handles into argv; stops at the first bad one. */
JLC__INLINE jlc_status jlc__resolve(jl_value_t **argv, const jlc_value *hs, size_t n)
{
    for (size_t i = 0; i < n; i++) JLC__CHECK(jlc__get(hs[i], &argv[i]));
    return JLC_OK;
}

/* Applies argv with sc and pushes the result into it (out may be NULL). */
JLC__INLINE jlc_status jlc__apply_push(jlc__scope *sc, jl_value_t **argv, size_t n, jlc_value *out)
{
    jl_value_t *r;
    JLC__CHECK(jlc__apply(sc, argv, (uint32_t)n, &r));
    if (!out) return JLC_OK;
    return jlc__push(sc, r, out);
}

/* f(args...) with handle arguments; the result is pushed into sc. Returns
 * JLC_ERR_NOMEM (too many arguments), the handle statuses, JLC_EXCEPTION. */
JLC__INLINE jlc_status jlc__call_handles(jlc__scope *sc, jl_value_t *f, size_t nargs,
                                         const jlc_value *args, jlc_value *out)
{
    jl_value_t *stackv[JLC__CALL_STACK_ARGS + 1];
    jl_value_t **argv = stackv;
    if (JLC__UNLIKELY(nargs > JLC__CALL_STACK_ARGS)) {
        if (nargs >= UINT32_MAX || !(argv = malloc((nargs + 1) * sizeof *argv)))
            return jlc__fail(JLC_ERR_NOMEM, "cannot allocate %zu arguments", nargs);
    }
    argv[0] = f;
    jlc_status st = jlc__resolve(argv + 1, args, nargs);
    if (st == JLC_OK) st = jlc__apply_push(sc, argv, nargs + 1, out);
    if (argv != stackv) free(argv);
    return st;
}

#endif

/*
 * call.c — jlc_async_call: a Julia call on Julia's thread pool
 * (Threads.@spawn) that the calling task waits for without blocking its
 * thread, so the runtime thread runs other jobs meanwhile.
 */
#include "async.h"

#include <stdlib.h>

#define MAX_ASYNC_ARGS 1024

static jl_value_t *async_call_fn;

static jlc_status async_init(jlc__scope *sc)
{
    (void)sc;
    return jlc__support_need("async", "async_call", &async_call_fn);
}

static jlc__area async_area = {0, "async", async_init};

jlc_status jlc_async_call(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args, jlc_value *out)
{
    JLC__ENTER();
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (nargs && !args) return jlc__fail(JLC_ERR_ARG, "args is NULL");
    if (nargs > MAX_ASYNC_ARGS)
        return jlc__fail(JLC_ERR_NOMEM, "%zu arguments (at most %d)", nargs, MAX_ASYNC_ARGS);
    JLC__GC_STRESS();
    JLC__CHECK(jlc__area_ready(&async_area, sc));
    jl_value_t *stackv[JLC__CALL_STACK_ARGS + 2];
    jl_value_t **argv = stackv;
    if (nargs > JLC__CALL_STACK_ARGS && !(argv = malloc((nargs + 2) * sizeof *argv)))
        return jlc__fail(JLC_ERR_NOMEM, "cannot allocate %zu arguments", nargs);
    argv[0] = async_call_fn;
    jlc_status st = jlc__get(f, &argv[1]);
    if (st == JLC_OK) st = jlc__resolve(argv + 2, args, nargs);
    if (st == JLC_OK) st = jlc__apply_push(sc, argv, nargs + 2, out);
    if (argv != stackv) free(argv);
    return st;
}

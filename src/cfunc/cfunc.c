/* cfunc.c — the public API of typed calls: pointers from signatures (cached), their flags and exceptions, batched calls. */
#include "bridge.h"
#include "sig.h"
#include "table.h"

#include <stdlib.h>

/* The pointer for (f, sig, kind): from the table, or made by Julia. */
jlc_status jlc__cfunc_pointer(jlc__scope *sc, jl_value_t *f, const jlc__sig *sig, unsigned kind,
                              void **out)
{
    jlc__centry *e = jlc__table_find(f, kind, sig);
    if (e) {
        *out = e->ptr;
        return JLC_OK;
    }
    jlc__made made;
    JLC__CHECK(jlc__bridge_make(sc, f, sig, kind, &made));
    jlc__centry *n = calloc(1, sizeof *n);
    if (!n) return jlc__fail(JLC_ERR_NOMEM, "cannot allocate a typed-call table entry");
    n->f = f;
    n->kind = kind;
    n->sig = *sig;
    n->ptr = made.ptr;
    n->info = (kind & (JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION)) |
              (made.nothrow ? (unsigned)JLC_CFUNC_NOTHROW : 0u) |
              (made.direct ? (unsigned)JLC_CFUNC_DIRECT : 0u);
    e = jlc__table_insert(n);
    if (e != n) free(n);
    *out = e->ptr;
    return JLC_OK;
}

static jlc_status check_flags(unsigned flags)
{
    if (flags & ~(unsigned)(JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION))
        return jlc__fail(JLC_ERR_ARG, "unknown typed-call flags 0x%x", flags);
    return JLC_OK;
}

jlc_status jlc_cfunc_new(jlc_scope scope, jlc_value f, const char *signature, unsigned flags,
                         void **out)
{
    JLC__ENTER();
    JLC__NONNULL(signature);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *fn;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    JLC__CHECK(check_flags(flags));
    jlc__sig sig;
    jlc__sig_names names;
    JLC__CHECK(jlc__sig_parse(signature, 0, &sig, &names));
    JLC__CHECK(jlc__sig_resolve(sc, &names, &sig));
    return jlc__cfunc_pointer(sc, fn, &sig, flags, out);
}

jlc_status jlc_cfunc_new_typed(jlc_scope scope, jlc_value f, int ret, size_t nargs,
                               const int *args, const jlc_value *struct_types, unsigned flags,
                               void **out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *fn;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    JLC__CHECK(check_flags(flags));
    jlc__sig sig;
    JLC__CHECK(jlc__sig_from_codes(ret, nargs, args, struct_types, &sig));
    return jlc__cfunc_pointer(sc, fn, &sig, flags, out);
}

jlc_status jlc_cfunc_flags(const void *fn, unsigned *out)
{
    JLC__ENTER();
    JLC__NONNULL(fn);
    JLC__NONNULL(out);
    unsigned info;
    if (!jlc__table_info(fn, &info))
        return jlc__fail(JLC_ERR_NOT_FOUND, "%p is not a typed-call pointer made by jlc", fn);
    *out = info;
    return JLC_OK;
}

jlc_status jlc_cfunc_exception(jlc_scope scope, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (!jlc__exception_claim(sc))
        return jlc__fail(JLC_ERR_NOT_FOUND, "no checked typed call has failed on this thread");
    *out = jlc__self()->exc;
    return JLC_OK;
}

/* ---- batched calls ---- */

typedef void (*map_kernel)(int64_t n, const void *const *in, void *out);

typedef struct map_call {
    map_kernel k;
    int64_t n;
    const void *const *in;
    void *out;
} map_call;

static jlc_status run_kernel(void *ctx)
{
    map_call *m = ctx;
    m->k(m->n, m->in, m->out);
    return JLC_OK;
}

jlc_status jlc_cfunc_map(jlc_scope scope, jlc_value f, const char *signature, size_t n,
                         const void *const *in, void *out)
{
    JLC__ENTER();
    JLC__NONNULL(signature);
    jlc__scope *sc;
    jl_value_t *fn;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    jlc__sig sig;
    jlc__sig_names names;
    JLC__CHECK(jlc__sig_parse(signature, JLC__SIG_BYVAL, &sig, &names));
    JLC__CHECK(jlc__sig_resolve(sc, &names, &sig));
    void *kp;
    JLC__CHECK(jlc__cfunc_pointer(sc, fn, &sig, JLC__KIND_MAP, &kp));
    if (n == 0) return JLC_OK;
    if (n > (size_t)INT64_MAX) return jlc__fail(JLC_ERR_ARG, "n is too large");
    if (sig.nargs && !in) return jlc__fail(JLC_ERR_ARG, "in is NULL");
    for (uint32_t i = 0; i < sig.nargs; i++)
        if (!in[i]) return jlc__fail(JLC_ERR_ARG, "in[%u] is NULL", i);
    if (sig.codes[0] != JLC_VOID && !out)
        return jlc__fail(JLC_ERR_ARG, "out is NULL but the function returns a value");
    JLC__GC_STRESS();
    map_call m = {(map_kernel)kp, (int64_t)n, in, out};
    jlc_status st;
    if (jlc__run_protected(sc, run_kernel, &m, &st)) return jlc__exception_status(sc);
    return st;
}

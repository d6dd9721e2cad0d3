/*
 * cfunc.c — typed calls' public API: Julia functions as C function pointers
 * (checked or unchecked), what a pointer is, the exception of a failing
 * checked call, and batched calls (jlc_cfunc_map) under jlc's handler.
 */
#include "typed.h"

#include <string.h>

static jlc_status check_flags(unsigned flags, unsigned *kind)
{
    if (flags & ~(unsigned)(JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION))
        return jlc__fail(JLC_ERR_ARG, "unknown typed-call flags 0x%x", flags);
    *kind = flags;
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
    unsigned kind;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    JLC__CHECK(check_flags(flags, &kind));
    parser ps;
    csig sig;
    JLC__CHECK(jlc__sig_parse(&ps, signature, &sig, 0));
    JLC__CHECK(jlc__sig_resolve_structs(sc, &ps, &sig));
    return jlc__cfunc_pointer(sc, fn, &sig, kind, out);
}

jlc_status jlc_cfunc_new_typed(jlc_scope scope, jlc_value f, int ret, size_t nargs,
                               const int *args, const jlc_value *struct_types, unsigned flags,
                               void **out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (nargs && !args) return jlc__fail(JLC_ERR_ARG, "args is NULL but nargs > 0");
    if (nargs > JLC_CFUNC_MAX_ARGS)
        return jlc__fail(JLC_ERR_UNSUPPORTED, "%zu parameters: at most %d are supported", nargs,
                         JLC_CFUNC_MAX_ARGS);
    jlc__scope *sc;
    jl_value_t *fn;
    unsigned kind;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    JLC__CHECK(check_flags(flags, &kind));
    csig sig;
    memset(&sig, 0, sizeof sig);
    sig.nargs = (uint32_t)nargs;
    size_t nstruct = 0;
    for (size_t i = 0; i <= nargs; i++) {
        int c = i == 0 ? ret : args[i - 1];
        const char *what = i == 0 ? "return type" : "parameter";
        if (c < 0 || (c & ~(JLC_TYPE_PTR | JLC_TYPE_CONST | 0xff)) ||
            ((c & 0xff) > JLC_FLOAT64 && (c & 0xff) != JLC_STRUCT))
            return jlc__fail(JLC_ERR_ARG, "invalid type code 0x%x for the %s (position %zu)", c, what, i);
        if (i > 0 && c == JLC_VOID)
            return jlc__fail(JLC_ERR_ARG, "JLC_VOID is not a parameter type (position %zu)", i);
        if ((c & 0xff) == JLC_STRUCT) {
            if (!(c & JLC_TYPE_PTR))
                return jlc__fail(JLC_ERR_UNSUPPORTED,
                                 "structs by value are not supported (position %zu): use JLC_TYPE_PTR", i);
            if (!struct_types)
                return jlc__fail(JLC_ERR_ARG, "struct_types is NULL but position %zu is a struct", i);
            JLC__CHECK(jlc__get(struct_types[nstruct++], &sig.stypes[i]));
        }
        if (!((c & 0xff) == JLC_STRUCT && (c & JLC_TYPE_PTR) && i > 0)) c &= ~JLC_TYPE_CONST;
        sig.codes[i] = (uint16_t)c;
    }
    return jlc__cfunc_pointer(sc, fn, &sig, kind, out);
}

jlc_status jlc_cfunc_flags(const void *fn, unsigned *out)
{
    JLC__ENTER();
    JLC__NONNULL(fn);
    JLC__NONNULL(out);
    unsigned info = 0;
    if (!jlc__cfunc_table_info(fn, &info))
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
    parser ps;
    csig sig;
    JLC__CHECK(jlc__sig_parse(&ps, signature, &sig, 1));
    JLC__CHECK(jlc__sig_resolve_structs(sc, &ps, &sig));
    void *kp;
    JLC__CHECK(jlc__cfunc_pointer(sc, fn, &sig, MAP_KIND, &kp));
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

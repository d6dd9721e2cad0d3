/* run.c — work on every process: code evaluated or a file included
 * everywhere, and a pmap of a named function from one C buffer into another
 * (rules W3-W5 of include/jlc/workers.h). */
#include "workers.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* fn(text) with text a new String rooted here; for eval and include. */
static jlc_status call_with_text(jlc__scope *sc, jl_value_t *fn, const char *text)
{
    jl_value_t **argv;
    JLC__GC_STRESS();
    JL_GC_PUSHARGS(argv, 2);
    argv[0] = fn;
    jlc_status st = jlc__string_new(sc, text, strlen(text), &argv[1]);
    jl_value_t *r;
    if (st == JLC_OK) st = jlc__wk_apply(sc, argv, 2, &r);
    JL_GC_POP();
    return st;
}

jlc_status jlc_workers_eval(jlc_scope scope, const char *code)
{
    JLC__ENTER();
    JLC__NONNULL(code);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    WK_INIT();
    return call_with_text(sc, jlc__wk.eval, code);
}

jlc_status jlc_workers_include(jlc_scope scope, const char *path)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (access(path, R_OK) != 0) return jlc__fail(JLC_ERR_NOT_FOUND, "cannot read file '%s'", path);
    WK_INIT();
    return call_with_text(sc, jlc__wk.include, path);
}

/* ---- pmap between C buffers ---- */

/* A scalar element code pmap accepts, and its elsize (array rule C). */
static jlc_status check_elements(const char *which, jlc_ctype code, size_t elsize)
{
    if (!(code >= JLC_BOOL && code <= JLC_COMPLEXF64))
        return jlc__fail(JLC_ERR_ARG, "%s element code %d (%s): give a scalar code JLC_BOOL .. "
                         "JLC_COMPLEXF64", which, (int)code, jlc_ctype_name(code));
    if (elsize != jlc_ctype_size(code))
        return jlc__fail(JLC_ERR_TYPE, "%s elsize %zu, but %s elements are %zu bytes", which, elsize,
                         jlc_ctype_name(code), jlc_ctype_size(code));
    return JLC_OK;
}

static jlc_status check_buffer(const char *which, const void *p, jlc_ctype code)
{
    if (!p) return jlc__fail(JLC_ERR_ARG, "%s is NULL", which);
    /* Julia aligns a scalar to its size, a complex number to its parts'. */
    size_t align = jlc_ctype_size(code);
    if (code == JLC_COMPLEXF32 || code == JLC_COMPLEXF64) align /= 2;
    if ((uintptr_t)p % align != 0)
        return jlc__fail(JLC_ERR_ARG, "%s is not aligned to %zu bytes", which, align);
    return JLC_OK;
}

jlc_status jlc_workers_pmap(jlc_scope scope, const char *fname, jlc_ctype in_code,
                            size_t in_elsize, const void *in, jlc_ctype out_code,
                            size_t out_elsize, void *out, size_t n, size_t batch_size)
{
    JLC__ENTER();
    JLC__NONNULL(fname);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(check_elements("input", in_code, in_elsize));
    JLC__CHECK(check_elements("output", out_code, out_elsize));
    if (n == 0) return JLC_OK;
    if (n > PTRDIFF_MAX || batch_size > PTRDIFF_MAX)
        return jlc__fail(JLC_ERR_ARG, "n = %zu, batch_size = %zu: at most PTRDIFF_MAX", n, batch_size);
    JLC__CHECK(check_buffer("in", in, in_code));
    JLC__CHECK(check_buffer("out", out, out_code));
    if (in_code == JLC_BOOL) /* a Julia Bool holds 0 or 1 only */
        for (size_t i = 0; i < n; i++)
            if (((const unsigned char *)in)[i] > 1)
                return jlc__fail(JLC_ERR_ARG, "in[%zu] is a JLC_BOOL byte of %u: give 0 or 1", i,
                                 ((const unsigned char *)in)[i]);
    WK_INIT();
    jl_value_t *f;
    JLC__CHECK(jlc__lookup(sc, fname, &f)); /* rooted by its binding */

    jl_value_t **argv;
    JLC__GC_STRESS();
    JL_GC_PUSHARGS(argv, 8);
    argv[0] = jlc__wk.pmap;
    argv[1] = f;
    argv[2] = jlc__ctype_julia(in_code);
    argv[4] = jlc__ctype_julia(out_code);
    JLC__DEFER_SIGINT_BEGIN();
    argv[3] = jl_box_voidpointer((void *)in);
    argv[5] = jl_box_voidpointer(out);
    argv[6] = jl_box_int64((int64_t)n);
    argv[7] = jl_box_int64((int64_t)batch_size);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r = NULL;
    jlc_status st = jlc__wk_apply(sc, argv, 8, &r);
    JL_GC_POP();
    if (st != JLC_OK) return st;
    /* nothing: out written; a String: a result of another type (out untouched). */
    if (jl_is_string(r)) return jlc__fail(JLC_ERR_TYPE, "%s", jl_string_data(r));
    return JLC_OK;
}

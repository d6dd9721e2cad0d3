/* compound.c — Complex and NamedTuple values from C parts and back. */
#include "base.h"

#include <string.h>

/* Base.ComplexF64 / Base.ComplexF32: const bindings in Base, so rooted for
 * the life of the process; looked up once (a race looks up the same type). */
static jl_datatype_t *complex_type(int bits64)
{
    static jl_datatype_t *cache[2];
    jl_datatype_t *t = __atomic_load_n(&cache[bits64], __ATOMIC_ACQUIRE);
    if (JLC__UNLIKELY(!t)) {
        t = (jl_datatype_t *)jl_get_global(jl_base_module, jl_symbol(bits64 ? "ComplexF64" : "ComplexF32"));
        __atomic_store_n(&cache[bits64], t, __ATOMIC_RELEASE);
    }
    return t;
}

static jlc_status complex_new(jlc_scope scope, int bits64, const void *parts, jlc_value *out)
{
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    jl_datatype_t *t = complex_type(bits64);
    if (!t) return jlc__fail(JLC_ERR_STATE, "Base.ComplexF%d is missing", bits64 ? 64 : 32);
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    jl_value_t *v = jl_new_bits((jl_value_t *)t, (void *)parts);
    JLC__DEFER_SIGINT_END();
    return jlc__push(sc, v, out);
}

jlc_status jlc_complexf64_new(jlc_scope scope, double re, double im, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    double parts[2] = {re, im};
    return complex_new(scope, 1, parts, out);
}

jlc_status jlc_complexf32_new(jlc_scope scope, float re, float im, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    float parts[2] = {re, im};
    return complex_new(scope, 0, parts, out);
}

static jlc_status complex_get(jlc_value v, int bits64, void *parts, size_t size)
{
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    jl_datatype_t *t = complex_type(bits64);
    if (!t || jl_typeof(x) != (jl_value_t *)t)
        return jlc__fail(JLC_ERR_TYPE, "expected a ComplexF%d, got a %s", bits64 ? 64 : 32,
                         jl_typeof_str(x));
    memcpy(parts, x, size);
    return JLC_OK;
}

jlc_status jlc_complexf64_get(jlc_value v, double *re, double *im)
{
    JLC__ENTER();
    JLC__NONNULL(re);
    JLC__NONNULL(im);
    double parts[2];
    JLC__CHECK(complex_get(v, 1, parts, sizeof parts));
    *re = parts[0];
    *im = parts[1];
    return JLC_OK;
}

jlc_status jlc_complexf32_get(jlc_value v, float *re, float *im)
{
    JLC__ENTER();
    JLC__NONNULL(re);
    JLC__NONNULL(im);
    float parts[2];
    JLC__CHECK(complex_get(v, 0, parts, sizeof parts));
    *re = parts[0];
    *im = parts[1];
    return JLC_OK;
}

jlc_status jlc_namedtuple_new(jlc_scope scope, size_t n, const char *const *names,
                              const jlc_value *values, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (n && (!names || !values)) return jlc__fail(JLC_ERR_ARG, "names or values is NULL but n > 0");
    if (n > JLC_MAX_NEW_FIELDS) return jlc__fail(JLC_ERR_ARG, "at most %d entries", JLC_MAX_NEW_FIELDS);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    jl_value_t *fn = jlc__core.namedtuple;
    /* namedtuple(n, name1, ..., namen, value1, ..., valuen): symbols are never
     * freed and the values are rooted by their handles. */
    jl_value_t *argv[2 + 2 * JLC_MAX_NEW_FIELDS];
    argv[0] = fn;
    argv[1] = jl_box_int64((int64_t)n); /* small: one of Julia's preallocated boxes */
    for (size_t i = 0; i < n; i++) {
        if (!names[i] || !names[i][0]) return jlc__fail(JLC_ERR_ARG, "name %zu is NULL or empty", i);
        argv[2 + i] = (jl_value_t *)jl_symbol(names[i]);
        JLC__CHECK(jlc__get(values[i], &argv[2 + n + i]));
    }
    jl_value_t *r;
    JLC__CHECK(jlc__apply(sc, argv, (uint32_t)(2 + 2 * n), &r));
    return jlc__push(sc, r, out);
}

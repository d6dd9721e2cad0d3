/* element.c — element access through C types and through handles, and
 * copies of ranges; all respect live borrows. */
#include "array.h"

/* A bits array, its element i checked against code/elsize and bounds. */
static jlc_status bits_element(jlc_value h, size_t i, jlc_ctype code, size_t elsize, char **p)
{
    jl_value_t *a;
    JLC__CHECK(get_array(h, &a));
    ARR_INIT();
    JLC__CHECK(check_bits(a, code, elsize));
    size_t len = lay_length(a);
    if (JLC__UNLIKELY(i >= len))
        return jlc__fail(JLC_ERR_BOUNDS, "index %zu is out of bounds for length %zu", i, len);
    *p = lay_data(a) + i * elsize;
    return JLC_OK;
}

static jlc_status check_bool(jlc_ctype code, const void *x, size_t n)
{
    if (code != JLC_BOOL) return JLC_OK;
    const uint8_t *b = x;
    for (size_t i = 0; i < n; i++)
        if (JLC__UNLIKELY(b[i] > 1))
            return jlc__fail(JLC_ERR_ARG, "Bool element %zu is %u, not 0 or 1", i, b[i]);
    return JLC_OK;
}

jlc_status jlc_array_get(jlc_value a, size_t i, jlc_ctype code, size_t elsize, void *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    char *p;
    JLC__CHECK(bits_element(a, i, code, elsize, &p));
    JLC__CHECK(check_access(p, elsize, 0));
    memcpy(out, p, elsize);
    return JLC_OK;
}

jlc_status jlc_array_set(jlc_value a, size_t i, jlc_ctype code, size_t elsize, const void *x)
{
    JLC__ENTER();
    JLC__NONNULL(x);
    char *p;
    JLC__CHECK(bits_element(a, i, code, elsize, &p));
    JLC__CHECK(check_bool(code, x, 1));
    JLC__CHECK(check_access(p, elsize, 1));
    memcpy(p, x, elsize);
    return JLC_OK;
}

jlc_status jlc_array_get_nd(jlc_value h, size_t nidx, const size_t *idx, jlc_ctype code,
                            size_t elsize, void *out)
{
    JLC__ENTER();
    JLC__NONNULL(idx);
    JLC__NONNULL(out);
    jl_value_t *a;
    size_t i;
    JLC__CHECK(get_array(h, &a));
    JLC__CHECK(jlc__arr_linear_index(a, nidx, idx, &i));
    return jlc_array_get(h, i, code, elsize, out);
}

jlc_status jlc_array_set_nd(jlc_value h, size_t nidx, const size_t *idx, jlc_ctype code,
                            size_t elsize, const void *x)
{
    JLC__ENTER();
    JLC__NONNULL(idx);
    JLC__NONNULL(x);
    jl_value_t *a;
    size_t i;
    JLC__CHECK(get_array(h, &a));
    JLC__CHECK(jlc__arr_linear_index(a, nidx, idx, &i));
    return jlc_array_set(h, i, code, elsize, x);
}

jlc_status jlc_array_get_value(jlc_scope scope, jlc_value h, size_t i, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *a;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_array(h, &a));
    ARR_INIT();
    size_t len = lay_length(a), es = lay_elsize(a);
    if (JLC__UNLIKELY(i >= len))
        return jlc__fail(JLC_ERR_BOUNDS, "index %zu is out of bounds for length %zu", i, len);
    char *p = lay_data(a) + i * es;
    JLC__CHECK(check_access(p, es, 0));
    JLC__GC_STRESS();
    jl_value_t *v = NULL;
    if (lay_isbits(a)) {
        JLC__DEFER_SIGINT_BEGIN();
        v = jl_new_bits(lay_eltype(a), p);
        JLC__DEFER_SIGINT_END();
    } else if (lay_boxed(a)) {
        v = lay_ptr_load(a, i);
    }
#if JLC__ARRAY_OTHER_IN_C
    else if (jlc__lay_isassigned(a, i)) {
        JLC__DEFER_SIGINT_BEGIN();
        v = jlc__lay_ref_other(a, i);
        JLC__DEFER_SIGINT_END();
    }
#endif
    if (v) return jlc__push(sc, v, out);
    /* Other layouts, and unassigned elements: Julia's getindex (an unassigned
     * one throws its UndefRefError, reported as such). */
    jl_value_t *argv[3] = {jlc__arr.getindex, a, NULL};
    JL_GC_PUSH1(&argv[2]);
    JLC__DEFER_SIGINT_BEGIN();
    argv[2] = jl_box_int64((int64_t)i + 1);
    JLC__DEFER_SIGINT_END();
    jlc_status st = jlc__apply(sc, argv, 3, &v);
    JL_GC_POP();
    if (st == JLC_OK) st = jlc__push(sc, v, out); /* not expected: it was unassigned */
    return st;
}

jlc_status jlc_array_set_value(jlc_value h, size_t i, jlc_value xh)
{
    JLC__ENTER();
    jl_value_t *a, *x;
    JLC__CHECK(get_array(h, &a));
    JLC__CHECK(jlc__get(xh, &x));
    size_t len = lay_length(a), es = lay_elsize(a);
    if (JLC__UNLIKELY(i >= len))
        return jlc__fail(JLC_ERR_BOUNDS, "index %zu is out of bounds for length %zu", i, len);
    jl_value_t *T = lay_eltype(a);
    if (!jl_isa(x, T))
        return jlc__fail(JLC_ERR_TYPE, "cannot store a %s in an Array{%s}", jl_typeof_str(x),
                         type_name(T));
    char *p = lay_data(a) + i * es;
    JLC__CHECK(check_access(p, es, 1));
    if (lay_isbits(a)) {
        memcpy(p, jl_data_ptr(x), jl_datatype_size(T));
    } else if (lay_boxed(a)) {
        lay_ptr_store(a, i, x);
    } else {
#if JLC__ARRAY_OTHER_IN_C
        jlc__lay_set_other(a, i, x);
#else
        /* Julia's setindex! keeps the write barrier and union tags right; x
         * is an eltype, so it does not throw. */
        JLC__CHECK(jlc__area_ready(&jlc__arr_area, NULL));
        jl_value_t *argv[4] = {jlc__arr.setindex, a, x, NULL};
        JL_GC_PUSH1(&argv[3]);
        JLC__DEFER_SIGINT_BEGIN();
        argv[3] = jl_box_int64((int64_t)i + 1);
        JLC__DEFER_SIGINT_END();
        jlc_status st = jlc__apply_unscoped(argv, 4);
        JL_GC_POP();
        return st;
#endif
    }
    return JLC_OK;
}

/* A bits array and the range [first, first + n) checked. */
static jlc_status bits_range(jlc_value h, size_t first, size_t n, jlc_ctype code, size_t elsize,
                             const void *buf, char **p)
{
    jl_value_t *a;
    JLC__CHECK(get_array(h, &a));
    ARR_INIT();
    JLC__CHECK(check_bits(a, code, elsize));
    if (n && !buf) return jlc__fail(JLC_ERR_ARG, "buf is NULL but n > 0");
    size_t len = lay_length(a);
    if (first > len || n > len - first)
        return jlc__fail(JLC_ERR_BOUNDS, "elements %zu..+%zu are out of bounds for length %zu",
                         first, n, len);
    *p = lay_data(a) + first * elsize;
    return JLC_OK;
}

jlc_status jlc_array_copy_out(jlc_value a, size_t first, size_t n, jlc_ctype code, size_t elsize,
                              void *buf)
{
    JLC__ENTER();
    char *p;
    JLC__CHECK(bits_range(a, first, n, code, elsize, buf, &p));
    if (n == 0) return JLC_OK;
    JLC__CHECK(check_access(p, n * elsize, 0));
    memcpy(buf, p, n * elsize);
    return JLC_OK;
}

jlc_status jlc_array_copy_in(jlc_value a, size_t first, size_t n, jlc_ctype code, size_t elsize,
                             const void *buf)
{
    JLC__ENTER();
    char *p;
    JLC__CHECK(bits_range(a, first, n, code, elsize, buf, &p));
    if (n == 0) return JLC_OK;
    JLC__CHECK(check_bool(code, buf, n));
    JLC__CHECK(check_access(p, n * elsize, 1));
    memmove(p, buf, n * elsize);
    return JLC_OK;
}

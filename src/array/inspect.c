/* inspect.c — what an array is: is_array, inspect, dims, strides, eltype,
 * N-d indices. */
#include "array.h"

jlc_status jlc_value_is_array(jlc_value v, bool *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    *out = lay_is_array(x);
    return JLC_OK;
}

jlc_status jlc_array_inspect(jlc_value h, jlc_array_info *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *a;
    JLC__CHECK(get_array(h, &a));
    ARR_INIT();
    jlc_array_info info;
    info.eltype = classify(lay_eltype(a));
    info.elsize = lay_elsize(a);
    info.rank = lay_rank(a);
    info.length = lay_length(a);
    info.isbits = lay_isbits(a);
    info.boxed = lay_boxed(a);
    *out = info;
    return JLC_OK;
}

/* dims (strides = 0) or column-major strides (strides = 1). */
static jlc_status dims_or_strides(jlc_value h, size_t cap, size_t *dst, size_t *rank, int strides)
{
    JLC__ENTER();
    JLC__NONNULL(dst);
    jl_value_t *a;
    JLC__CHECK(get_array(h, &a));
    size_t r = lay_rank(a);
    if (rank) *rank = r;
    if (cap < r) return jlc__fail(JLC_ERR_SPACE, "array has rank %zu, room for %zu", r, cap);
    size_t s = 1;
    for (size_t k = 0; k < r; k++) {
        dst[k] = strides ? s : lay_dim(a, k);
        s *= lay_dim(a, k);
    }
    return JLC_OK;
}

jlc_status jlc_array_dims(jlc_value a, size_t *dims, size_t cap, size_t *rank)
{
    return dims_or_strides(a, cap, dims, rank, 0);
}

jlc_status jlc_array_strides(jlc_value a, size_t *strides, size_t cap, size_t *rank)
{
    return dims_or_strides(a, cap, strides, rank, 1);
}

jlc_status jlc_array_eltype(jlc_scope scope, jlc_value h, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *a;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_array(h, &a));
    return jlc__push(sc, lay_eltype(a), out);
}

jlc_status jlc_array_index(jlc_value h, size_t nidx, const size_t *idx, size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(idx);
    JLC__NONNULL(out);
    jl_value_t *a;
    JLC__CHECK(get_array(h, &a));
    return jlc__arr_linear_index(a, nidx, idx, out);
}


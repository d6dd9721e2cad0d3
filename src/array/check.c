/* check.c — the arrays area's set-up and the checks of rules B, C and D
 * (include/jlc/array.h) shared by the other files of src/array. */
#include "array.h"

jlc__arr_fns jlc__arr;

/* Looks up what the area needs from Julia (idempotent). */
static jlc_status array_init(jlc__scope *sc)
{
    (void)sc;
    JLC__CHECK(jlc__support_need("array", "array_new", &jlc__arr.new_));
    JLC__CHECK(jlc__support_need("array", "array_wrap", &jlc__arr.wrap));
    JLC__CHECK(jlc__support_need("array", "array_adopt", &jlc__arr.adopt));
    JLC__CHECK(jlc__support_need("array", "array_getindex", &jlc__arr.getindex));
    JLC__CHECK(jlc__support_need("array", "array_setindex", &jlc__arr.setindex));
    for (int c = JLC_BOOL; c <= JLC_PTR; c++) jlc__arr.fast_types[c] = jlc__ctype_julia((jlc_ctype)c);
    return JLC_OK;
}

jlc__area jlc__arr_area = {0, "arrays", array_init};

jlc_status jlc__arr_check_dims(size_t rank, const size_t *dims, size_t elsize)
{
    if (rank == 0 || rank > JLC_ARRAY_MAX_RANK)
        return jlc__fail(JLC_ERR_ARG, "rank %zu is not in 1..%d", rank, JLC_ARRAY_MAX_RANK);
    size_t n = 1;
    for (size_t k = 0; k < rank; k++) {
        if (dims[k] > (size_t)PTRDIFF_MAX)
            return jlc__fail(JLC_ERR_ARG, "dims[%zu] = %zu is negative or too large", k, dims[k]);
        if (__builtin_mul_overflow(n, dims[k], &n) || n > (size_t)PTRDIFF_MAX)
            return jlc__fail(JLC_ERR_ARG, "the product of the dims overflows (at dims[%zu])", k);
    }
    size_t bytes;
    if (__builtin_mul_overflow(n, elsize ? elsize : 1, &bytes) || bytes > (size_t)PTRDIFF_MAX)
        return jlc__fail(JLC_ERR_ARG, "%zu elements of %zu bytes overflow the address space", n,
                         elsize);
    return JLC_OK;
}

jlc_status jlc__arr_not_array(jl_value_t *v)
{
    return jlc__fail(JLC_ERR_TYPE, "expected an Array, got a %s", jl_typeof_str(v));
}

jlc_status jlc__arr_check_bits_slow(jl_value_t *a, jlc_ctype code, size_t elsize)
{
    jl_value_t *T = lay_eltype(a);
    if (JLC__UNLIKELY(!valid_code(code)))
        return jlc__fail(JLC_ERR_ARG, "invalid element type code %d", (int)code);
    jl_value_t *want = code_type(code);
    int ok = want == T || (code == JLC_PTR && jl_is_cpointer_type(T)) ||
             (code == JLC_STRUCT && classify(T) == JLC_STRUCT);
    if (JLC__UNLIKELY(!ok || code == JLC_ANY)) {
        jlc_ctype have = classify(T);
        if (have == JLC_ANY)
            return jlc__fail(JLC_ERR_TYPE,
                             "elements of this Array{%s} are not plain bits data: use handles "
                             "(jlc_array_get_value/jlc_array_set_value)",
                             type_name(T));
        return jlc__fail(JLC_ERR_TYPE, "array elements are %s (%s), not %s", type_name(T),
                         jlc_ctype_name(have), jlc_ctype_name(code));
    }
    if (JLC__UNLIKELY(elsize != lay_elsize(a)))
        return jlc__fail(JLC_ERR_TYPE, "array elements (%s) are %zu bytes, the C element is %zu",
                         type_name(T), lay_elsize(a), elsize);
    return JLC_OK;
}

jlc_status jlc__arr_check_type(jl_value_t *T, size_t elsize, int need_bits)
{
    if (!jl_is_type(T))
        return jlc__fail(JLC_ERR_TYPE, "element type must be a type, got a %s", jl_typeof_str(T));
    if (jl_isbits(T)) {
        if (elsize != lay_type_elsize(T))
            return jlc__fail(JLC_ERR_TYPE, "%s elements are %zu bytes in Julia, the C element is %zu",
                             type_name(T), lay_type_elsize(T), elsize);
        return JLC_OK;
    }
    if (need_bits)
        return jlc__fail(JLC_ERR_TYPE, "%s is not an isbits type: C memory cannot hold it",
                         type_name(T));
    if (elsize != 0)
        return jlc__fail(JLC_ERR_TYPE, "%s is not an isbits type: elsize must be 0, got %zu",
                         type_name(T), elsize);
    return JLC_OK;
}

jlc_status jlc__arr_linear_index(jl_value_t *a, size_t nidx, const size_t *idx, size_t *out)
{
    size_t r = lay_rank(a);
    if (JLC__UNLIKELY(nidx != r))
        return jlc__fail(JLC_ERR_ARG, "index has %zu subscript(s), the array has rank %zu", nidx, r);
    size_t lin = 0, stride = 1;
    for (size_t k = 0; k < r; k++) {
        size_t d = lay_dim(a, k);
        if (JLC__UNLIKELY(idx[k] >= d))
            return jlc__fail(JLC_ERR_BOUNDS, "index %zu of dimension %zu is out of bounds 0..%zu",
                             idx[k], k, d ? d - 1 : 0);
        lin += idx[k] * stride;
        stride *= d;
    }
    *out = lin;
    return JLC_OK;
}


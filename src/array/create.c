/* create.c — new arrays, C memory wrapped (borrowed) or adopted (handed over
 * with a deallocator); construction goes through support/array.jl, whose
 * unsafe_wrap and Array{T}(undef, ...) mean the same in every release. */
#include "array.h"
#include "seam.h"

/* fn(T, ptrs..., dims...) with the pointers and dims boxed and rooted here;
 * the result is pushed into sc. */
static jlc_status call_ctor(jlc__scope *sc, jl_value_t *fn, jl_value_t *T, size_t nptr,
                            void *const *ptrs, size_t rank, const size_t *dims, jl_value_t **res)
{
    size_t n = 2 + nptr + rank;
    jl_value_t **argv;
    JLC__GC_STRESS();
    JL_GC_PUSHARGS(argv, n);
    argv[0] = fn;
    argv[1] = T;
    JLC__DEFER_SIGINT_BEGIN();
    for (size_t i = 0; i < nptr; i++) argv[2 + i] = jl_box_voidpointer(ptrs[i]);
    for (size_t k = 0; k < rank; k++) argv[2 + nptr + k] = jl_box_int64((int64_t)dims[k]);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r = NULL;
    jlc_status st = jlc__apply(sc, argv, (uint32_t)n, &r);
    JL_GC_POP();
    if (st == JLC_OK && !lay_is_array(r))
        st = jlc__fail(JLC_ERR_TYPE, "jlc: array constructor returned a %s", jl_typeof_str(r));
    if (st == JLC_OK) *res = r;
    return st;
}

static jlc_status new_array(jlc__scope *sc, jl_value_t *T, size_t rank, const size_t *dims,
                            jlc_value *out)
{
    jl_value_t *a;
    JLC__CHECK(call_ctor(sc, jlc__arr.new_, T, 0, NULL, rank, dims, &a));
    /* Julia leaves bits elements uninitialised; C callers get zeros. */
    if (lay_isbits(a)) memset(lay_data(a), 0, lay_length(a) * lay_elsize(a));
    return jlc__push(sc, a, out);
}

jlc_status jlc_array_new(jlc_scope scope, jlc_ctype code, size_t rank, const size_t *dims,
                         jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(dims);
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    ARR_INIT();
    jl_value_t *T = valid_code(code) ? code_type(code) : NULL;
    if (!T)
        return jlc__fail(JLC_ERR_ARG, "%s: use jlc_array_new_of with a Julia type",
                         code == JLC_STRUCT ? "JLC_STRUCT needs a type" : "invalid element code");
    JLC__CHECK(jlc__arr_check_dims(rank, dims, code == JLC_ANY ? sizeof(void *) : jlc_ctype_size(code)));
    return new_array(sc, T, rank, dims, out);
}

jlc_status jlc_array_new_of(jlc_scope scope, jlc_value type, size_t elsize, size_t rank,
                            const size_t *dims, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(dims);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *T;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(type, &T));
    ARR_INIT();
    JLC__CHECK(jlc__arr_check_type(T, elsize, 0));
    JLC__CHECK(jlc__arr_check_dims(rank, dims, elsize ? elsize : sizeof(void *)));
    return new_array(sc, T, rank, dims, out);
}

/* Wrap or adopt data as Array{T,rank}; dealloc NULL = borrowed mode. */
static jlc_status wrap(jlc__scope *sc, void *data, jl_value_t *T, size_t rank, const size_t *dims,
                       jlc_dealloc_fn dealloc, void *ctx, jlc_value *out)
{
    JLC__CHECK(jlc__arr_check_dims(rank, dims, lay_type_elsize(T)));
    size_t align = lay_type_align(T);
    if (align > 1 && (uintptr_t)data % align != 0)
        return jlc__fail(JLC_ERR_ARG, "data %p is not aligned to %zu bytes as %s needs", data,
                         align, type_name(T));
    jl_value_t *a;
    if (dealloc) {
        void *ptrs[3] = {data, (void *)dealloc, ctx};
        JLC__CHECK(call_ctor(sc, jlc__arr.adopt, T, 3, ptrs, rank, dims, &a));
    } else {
        void *ptrs[1] = {data};
        JLC__CHECK(call_ctor(sc, jlc__arr.wrap, T, 1, ptrs, rank, dims, &a));
    }
    return jlc__push(sc, a, out);
}

static jlc_status wrap_code(jlc_scope scope, void *data, jlc_ctype code, size_t rank,
                            const size_t *dims, jlc_dealloc_fn dealloc, void *ctx, jlc_value *out)
{
    JLC__NONNULL(data);
    JLC__NONNULL(dims);
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    ARR_INIT();
    if (!valid_code(code) || code == JLC_STRUCT || code == JLC_ANY)
        return jlc__fail(JLC_ERR_ARG, "cannot wrap C memory as %s%s", jlc_ctype_name(code),
                         code == JLC_STRUCT ? " without a type (use the _of variant)" : "");
    return wrap(sc, data, code_type(code), rank, dims, dealloc, ctx, out);
}

static jlc_status wrap_type(jlc_scope scope, void *data, jlc_value type, size_t elsize,
                            size_t rank, const size_t *dims, jlc_dealloc_fn dealloc, void *ctx,
                            jlc_value *out)
{
    JLC__NONNULL(data);
    JLC__NONNULL(dims);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *T;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(type, &T));
    ARR_INIT();
    JLC__CHECK(jlc__arr_check_type(T, elsize, 1));
    return wrap(sc, data, T, rank, dims, dealloc, ctx, out);
}

/* The seam for other areas (seam.h). */
jlc_status jlc__arr_wrap_type(jlc__scope *sc, void *data, jl_value_t *T, size_t elsize,
                              size_t rank, const size_t *dims, jlc_value *out)
{
    ARR_INIT();
    JLC__CHECK(jlc__arr_check_type(T, elsize, 1));
    return wrap(sc, data, T, rank, dims, NULL, NULL, out);
}

jlc_status jlc_array_wrap(jlc_scope scope, void *data, jlc_ctype code, size_t rank,
                          const size_t *dims, jlc_value *out)
{
    JLC__ENTER();
    return wrap_code(scope, data, code, rank, dims, NULL, NULL, out);
}

jlc_status jlc_array_wrap_of(jlc_scope scope, void *data, jlc_value type, size_t elsize,
                             size_t rank, const size_t *dims, jlc_value *out)
{
    JLC__ENTER();
    return wrap_type(scope, data, type, elsize, rank, dims, NULL, NULL, out);
}

jlc_status jlc_array_adopt(jlc_scope scope, void *data, jlc_ctype code, size_t rank,
                           const size_t *dims, jlc_dealloc_fn dealloc, void *ctx, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(dealloc);
    return wrap_code(scope, data, code, rank, dims, dealloc, ctx, out);
}

jlc_status jlc_array_adopt_of(jlc_scope scope, void *data, jlc_value type, size_t elsize,
                              size_t rank, const size_t *dims, jlc_dealloc_fn dealloc, void *ctx,
                              jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(dealloc);
    return wrap_type(scope, data, type, elsize, rank, dims, dealloc, ctx, out);
}


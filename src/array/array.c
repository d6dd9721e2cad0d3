/*
 * array.c — n-dimensional arrays shared between C and Julia without copying:
 * creating, wrapping C memory (borrowed or transferred), inspecting,
 * borrowing the data, element access and copies.
 *
 * Three parts:
 *  1. The layout layer: the only code that knows how an Array is laid out in
 *     memory. It uses the macros and exports of the julia.h this file is
 *     compiled against (Julia 1.5 ... 1.10: jl_array_t with data, flags,
 *     elsize, dims inline). Julia 1.11 rebuilt Array on Memory; supporting
 *     it means writing the lay_* functions again, and nothing else.
 *  2. Construction goes through Julia (src/support/array.jl): unsafe_wrap
 *     and Array{T}(undef, dims) have the same meaning in every release, while
 *     their C counterparts do not.
 *  3. Borrows of the data go to the shared borrow registry (base/borrow.c).
 */
#include "base.h"

#include <string.h>

/* ======================================================================== */
/* 1. Layout layer                                                          */
/* ======================================================================== */

#if JLC__JULIA_AT_LEAST(1, 11)
/* Julia 1.11 made Array a wrapper of Memory: the fields read below are gone.
 * Until these functions are ported (and tested on 1.11), the rest of jlc
 * builds and works, and every array entry point reports the gap as a status
 * instead of breaking the build. */
#undef JLC__ENTER
#define JLC__ENTER()                                                                          \
    return jlc__fail(JLC_ERR_UNSUPPORTED, "jlc arrays are not ported to the Array layout of " \
                                          "Julia %s yet (src/array.c, lay_* functions)",      \
                     JULIA_VERSION_STRING)
static inline int lay_is_array(jl_value_t *v) { return jl_is_array(v); }
static inline jl_value_t *lay_eltype(jl_value_t *a) { return jl_tparam0(jl_typeof(a)); }
static inline size_t lay_rank(jl_value_t *a) { (void)a; return 0; }
static inline size_t lay_dim(jl_value_t *a, size_t k) { (void)a; (void)k; return 0; }
static inline size_t lay_length(jl_value_t *a) { (void)a; return 0; }
static inline char *lay_data(jl_value_t *a) { (void)a; return NULL; }
static inline size_t lay_elsize(jl_value_t *a) { (void)a; return 0; }
static inline int lay_boxed(jl_value_t *a) { (void)a; return 0; }
static inline int lay_isbits(jl_value_t *a) { (void)a; return 0; }
static inline size_t lay_type_elsize(jl_value_t *T) { (void)T; return 0; }
static inline size_t lay_type_align(jl_value_t *T) { (void)T; return 1; }
static inline jl_value_t *lay_ptr_load(jl_value_t *a, size_t i) { (void)a; (void)i; return NULL; }
static inline void lay_ptr_store(jl_value_t *a, size_t i, jl_value_t *x) { (void)a; (void)i; (void)x; }
static inline int lay_isassigned(jl_value_t *a, size_t i) { (void)a; (void)i; return 0; }
static inline jl_value_t *lay_ref_other(jl_value_t *a, size_t i) { (void)a; (void)i; return NULL; }
static inline void lay_set_other(jl_value_t *a, size_t i, jl_value_t *x) { (void)a; (void)i; (void)x; }
#else
static inline int lay_is_array(jl_value_t *v) { return jl_is_array(v); }
static inline jl_value_t *lay_eltype(jl_value_t *a) { return jl_tparam0(jl_typeof(a)); }
static inline size_t lay_rank(jl_value_t *a) { return (size_t)jl_array_ndims(a); }
static inline size_t lay_dim(jl_value_t *a, size_t k) { return jl_array_dim(a, k); }
static inline size_t lay_length(jl_value_t *a) { return jl_array_len(a); }
static inline char *lay_data(jl_value_t *a) { return (char *)jl_array_data(a); }
/* Bytes from one element to the next. */
static inline size_t lay_elsize(jl_value_t *a) { return ((jl_array_t *)a)->elsize; }
/* Elements are pointers to Julia values. */
static inline int lay_boxed(jl_value_t *a) { return ((jl_array_t *)a)->flags.ptrarray; }
/* Elements are plain bits stored inline (decided by the type alone). */
static inline int lay_isbits(jl_value_t *a) { return jl_isbits(lay_eltype(a)); }
/* The element stride Julia uses for an isbits type T. */
static inline size_t lay_type_elsize(jl_value_t *T)
{
    size_t size = jl_datatype_size(T), align = jl_datatype_align(T);
    return align > 1 ? (size + align - 1) / align * align : size;
}
static inline size_t lay_type_align(jl_value_t *T) { return jl_datatype_align(T); }
/* Boxed element i, NULL when unassigned. */
static inline jl_value_t *lay_ptr_load(jl_value_t *a, size_t i)
{
    return ((jl_value_t **)jl_array_data(a))[i];
}
/* Stores a boxed element with the write barrier (on the data's owner). */
static inline void lay_ptr_store(jl_value_t *a, size_t i, jl_value_t *x)
{
    jl_array_ptr_set(a, i, x);
}
/* Inline elements that hold references, or unions of bits types. */
static inline int lay_isassigned(jl_value_t *a, size_t i)
{
    return jl_array_isassigned((jl_array_t *)a, i);
}
/* Boxes element i (allocates). Must be assigned: it cannot throw then. */
static inline jl_value_t *lay_ref_other(jl_value_t *a, size_t i)
{
    return jl_arrayref((jl_array_t *)a, i);
}
/* Stores x (already checked to be an eltype, so it cannot throw), with the
 * write barrier and the union type tags. */
static inline void lay_set_other(jl_value_t *a, size_t i, jl_value_t *x)
{
    jl_arrayset((jl_array_t *)a, x, i);
}
#endif

/* ======================================================================== */
/* Element types                                                            */
/* ======================================================================== */

#define ARR_INLINE static inline __attribute__((always_inline))
#define ARR_COLD static __attribute__((noinline, cold))

/* The Julia type of each bits code, for the one-compare fast check; NULL
 * for JLC_VOID, JLC_STRUCT, JLC_ANY (they take the slow path). */
static jl_value_t *fast_types[JLC_CTYPE_COUNT];
static jl_value_t *fn_new, *fn_wrap, *fn_adopt, *fn_getindex;

/* Looks up what this file needs from Julia (idempotent). */
static jlc_status array_init(jlc__scope *sc)
{
    (void)sc;
    JLC__CHECK(jlc__support_need("array", "array_new", &fn_new));
    JLC__CHECK(jlc__support_need("array", "array_wrap", &fn_wrap));
    JLC__CHECK(jlc__support_need("array", "array_adopt", &fn_adopt));
    JLC__CHECK(jlc__support_need("array", "array_getindex", &fn_getindex));
    for (int c = JLC_BOOL; c <= JLC_PTR; c++) fast_types[c] = jlc__ctype_julia((jlc_ctype)c);
    return JLC_OK;
}

static jlc__area area = {0, "arrays", array_init};

#define ARR_INIT() JLC__CHECK(jlc__area_ready(&area, NULL))
#define code_type(c) jlc__ctype_julia(c)
#define classify(T) jlc__ctype_of(T)
#define type_name(T) jlc__type_name(T)

/* An element type code arrays accept (not JLC_VOID). */
static int valid_code(jlc_ctype code) { return code > JLC_VOID && code < JLC_CTYPE_COUNT; }


/* ======================================================================== */
/* Checks                                                                   */
/* ======================================================================== */

/* Rule B: rank, dims, and that the element count and byte size fit. */
static jlc_status check_dims(size_t rank, const size_t *dims, size_t elsize)
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

ARR_COLD jlc_status not_array(jl_value_t *v)
{
    return jlc__fail(JLC_ERR_TYPE, "expected an Array, got a %s", jl_typeof_str(v));
}

ARR_INLINE jlc_status get_array(jlc_value h, jl_value_t **out)
{
    JLC__CHECK(jlc__get(h, out));
    if (JLC__UNLIKELY(!lay_is_array(*out))) return not_array(*out);
    return JLC_OK;
}

/* Rules C and D, the general case and the diagnosis (see check_bits). */
ARR_COLD jlc_status check_bits_slow(jl_value_t *a, jlc_ctype code, size_t elsize)
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

/* Rules C and D: a is an array of plain bits whose element type is `code`
 * and whose element size is elsize. One compare for the bits codes. */
ARR_INLINE jlc_status check_bits(jl_value_t *a, jlc_ctype code, size_t elsize)
{
    if (JLC__LIKELY((unsigned)code < JLC_CTYPE_COUNT && fast_types[code] == lay_eltype(a) &&
                    elsize == lay_elsize(a)))
        return JLC_OK;
    return check_bits_slow(a, code, elsize);
}

/* A type given by the caller for an array's elements; elsize as in
 * jlc_array_new_of. need_bits: the elements will live in C memory. */
static jlc_status check_type(jl_value_t *T, size_t elsize, int need_bits)
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

/* ======================================================================== */
/* 2. Construction                                                          */
/* ======================================================================== */

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
    for (size_t i = 0; i < nptr; i++) argv[2 + i] = jl_box_voidpointer(ptrs[i]);
    for (size_t k = 0; k < rank; k++) argv[2 + nptr + k] = jl_box_int64((int64_t)dims[k]);
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
    JLC__CHECK(call_ctor(sc, fn_new, T, 0, NULL, rank, dims, &a));
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
    JLC__CHECK(check_dims(rank, dims, code == JLC_ANY ? sizeof(void *) : jlc_ctype_size(code)));
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
    JLC__CHECK(check_type(T, elsize, 0));
    JLC__CHECK(check_dims(rank, dims, elsize ? elsize : sizeof(void *)));
    return new_array(sc, T, rank, dims, out);
}

/* Wrap or adopt data as Array{T,rank}; dealloc NULL = borrowed mode. */
static jlc_status wrap(jlc__scope *sc, void *data, jl_value_t *T, size_t rank, const size_t *dims,
                       jlc_dealloc_fn dealloc, void *ctx, jlc_value *out)
{
    JLC__CHECK(check_dims(rank, dims, lay_type_elsize(T)));
    size_t align = lay_type_align(T);
    if (align > 1 && (uintptr_t)data % align != 0)
        return jlc__fail(JLC_ERR_ARG, "data %p is not aligned to %zu bytes as %s needs", data,
                         align, type_name(T));
    jl_value_t *a;
    if (dealloc) {
        void *ptrs[3] = {data, (void *)dealloc, ctx};
        JLC__CHECK(call_ctor(sc, fn_adopt, T, 3, ptrs, rank, dims, &a));
    } else {
        void *ptrs[1] = {data};
        JLC__CHECK(call_ctor(sc, fn_wrap, T, 1, ptrs, rank, dims, &a));
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
    JLC__CHECK(check_type(T, elsize, 1));
    return wrap(sc, data, T, rank, dims, dealloc, ctx, out);
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

/* ======================================================================== */
/* Inspection                                                               */
/* ======================================================================== */

jlc_status jlc_is_array(jlc_value v, bool *out)
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

jlc_status jlc_array_dims(jlc_value a, size_t cap, size_t *dims, size_t *rank)
{
    return dims_or_strides(a, cap, dims, rank, 0);
}

jlc_status jlc_array_strides(jlc_value a, size_t cap, size_t *strides, size_t *rank)
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

static jlc_status linear_index(jl_value_t *a, size_t nidx, const size_t *idx, size_t *out)
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

jlc_status jlc_array_index(jlc_value h, size_t nidx, const size_t *idx, size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(idx);
    JLC__NONNULL(out);
    jl_value_t *a;
    JLC__CHECK(get_array(h, &a));
    return linear_index(a, nidx, idx, out);
}

/* ======================================================================== */
/* 3. Borrows                                                               */
/* ======================================================================== */

#define check_access jlc__borrow_check

static jlc_status borrow(jlc_scope scope, jlc_value h, jlc_ctype code, size_t elsize, int mut,
                         jlc_borrow *out, void **data)
{
    jlc__scope *sc;
    jl_value_t *a;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_array(h, &a));
    ARR_INIT();
    JLC__CHECK(check_bits(a, code, elsize));
    char *p = lay_data(a);
    size_t bytes = lay_length(a) * elsize;
    uintptr_t lo = (uintptr_t)p, hi = lo + (bytes ? bytes : 1);

    (void)lo;
    (void)hi;
    JLC__CHECK(jlc__borrow_take(sc, p, bytes, mut, a, out));
    *data = p;
    return JLC_OK;
}

jlc_status jlc_array_borrow(jlc_scope scope, jlc_value a, jlc_ctype code, size_t elsize,
                            jlc_borrow *b, const void **data)
{
    JLC__ENTER();
    JLC__NONNULL(b);
    JLC__NONNULL(data);
    void *p;
    JLC__CHECK(borrow(scope, a, code, elsize, 0, b, &p));
    *data = p;
    return JLC_OK;
}

jlc_status jlc_array_borrow_mut(jlc_scope scope, jlc_value a, jlc_ctype code, size_t elsize,
                                jlc_borrow *b, void **data)
{
    JLC__ENTER();
    JLC__NONNULL(b);
    JLC__NONNULL(data);
    return borrow(scope, a, code, elsize, 1, b, data);
}

/* ======================================================================== */
/* Elements                                                                 */
/* ======================================================================== */

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
    JLC__CHECK(linear_index(a, nidx, idx, &i));
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
    JLC__CHECK(linear_index(a, nidx, idx, &i));
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
    if (lay_isbits(a))
        v = jl_new_bits(lay_eltype(a), p);
    else if (lay_boxed(a))
        v = lay_ptr_load(a, i);
    else if (lay_isassigned(a, i))
        v = lay_ref_other(a, i);
    if (v) return jlc__push(sc, v, out);
    /* Unassigned: let Julia throw its UndefRefError, reported as such. */
    jl_value_t *argv[3] = {fn_getindex, a, NULL};
    JL_GC_PUSH1(&argv[2]);
    argv[2] = jl_box_int64((int64_t)i + 1);
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
    if (lay_isbits(a))
        memcpy(p, jl_data_ptr(x), jl_datatype_size(T));
    else if (lay_boxed(a))
        lay_ptr_store(a, i, x);
    else
        lay_set_other(a, i, x);
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

/* test_array.c — arrays shared between C and Julia: create, wrap (borrowed and
 * transferred), inspect, borrow, elements, copies, calls, and every bad input
 * with its exact status followed by a check that the runtime still works. */
#include "test_util.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- helpers ---- */

/* Julia helpers used by several tests, defined once per process. */
static void defs(void)
{
    static int done;
    if (done) return;
    jlct_eval("jlct_same(a, b) = typeof(a) === typeof(b) && isequal(a, b)\n"
              "jlct_reverse!(a) = (reverse!(a); nothing)\n"
              "jlct_double!(a) = (a .*= 2; nothing)\n"
              "jlct_grow!(a) = push!(a, one(eltype(a)))\n"
              "jlct_get(a, i...) = a[i...]\n"
              "jlct_set!(a, x, i...) = (a[i...] = x; nothing)\n"
              "jlct_make_garbage() = (for i in 1:100; Vector{Float64}(undef, 1000); end; nothing)\n"
              "struct JlctPoint; x::Float64; y::Float64; tag::Int32; end\n"
              "nothing");
    done = 1;
}

static jlc_value call(const char *fn, size_t n, const jlc_value *args)
{
    jlc_value f, r = JLC_NO_VALUE;
    ASSERT_OK(jlc_global_lookup(S, fn, &f));
    ASSERT_OK(jlc_call(S, f, n, args, &r));
    return r;
}

static jlc_value call1(const char *fn, jlc_value a) { return call(fn, 1, &a); }

static bool call_bool(const char *fn, size_t n, const jlc_value *args)
{
    bool b = false;
    ASSERT_OK(jlc_bool_get(call(fn, n, args), &b));
    return b;
}

/* The runtime still works: a Julia call and a fresh array. */
static void assert_alive(void)
{
    jlc_value r, a;
    int64_t x = 0;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "1 + 41", &r));
    ASSERT_OK(jlc_int64_get(r, &x));
    assert_int_equal(42, x);
    size_t d = 3;
    ASSERT_OK(jlc_array_new(S, JLC_INT64, 1, &d, &a));
    ASSERT_OK(jlc_array_set(a, 2, JLC_INT64, 8, &x));
    ASSERT_INT64(42, call1("sum", a));
}

static void *raw(jlc_value v)
{
    void *p = NULL;
    ASSERT_OK(jlc_value_raw(v, &p));
    return p;
}

/* ---- every element code: create, fill from C, read back, Julia's view ---- */

typedef struct {
    jlc_ctype code;
    size_t size;
    const void *vals; /* 4 elements */
    const char *julia; /* the same 4 elements as a Julia literal */
} code_case;

static void check_code(const code_case *c)
{
    const char *name = jlc_ctype_name(c->code);
    jlc_value a, b, T, T2, expected, args[2];
    size_t d = 4;
    unsigned char buf[4 * 16], zeros[4 * 16] = {0};
    jlc_array_info info;

    /* create: zeroed, inspected */
    ASSERT_OK(jlc_array_new(S, c->code, 1, &d, &a));
    ASSERT_OK(jlc_array_inspect(a, &info));
    if (info.eltype != c->code) fail_msg("%s: inspect says %s", name, jlc_ctype_name(info.eltype));
    assert_int_equal(c->size, info.elsize);
    assert_int_equal(c->size, jlc_ctype_size(c->code));
    assert_int_equal(1, info.rank);
    assert_int_equal(4, info.length);
    assert_true(info.isbits);
    assert_false(info.boxed);
    ASSERT_OK(jlc_array_copy_out(a, 0, 4, c->code, c->size, buf));
    assert_memory_equal(zeros, buf, 4 * c->size);

    /* fill from C, read back element by element */
    ASSERT_OK(jlc_array_copy_in(a, 0, 4, c->code, c->size, c->vals));
    for (size_t i = 0; i < 4; i++) {
        ASSERT_OK(jlc_array_get(a, i, c->code, c->size, buf));
        assert_memory_equal((const char *)c->vals + i * c->size, buf, c->size);
    }

    /* Julia sees the same values and element type */
    expected = jlct_eval(c->julia);
    args[0] = a;
    args[1] = expected;
    if (!call_bool("jlct_same", 2, args)) fail_msg("%s: Julia does not see %s", name, c->julia);
    ASSERT_OK(jlc_ctype_type(S, c->code, &T));
    ASSERT_OK(jlc_array_eltype(S, a, &T2));
    assert_ptr_equal(raw(T), raw(T2));
    assert_ptr_equal(raw(T), raw(call1("eltype", expected)));

    /* Julia writes, C reads */
    call1("jlct_reverse!", a);
    ASSERT_OK(jlc_array_get(a, 0, c->code, c->size, buf));
    assert_memory_equal((const char *)c->vals + 3 * c->size, buf, c->size);

    /* wrap the same values from C memory: Julia sees them in place */
    memcpy(buf, c->vals, 4 * c->size);
    ASSERT_OK(jlc_array_wrap(S, buf, c->code, 1, &d, &b));
    args[0] = b;
    if (!call_bool("jlct_same", 2, args)) fail_msg("%s: wrapped buffer differs", name);
    call1("jlct_reverse!", b);
    assert_memory_equal((const char *)c->vals + 3 * c->size, buf, c->size);
    assert_memory_equal((const char *)c->vals, buf + 3 * c->size, c->size);
}

static void every_element_code(void **state)
{
    defs();
    static const bool vb[4] = {1, 0, 1, 1};
    static const int8_t vi8[4] = {-1, 2, -3, 4};
    static const int16_t vi16[4] = {-300, 2, 3, 4};
    static const int32_t vi32[4] = {1, 2, 3, -70000};
    static const int64_t vi64[4] = {1, 2, 3, -1099511627776LL};
    static const uint8_t vu8[4] = {1, 2, 3, 255};
    static const uint16_t vu16[4] = {1, 2, 3, 65535};
    static const uint32_t vu32[4] = {1, 2, 3, 4000000000u};
    static const uint64_t vu64[4] = {1, 2, 3, UINT64_MAX};
    static const float vf32[4] = {0.5f, 1.5f, -2.5f, 3.25f};
    static const double vf64[4] = {0.5, 1.5, -2.5, 1e300};
    static const float _Complex vc32[4] = {1 + 2 * I, 3 - 4 * I, 0, 1 * I};
    static const double _Complex vc64[4] = {1 + 2 * I, 3 - 4 * I, 0, 1 * I};
    static void *vp[4] = {(void *)0x1000, NULL, (void *)8, (void *)0xffff};
    const code_case cases[] = {
        {JLC_BOOL, sizeof(bool), vb, "Bool[1, 0, 1, 1]"},
        {JLC_INT8, 1, vi8, "Int8[-1, 2, -3, 4]"},
        {JLC_INT16, 2, vi16, "Int16[-300, 2, 3, 4]"},
        {JLC_INT32, 4, vi32, "Int32[1, 2, 3, -70000]"},
        {JLC_INT64, 8, vi64, "Int64[1, 2, 3, -1099511627776]"},
        {JLC_UINT8, 1, vu8, "UInt8[1, 2, 3, 255]"},
        {JLC_UINT16, 2, vu16, "UInt16[1, 2, 3, 65535]"},
        {JLC_UINT32, 4, vu32, "UInt32[1, 2, 3, 4000000000]"},
        {JLC_UINT64, 8, vu64, "UInt64[1, 2, 3, typemax(UInt64)]"},
        {JLC_FLOAT32, sizeof(float), vf32, "Float32[0.5, 1.5, -2.5, 3.25]"},
        {JLC_FLOAT64, sizeof(double), vf64, "Float64[0.5, 1.5, -2.5, 1e300]"},
        {JLC_COMPLEXF32, sizeof(float _Complex), vc32, "ComplexF32[1+2im, 3-4im, 0, 1im]"},
        {JLC_COMPLEXF64, sizeof(double _Complex), vc64, "ComplexF64[1+2im, 3-4im, 0, 1im]"},
        {JLC_PTR, sizeof(void *), vp,
         "Ptr{Cvoid}[Ptr{Cvoid}(UInt(0x1000)), C_NULL, Ptr{Cvoid}(UInt(8)), Ptr{Cvoid}(UInt(0xffff))]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_code(&cases[i]);
}

static void eltype_names_and_types(void **state)
{
    jlc_value T;
    assert_string_equal("JLC_FLOAT64", jlc_ctype_name(JLC_FLOAT64));
    assert_string_equal("JLC_ANY", jlc_ctype_name(JLC_ANY));
    assert_string_equal("JLC_CTYPE_INVALID", jlc_ctype_name((jlc_ctype)99));
    assert_int_equal(16, jlc_ctype_size(JLC_COMPLEXF64));
    assert_int_equal(0, jlc_ctype_size(JLC_STRUCT));
    ASSERT_OK(jlc_ctype_type(S, JLC_ANY, &T));
    assert_ptr_equal(raw(jlct_eval("Any")), raw(T));
    ASSERT_OK(jlc_ctype_type(S, JLC_PTR, &T));
    assert_ptr_equal(raw(jlct_eval("Ptr{Cvoid}")), raw(T));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_ctype_type(S, JLC_STRUCT, &T));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_ctype_type(S, (jlc_ctype)99, &T));
    assert_alive();
}

/* ---- N-d: dims, strides, column-major indexing ---- */

static void nd_index_dims_strides(void **state)
{
    defs();
    jlc_value a, args[4];
    size_t dims[3] = {2, 3, 4}, got[3], rank = 0;
    ASSERT_OK(jlc_array_new(S, JLC_INT64, 3, dims, &a));
    ASSERT_OK(jlc_array_dims(a, got, 3, &rank));
    assert_int_equal(3, rank);
    assert_int_equal(2, got[0]);
    assert_int_equal(3, got[1]);
    assert_int_equal(4, got[2]);
    ASSERT_OK(jlc_array_strides(a, got, 3, NULL));
    assert_int_equal(1, got[0]);
    assert_int_equal(2, got[1]);
    assert_int_equal(6, got[2]);
    ASSERT_INT64(3, call1("ndims", a));

    /* C writes (i,j,k) -> 100i + 10j + k; Julia reads a[i+1, j+1, k+1] */
    for (size_t k = 0; k < 4; k++)
        for (size_t j = 0; j < 3; j++)
            for (size_t i = 0; i < 2; i++) {
                size_t idx[3] = {i, j, k}, lin;
                int64_t v = (int64_t)(100 * i + 10 * j + k);
                ASSERT_OK(jlc_array_index(a, 3, idx, &lin));
                assert_int_equal(i + 2 * j + 6 * k, lin);
                ASSERT_OK(jlc_array_set_nd(a, 3, idx, JLC_INT64, 8, &v));
            }
    args[0] = a;
    ASSERT_OK(jlc_int64_new(S, 2, &args[1]));
    ASSERT_OK(jlc_int64_new(S, 3, &args[2]));
    ASSERT_OK(jlc_int64_new(S, 4, &args[3]));
    ASSERT_INT64(123, call("jlct_get", 4, args));
    ASSERT_OK(jlc_int64_new(S, 1, &args[1]));
    ASSERT_OK(jlc_int64_new(S, 2, &args[2]));
    ASSERT_OK(jlc_int64_new(S, 1, &args[3]));
    ASSERT_INT64(10, call("jlct_get", 4, args));

    /* Julia writes a[2, 1, 3] = -7; C reads (1, 0, 2) and linear 1 + 12 */
    jlc_value set[5] = {a, JLC_NO_VALUE, args[1], args[1], JLC_NO_VALUE};
    ASSERT_OK(jlc_int64_new(S, -7, &set[1]));
    ASSERT_OK(jlc_int64_new(S, 2, &set[2]));
    ASSERT_OK(jlc_int64_new(S, 1, &set[3]));
    ASSERT_OK(jlc_int64_new(S, 3, &set[4]));
    call("jlct_set!", 5, set);
    size_t idx[3] = {1, 0, 2};
    int64_t v = 0;
    ASSERT_OK(jlc_array_get_nd(a, 3, idx, JLC_INT64, 8, &v));
    assert_int_equal(-7, v);
    ASSERT_OK(jlc_array_get(a, 13, JLC_INT64, 8, &v));
    assert_int_equal(-7, v);

    /* rank 5: strides and the last element */
    size_t d5[5] = {2, 1, 3, 2, 2}, s5[5], last[5] = {1, 0, 2, 1, 1}, lin;
    ASSERT_OK(jlc_array_new(S, JLC_FLOAT32, 5, d5, &a));
    ASSERT_OK(jlc_array_strides(a, s5, 5, &rank));
    assert_int_equal(5, rank);
    assert_int_equal(1, s5[0]);
    assert_int_equal(2, s5[1]);
    assert_int_equal(2, s5[2]);
    assert_int_equal(6, s5[3]);
    assert_int_equal(12, s5[4]);
    ASSERT_OK(jlc_array_index(a, 5, last, &lin));
    assert_int_equal(23, lin);
    float f = 2.5f;
    ASSERT_OK(jlc_array_set_nd(a, 5, last, JLC_FLOAT32, sizeof f, &f));
    jlc_value sum = call1("sum", a);
    double dsum = 0;
    ASSERT_OK(jlc_float64_get(sum, &dsum));
    assert_true(dsum == 2.5);

    /* too little room for the dims: JLC_ERR_SPACE, rank still reported */
    size_t small[2] = {77, 77};
    rank = 0;
    ASSERT_STATUS(JLC_ERR_SPACE, jlc_array_dims(a, small, 2, &rank));
    assert_int_equal(5, rank);
    assert_int_equal(77, small[0]);
    assert_alive();
}

/* ---- wrapping C memory ---- */

static void wrap_borrowed_matrix(void **state)
{
    defs();
    double buf[6] = {1, 2, 3, 4, 5, 6}; /* 2x3, column-major */
    size_t dims[2] = {2, 3}, got[2];
    jlc_value a, args[3];
    jlc_array_info info;
    ASSERT_OK(jlc_array_wrap(S, buf, JLC_FLOAT64, 2, dims, &a));
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(JLC_FLOAT64, info.eltype);
    assert_int_equal(2, info.rank);
    assert_int_equal(6, info.length);
    ASSERT_OK(jlc_array_dims(a, got, 2, NULL));
    assert_int_equal(2, got[0]);
    assert_int_equal(3, got[1]);

    /* no copy: the borrowed data pointer is the C buffer */
    const void *p;
    jlc_borrow b;
    ASSERT_OK(jlc_array_borrow(S, a, JLC_FLOAT64, sizeof(double), &b, &p));
    assert_ptr_equal(buf, p);
    ASSERT_OK(jlc_borrow_release(b));

    /* Julia reads a[2, 3] = buf[5] and sums the buffer */
    args[0] = a;
    ASSERT_OK(jlc_int64_new(S, 2, &args[1]));
    ASSERT_OK(jlc_int64_new(S, 3, &args[2]));
    double x = 0;
    ASSERT_OK(jlc_float64_get(call("jlct_get", 3, args), &x));
    assert_true(x == 6.0);
    ASSERT_OK(jlc_float64_get(call1("sum", a), &x));
    assert_true(x == 21.0);

    /* Julia writes in place: C sees it in its own memory */
    call1("jlct_double!", a);
    for (int i = 0; i < 6; i++) assert_true(buf[i] == 2.0 * (i + 1));
    /* and C writes are seen by Julia */
    buf[0] = 100;
    ASSERT_OK(jlc_float64_get(call1("first", a), &x));
    assert_true(x == 100.0);
}

static void receive_array_from_julia(void **state)
{
    jlc_value a = jlct_eval("collect(reshape(1.0:6.0, 2, 3))");
    bool is = false;
    ASSERT_OK(jlc_value_is_array(a, &is));
    assert_true(is);
    jlc_array_info info;
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(JLC_FLOAT64, info.eltype);
    assert_int_equal(2, info.rank);
    const double *p;
    jlc_borrow b;
    ASSERT_OK(jlc_array_borrow(S, a, JLC_FLOAT64, sizeof *p, &b, (const void **)&p));
    for (int i = 0; i < 6; i++) assert_true(p[i] == i + 1.0);
    ASSERT_OK(jlc_borrow_release(b));

    /* a range is an AbstractArray but not an Array */
    jlc_value r = jlct_eval("1:3");
    ASSERT_OK(jlc_value_is_array(r, &is));
    assert_false(is);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_inspect(r, &info));
    assert_alive();
}

/* The point of arrays: a linear system from C memory, solved in Julia,
 * with the solution written straight into C memory. */
static void linear_solve_in_c_memory(void **state)
{
    double A[9] = {4, 1, 0, 1, 3, 1, 0, 1, 2}; /* column-major, symmetric */
    double xs[3] = {1, -2, 3}, b[3], x[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) b[i] = A[i] * xs[0] + A[i + 3] * xs[1] + A[i + 6] * xs[2];
    size_t d2[2] = {3, 3}, d1 = 3;
    jlc_value Aj, bj, xj, args[3], F, ldiv, lu;
    ASSERT_OK(jlc_using(S, "LinearAlgebra"));
    ASSERT_OK(jlc_array_wrap(S, A, JLC_FLOAT64, 2, d2, &Aj));
    ASSERT_OK(jlc_array_wrap(S, b, JLC_FLOAT64, 1, &d1, &bj));
    ASSERT_OK(jlc_array_wrap(S, x, JLC_FLOAT64, 1, &d1, &xj));
    ASSERT_OK(jlc_global_lookup(S, "LinearAlgebra.lu", &lu));
    ASSERT_OK(jlc_global_lookup(S, "LinearAlgebra.ldiv!", &ldiv));
    ASSERT_OK(jlc_call(S, lu, 1, &Aj, &F));
    args[0] = xj;
    args[1] = F;
    args[2] = bj;
    jlc_value r;
    ASSERT_OK(jlc_call(S, ldiv, 3, args, &r));
    for (int i = 0; i < 3; i++) assert_true(fabs(x[i] - xs[i]) < 1e-12);
    /* lu copied A: the C matrix is unchanged */
    assert_true(A[0] == 4 && A[4] == 3 && A[8] == 2);
}

struct cpoint {
    double x, y;
    int32_t tag; /* + 4 bytes of padding, as in Julia */
};

static void isbits_structs(void **state)
{
    defs();
    jlc_value T = jlct_eval("JlctPoint"), a, w, e, args[2];
    jlc_array_info info;
    size_t d = 3;
    assert_int_equal(24, sizeof(struct cpoint));

    /* create from the Julia type, layout checked against the C size */
    ASSERT_OK(jlc_array_new_of(S, T, sizeof(struct cpoint), 1, &d, &a));
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(JLC_STRUCT, info.eltype);
    assert_int_equal(sizeof(struct cpoint), info.elsize);
    assert_true(info.isbits);
    struct cpoint p = {1.5, -2.0, 7}, q;
    ASSERT_OK(jlc_array_set(a, 1, JLC_STRUCT, sizeof p, &p));
    ASSERT_OK(jlc_array_get(a, 1, JLC_STRUCT, sizeof q, &q));
    assert_true(q.x == 1.5 && q.y == -2.0 && q.tag == 7);
    jlc_value et;
    ASSERT_OK(jlc_array_eltype(S, a, &et));
    assert_ptr_equal(raw(T), raw(et));

    /* Julia sees the fields C wrote: element 2 as a handle */
    ASSERT_OK(jlc_array_get_value(S, a, 1, &e));
    jlc_value f;
    double fx = 0;
    ASSERT_OK(jlc_field_get_by_name(S, e, "y", &f));
    ASSERT_OK(jlc_float64_get(f, &fx));
    assert_true(fx == -2.0);
    ASSERT_OK(jlc_field_get_by_name(S, e, "tag", &f));
    ASSERT_INT64(7, f);

    /* wrap a C array of structs; Julia sums the x fields in place */
    struct cpoint pts[3] = {{1, 10, 1}, {2, 20, 2}, {3, 30, 3}};
    ASSERT_OK(jlc_array_wrap_of(S, pts, T, sizeof pts[0], 1, &d, &w));
    jlc_value sumx = jlct_eval("a -> sum(p -> p.x, a)");
    ASSERT_OK(jlc_call(S, sumx, 1, &w, &f));
    ASSERT_OK(jlc_float64_get(f, &fx));
    assert_true(fx == 6.0);
    /* store a Julia-made struct through a handle: C sees the fields */
    jlc_value np = jlct_eval("JlctPoint(9.0, 8.0, Int32(-1))");
    ASSERT_OK(jlc_array_set_value(w, 2, np));
    assert_true(pts[2].x == 9.0 && pts[2].y == 8.0 && pts[2].tag == -1);

    /* bad layouts: wrong C size, non-isbits type, struct access on numbers */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_new_of(S, T, 20, 1, &d, &w));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_wrap_of(S, pts, T, 32, 1, &d, &w));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_wrap_of(S, pts, jlct_eval("String"), 8, 1, &d, &w));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_wrap_of(S, pts, jlct_eval("42"), 24, 1, &d, &w));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_FLOAT64, 8, &fx));
    jlc_value nums = jlct_eval("zeros(3)");
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(nums, 0, JLC_STRUCT, 8, &fx));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, pts, JLC_STRUCT, 1, &d, &w));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_STRUCT, 1, &d, &w));
    /* store a value of the wrong type through a handle */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set_value(w, 0, jlct_eval("1.5")));
    assert_true(pts[0].x == 1.0);
    assert_alive();
}

static void complex_in_place(void **state)
{
    double _Complex z[3] = {1 + 2 * I, -3 * I, 4};
    size_t d = 3;
    jlc_value a, r;
    ASSERT_OK(jlc_array_wrap(S, z, JLC_COMPLEXF64, 1, &d, &a));
    double n2 = 0;
    ASSERT_OK(jlc_call(S, jlct_eval("a -> sum(abs2, a)"), 1, &a, &r));
    ASSERT_OK(jlc_float64_get(r, &n2));
    assert_true(n2 == 1 + 4 + 9 + 16);
    ASSERT_OK(jlc_call(S, jlct_eval("a -> (a .= conj.(a) .* 2; nothing)"), 1, &a, &r));
    assert_true(creal(z[0]) == 2 && cimag(z[0]) == -4);
    assert_true(creal(z[1]) == 0 && cimag(z[1]) == 6);
    float _Complex w;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_COMPLEXF32, sizeof w, &w));

    /* a ComplexF32 matrix made by jlc, filled by Julia */
    size_t d2[2] = {2, 2};
    ASSERT_OK(jlc_array_new(S, JLC_COMPLEXF32, 2, d2, &a));
    ASSERT_OK(jlc_call(S, jlct_eval("a -> (a .= [1 2; 3 4] .* im; nothing)"), 1, &a, &r));
    size_t idx[2] = {0, 1};
    ASSERT_OK(jlc_array_get_nd(a, 2, idx, JLC_COMPLEXF32, sizeof w, &w));
    assert_true(crealf(w) == 0 && cimagf(w) == 2);
}

/* ---- boxed elements ---- */

static void vector_any(void **state)
{
    jlc_value a, v, exc;
    size_t d = 3;
    jlc_array_info info;
    ASSERT_OK(jlc_array_new(S, JLC_ANY, 1, &d, &a));
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(JLC_ANY, info.eltype);
    assert_false(info.isbits);
    assert_true(info.boxed);
    assert_int_equal(sizeof(void *), info.elsize);

    /* unassigned element: Julia's UndefRefError */
    ASSERT_STATUS(JLC_EXCEPTION, jlc_array_get_value(S, a, 1, &v));
    const char *tn;
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_value_type_name(exc, &tn));
    assert_string_equal("UndefRefError", tn);

    ASSERT_OK(jlc_int64_new(S, 5, &v));
    ASSERT_OK(jlc_array_set_value(a, 0, v));
    ASSERT_OK(jlc_string_new_c(S, "five", &v));
    ASSERT_OK(jlc_array_set_value(a, 1, v));
    ASSERT_OK(jlc_nothing_new(S, &v));
    ASSERT_OK(jlc_array_set_value(a, 2, v));
    ASSERT_OK(jlc_array_get_value(S, a, 0, &v));
    ASSERT_INT64(5, v);
    ASSERT_OK(jlc_array_get_value(S, a, 1, &v));
    ASSERT_JSTRING("five", v);
    ASSERT_OK(jlc_array_get_value(S, a, 2, &v));
    bool nothing = false;
    ASSERT_OK(jlc_value_is_nothing(v, &nothing));
    assert_true(nothing);
    ASSERT_OK(jlc_value_repr(S, a, &v));
    ASSERT_JSTRING("Any[5, \"five\", nothing]", v);

    /* bits-only operations refuse boxed data */
    const void *p;
    jlc_borrow b;
    int64_t x;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow(S, a, JLC_ANY, 8, &b, &p));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow(S, a, JLC_INT64, 8, &b, &p));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_INT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_copy_out(a, 0, 1, JLC_ANY, 8, &x));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_get_value(S, a, 3, &v));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_set_value(a, 3, v));
    assert_alive();
}

static void vector_string(void **state)
{
    jlc_value T = jlct_eval("String"), a, v, r;
    size_t d = 3;
    ASSERT_OK(jlc_array_new_of(S, T, 0, 1, &d, &a));
    const char *words[3] = {"alpha", "beta", "gamma"};
    for (size_t i = 0; i < 3; i++) {
        ASSERT_OK(jlc_string_new_c(S, words[i], &v));
        ASSERT_OK(jlc_array_set_value(a, i, v));
    }
    ASSERT_OK(jlc_call(S, jlct_eval("a -> join(a, ',')"), 1, &a, &r));
    ASSERT_JSTRING("alpha,beta,gamma", r);
    jlc_array_info info;
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(JLC_ANY, info.eltype);
    assert_true(info.boxed);
    jlc_value et;
    ASSERT_OK(jlc_array_eltype(S, a, &et));
    assert_ptr_equal(raw(T), raw(et));

    /* wrong element type, wrong elsize for a boxed type */
    ASSERT_OK(jlc_int64_new(S, 1, &v));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set_value(a, 0, v));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_new_of(S, T, 8, 1, &d, &r));
    ASSERT_OK(jlc_array_get_value(S, a, 0, &v));
    ASSERT_JSTRING("alpha", v);

    /* strings from Julia */
    a = jlct_eval("[\"x\", \"yz\"]");
    ASSERT_OK(jlc_array_get_value(S, a, 1, &v));
    ASSERT_JSTRING("yz", v);
    assert_alive();
}

/* Boxed stores must use the write barrier: an old array pointing at a young
 * value that nothing else roots must keep it alive across a young GC. */
static void boxed_store_write_barrier(void **state)
{
    defs();
    jlc_value a;
    size_t d = 64;
    ASSERT_OK(jlc_array_new(S, JLC_ANY, 1, &d, &a));
    ASSERT_OK(jlc_gc_collect(true)); /* a is old now */
    ASSERT_OK(jlc_gc_collect(true));
    for (size_t i = 0; i < d; i++) {
        jlc_scope inner;
        jlc_value s;
        char text[32];
        snprintf(text, sizeof text, "young string %zu", i);
        ASSERT_OK(jlc_scope_open(S, &inner));
        ASSERT_OK(jlc_string_new_c(inner, text, &s));
        ASSERT_OK(jlc_array_set_value(a, i, s));
        ASSERT_OK(jlc_scope_close(inner)); /* only a roots the string now */
    }
    call("jlct_make_garbage", 0, NULL);
    ASSERT_OK(jlc_gc_collect(false));
    call("jlct_make_garbage", 0, NULL);
    ASSERT_OK(jlc_gc_collect(false));
    ASSERT_OK(jlc_gc_collect(true));
    for (size_t i = 0; i < d; i++) {
        jlc_value s;
        char text[32];
        snprintf(text, sizeof text, "young string %zu", i);
        ASSERT_OK(jlc_array_get_value(S, a, i, &s));
        ASSERT_JSTRING(text, s);
    }
}

/* Inline elements that are not plain bits: a union of bits types. */
static void bits_union_elements(void **state)
{
    jlc_value a = jlct_eval("Union{Missing, Float64}[1.5, missing, 3.0]"), v;
    jlc_array_info info;
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(JLC_ANY, info.eltype);
    assert_false(info.isbits);
    assert_false(info.boxed);
    double x = 0;
    ASSERT_OK(jlc_array_get_value(S, a, 0, &v));
    ASSERT_OK(jlc_float64_get(v, &x));
    assert_true(x == 1.5);
    const char *tn;
    ASSERT_OK(jlc_array_get_value(S, a, 1, &v));
    ASSERT_OK(jlc_value_type_name(v, &tn));
    assert_string_equal("Missing", tn);
    ASSERT_OK(jlc_float64_new(S, -4.0, &v));
    ASSERT_OK(jlc_array_set_value(a, 1, v));
    ASSERT_OK(jlc_array_set_value(a, 2, jlct_eval("missing")));
    ASSERT_OK(jlc_value_repr(S, a, &v));
    ASSERT_JSTRING("Union{Missing, Float64}[1.5, -4.0, missing]", v);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set_value(a, 0, jlct_eval("\"no\"")));
}

/* ---- borrows ---- */

static void borrow_rules(void **state)
{
    double buf[4] = {1, 2, 3, 4};
    size_t d = 4;
    jlc_value a, a2;
    jlc_borrow r1, r2, m, m2;
    const void *cp;
    void *p;
    bool w = true;
    double x = 0;
    assert_int_equal(0, jlc_borrow_count());
    ASSERT_OK(jlc_array_wrap(S, buf, JLC_FLOAT64, 1, &d, &a));

    /* shared + shared */
    ASSERT_OK(jlc_array_borrow(S, a, JLC_FLOAT64, 8, &r1, &cp));
    ASSERT_OK(jlc_array_borrow(S, a, JLC_FLOAT64, 8, &r2, &cp));
    assert_int_equal(2, jlc_borrow_count());
    ASSERT_OK(jlc_borrow_data(r1, &p, &w));
    assert_ptr_equal(buf, p);
    assert_false(w);
    /* mutable while shared: refused, and nothing changed */
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow_mut(S, a, JLC_FLOAT64, 8, &m, &p));
    assert_int_equal(2, jlc_borrow_count());
    /* reading elements is fine, writing is not */
    ASSERT_OK(jlc_array_get(a, 1, JLC_FLOAT64, 8, &x));
    assert_true(x == 2);
    x = 9;
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_set(a, 1, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_copy_in(a, 0, 1, JLC_FLOAT64, 8, &x));
    assert_true(buf[1] == 2 && buf[0] == 1);
    ASSERT_OK(jlc_borrow_release(r1));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow_mut(S, a, JLC_FLOAT64, 8, &m, &p));
    ASSERT_OK(jlc_borrow_release(r2));
    assert_int_equal(0, jlc_borrow_count());

    /* one mutable borrow excludes everything */
    ASSERT_OK(jlc_array_borrow_mut(S, a, JLC_FLOAT64, 8, &m, &p));
    assert_ptr_equal(buf, p);
    ((double *)p)[3] = 40;
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow(S, a, JLC_FLOAT64, 8, &r1, &cp));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow_mut(S, a, JLC_FLOAT64, 8, &m2, &p));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_get(a, 0, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_copy_out(a, 0, 1, JLC_FLOAT64, 8, &x));
    jlc_value v;
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_get_value(S, a, 0, &v));
    ASSERT_OK(jlc_float64_new(S, 5, &v));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_set_value(a, 0, v));
    /* another wrap of part of the same buffer overlaps: the same data */
    size_t d2 = 2;
    ASSERT_OK(jlc_array_wrap(S, buf + 2, JLC_FLOAT64, 1, &d2, &a2));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow(S, a2, JLC_FLOAT64, 8, &r1, &cp));
    ASSERT_OK(jlc_borrow_data(m, &p, &w));
    assert_true(w);
    ASSERT_OK(jlc_borrow_release(m));

    /* released: stale, and releasing twice is JLC_ERR_STALE */
    ASSERT_STATUS(JLC_ERR_STALE, jlc_borrow_release(m));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_borrow_data(m, &p, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_borrow_release((jlc_borrow){0}));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_borrow_release((jlc_borrow){12345}));
    assert_int_equal(0, jlc_borrow_count());
    ASSERT_OK(jlc_array_get(a2, 1, JLC_FLOAT64, 8, &x));
    assert_true(x == 40);
    /* borrows work again; disjoint parts of one buffer do not conflict */
    jlc_value a3;
    ASSERT_OK(jlc_array_wrap(S, buf, JLC_FLOAT64, 1, &d2, &a3)); /* buf[0..1] */
    ASSERT_OK(jlc_array_borrow_mut(S, a2, JLC_FLOAT64, 8, &m, &p)); /* buf[2..3] */
    ASSERT_OK(jlc_array_borrow_mut(S, a3, JLC_FLOAT64, 8, &m2, &p));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow(S, a, JLC_FLOAT64, 8, &r1, &cp));
    ASSERT_OK(jlc_borrow_release(m));
    ASSERT_OK(jlc_borrow_release(m2));
    assert_int_equal(0, jlc_borrow_count());
    assert_alive();
}

/* A borrow dies with its scope: using or releasing it then is JLC_ERR_STALE,
 * and it no longer blocks other borrows. */
static void borrow_after_scope_closed(void **state)
{
    jlc_value a;
    size_t d = 8;
    jlc_scope inner;
    jlc_borrow m, m2;
    void *p;
    ASSERT_OK(jlc_array_new(S, JLC_INT32, 1, &d, &a));
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_borrow_mut(inner, a, JLC_INT32, 4, &m, &p));
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_array_borrow_mut(S, a, JLC_INT32, 4, &m2, &p));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_borrow_data(m, &p, NULL));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_borrow_release(m));
    ASSERT_OK(jlc_array_borrow_mut(S, a, JLC_INT32, 4, &m2, &p));
    ASSERT_OK(jlc_borrow_release(m2));

    /* a reopened scope (same slot, new generation) does not revive it */
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_borrow(inner, a, JLC_INT32, 4, &m, (const void **)&p));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_borrow_data(m, &p, NULL));
    ASSERT_OK(jlc_scope_close(inner));
    assert_int_equal(0, jlc_borrow_count());
    /* a borrow in a closed scope cannot be made */
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_borrow_mut(inner, a, JLC_INT32, 4, &m, &p));
    assert_alive();
}

/* The borrow keeps the array (and its data) alive after the handle's scope
 * closed. The array is an adopted buffer, so its finalizer tells exactly
 * when Julia collected it. */
static int kept_dealloc_calls;
static void kept_dealloc(void *data, void *ctx)
{
    (void)ctx;
    kept_dealloc_calls++;
    free(data);
}

static void borrow_keeps_array_alive(void **state)
{
    defs();
    jlc_scope inner;
    jlc_value a;
    jlc_borrow b;
    int64_t *p;
    size_t d = 1000;
    int64_t *data = malloc(d * sizeof *data);
    assert_non_null(data);
    kept_dealloc_calls = 0;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_adopt(inner, data, JLC_INT64, 1, &d, kept_dealloc, NULL, &a));
    ASSERT_OK(jlc_array_borrow_mut(S, a, JLC_INT64, 8, &b, (void **)&p));
    for (size_t i = 0; i < d; i++) p[i] = (int64_t)i * 3;
    ASSERT_OK(jlc_scope_close(inner)); /* only the borrow holds the array now */
    for (int i = 0; i < 3; i++) {
        call("jlct_make_garbage", 0, NULL);
        ASSERT_OK(jlc_gc_collect(true));
    }
    assert_int_equal(0, kept_dealloc_calls);
    void *q;
    ASSERT_OK(jlc_borrow_data(b, &q, NULL));
    assert_ptr_equal(p, q);
    for (size_t i = 0; i < d; i++) assert_int_equal((int64_t)i * 3, p[i]);
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_inspect(a, &(jlc_array_info){0}));
    ASSERT_OK(jlc_borrow_release(b));
    /* released: now Julia may collect it */
    for (int i = 0; i < 4 && kept_dealloc_calls == 0; i++) ASSERT_OK(jlc_gc_collect(true));
    assert_int_equal(1, kept_dealloc_calls);
}

static void borrow_type_mismatch(void **state)
{
    jlc_value a = jlct_eval("Int64[1, 2, 3]");
    jlc_borrow b;
    const void *cp;
    void *p;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow(S, a, JLC_FLOAT64, sizeof(double), &b, &cp));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow_mut(S, a, JLC_FLOAT64, sizeof(double), &b, &p));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow(S, a, JLC_UINT64, 8, &b, &cp));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow(S, a, JLC_INT64, 4, &b, &cp));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_borrow(S, a, (jlc_ctype)99, 8, &b, &cp));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_borrow(S, jlct_eval("3"), JLC_INT64, 8, &b, &cp));
    assert_int_equal(0, jlc_borrow_count());
    ASSERT_OK(jlc_array_borrow(S, a, JLC_INT64, 8, &b, &cp));
    assert_int_equal(2, ((const int64_t *)cp)[1]);
    ASSERT_OK(jlc_borrow_release(b));
    assert_alive();
}

/* ---- bad input ---- */

static void bad_dims(void **state)
{
    jlc_value a = JLC_NO_VALUE;
    double buf[4];
    size_t one = 1, neg = (size_t)-1, over[2] = {(size_t)1 << 32, (size_t)1 << 32};
    size_t bytes_over = (size_t)1 << 61, many[JLC_ARRAY_MAX_RANK + 1];
    for (size_t i = 0; i <= JLC_ARRAY_MAX_RANK; i++) many[i] = 1;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_FLOAT64, 0, &one, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_FLOAT64, JLC_ARRAY_MAX_RANK + 1, many, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_FLOAT64, 1, &neg, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_INT8, 2, over, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_FLOAT64, 1, &bytes_over, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_ANY, 1, &bytes_over, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, buf, JLC_FLOAT64, 0, &one, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, buf, JLC_FLOAT64, 1, &neg, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, buf, JLC_UINT8, 2, over, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_VOID, 1, &one, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, (jlc_ctype)-3, 1, &one, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_FLOAT64, 1, NULL, &a));
    assert_true(a._h == 0); /* out untouched */
    /* zero-length dims are fine */
    size_t zero[2] = {0, 5};
    jlc_array_info info;
    ASSERT_OK(jlc_array_new(S, JLC_FLOAT64, 2, zero, &a));
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(0, info.length);
    assert_alive();
}

static void bad_wrap(void **state)
{
    jlc_value a = JLC_NO_VALUE;
    size_t d = 2;
    double buf[3];
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, NULL, JLC_FLOAT64, 1, &d, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, (char *)buf + 1, JLC_FLOAT64, 1, &d, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap(S, buf, JLC_ANY, 1, &d, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_adopt(S, buf, JLC_FLOAT64, 1, &d, NULL, NULL, &a));
    jlc_scope closed;
    ASSERT_OK(jlc_scope_open(S, &closed));
    ASSERT_OK(jlc_scope_close(closed));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_wrap(closed, buf, JLC_FLOAT64, 1, &d, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_wrap((jlc_scope){0}, buf, JLC_FLOAT64, 1, &d, &a));
    assert_true(a._h == 0);
    assert_alive();
}

static void bounds(void **state)
{
    jlc_value a, v;
    size_t dims[2] = {2, 3};
    double x = 1;
    ASSERT_OK(jlc_array_new(S, JLC_FLOAT64, 2, dims, &a));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_get(a, 6, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_set(a, 6, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_get(a, (size_t)-1, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_get_value(S, a, 6, &v));
    size_t i1[2] = {2, 0}, i2[2] = {0, 3}, i3[3] = {0, 0, 0}, lin = 99;
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_get_nd(a, 2, i1, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_set_nd(a, 2, i2, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_index(a, 2, i2, &lin));
    assert_int_equal(99, lin);
    /* wrong rank */
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_get_nd(a, 3, i3, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_get_nd(a, 1, i3, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_index(a, 3, i3, &lin));
    /* copies */
    double buf[8] = {0};
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_copy_out(a, 0, 7, JLC_FLOAT64, 8, buf));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_copy_in(a, 5, 2, JLC_FLOAT64, 8, buf));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_copy_in(a, 7, 0, JLC_FLOAT64, 8, buf));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_array_copy_out(a, 2, (size_t)-1, JLC_FLOAT64, 8, buf));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_copy_out(a, 0, 2, JLC_FLOAT64, 8, NULL));
    ASSERT_OK(jlc_array_copy_out(a, 6, 0, JLC_FLOAT64, 8, NULL));
    /* in bounds still works; nothing was written */
    ASSERT_OK(jlc_array_copy_out(a, 0, 6, JLC_FLOAT64, 8, buf));
    for (int i = 0; i < 6; i++) assert_true(buf[i] == 0);
    buf[4] = 5;
    ASSERT_OK(jlc_array_copy_in(a, 1, 5, JLC_FLOAT64, 8, buf));
    ASSERT_OK(jlc_array_get(a, 5, JLC_FLOAT64, 8, &x));
    assert_true(x == 5);
    assert_alive();
}

static void element_type_mismatch(void **state)
{
    jlc_value a = jlct_eval("Int64[10, 20, 30]");
    double d = 1.5;
    int32_t i32 = 1;
    int64_t i64 = 0, buf[3];
    bool b2 = false;
    uint8_t two = 2;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_FLOAT64, sizeof d, &d));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_INT32, sizeof i32, &i32));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(a, 0, JLC_INT64, 4, &i64));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set(a, 0, JLC_FLOAT64, sizeof d, &d));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set(a, 0, JLC_UINT64, 8, &i64));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_copy_out(a, 0, 3, JLC_FLOAT64, 8, buf));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_copy_in(a, 0, 3, JLC_FLOAT64, 8, buf));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set_value(a, 0, jlct_eval("1.5")));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_set_value(a, 0, jlct_eval("Int32(1)")));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_get(jlct_eval("(1, 2)"), 0, JLC_INT64, 8, &i64));
    /* Bool only holds 0 or 1 */
    jlc_value bools = jlct_eval("Bool[true, false]");
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_set(bools, 1, JLC_BOOL, 1, &two));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_copy_in(bools, 0, 1, JLC_BOOL, 1, &two));
    ASSERT_OK(jlc_array_get(bools, 1, JLC_BOOL, 1, &b2));
    assert_false(b2);
    /* nothing changed */
    ASSERT_OK(jlc_array_copy_out(a, 0, 3, JLC_INT64, 8, buf));
    assert_true(buf[0] == 10 && buf[1] == 20 && buf[2] == 30);
    assert_alive();
}

static void null_and_stale_arguments(void **state)
{
    jlc_value a, v;
    size_t d = 2;
    double x;
    jlc_array_info info;
    jlc_borrow b;
    const void *cp;
    bool is;
    ASSERT_OK(jlc_array_new(S, JLC_FLOAT64, 1, &d, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_new(S, JLC_FLOAT64, 1, &d, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_inspect(a, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_get(a, 0, JLC_FLOAT64, 8, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_set(a, 0, JLC_FLOAT64, 8, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_borrow(S, a, JLC_FLOAT64, 8, NULL, &cp));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_borrow(S, a, JLC_FLOAT64, 8, &b, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_inspect(JLC_NO_VALUE, &info));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_is_array(JLC_NO_VALUE, &is));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_get_value(S, a, 0, NULL));

    /* handles of a closed scope */
    jlc_scope inner;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_new(inner, JLC_FLOAT64, 1, &d, &v));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_inspect(v, &info));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_get(v, 0, JLC_FLOAT64, 8, &x));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_borrow(S, v, JLC_FLOAT64, 8, &b, &cp));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_new(inner, JLC_FLOAT64, 1, &d, &v));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_array_set_value(a, 0, v));
    assert_alive();
}

/* ---- growing a wrapped buffer from Julia ---- */

static void push_on_wrapped_buffer_fails(void **state)
{
    defs();
    double buf[3] = {1, 2, 3};
    size_t d = 3, got = 0;
    jlc_value a, f, r, exc, text;
    ASSERT_OK(jlc_array_wrap(S, buf, JLC_FLOAT64, 1, &d, &a));
    ASSERT_OK(jlc_global_lookup(S, "jlct_grow!", &f));
    /* Julia 1.11 dropped this error (a grown wrapped vector moves to new
     * Julia memory instead); the C buffer is untouched either way. */
    int major = 0, minor = 0;
    sscanf(jlc_julia_version(), "%d.%d", &major, &minor);
    if (major > 1 || minor >= 11) {
        ASSERT_OK(jlc_call(S, f, 1, &a, &r));
        assert_true(buf[0] == 1 && buf[1] == 2 && buf[2] == 3);
        skip();
    }
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(S, f, 1, &a, &r));
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_exception_text(S, exc, false, &text));
    const char *s;
    ASSERT_OK(jlc_string_get(text, &s, NULL));
    if (!strstr(s, "cannot resize array with shared data")) fail_msg("unexpected error: %s", s);
    /* the C buffer and the array are untouched */
    assert_true(buf[0] == 1 && buf[1] == 2 && buf[2] == 3);
    ASSERT_OK(jlc_array_dims(a, &got, 1, NULL));
    assert_int_equal(3, got);
    /* also resize! via eval, and for a transferred buffer */
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(S, jlct_eval("a -> resize!(a, 100)"), 1, &a, &r));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(S, jlct_eval("a -> empty!(a)"), 1, &a, &r));
    assert_true(buf[0] == 1 && buf[1] == 2 && buf[2] == 3);
    ASSERT_OK(jlc_float64_get(call1("sum", a), &(double){0}));
    assert_alive();
}

/* ---- transferred buffers ---- */

static int dealloc_calls;
static void *dealloc_last_data, *dealloc_last_ctx;

static void count_and_free(void *data, void *ctx)
{
    dealloc_calls++;
    dealloc_last_data = data;
    dealloc_last_ctx = ctx;
    free(data);
}

static void adopt_runs_dealloc_once(void **state)
{
    defs();
    static int ctx_marker;
    size_t dims[2] = {100, 10};
    double *data = malloc(1000 * sizeof *data);
    assert_non_null(data);
    for (int i = 0; i < 1000; i++) data[i] = 1.0;
    dealloc_calls = 0;

    jlc_scope inner;
    jlc_value a, r;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_adopt(inner, data, JLC_FLOAT64, 2, dims, count_and_free, &ctx_marker, &a));
    double s = 0;
    ASSERT_OK(jlc_call(inner, jlct_eval("sum"), 1, &a, &r));
    ASSERT_OK(jlc_float64_get(r, &s));
    assert_true(s == 1000.0);
    /* Julia owns it but C may still borrow it while it is alive */
    jlc_borrow b;
    double *p;
    ASSERT_OK(jlc_array_borrow_mut(inner, a, JLC_FLOAT64, 8, &b, (void **)&p));
    assert_ptr_equal(data, p);
    p[0] = 5;
    ASSERT_OK(jlc_borrow_release(b));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(inner, jlct_eval("jlct_grow!"), 1, &a, &r));
    assert_int_equal(0, dealloc_calls);
    ASSERT_OK(jlc_scope_close(inner));

    for (int i = 0; i < 4 && dealloc_calls == 0; i++) {
        call("jlct_make_garbage", 0, NULL);
        ASSERT_OK(jlc_gc_collect(true));
    }
    assert_int_equal(1, dealloc_calls);
    assert_ptr_equal(data, dealloc_last_data);
    assert_ptr_equal(&ctx_marker, dealloc_last_ctx);
    /* more collections never run it again */
    ASSERT_OK(jlc_gc_collect(true));
    ASSERT_OK(jlc_gc_collect(false));
    ASSERT_OK(jlc_gc_collect(true));
    assert_int_equal(1, dealloc_calls);
    assert_alive();
}

static void adopt_failure_keeps_ownership(void **state)
{
    jlc_value a = JLC_NO_VALUE, T = jlct_eval("JlctPoint");
    size_t bad = (size_t)-1, d = 2;
    double *data = malloc(2 * sizeof *data);
    assert_non_null(data);
    dealloc_calls = 0;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_adopt(S, data, JLC_FLOAT64, 1, &bad, count_and_free, NULL, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_adopt(S, (char *)data + 4, JLC_FLOAT64, 1, &d, count_and_free, NULL, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_adopt(S, data, JLC_ANY, 1, &d, count_and_free, NULL, &a));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_array_adopt_of(S, data, T, 16, 1, &d, count_and_free, NULL, &a));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_array_adopt_of(S, data, T, 24, 1, &d, NULL, NULL, &a));
    assert_true(a._h == 0);
    ASSERT_OK(jlc_gc_collect(true));
    assert_int_equal(0, dealloc_calls);
    free(data); /* still ours */

    /* adopt_of with a struct type: freed once */
    struct cpoint *pts = calloc(2, sizeof *pts);
    assert_non_null(pts);
    jlc_scope inner;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_adopt_of(inner, pts, T, sizeof *pts, 1, &d, count_and_free, NULL, &a));
    ASSERT_OK(jlc_scope_close(inner));
    for (int i = 0; i < 4 && dealloc_calls == 0; i++) ASSERT_OK(jlc_gc_collect(true));
    assert_int_equal(1, dealloc_calls);
    assert_ptr_equal(pts, dealloc_last_data);
    assert_alive();
}

/* An adopted buffer that Julia still holds at exit is freed by
 * jlc_shutdown(): checked in the group teardown below, after shutdown. */
static int shutdown_dealloc_calls;
static void shutdown_dealloc(void *data, void *ctx)
{
    (void)ctx;
    shutdown_dealloc_calls++;
    free(data);
}

static void adopt_kept_by_julia_until_shutdown(void **state)
{
    size_t d = 16;
    float *data = calloc(d, sizeof *data);
    assert_non_null(data);
    jlc_scope inner;
    jlc_value a, main_module;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_array_adopt(inner, data, JLC_FLOAT32, 1, &d, shutdown_dealloc, NULL, &a));
    ASSERT_OK(jlc_module_lookup(inner, "Main", &main_module));
    ASSERT_OK(jlc_global_set(inner, main_module, "jlct_kept_array", a));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_OK(jlc_gc_collect(true));
    ASSERT_OK(jlc_gc_collect(true));
    assert_int_equal(0, shutdown_dealloc_calls); /* Julia still holds it */
}

/* cmocka reports a failed group teardown but still exits with 0, so a
 * failure here exits with 1 itself. */
static int group_teardown(void **state)
{
    int rc = jlct_group_teardown(state);
    if (rc != 0 || shutdown_dealloc_calls != 1) {
        fprintf(stderr, "group teardown failed (rc %d); adopted buffer held by Julia: "
                        "deallocator ran %d time(s) at shutdown, expected 1\n",
                rc, shutdown_dealloc_calls);
        fflush(NULL);
        _exit(1);
    }
    return rc;
}

/* One Julia call over a whole C array (coarse-grained interop). */
static void map_over_c_array(void **state)
{
    enum { N = 100000 };
    static double in[N], out[N];
    for (int i = 0; i < N; i++) in[i] = i * 0.001;
    size_t d = N;
    jlc_value ai, ao, args[3], r;
    ASSERT_OK(jlc_array_wrap(S, in, JLC_FLOAT64, 1, &d, &ai));
    ASSERT_OK(jlc_array_wrap(S, out, JLC_FLOAT64, 1, &d, &ao));
    args[0] = jlct_eval("x -> 2x + 1");
    args[1] = ao;
    args[2] = ai;
    ASSERT_OK(jlc_call(S, jlct_eval("map!"), 3, args, &r));
    for (int i = 0; i < N; i++) assert_true(out[i] == 2 * in[i] + 1);
    assert_ptr_equal(raw(ao), raw(r));
}

/* A borrow ends with its scope, and from then on jlc no longer keeps the
 * borrowed array alive (a WeakRef to it is cleared by a full collection). */
static void borrow_scope_close_releases_array(void **state)
{
    jlc_scope inner;
    jlc_value a, w;
    jlc_borrow b;
    const void *p;
    bool dead = false;
    jlct_eval("const TaWeak = Ref{Any}(nothing)");
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_eval(inner, JLC_NO_VALUE,
                       "let a = fill(1.5, 100); TaWeak[] = WeakRef(a); a end", &a));
    ASSERT_OK(jlc_array_borrow(inner, a, JLC_FLOAT64, sizeof(double), &b, &p));
    assert_true(((const double *)p)[99] == 1.5);
    assert_int_equal(1, jlc_borrow_count());
    ASSERT_OK(jlc_scope_close(inner));
    assert_int_equal(0, jlc_borrow_count());
    ASSERT_OK(jlc_gc_collect(true));
    ASSERT_OK(jlc_gc_collect(true));
    w = jlct_eval("TaWeak[].value === nothing");
    ASSERT_OK(jlc_bool_get(w, &dead));
    assert_true(dead);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(borrow_scope_close_releases_array),
        JLCT(eltype_names_and_types),
        JLCT(every_element_code),
        JLCT(nd_index_dims_strides),
        JLCT(wrap_borrowed_matrix),
        JLCT(receive_array_from_julia),
        JLCT(linear_solve_in_c_memory),
        JLCT(isbits_structs),
        JLCT(complex_in_place),
        JLCT(vector_any),
        JLCT(vector_string),
        JLCT(boxed_store_write_barrier),
        JLCT(bits_union_elements),
        JLCT(borrow_rules),
        JLCT(borrow_after_scope_closed),
        JLCT(borrow_keeps_array_alive),
        JLCT(borrow_type_mismatch),
        JLCT(bad_dims),
        JLCT(bad_wrap),
        JLCT(bounds),
        JLCT(element_type_mismatch),
        JLCT(null_and_stale_arguments),
        JLCT(push_on_wrapped_buffer_fails),
        JLCT(adopt_runs_dealloc_once),
        JLCT(adopt_failure_keeps_ownership),
        JLCT(map_over_c_array),
        JLCT(adopt_kept_by_julia_until_shutdown),
    };
    return cmocka_run_group_tests(tests, jlct_group_setup, group_teardown);
}

/* test_cfunc.c — typed calls: Julia functions as C function pointers,
 * checked and unchecked, the protected region, batched calls, bad input. */
#include "test_util.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct CfPoint { double x, y; } CfPoint;

typedef double (*dd_fn)(double, double);
typedef jlc_status (*dd_chk)(double, double, double *);
typedef double (*d_fn)(double);
typedef jlc_status (*d_chk)(double, double *);

static const char *DEFS =
    "cf_add(x::Float64, y::Float64) = x + y\n"
    "cf_sqrt(x::Float64) = sqrt(x)\n"
    "cf_inc(x::T) where {T<:Integer} = x + one(T)\n"
    "cf_half(x::Float32) = x / 2f0\n"
    "cf_not(x::Bool) = !x\n"
    "cf_fill(p::Ptr{Float64}, n::Int64) = (for i in 1:n; unsafe_store!(p, i * 0.5, i); end)\n"
    "function cf_sum(p::Ptr{Float64}, n::Int64)\n"
    "    s = 0.0\n"
    "    for i in 1:n; s += unsafe_load(p, i); end\n"
    "    s\n"
    "end\n"
    "cf_advance(p::Ptr{Cvoid}) = p + 8\n"
    "struct CfPoint; x::Float64; y::Float64; end\n"
    "cf_norm2(p::CfPoint) = p.x^2 + p.y^2\n"
    "cf_scale(p::Ptr{CfPoint}, s::Float64) = (q = unsafe_load(p); unsafe_store!(p, CfPoint(q.x * s, q.y * s)); nothing)\n"
    "cf_str(x::Float64) = \"a string\"\n"
    "cf_alloc(n::Int64) = sum(collect(1:n))\n"
    "cf_count = Ref(0)\n"
    "cf_tick() = (cf_count[] += 1; nothing)\n"
    "mutable struct CfBox; x::Float64; end\n"
    "struct CfHasString; s::String; end\n"
    "module CfGeo; struct Pt; x::Float64; y::Float64; end; end\n"
    "cf_geo(p::CfGeo.Pt) = p.x - p.y\n"
    "cf_redef(x::Float64) = x * 2.0\n"
    "cf_sum6(a::Int64, b::Int64, c::Int64, d::Int64, e::Int64, f::Int64) = a + 2b + 3c + 4d + 5e + 6f\n"
    "cf_div6(a::Int64, b::Int64, c::Int64, d::Int64, e::Int64, f::Int64) = div(a + b + c + d + e, f)\n"
    "cf_dot9(a::Float64, b::Float64, c::Float64, d::Float64, e::Float64, f::Float64, g::Float64,\n"
    "        h::Float64, i::Float64) = a + 2b + 3c + 4d + 5e + 6f + 7g + 8h + 9i\n"
    "cf_mix(a::Int64, b::Int32, c::Bool, d::UInt8, e::Int16, f::Float64, g::Float32, h::Float64,\n"
    "       i::Float64, j::Float64, k::Float64, l::Float64, m::Float64) =\n"
    "    a + 10b + 100c + 1000d + 10000e + f + 2g + 3h + 4i + 5j + 6k + 7l + 8m\n"
    "cf_box = Ref{Any}(2.0)\n"
    "cf_dyn_helper(x::Int64) = x\n"
    "cf_dyn(x::Float64) = cf_dyn_helper(cf_box[])::Float64 + x\n"
    "cf_mt(x::Float64) = x < 0 ? throw(DomainError(x, \"negative\")) : x + 1.0\n";

static int defined;

static void define(void)
{
    if (defined) return;
    jlc_value v;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, DEFS, &v));
    defined = 1;
}

static jlc_value fn(const char *name)
{
    define();
    jlc_value f;
    ASSERT_OK(jlc_global_lookup(S, name, &f));
    return f;
}

/* The runtime still answers after a failure: a dynamic call and a typed one. */
static void assert_runtime_works(void)
{
    jlc_value f = fn("cf_add"), args[2], r;
    double d = 0;
    ASSERT_OK(jlc_float64_new(S, 1.0, &args[0]));
    ASSERT_OK(jlc_float64_new(S, 2.0, &args[1]));
    ASSERT_OK(jlc_call(S, f, 2, args, &r));
    ASSERT_OK(jlc_float64_get(r, &d));
    assert_true(d == 3.0);
    void *p;
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", 0, &p));
    d = 0;
    ASSERT_OK(((dd_chk)p)(4.0, 0.5, &d));
    assert_true(d == 4.5);
}

/* Independent of test order: a failing checked call parks its exception,
 * jlc_cfunc_exception hands it over once, and then there is none. */
static void exception_none_yet(void **state)
{
    jlc_value e;
    const char *tn;
    void *p;
    double r = 0;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", 0, &p));
    ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)p)(-1.0, &r));
    ASSERT_OK(jlc_cfunc_exception(S, &e));
    ASSERT_OK(jlc_value_type_name(e, &tn));
    assert_string_equal("DomainError", tn);
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_cfunc_exception(S, &e));
    assert_runtime_works();
}

static void double_checked_and_unchecked(void **state)
{
    jlc_value f = fn("cf_add");
    void *pc, *pu;
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", JLC_CFUNC_CHECKED, &pc));
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", JLC_CFUNC_UNCHECKED, &pu));
    assert_true(pc != pu);
    double r = 0;
    ASSERT_OK(((dd_chk)pc)(1.5, 2.25, &r));
    assert_true(r == 3.75);
    assert_true(((dd_fn)pu)(-1.0, 0.125) == -0.875);
    for (int i = 0; i < 1000; i++) {
        ASSERT_OK(((dd_chk)pc)(i, 0.5, &r));
        assert_true(r == i + 0.5);
    }
}

static void integer_types(void **state)
{
    jlc_value f = fn("cf_inc");
    void *p;
    /* Julia integers wrap around, as C unsigned arithmetic does. */
    ASSERT_OK(jlc_cfunc_new(S, f, "int8_t(int8_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_int_equal(-128, ((int8_t(*)(int8_t))p)(127));
    assert_int_equal(-4, ((int8_t(*)(int8_t))p)(-5));
    ASSERT_OK(jlc_cfunc_new(S, f, "int16_t(int16_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_int_equal(-32768, ((int16_t(*)(int16_t))p)(32767));
    ASSERT_OK(jlc_cfunc_new(S, f, "int32_t(int32_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_int_equal(INT32_MIN, ((int32_t(*)(int32_t))p)(INT32_MAX));
    ASSERT_OK(jlc_cfunc_new(S, f, "int64_t(int64_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((int64_t(*)(int64_t))p)(INT64_C(1) << 40) == (INT64_C(1) << 40) + 1);
    ASSERT_OK(jlc_cfunc_new(S, f, "uint8_t(uint8_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_int_equal(0, ((uint8_t(*)(uint8_t))p)(255));
    assert_int_equal(201, ((uint8_t(*)(uint8_t))p)(200));
    ASSERT_OK(jlc_cfunc_new(S, f, "uint16_t(uint16_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_int_equal(65535, ((uint16_t(*)(uint16_t))p)(65534));
    ASSERT_OK(jlc_cfunc_new(S, f, "uint32_t(uint32_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((uint32_t(*)(uint32_t))p)(UINT32_MAX - 1) == UINT32_MAX);
    ASSERT_OK(jlc_cfunc_new(S, f, "uint64_t(uint64_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((uint64_t(*)(uint64_t))p)(UINT64_MAX) == 0);

    /* The same through checked pointers. */
    int8_t i8 = 0;
    ASSERT_OK(jlc_cfunc_new(S, f, "int8_t(int8_t)", 0, &p));
    ASSERT_OK(((jlc_status(*)(int8_t, int8_t *))p)(-128, &i8));
    assert_int_equal(-127, i8);
    uint16_t u16 = 0;
    ASSERT_OK(jlc_cfunc_new(S, f, "uint16_t(uint16_t)", 0, &p));
    ASSERT_OK(((jlc_status(*)(uint16_t, uint16_t *))p)(41, &u16));
    assert_int_equal(42, u16);
    int32_t i32 = 0;
    ASSERT_OK(jlc_cfunc_new(S, f, "int32_t(int32_t)", 0, &p));
    ASSERT_OK(((jlc_status(*)(int32_t, int32_t *))p)(-100000, &i32));
    assert_int_equal(-99999, i32);
    uint64_t u64 = 0;
    ASSERT_OK(jlc_cfunc_new(S, f, "uint64_t(uint64_t)", 0, &p));
    ASSERT_OK(((jlc_status(*)(uint64_t, uint64_t *))p)(UINT64_MAX - 1, &u64));
    assert_true(u64 == UINT64_MAX);
}

static void float_and_bool(void **state)
{
    void *p;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_half"), "float(float)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((float (*)(float))p)(3.0f) == 1.5f);
    float fl = 0;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_half"), "float(float)", 0, &p));
    ASSERT_OK(((jlc_status(*)(float, float *))p)(-1.0f, &fl));
    assert_true(fl == -0.5f);

    ASSERT_OK(jlc_cfunc_new(S, fn("cf_not"), "bool(bool)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((bool (*)(bool))p)(false) == true);
    assert_true(((bool (*)(bool))p)(true) == false);
    bool b = false;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_not"), "_Bool(_Bool)", 0, &p));
    ASSERT_OK(((jlc_status(*)(bool, bool *))p)(false, &b));
    assert_true(b == true);
}

static void pointers_and_void(void **state)
{
    double buf[5] = {0};
    void *p;
    /* void return: the checked form has no out parameter. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_fill"), "void(double *, int64_t)", 0, &p));
    ASSERT_OK(((jlc_status(*)(double *, int64_t))p)(buf, 4));
    assert_true(buf[0] == 0.5 && buf[3] == 2.0 && buf[4] == 0.0);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_fill"), "void(double *p, int64_t n)", JLC_CFUNC_UNCHECKED, &p));
    ((void (*)(double *, int64_t))p)(buf, 5);
    assert_true(buf[4] == 2.5);

    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sum"), "double(const double *, int64_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((double (*)(const double *, int64_t))p)(buf, 5) == 7.5);
    double s = 0;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sum"), "double(double *, int64_t)", 0, &p));
    ASSERT_OK(((jlc_status(*)(const double *, int64_t, double *))p)(buf, 2, &s));
    assert_true(s == 1.5);

    ASSERT_OK(jlc_cfunc_new(S, fn("cf_advance"), "void *(void *)", JLC_CFUNC_UNCHECKED, &p));
    char bytes[16];
    assert_ptr_equal(bytes + 8, ((void *(*)(void *))p)(bytes));
    void *q = NULL;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_advance"), "void*(void*)", 0, &p));
    ASSERT_OK(((jlc_status(*)(void *, void **))p)(bytes, &q));
    assert_ptr_equal(bytes + 8, q);

    /* No parameters. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_tick"), "void(void)", 0, &p));
    ASSERT_OK(((jlc_status(*)(void))p)());
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_tick"), "void()", JLC_CFUNC_UNCHECKED, &p));
    ((void (*)(void))p)();
    jlc_value n = jlct_eval("cf_count[]");
    ASSERT_INT64(2, n);
}

static void structs_by_pointer(void **state)
{
    CfPoint pt = {3.0, 4.0};
    void *p;
    /* const struct T *: f receives the value. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_norm2"), "double(const struct CfPoint *)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((double (*)(const CfPoint *))p)(&pt) == 25.0);
    double r = 0;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_norm2"), "double(const struct CfPoint *)", 0, &p));
    ASSERT_OK(((jlc_status(*)(const CfPoint *, double *))p)(&pt, &r));
    assert_true(r == 25.0);
    /* struct T *: f receives Ptr{T} and may write through it. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_scale"), "void(struct CfPoint *, double)", 0, &p));
    ASSERT_OK(((jlc_status(*)(CfPoint *, double))p)(&pt, 2.0));
    assert_true(pt.x == 6.0 && pt.y == 8.0);
    /* A struct in a module, by dotted name. */
    CfPoint g = {5.0, 1.5};
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_geo"), "double(const struct CfGeo.Pt *)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((double (*)(const CfPoint *))p)(&g) == 3.5);

    /* Type codes with the struct type as a handle: the same pointer. */
    jlc_value ty = jlct_eval("CfPoint");
    int args[] = {JLC_TYPE_PTR | JLC_TYPE_CONST | JLC_STRUCT};
    void *p2, *p3;
    ASSERT_OK(jlc_cfunc_new_typed(S, fn("cf_norm2"), JLC_FLOAT64, 1, args, &ty, 0, &p2));
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_norm2"), "double(const struct CfPoint *)", 0, &p3));
    assert_ptr_equal(p2, p3);
    pt.x = 1.0;
    pt.y = 2.0;
    ASSERT_OK(((jlc_status(*)(const CfPoint *, double *))p2)(&pt, &r));
    assert_true(r == 5.0);
}

static void typed_codes(void **state)
{
    int args[] = {JLC_FLOAT64, JLC_FLOAT64};
    void *p, *q;
    ASSERT_OK(jlc_cfunc_new_typed(S, fn("cf_add"), JLC_FLOAT64, 2, args, NULL, JLC_CFUNC_UNCHECKED, &p));
    assert_true(((dd_fn)p)(2.0, 3.0) == 5.0);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_add"), "double(double,double)", JLC_CFUNC_UNCHECKED, &q));
    assert_ptr_equal(p, q);
    int pargs[] = {JLC_TYPE_PTR | JLC_FLOAT64, JLC_INT64};
    double buf[3] = {1, 2, 3}, s = 0;
    ASSERT_OK(jlc_cfunc_new_typed(S, fn("cf_sum"), JLC_FLOAT64, 2, pargs, NULL, 0, &p));
    ASSERT_OK(((jlc_status(*)(double *, int64_t, double *))p)(buf, 3, &s));
    assert_true(s == 6.0);
}

static void checked_exception(void **state)
{
    void *p;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", 0, &p));
    double r = 42.0;
    ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)p)(-1.0, &r));
    assert_true(r == 42.0); /* untouched */
    assert_non_null(strstr(jlc_last_error(), "DomainError"));
    jlc_value e, text;
    const char *tn;
    ASSERT_OK(jlc_cfunc_exception(S, &e));
    ASSERT_OK(jlc_value_type_name(e, &tn));
    assert_string_equal("DomainError", tn);
    jlc_value e2;
    ASSERT_OK(jlc_exception_get(&e2)); /* also the thread's latest exception now */
    ASSERT_OK(jlc_exception_text(S, e, false, &text));
    const char *s;
    ASSERT_OK(jlc_string_get(text, &s, NULL));
    assert_non_null(strstr(s, "sqrt"));
    ASSERT_OK(jlc_exception_text(S, e, true, &text));
    ASSERT_OK(jlc_string_get(text, &s, NULL));
    assert_non_null(strstr(s, "Stacktrace"));
    /* The pointer and the runtime keep working. */
    ASSERT_OK(((d_chk)p)(6.25, &r));
    assert_true(r == 2.5);
    for (int i = 0; i < 100; i++) {
        ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)p)(-i - 1.0, &r));
        ASSERT_OK(((d_chk)p)(i * i, &r));
        assert_true(r == i);
    }
    assert_runtime_works();
}

/* A pointer made in a scope that has closed is still valid. */
static void outlives_scope(void **state)
{
    jlc_scope inner;
    void *p;
    define();
    ASSERT_OK(jlc_scope_open(S, &inner));
    jlc_value f;
    ASSERT_OK(jlc_eval(inner, JLC_NO_VALUE, "cf_scoped(x::Float64, y::Float64) = x + y", &f));
    ASSERT_OK(jlc_cfunc_new(inner, f, "double(double, double)", 0, &p));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_OK(jlc_gc_collect(true));
    double r = 0;
    ASSERT_OK(((dd_chk)p)(0.25, 0.5, &r));
    assert_true(r == 0.75);
    /* And a failing one whose creation scope closed still reports. */
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_global_lookup(inner, "cf_sqrt", &f));
    ASSERT_OK(jlc_cfunc_new(inner, f, "double(double)", 0, &p));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)p)(-4.0, &r));
    jlc_value e;
    ASSERT_OK(jlc_cfunc_exception(S, &e));
}

static void caching(void **state)
{
    jlc_value f = fn("cf_add"), f2;
    void *a, *b, *c, *d;
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", 0, &a));
    ASSERT_OK(jlc_global_lookup(S, "cf_add", &f2)); /* another handle, same function */
    ASSERT_OK(jlc_cfunc_new(S, f2, " double ( double x , double y ) ", 0, &b));
    assert_ptr_equal(a, b);
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", JLC_CFUNC_UNCHECKED, &c));
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION, &d));
    assert_true(c != d); /* unchecked + NO_ELISION: always the @cfunction entry */
    assert_true(a != c);
    ASSERT_OK(jlc_cfunc_new(S, f, "double(double, double)", JLC_CFUNC_NO_ELISION, &d));
    assert_true(d != a && d != c);
}

/* What this Julia release gives typed pointers (docs/typed-calls.md,
 * "Releases"): the nothrow proof on 1.5, 1.10 and 1.11; jlc's direct entry
 * into compiled code (x86-64 Linux) on 1.5 for proved pointers and for the
 * others (but JLC_CFUNC_NO_ELISION ones) whose parameters all travel in
 * registers, on 1.10 and 1.11 for all those. Elsewhere neither, and every
 * pointer reports just its creation flags. */
static int rel_proof, rel_plain_abi, rel_swift_abi;

static void release_expectations(void)
{
    int major = 0, minor = 0;
    assert_int_equal(2, sscanf(jlc_julia_version(), "%d.%d", &major, &minor));
    int v15 = major == 1 && minor == 5, v110 = major == 1 && (minor == 10 || minor == 11);
    rel_proof = v15 || v110;
    rel_plain_abi = rel_swift_abi = 0;
#if defined(__x86_64__) && defined(__linux__)
    rel_plain_abi = v15;
    rel_swift_abi = v110;
#endif
}

/* The flags a pointer to a call that can (proved = 0) or cannot throw
 * reports on this release; fits: its parameters all travel in registers. */
static unsigned want_flags_fit(unsigned flags, int proved, int fits)
{
    if (flags & JLC_CFUNC_NO_ELISION) return flags;
    proved = proved && rel_proof;
    if (proved) flags |= JLC_CFUNC_NOTHROW;
    if ((rel_plain_abi && (proved || fits)) || (rel_swift_abi && fits)) flags |= JLC_CFUNC_DIRECT;
    return flags;
}

static unsigned want_flags(unsigned flags, int proved) { return want_flags_fit(flags, proved, 1); }

static void elision(void **state)
{
    unsigned fl;
    void *add, *add_try, *sq, *un;
    release_expectations();
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_add"), "double(double, double)", 0, &add));
    ASSERT_OK(jlc_cfunc_flags(add, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 1), fl);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_add"), "double(double, double)", JLC_CFUNC_NO_ELISION, &add_try));
    ASSERT_OK(jlc_cfunc_flags(add_try, &fl));
    assert_int_equal(JLC_CFUNC_NO_ELISION, fl);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", 0, &sq));
    ASSERT_OK(jlc_cfunc_flags(sq, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 0), fl); /* sqrt throws on negatives */
    /* Unchecked pointers to nothrow calls are proved too. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_add"), "double(double, double)", JLC_CFUNC_UNCHECKED, &un));
    ASSERT_OK(jlc_cfunc_flags(un, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_UNCHECKED, 1), fl);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", JLC_CFUNC_UNCHECKED, &un));
    ASSERT_OK(jlc_cfunc_flags(un, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_UNCHECKED, 0), fl);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_add"), "double(double, double)",
                            JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION, &un));
    ASSERT_OK(jlc_cfunc_flags(un, &fl));
    assert_int_equal(JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION, fl);
    assert_true(((dd_fn)un)(1.0, 0.5) == 1.5);
    void *p;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_inc"), "int32_t(int32_t)", 0, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 1), fl);
    /* A conversion that can fail is not elided: the Int64 result may not fit
     * the int32_t return (InexactError), and then the handler catches it. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_inc"), "int32_t(int64_t)", 0, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 0), fl);
    int32_t i32 = 0;
    ASSERT_OK(((jlc_status(*)(int64_t, int32_t *))p)(41, &i32));
    assert_int_equal(42, i32);
    ASSERT_STATUS(JLC_EXCEPTION, ((jlc_status(*)(int64_t, int32_t *))p)(INT64_C(1) << 40, &i32));
    assert_non_null(strstr(jlc_last_error(), "InexactError"));
    assert_int_equal(42, i32);
    char junk[4];
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_cfunc_flags(junk, &fl));
    double r = 0;
    ASSERT_OK(((dd_chk)add_try)(1.0, 2.0, &r));
    assert_true(r == 3.0);
}

/* The proof on a range of bodies: accepted only where nothing can throw
 * (on the releases that have it; elsewhere nothing is proved). */
static void proof_cases(void **state)
{
    static const struct {
        const char *def, *sig;
        int proved;
    } cases[] = {
        {"cfp_muladd(x::Float64, y::Float64) = muladd(x, y, 1.0)", "double(double, double)", 1},
        {"cfp_trunc32(x::Int64) = x % Int32", "int32_t(int64_t)", 1},
        {"cfp_sq(x::Float64) = x^2", "double(double)", 1},
        {"cfp_clamp(x::Int64) = clamp(x, 0, 10)", "int64_t(int64_t)", 1},
        {"cfp_ifelse(x::Float64) = ifelse(x > 0, x, -x)", "double(double)", 1},
        {"cfp_cplx(x::Float64) = (z = Complex(x, 1.0); z.re * z.im)", "double(double)", 1},
        {"cfp_div(x::Int64) = div(x, 3)", "int64_t(int64_t)", 0},
        {"cfp_sqrtabs(x::Float64) = sqrt(abs(x))", "double(double)", 0},
        {"cfp_conv(x::Int64) = Int32(x)", "int32_t(int64_t)", 0},
        {"cfp_trunc(x::Float64) = trunc(Int64, x)", "int64_t(double)", 0},
        {"cfp_pow(x::Float64, y::Float64) = x^y", "double(double, double)", 0},
        {"cfp_store(p::Ptr{Float64}) = unsafe_store!(p, 1.0)", "void(double *)", 0},
        {"cfp_array(x::Float64) = [x][1]", "double(double)", 0},
        {"cfp_try(x::Float64) = try sqrt(x) catch; 0.0 end", "double(double)", 0},
        {"cfp_fib(n::Int64) = n < 2 ? n : cfp_fib(n - 1) + cfp_fib(n - 2)", "int64_t(int64_t)", 0},
        {"cfp_glob = Ref(1.0); cfp_global(x::Float64) = x + cfp_glob[]", "double(double)", 0},
    };
    release_expectations();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jlc_value f;
        void *p;
        unsigned fl;
        ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, cases[i].def, &f));
        ASSERT_OK(jlc_cfunc_new(S, f, cases[i].sig, JLC_CFUNC_CHECKED, &p));
        ASSERT_OK(jlc_cfunc_flags(p, &fl));
        if ((fl & JLC_CFUNC_NOTHROW) != (want_flags(JLC_CFUNC_CHECKED, cases[i].proved) & JLC_CFUNC_NOTHROW))
            fail_msg("%s: flags 0x%x", cases[i].def, fl);
    }
}

/* A Ctrl-C pending when a proved checked pointer runs (1.10 and 1.11 poll
 * a safepoint on entry to every compiled function, where Julia throws it) is
 * not thrown out of the handler-less call: it comes out of the next Julia
 * call jlc makes, as an exception. */
static void sigint_deferred(void **state)
{
    void *p;
    double r = 0;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_add"), "double(double, double)", JLC_CFUNC_CHECKED, &p));
    ASSERT_OK(((dd_chk)p)(1.0, 2.0, &r));
    assert_int_equal(0, kill(getpid(), SIGINT)); /* to the process: Julia's signal thread */
    usleep(200 * 1000); /* Julia's signal thread arms the safepoint */
    for (int i = 0; i < 100; i++) {
        ASSERT_OK(((dd_chk)p)(i, 0.5, &r));
        assert_true(r == i + 0.5);
    }
    jlc_value v;
    jlc_status st = JLC_OK;
    for (int i = 0; i < 50 && st == JLC_OK; i++) st = jlc_eval(S, JLC_NO_VALUE, "sleep(0.01)", &v);
    assert_int_equal(JLC_EXCEPTION, st);
    assert_non_null(strstr(jlc_last_error(), "InterruptException"));
    assert_runtime_works();
}

/* An elided pointer stays safe when the method it proved nothrow is
 * redefined to throw: the world changed, so the call takes the handler. */
static void elision_survives_redefinition(void **state)
{
    void *p;
    unsigned fl;
    release_expectations();
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_redef"), "double(double)", 0, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 1), fl);
    double r = 0;
    ASSERT_OK(((d_chk)p)(-1.0, &r));
    assert_true(r == -2.0);
    jlct_eval("cf_redef(x::Float64) = x < 0 ? throw(DomainError(x, \"negative\")) : x * 3.0");
    ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)p)(-1.0, &r));
    assert_non_null(strstr(jlc_last_error(), "negative"));
    ASSERT_OK(((d_chk)p)(2.0, &r));
    assert_true(r == 6.0);
    /* Back to a nothrow body: calls work again (and may re-elide). */
    jlct_eval("cf_redef(x::Float64) = x * 4.0");
    ASSERT_OK(((d_chk)p)(-1.0, &r));
    assert_true(r == -4.0);
    for (int i = 0; i < 10; i++) {
        ASSERT_OK(((d_chk)p)(i, &r));
        assert_true(r == 4.0 * i);
    }
    jlct_eval("cf_unrelated_new_method(x) = x"); /* moves the world on */
    ASSERT_OK(((d_chk)p)(1.5, &r));
    assert_true(r == 6.0);

    /* An unchecked pointer entering compiled code directly never runs stale
     * code: after a redefinition it goes through the @cfunction entry. */
    jlct_eval("cf_redef2(x::Float64) = x + 1.0");
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_redef2"), "double(double)", JLC_CFUNC_UNCHECKED, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_UNCHECKED, 1), fl);
    assert_true(((d_fn)p)(1.0) == 2.0);
    jlct_eval("cf_redef2(x::Float64) = x + 2.0");
    assert_true(((d_fn)p)(1.0) == 3.0);
    jlct_eval("cf_unrelated_new_method2(x) = x");
    assert_true(((d_fn)p)(1.0) == 3.0);
    jlct_eval("cf_redef2(x::Float64) = x + 5.0");
    for (int i = 0; i < 5; i++) assert_true(((d_fn)p)(i) == i + 5.0);
}

/* Where jlc's entry needs every parameter in a register (1.10 and 1.11 on
 * x86-64), larger signatures keep @cfunction's entry; all give the same
 * results. 1.5's direct entry has no such limit. */
static void direct_register_limit(void **state)
{
    unsigned fl;
    void *p;
    release_expectations();
    typedef int64_t (*s6_fn)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
    typedef jlc_status (*s6_chk)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t *);
    const char *s6 = "int64_t(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t)";
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sum6"), s6, JLC_CFUNC_UNCHECKED, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_UNCHECKED, 1), fl); /* six in registers */
    assert_true(((s6_fn)p)(1, 2, 3, 4, 5, 6) == 91);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sum6"), s6, JLC_CFUNC_CHECKED, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl)); /* out is the seventh */
    assert_int_equal(want_flags_fit(JLC_CFUNC_CHECKED, 1, 0), fl);
    int64_t r = 0;
    ASSERT_OK(((s6_chk)p)(1, 2, 3, 4, 5, -6, &r));
    assert_true(r == 19);
    /* The same for a call that may throw (integer division). */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_div6"), s6, JLC_CFUNC_UNCHECKED, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_UNCHECKED, 0), fl);
    assert_true(((s6_fn)p)(10, 20, 30, 40, 50, 7) == 21);
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_div6"), s6, JLC_CFUNC_CHECKED, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags_fit(JLC_CFUNC_CHECKED, 0, 0), fl);
    ASSERT_OK(((s6_chk)p)(10, 20, 30, 40, 50, -5, &r));
    assert_true(r == -30);
    r = 7;
    ASSERT_STATUS(JLC_EXCEPTION, ((s6_chk)p)(1, 2, 3, 4, 5, 0, &r));
    assert_non_null(strstr(jlc_last_error(), "DivideError"));
    assert_true(r == 7);

    typedef double (*d9_fn)(double, double, double, double, double, double, double, double, double);
    const char *d9 = "double(double, double, double, double, double, double, double, double, double)";
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_dot9"), d9, JLC_CFUNC_UNCHECKED, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags_fit(JLC_CFUNC_UNCHECKED, 1, 0), fl);
    assert_true(((d9_fn)p)(1, 1, 1, 1, 1, 1, 1, 1, 1) == 45.0);
    assert_true(((d9_fn)p)(0, 0, 0, 0, 0, 0, 0, 0, 0.5) == 4.5);
}

/* A pointer to a call that dispatches dynamically runs in the latest world,
 * whichever entry it takes: a method defined after the pointer was made is
 * found, as through @cfunction. */
static void world_age_latest(void **state)
{
    unsigned fl;
    void *pc, *pu;
    release_expectations();
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_dyn"), "double(double)", 0, &pc));
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_dyn"), "double(double)", JLC_CFUNC_UNCHECKED, &pu));
    ASSERT_OK(jlc_cfunc_flags(pc, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 0), fl);
    double r = 0;
    ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)pc)(1.0, &r)); /* no method yet */
    assert_non_null(strstr(jlc_last_error(), "MethodError"));
    jlct_eval("cf_dyn_helper(x::Float64) = 10x");
    ASSERT_OK(((d_chk)pc)(1.0, &r));
    assert_true(r == 21.0);
    assert_true(((d_fn)pu)(0.5) == 20.5);
    jlct_eval("cf_dyn_helper(x::Float64) = -x");
    ASSERT_OK(((d_chk)pc)(1.0, &r));
    assert_true(r == -1.0);
    assert_true(((d_fn)pu)(0.5) == -1.5);
}

/* Redefining the function behind a pointer that may throw: the next call
 * runs the new definition, checked or unchecked, whichever entry it takes. */
static void redefinition_may_throw(void **state)
{
    unsigned fl;
    void *pc, *pu;
    double r = 0;
    release_expectations();
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_mt"), "double(double)", 0, &pc));
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_mt"), "double(double)", JLC_CFUNC_UNCHECKED, &pu));
    ASSERT_OK(jlc_cfunc_flags(pu, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_UNCHECKED, 0), fl);
    ASSERT_OK(((d_chk)pc)(1.0, &r));
    assert_true(r == 2.0 && ((d_fn)pu)(1.0) == 2.0);
    jlct_eval("cf_mt(x::Float64) = x < 0 ? throw(DomainError(x, \"negative\")) : x + 2.0");
    ASSERT_OK(((d_chk)pc)(1.0, &r));
    assert_true(r == 3.0 && ((d_fn)pu)(1.0) == 3.0);
    ASSERT_STATUS(JLC_EXCEPTION, ((d_chk)pc)(-1.0, &r));
    assert_non_null(strstr(jlc_last_error(), "negative"));
    jlct_eval("cf_mt(x::Float64) = x + 3.0");
    for (int i = 0; i < 10; i++) {
        ASSERT_OK(((d_chk)pc)(i, &r));
        assert_true(r == i + 3.0 && ((d_fn)pu)(i) == i + 3.0);
    }
}

/* Every parameter register survives the first call on a thread, when jlc's
 * entry (1.10/1.11) looks the thread state up before entering the code; a
 * thread Julia does not know yet is handed to @cfunction's entry, which
 * adopts it (Julia >= 1.9). Elsewhere a call from such a thread is undefined,
 * so this runs on 1.10 and 1.11 (x86-64 Linux) only. */
typedef jlc_status (*mix_chk)(int64_t, int32_t, bool, uint8_t, int16_t, double, float, double,
                              double, double, double, double, double, double *);

typedef struct mix_job {
    mix_chk f;
    double r[3];
    jlc_status st[3];
    int done;
} mix_job;

static void *mix_thread(void *arg)
{
    mix_job *j = arg;
    for (int i = 0; i < 3; i++)
        j->st[i] = j->f(-7, 3, true, 200, -2, 0.5, 0.25f, 1, 2, 3, 4, 5, 6 + i, &j->r[i]);
    __atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void direct_foreign_thread(void **state)
{
    unsigned fl;
    void *p;
    release_expectations();
    const char *sig = "double(int64_t, int32_t, bool, uint8_t, int16_t, double, float, double, "
                      "double, double, double, double, double)";
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_mix"), sig, 0, &p));
    ASSERT_OK(jlc_cfunc_flags(p, &fl));
    assert_int_equal(want_flags(JLC_CFUNC_CHECKED, 1), fl); /* 6 integer + 8 float registers */
    double want = -7 + 30 + 100 + 200000 - 20000 + 0.5 + 0.5 + 3 + 8 + 15 + 24 + 35 + 48;
    double r = 0;
    ASSERT_OK(((mix_chk)p)(-7, 3, true, 200, -2, 0.5, 0.25f, 1, 2, 3, 4, 5, 6, &r));
    assert_true(r == want);
    if (!rel_swift_abi) skip();
    mix_job j = {(mix_chk)p, {0}, {-1, -1, -1}, 0};
    pthread_t t;
    assert_int_equal(0, pthread_create(&t, NULL, mix_thread, &j));
    /* Wait inside Julia (GC-safe), not in pthread_join: adopting the thread
     * allocates, and a collection would wait for this thread. */
    while (!__atomic_load_n(&j.done, __ATOMIC_ACQUIRE)) jlct_eval("sleep(0.001)");
    assert_int_equal(0, pthread_join(t, NULL));
    for (int i = 0; i < 3; i++) {
        ASSERT_OK(j.st[i]);
        assert_true(j.r[i] == want + 8 * i);
    }
}

static void checked_allocating_under_gc(void **state)
{
    void *p;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_alloc"), "int64_t(int64_t)", 0, &p));
    for (int64_t n = 0; n < 300; n++) {
        int64_t r = -1;
        ASSERT_OK(((jlc_status(*)(int64_t, int64_t *))p)(n, &r));
        assert_true(r == n * (n + 1) / 2);
        if (n % 50 == 0) ASSERT_OK(jlc_gc_collect(n % 100 == 0));
    }
}

/* ---- protected region ---- */

typedef struct region_ctx {
    void *sqrt_unchecked;
    double in, out;
    int after;          /* set after the unchecked call returns */
    jlc_status ret;     /* what the callback returns normally */
} region_ctx;

static jlc_status region_body(void *vctx)
{
    region_ctx *c = vctx;
    c->out = ((d_fn)c->sqrt_unchecked)(c->in);
    c->after = 1;
    return c->ret;
}

static void protect_region(void **state)
{
    region_ctx c = {0};
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", JLC_CFUNC_UNCHECKED, &c.sqrt_unchecked));
    c.in = 16.0;
    ASSERT_OK(jlc_protect(S, region_body, &c));
    assert_true(c.out == 4.0 && c.after == 1);

    /* The callback's own status comes back unchanged. */
    c.after = 0;
    c.ret = JLC_ERR_BOUNDS;
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_protect(S, region_body, &c));
    assert_int_equal(1, c.after);

    /* A throw ends the region: the rest of the callback never runs. */
    c.after = 0;
    c.ret = JLC_OK;
    c.in = -1.0;
    c.out = 99.0;
    ASSERT_STATUS(JLC_EXCEPTION, jlc_protect(S, region_body, &c));
    assert_int_equal(0, c.after);
    assert_true(c.out == 99.0);
    assert_non_null(strstr(jlc_last_error(), "DomainError"));
    jlc_value e;
    const char *tn;
    ASSERT_OK(jlc_exception_get(&e));
    ASSERT_OK(jlc_value_type_name(e, &tn));
    assert_string_equal("DomainError", tn);

    /* Again, many times: the handler state is restored each time. */
    for (int i = 0; i < 50; i++) {
        c.in = i % 2 ? -1.0 : 4.0;
        c.after = 0;
        jlc_status st = jlc_protect(S, region_body, &c);
        assert_int_equal(i % 2 ? JLC_EXCEPTION : JLC_OK, st);
        assert_int_equal(i % 2 ? 0 : 1, c.after);
    }
    assert_runtime_works();
}

typedef struct nest_ctx {
    region_ctx inner;
    jlc_status inner_status;
    int after;
} nest_ctx;

static jlc_status nest_body(void *vctx)
{
    nest_ctx *n = vctx;
    n->inner_status = jlc_protect(S, region_body, &n->inner);
    n->after = 1;
    return JLC_OK;
}

static void protect_nested(void **state)
{
    nest_ctx n = {{0}};
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", JLC_CFUNC_UNCHECKED, &n.inner.sqrt_unchecked));
    n.inner.in = -2.0;
    ASSERT_OK(jlc_protect(S, nest_body, &n)); /* the inner region caught it */
    assert_int_equal(JLC_EXCEPTION, n.inner_status);
    assert_int_equal(1, n.after);
    assert_int_equal(0, n.inner.after);
}

typedef struct close_ctx {
    jlc_scope sc;
    void *sqrt_unchecked;
    jlc_status close_status;
} close_ctx;

static jlc_status close_then_throw(void *vctx)
{
    close_ctx *c = vctx;
    c->close_status = jlc_scope_close(c->sc);
    ((d_fn)c->sqrt_unchecked)(-1.0);
    return JLC_OK;
}

/* A callback that tries to close the region's scope and then throws: the
 * close is refused (the region is running in that scope), so the exception
 * is rooted there and reported; the scope closes normally afterwards. */
static void protect_scope_closed_inside(void **state)
{
    close_ctx c;
    jlc_value exc;
    const char *tn;
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_sqrt"), "double(double)", JLC_CFUNC_UNCHECKED, &c.sqrt_unchecked));
    ASSERT_OK(jlc_scope_open(S, &c.sc));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_protect(c.sc, close_then_throw, &c));
    assert_int_equal(JLC_ERR_STATE, c.close_status);
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_value_type_name(exc, &tn));
    assert_string_equal("DomainError", tn);
    ASSERT_OK(jlc_scope_close(c.sc));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_value_type_name(exc, &tn));
    assert_runtime_works();
}

/* ---- batched calls ---- */

static void map_calls(void **state)
{
    enum { N = 1000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *z = malloc(N * sizeof *z);
    for (int i = 0; i < N; i++) {
        x[i] = i;
        y[i] = 0.5 * i;
        z[i] = -1;
    }
    const void *in[2] = {x, y};
    ASSERT_OK(jlc_cfunc_map(S, fn("cf_add"), "double(double, double)", N, in, z));
    for (int i = 0; i < N; i++) assert_true(z[i] == 1.5 * i);

    /* Integer conversion of the result to the C type. */
    int64_t ii[4] = {1, 2, 3, INT64_MAX}, io[4] = {0};
    const void *iin[1] = {ii};
    ASSERT_OK(jlc_cfunc_map(S, fn("cf_inc"), "int64_t(int64_t)", 4, iin, io));
    assert_true(io[0] == 2 && io[2] == 4 && io[3] == INT64_MIN);

    /* Structs by value (arrays of structs) and through pointers. */
    CfPoint pts[3] = {{3, 4}, {1, 1}, {0, 2}};
    double n2[3];
    const void *pin[1] = {pts};
    ASSERT_OK(jlc_cfunc_map(S, fn("cf_norm2"), "double(struct CfPoint)", 3, pin, n2));
    assert_true(n2[0] == 25 && n2[1] == 2 && n2[2] == 4);
    const CfPoint *pp[2] = {&pts[2], &pts[0]};
    const void *ppin[1] = {pp};
    ASSERT_OK(jlc_cfunc_map(S, fn("cf_norm2"), "double(const struct CfPoint *)", 2, ppin, n2));
    assert_true(n2[0] == 4 && n2[1] == 25);

    /* A void function: out may be NULL. */
    jlct_eval("cf_count[] = 0");
    ASSERT_OK(jlc_cfunc_map(S, fn("cf_tick"), "void(void)", 7, NULL, NULL));
    ASSERT_INT64(7, jlct_eval("cf_count[]"));

    /* An exception stops the loop; earlier elements are written. */
    for (int i = 0; i < N; i++) {
        x[i] = i < 5 ? i * i : -1.0;
        z[i] = -7;
    }
    const void *sin_[1] = {x};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_cfunc_map(S, fn("cf_sqrt"), "double(double)", N, sin_, z));
    assert_true(z[4] == 4.0 && z[5] == -7);
    assert_non_null(strstr(jlc_last_error(), "DomainError"));
    jlc_value e;
    ASSERT_OK(jlc_exception_get(&e));

    /* n = 0 reads nothing. */
    ASSERT_OK(jlc_cfunc_map(S, fn("cf_add"), "double(double, double)", 0, NULL, NULL));
    /* Bad arrays. */
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_map(S, fn("cf_add"), "double(double, double)", 3, NULL, z));
    const void *half[2] = {x, NULL};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_map(S, fn("cf_add"), "double(double, double)", 3, half, z));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_map(S, fn("cf_add"), "double(double, double)", 3, in, NULL));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_cfunc_map(S, fn("cf_add"), "double(int32_t, double)", 3, in, z));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_map(S, fn("cf_add"), "double(double double)", 3, in, z));
    free(x);
    free(y);
    free(z);
    assert_runtime_works();
}

/* ---- bad input ---- */

static void expect_sig(jlc_status st, const char *sig, const char *text)
{
    void *p = (void *)&p;
    jlc_status got = jlc_cfunc_new(S, fn("cf_add"), sig, 0, &p);
    if (got != st)
        fail_msg("signature \"%s\": expected %s, got %s (%s)", sig, jlc_status_name(st),
                 jlc_status_name(got), jlc_last_error());
    if (text && !strstr(jlc_last_error(), text))
        fail_msg("signature \"%s\": error text \"%s\" lacks \"%s\"", sig, jlc_last_error(), text);
    assert_ptr_equal((void *)&p, p); /* out untouched */
}

/* A C function called from the mapped Julia function tries to close the
 * scope of the running jlc_cfunc_map: refused, and the map completes. */
static jlc_scope map_scope;
static int64_t close_map_scope(int64_t x) { return x * 100 + (int64_t)jlc_scope_close(map_scope); }

static void map_scope_close_refused(void **state)
{
    jlc_value p, m;
    int64_t in[3] = {1, 2, 3}, out[3] = {0, 0, 0};
    const void *ins[1] = {in};
    size_t n = 0;
    ASSERT_OK(jlc_scope_open(S, &map_scope));
    ASSERT_OK(jlc_voidptr_new(map_scope, (void *)close_map_scope, &p));
    ASSERT_OK(jlc_module_lookup(map_scope, "Main", &m));
    ASSERT_OK(jlc_global_set(map_scope, m, "cf_close_p", p));
    jlct_eval("cf_close_via(x::Int64) = ccall(cf_close_p, Int64, (Int64,), x)");
    ASSERT_OK(jlc_cfunc_map(map_scope, fn("cf_close_via"), "int64_t(int64_t)", 3, ins, out));
    for (int i = 0; i < 3; i++) assert_int_equal(in[i] * 100 + JLC_ERR_STATE, out[i]);
    ASSERT_OK(jlc_scope_size(map_scope, &n));
    assert_int_equal(2, n);
    ASSERT_OK(jlc_scope_close(map_scope));
}

static void bad_signatures(void **state)
{
    expect_sig(JLC_ERR_UNSUPPORTED, "double(double, long)", "'long' is not supported");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(double, long)", "offset 15");
    expect_sig(JLC_ERR_UNSUPPORTED, "int(double, double)", "offset 0");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(char *, double)", "'char'");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(double **, double)", "pointers to pointers");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(double, ...)", "variadic");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(struct CfPoint, double)", "by value");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(double x[], double)", "array");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(Float64, double)", "unknown type 'Float64'");
    expect_sig(JLC_ERR_ARG, "double(double, double", "missing ')'");
    expect_sig(JLC_ERR_ARG, "double double)", "expected '('");
    expect_sig(JLC_ERR_ARG, "(double)", "expected a type");
    expect_sig(JLC_ERR_ARG, "", "expected a type");
    expect_sig(JLC_ERR_ARG, "double(double,)", "offset 14");
    expect_sig(JLC_ERR_ARG, "double(double, double) x", "after ')'");
    expect_sig(JLC_ERR_ARG, "double(void x)", "'void' is not a parameter type");
    expect_sig(JLC_ERR_ARG, "double(double double)", NULL);
    expect_sig(JLC_ERR_ARG, "double(struct)", "struct name");
    expect_sig(JLC_ERR_UNSUPPORTED,
               "double(double,double,double,double,double,double,double,double,double,double,"
               "double,double,double,double,double,double,double)", "more than");
    /* Well-formed, but no method / bad return. */
    expect_sig(JLC_ERR_NOT_FOUND, "double(int64_t, int64_t)", "double(int64_t, int64_t)");
    expect_sig(JLC_ERR_NOT_FOUND, "double(int64_t, int64_t)", "cf_add(::Int64, ::Int64)");
    expect_sig(JLC_ERR_NOT_FOUND, "double(double)", NULL);
    expect_sig(JLC_ERR_NOT_FOUND, "double(const struct NoSuchStruct *)", "NoSuchStruct");
    expect_sig(JLC_ERR_TYPE, "double(const struct cf_add *)", "not a concrete struct type");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(const struct CfBox *)", "isbits");
    expect_sig(JLC_ERR_UNSUPPORTED, "double(const struct CfHasString *)", "isbits");
    assert_runtime_works();
}

static void bad_functions(void **state)
{
    void *p = NULL;
    jlc_value v = jlct_eval("42");
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_cfunc_new(S, v, "double(double)", 0, &p));
    assert_non_null(strstr(jlc_last_error(), "not callable"));
    v = jlct_eval("\"text\"");
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_cfunc_new(S, v, "double(double)", JLC_CFUNC_UNCHECKED, &p));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_cfunc_new(S, fn("cf_str"), "double(double)", 0, &p));
    assert_non_null(strstr(jlc_last_error(), "does not convert to Float64"));
    /* A returned value that converts is fine: Bool to Int64 would be; String to void is ignored. */
    ASSERT_OK(jlc_cfunc_new(S, fn("cf_str"), "void(double)", 0, &p));
    ASSERT_OK(((jlc_status(*)(double))p)(1.0));
    /* A type is callable (its constructor). */
    ASSERT_OK(jlc_cfunc_new(S, jlct_eval("Float64"), "double(int64_t)", JLC_CFUNC_UNCHECKED, &p));
    assert_true(((double (*)(int64_t))p)(7) == 7.0);
    /* A closure is too; it is spliced in as a constant. */
    ASSERT_OK(jlc_cfunc_new(S, jlct_eval("let k = 3.0; x -> k * x; end"), "double(double)",
                            JLC_CFUNC_UNCHECKED, &p));
    assert_true(((d_fn)p)(2.0) == 6.0);
    assert_runtime_works();
}

static void bad_arguments(void **state)
{
    void *p = NULL;
    jlc_value f = fn("cf_add");
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new(S, f, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new(S, f, "double(double, double)", 0, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new(S, JLC_NO_VALUE, "double(double, double)", 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new(JLC_NO_SCOPE, f, "double(double, double)", 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new(S, f, "double(double, double)", 0x80, &p));
    jlc_scope inner;
    jlc_value g;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_global_lookup(inner, "cf_add", &g));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_cfunc_new(S, g, "double(double, double)", 0, &p));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_cfunc_new(inner, f, "double(double, double)", 0, &p));
    assert_null(p);

    int dd[] = {JLC_FLOAT64, JLC_FLOAT64};
    int bad1[] = {JLC_FLOAT64, 0x77};
    int bad2[] = {JLC_VOID};
    int bad3[] = {JLC_STRUCT};
    int bad4[] = {JLC_TYPE_PTR | JLC_STRUCT};
    int bad5[] = {JLC_FLOAT64, 0x1000 | JLC_FLOAT64};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 2, NULL, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new_typed(S, f, -1, 2, dd, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 2, bad1, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 1, bad2, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_UNSUPPORTED, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 1, bad3, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 1, bad4, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 2, bad5, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_UNSUPPORTED, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 17, dd, NULL, 0, &p));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 1, dd, NULL, 0, &p));
    jlc_value notype = jlct_eval("1.5");
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_cfunc_new_typed(S, f, JLC_FLOAT64, 1, bad4, &notype, 0, &p));
    assert_null(p);

    ASSERT_STATUS(JLC_ERR_ARG, jlc_protect(S, NULL, NULL));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_protect(inner, region_body, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_exception(S, NULL));
    unsigned fl;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_flags(NULL, &fl));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_cfunc_map(S, f, NULL, 0, NULL, NULL));
    assert_runtime_works();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(exception_none_yet),
        JLCT(double_checked_and_unchecked),
        JLCT(integer_types),
        JLCT(float_and_bool),
        JLCT(pointers_and_void),
        JLCT(structs_by_pointer),
        JLCT(typed_codes),
        JLCT(checked_exception),
        JLCT(outlives_scope),
        JLCT(caching),
        JLCT(elision),
        JLCT(elision_survives_redefinition),
        JLCT(proof_cases),
        JLCT(sigint_deferred),
        JLCT(direct_register_limit),
        JLCT(world_age_latest),
        JLCT(redefinition_may_throw),
        JLCT(direct_foreign_thread),
        JLCT(checked_allocating_under_gc),
        JLCT(protect_region),
        JLCT(protect_nested),
        JLCT(protect_scope_closed_inside),
        JLCT(map_calls),
        JLCT(map_scope_close_refused),
        JLCT(bad_signatures),
        JLCT(bad_functions),
        JLCT(bad_arguments),
    };
    return JLCT_RUN(tests);
}

// bench_cfunc.cpp — typed calls: checked and unchecked pointers against a
// plain C indirect call to an equivalent C function (kept out of line) and
// against raw jl_call on the same Julia function and arguments, for
// double(double, double), int64_t(int64_t) and double(const double *, int64_t),
// and for a function that may throw. Also: the @cfunction entry and the
// try/catch path (JLC_CFUNC_NO_ELISION), a C JL_TRY trampoline around an
// unchecked pointer, the protected region, and the batched call. Every case
// also runs under callgrind (bench/callgrind.sh). Results: bench/README.md.
#include "bench_util.hpp"

#include <julia.h>

typedef double (*dd_fn)(double, double);
typedef jlc_status (*dd_chk)(double, double, double *);
typedef int64_t (*ii_fn)(int64_t);
typedef jlc_status (*ii_chk)(int64_t, int64_t *);
typedef double (*pl_fn)(const double *, int64_t);
typedef jlc_status (*pl_chk)(const double *, int64_t, double *);

static const char *DEFS =
    "jlcb_add(x::Float64, y::Float64) = x + y\n"
    "jlcb_addmt(x::Float64, y::Float64) = x < 0 ? throw(DomainError(x, \"negative\")) : x + y\n"
    "jlcb_affine(x::Int64) = 3x + 1\n"
    "function jlcb_sum(p::Ptr{Float64}, n::Int64)\n"
    "    s = 0.0\n"
    "    for i in 1:n; s += unsafe_load(p, i); end\n"
    "    return s\n"
    "end\n";

// The C equivalents, out of line and reached through pointers the compiler
// cannot see through (read from volatiles when a case is registered), like
// the Julia pointers.
extern "C" __attribute__((noinline)) double c_add(double x, double y) { return x + y; }
extern "C" __attribute__((noinline)) int64_t c_affine(int64_t x) { return 3 * x + 1; }
extern "C" __attribute__((noinline)) double c_sum(const double *p, int64_t n)
{
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += p[i];
    return s;
}
static void *volatile c_add_vp = (void *)c_add;
static void *volatile c_affine_vp = (void *)c_affine;
static void *volatile c_sum_vp = (void *)c_sum;

enum { LEN = 16, K = 100, MAPN = 1000 };
static double data[LEN];
static double mx[MAPN], my[MAPN], mz[MAPN];
static jlc_scope setup_scope;

static jl_value_t *raw(jlc_value v)
{
    void *p;
    JLCB_OK(jlc_value_raw(v, &p));
    return (jl_value_t *)p;
}

// A value rooted by setup_scope (open until the end).
static jl_value_t *keep(jl_value_t *v)
{
    jlc_value h;
    JLCB_OK(jlc_value_from_raw(setup_scope, v, &h));
    return v;
}

static const char *flag_text(unsigned fl)
{
    static char buf[80];
    std::snprintf(buf, sizeof buf, "%s%s%s%s", (fl & JLC_CFUNC_UNCHECKED) ? "unchecked" : "checked",
                  (fl & JLC_CFUNC_NO_ELISION) ? " no-elision" : "",
                  (fl & JLC_CFUNC_NOTHROW) ? " nothrow" : "", (fl & JLC_CFUNC_DIRECT) ? " direct" : "");
    return buf;
}

struct Made {
    void *un, *ck, *try_, *uncf; // unchecked, checked, checked NO_ELISION, unchecked NO_ELISION
    jl_value_t *f;
};

static Made make4(const char *name, const char *sig)
{
    Made m;
    jlc_value f;
    void **slots[4] = {&m.un, &m.ck, &m.try_, &m.uncf};
    unsigned flags[4] = {JLC_CFUNC_UNCHECKED, JLC_CFUNC_CHECKED, JLC_CFUNC_NO_ELISION,
                         JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION};
    JLCB_OK(jlc_global_lookup(setup_scope, name, &f));
    for (int i = 0; i < 4; i++) {
        unsigned fl;
        JLCB_OK(jlc_cfunc_new(setup_scope, f, sig, flags[i], slots[i]));
        JLCB_OK(jlc_cfunc_flags(*slots[i], &fl));
        std::printf("%-12s %-32s %s\n", name, sig, flag_text(fl));
    }
    m.f = raw(f); // rooted by setup_scope
    return m;
}

// ---- one call per iteration ----

static auto plain_dd(void *p)
{
    return [f = (dd_fn)p, a = 1.0, b = 2.0]() mutable {
        benchmark::DoNotOptimize(a);
        double r = f(a, b);
        benchmark::DoNotOptimize(r);
    };
}

static auto checked_dd(void *p)
{
    return [f = (dd_chk)p, a = 1.0, b = 2.0, r = 0.0]() mutable {
        benchmark::DoNotOptimize(a);
        jlc_status st = f(a, b, &r);
        benchmark::DoNotOptimize(st);
        benchmark::DoNotOptimize(r);
    };
}

static auto plain_ii(void *p)
{
    return [f = (ii_fn)p, x = (int64_t)1000]() mutable {
        benchmark::DoNotOptimize(x);
        int64_t r = f(x);
        benchmark::DoNotOptimize(r);
    };
}

static auto checked_ii(void *p)
{
    return [f = (ii_chk)p, x = (int64_t)1000, r = (int64_t)0]() mutable {
        benchmark::DoNotOptimize(x);
        jlc_status st = f(x, &r);
        benchmark::DoNotOptimize(st);
        benchmark::DoNotOptimize(r);
    };
}

static auto plain_ptr(void *p)
{
    return [f = (pl_fn)p, d = (const double *)data]() mutable {
        benchmark::DoNotOptimize(d);
        double r = f(d, LEN);
        benchmark::DoNotOptimize(r);
    };
}

static auto checked_ptr(void *p)
{
    return [f = (pl_chk)p, d = (const double *)data, r = 0.0]() mutable {
        benchmark::DoNotOptimize(d);
        jlc_status st = f(d, LEN, &r);
        benchmark::DoNotOptimize(st);
        benchmark::DoNotOptimize(r);
    };
}

// jl_call on argument values boxed once (rooted by setup_scope), result unboxed.
static auto jlcall(jl_value_t *f, jl_value_t *a0, jl_value_t *a1, int n)
{
    return [f, a0, a1, n]() {
        jl_value_t *args[2] = {a0, a1};
        jl_value_t *r = jl_call(f, args, n);
        benchmark::DoNotOptimize(*(int64_t *)r);
    };
}

// The alternative to a try in the Julia wrapper: a C trampoline that runs the
// unchecked pointer under JL_TRY (needs one per signature, written in C).
static __attribute__((noinline)) jlc_status ctry_add(dd_fn f, double a, double b, double *out)
{
    volatile double r = 0;
    volatile int threw = 0;
    JL_TRY { r = f(a, b); }
    JL_CATCH { threw = 1; }
    if (threw) return JLC_EXCEPTION;
    *out = r;
    return JLC_OK;
}

// jlc_protect around one call, and around K calls.
struct dd_ctx {
    dd_fn f;
    double a, b, r;
};

static jlc_status one_call(void *p)
{
    dd_ctx *c = (dd_ctx *)p;
    c->r = c->f(c->a, c->b);
    return JLC_OK;
}

static jlc_status k_calls(void *p)
{
    dd_ctx *c = (dd_ctx *)p;
    for (int i = 0; i < K; i++) {
        benchmark::DoNotOptimize(c->a);
        double r = c->f(c->a, c->b);
        benchmark::DoNotOptimize(r);
    }
    return JLC_OK;
}

template <class F> static auto times(F once, int k)
{
    return [once, k]() mutable {
        for (int i = 0; i < k; i++) once();
    };
}

static void setup(void)
{
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &setup_scope));
    JLCB_OK(jlc_eval(setup_scope, JLC_NO_VALUE, DEFS, nullptr));
    std::printf("Julia %s\n", jlc_julia_version());
    for (int i = 0; i < LEN; i++) data[i] = 0.25 * i;
    for (int i = 0; i < MAPN; i++) mx[i] = i, my[i] = 0.5 * i;
    Made add = make4("jlcb_add", "double(double, double)");
    Made mt = make4("jlcb_addmt", "double(double, double)");
    Made aff = make4("jlcb_affine", "int64_t(int64_t)");
    Made sum = make4("jlcb_sum", "double(const double *, int64_t)");
    jl_value_t *one = keep(jl_box_float64(1.0)), *two = keep(jl_box_float64(2.0));
    jl_value_t *thousand = keep(jl_box_int64(1000)), *len = keep(jl_box_int64(LEN));
    jlc_value pv;
    jl_value_t *ptrf64;
    JLCB_OK(jlc_eval(setup_scope, JLC_NO_VALUE, "Ptr{Float64}", &pv));
    ptrf64 = raw(pv);
    const double *dp = data;
    jl_value_t *dptr = keep(jl_new_bits(ptrf64, &dp)); // a Ptr{Float64}

    using jlcb::add_case;
    // double(double, double), proved not to throw where the release allows
    add_case("c_dd", plain_dd(c_add_vp));
    add_case("unchecked_dd", plain_dd(add.un));
    add_case("checked_dd", checked_dd(add.ck));
    add_case("checked_try_dd", checked_dd(add.try_));
    add_case("unchecked_cfentry_dd", plain_dd(add.uncf));
    add_case("jl_call_dd", jlcall(add.f, one, two, 2));
    // the same, for a function that may throw
    add_case("unchecked_mt_dd", plain_dd(mt.un));
    add_case("checked_mt_dd", checked_dd(mt.ck));
    add_case("checked_try_mt_dd", checked_dd(mt.try_));
    add_case("unchecked_cfentry_mt_dd", plain_dd(mt.uncf));
    add_case("jl_call_mt_dd", jlcall(mt.f, one, two, 2));
    // alternatives to a per-call handler
    add_case("c_trampoline_dd", [f = (dd_fn)mt.un, a = 1.0, b = 2.0, r = 0.0]() mutable {
        benchmark::DoNotOptimize(a);
        jlc_status st = ctry_add(f, a, b, &r);
        benchmark::DoNotOptimize(st);
        benchmark::DoNotOptimize(r);
    });
    add_case("protect_each_dd", [c = dd_ctx{(dd_fn)mt.un, 1.0, 2.0, 0.0}]() mutable {
        benchmark::DoNotOptimize(c.a);
        jlc_status st = jlc_protect(setup_scope, one_call, &c);
        benchmark::DoNotOptimize(st);
        benchmark::DoNotOptimize(c.r);
    });
    add_case("c_dd_x100", times(plain_dd(c_add_vp), K));
    add_case("checked_mt_dd_x100", times(checked_dd(mt.ck), K));
    add_case("region_unchecked_mt_dd_x100", [c = dd_ctx{(dd_fn)mt.un, 1.0, 2.0, 0.0}]() mutable {
        jlc_status st = jlc_protect(setup_scope, k_calls, &c);
        benchmark::DoNotOptimize(st);
    });
    // int64_t(int64_t)
    add_case("c_ii", plain_ii(c_affine_vp));
    add_case("unchecked_ii", plain_ii(aff.un));
    add_case("checked_ii", checked_ii(aff.ck));
    add_case("checked_try_ii", checked_ii(aff.try_));
    add_case("jl_call_ii", jlcall(aff.f, thousand, nullptr, 1));
    // double(const double *, int64_t): a sum over 16 doubles
    add_case("c_ptr", plain_ptr(c_sum_vp));
    add_case("unchecked_ptr", plain_ptr(sum.un));
    add_case("checked_ptr", checked_ptr(sum.ck));
    add_case("checked_try_ptr", checked_ptr(sum.try_));
    add_case("jl_call_ptr", jlcall(sum.f, dptr, len, 2));
    // batched: f over 1000 elements, one map call vs 1000 calls
    jlc_value h_add;
    JLCB_OK(jlc_global_lookup(setup_scope, "jlcb_add", &h_add));
    const void *in[2] = {mx, my}; // compile the map kernel now, not in the first timing
    JLCB_OK(jlc_cfunc_map(setup_scope, h_add, "double(double, double)", MAPN, in, mz));
    add_case("c_dd_loop1000", [f = (dd_fn)c_add_vp]() {
        for (int i = 0; i < MAPN; i++) mz[i] = f(mx[i], my[i]);
        benchmark::DoNotOptimize(mz);
        benchmark::ClobberMemory();
    });
    add_case("checked_dd_loop1000", [f = (dd_chk)add.ck]() {
        for (int i = 0; i < MAPN; i++) f(mx[i], my[i], &mz[i]);
        benchmark::DoNotOptimize(mz);
        benchmark::ClobberMemory();
    });
    add_case("map_dd_1000", [h_add]() {
        const void *in[2] = {mx, my};
        JLCB_OK(jlc_cfunc_map(setup_scope, h_add, "double(double, double)", MAPN, in, mz));
        benchmark::DoNotOptimize(mz);
        benchmark::ClobberMemory();
    });
}

// Targets: unchecked within 2x of the C indirect call; checked at least 2x
// faster than jl_call (ratio <= 0.5), for functions proved not to throw and
// for functions that may throw.
JLCB_RATIO(unchecked_dd, c_dd, 2.0);
JLCB_RATIO(checked_dd, c_dd, 2.0);
JLCB_RATIO(checked_dd, jl_call_dd, 0.5);
JLCB_RATIO(checked_dd, unchecked_dd, 0);
JLCB_RATIO(unchecked_mt_dd, c_dd, 2.0);
JLCB_RATIO(checked_mt_dd, jl_call_mt_dd, 0.5);
JLCB_RATIO(checked_mt_dd, unchecked_mt_dd, 0);
JLCB_RATIO(unchecked_cfentry_dd, c_dd, 0);
JLCB_RATIO(unchecked_cfentry_mt_dd, c_dd, 0);
JLCB_RATIO(checked_try_dd, jl_call_dd, 0);
JLCB_RATIO(checked_try_mt_dd, jl_call_mt_dd, 0);
JLCB_RATIO(checked_try_mt_dd, unchecked_cfentry_mt_dd, 0);
JLCB_RATIO(c_trampoline_dd, jl_call_mt_dd, 0);
JLCB_RATIO(protect_each_dd, jl_call_mt_dd, 0);
JLCB_RATIO(region_unchecked_mt_dd_x100, c_dd_x100, 0);
JLCB_RATIO(region_unchecked_mt_dd_x100, checked_mt_dd_x100, 0);
JLCB_RATIO(unchecked_ii, c_ii, 2.0);
JLCB_RATIO(checked_ii, c_ii, 2.0);
JLCB_RATIO(checked_ii, jl_call_ii, 0.5);
JLCB_RATIO(checked_try_ii, jl_call_ii, 0);
JLCB_RATIO(unchecked_ptr, c_ptr, 2.0);
JLCB_RATIO(checked_ptr, c_ptr, 2.0);
JLCB_RATIO(checked_ptr, jl_call_ptr, 0.5);
JLCB_RATIO(checked_try_ptr, jl_call_ptr, 0);
JLCB_RATIO(map_dd_1000, checked_dd_loop1000, 0);
JLCB_RATIO(map_dd_1000, c_dd_loop1000, 0);

JLCB_MAIN_WITH(setup)

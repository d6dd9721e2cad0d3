// bench_array.cpp — arrays: wrapping C memory vs copying it (and wrap cost vs
// size), borrowing the data pointer vs raw julia.h, Julia's sum over a
// wrapped buffer vs a plain C loop, element get/set vs raw pointer access.
#include "bench_util.hpp"

#include <julia.h>

// The raw data pointer of an array: julia.h's macro takes the element type
// from Julia 1.11 on (Array is built on Memory there).
#if JULIA_VERSION_MAJOR > 1 || JULIA_VERSION_MINOR >= 11
#define RAW_DATA(a) jl_array_data_(a)
#else
#define RAW_DATA(a) jl_array_data(a)
#endif

#include <cstdlib>
#include <cstring>

static const size_t SMALL = 1000, LARGE = 10000000, SUM_N = 1000000;
static const int RESET = 1024; // scopes are recycled so memory stays flat
static double *big;            // LARGE doubles of C memory

static jl_value_t *raw(jlc_value v)
{
    void *p;
    JLCB_OK(jlc_value_raw(v, &p));
    return (jl_value_t *)p;
}

// ---- wrapping (O(1)) vs copying (O(n)) ----

static void wrap_n(benchmark::State &s, size_t n)
{
    jlc_scope sc;
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &sc));
    int k = 0;
    for (auto _ : s) {
        jlc_value a;
        JLCB_OK(jlc_array_wrap(sc, big, JLC_FLOAT64, 1, &n, &a));
        benchmark::DoNotOptimize(a);
        if (++k == RESET) {
            jlc_scope_close(sc);
            jlc_scope_open(JLC_NO_SCOPE, &sc);
            k = 0;
        }
    }
    jlc_scope_close(sc);
}
static void jlc_wrap_1e3(benchmark::State &s) { wrap_n(s, SMALL); }
static void jlc_wrap_1e7(benchmark::State &s) { wrap_n(s, LARGE); }
BENCHMARK(jlc_wrap_1e3);
BENCHMARK(jlc_wrap_1e7);

// The raw julia.h way to wrap (Julia 1.5 ... 1.10 C form).
static void raw_wrap_1e7(benchmark::State &s)
{
    jl_value_t *atype = jl_apply_array_type((jl_value_t *)jl_float64_type, 1);
    for (auto _ : s) {
        jl_array_t *a = jl_ptr_to_array_1d(atype, big, LARGE, 0);
        benchmark::DoNotOptimize(a);
    }
}
BENCHMARK(raw_wrap_1e7);

// Copying into a new Julia array: jlc (new + copy_in) and raw (alloc + memcpy).
static void jlc_copy_1e7(benchmark::State &s)
{
    size_t n = LARGE;
    for (auto _ : s) {
        jlc_scope sc;
        jlc_value a;
        JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &sc));
        JLCB_OK(jlc_array_new(sc, JLC_FLOAT64, 1, &n, &a));
        JLCB_OK(jlc_array_copy_in(a, 0, n, JLC_FLOAT64, sizeof(double), big));
        benchmark::DoNotOptimize(a);
        jlc_scope_close(sc);
    }
}
BENCHMARK(jlc_copy_1e7);

static void raw_copy_1e7(benchmark::State &s)
{
    jl_value_t *atype = jl_apply_array_type((jl_value_t *)jl_float64_type, 1);
    for (auto _ : s) {
        jl_array_t *a = jl_alloc_array_1d(atype, LARGE);
        std::memcpy(RAW_DATA(a), big, LARGE * sizeof(double));
        benchmark::DoNotOptimize(a);
    }
}
BENCHMARK(raw_copy_1e7);

JLCB_RATIO(jlc_wrap_1e7, jlc_wrap_1e3, 1.2); // size-independent
JLCB_RATIO(jlc_wrap_1e7, raw_copy_1e7, 0.01);
JLCB_RATIO(jlc_wrap_1e7, raw_wrap_1e7, 0);
JLCB_RATIO(jlc_copy_1e7, raw_copy_1e7, 0); // jlc_array_new zeroes first: two passes

// ---- borrowing the data pointer ----

static jlc_scope bscope;
static jlc_value barr; // Vector{Float64} of SMALL elements, lives in bscope

// The raw julia.h way: the array is rooted, read its data pointer.
static void raw_array_data(benchmark::State &s)
{
    jl_value_t *a = raw(barr);
    for (auto _ : s) {
        benchmark::DoNotOptimize(a);
        void *p = RAW_DATA(a);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(raw_array_data);

// The same with the element-type check jlc makes.
static void raw_array_data_checked(benchmark::State &s)
{
    jl_value_t *a = raw(barr);
    for (auto _ : s) {
        benchmark::DoNotOptimize(a);
        void *p = NULL;
        if (jl_is_array(a) && jl_tparam0(jl_typeof(a)) == (jl_value_t *)jl_float64_type)
            p = RAW_DATA(a);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(raw_array_data_checked);

static void jlc_borrow_release(benchmark::State &s)
{
    for (auto _ : s) {
        jlc_borrow b;
        const void *p;
        jlc_array_borrow(bscope, barr, JLC_FLOAT64, sizeof(double), &b, &p);
        benchmark::DoNotOptimize(p);
        jlc_borrow_release(b);
    }
}
BENCHMARK(jlc_borrow_release);

static void jlc_borrow_mut_release(benchmark::State &s)
{
    for (auto _ : s) {
        jlc_borrow b;
        void *p;
        jlc_array_borrow_mut(bscope, barr, JLC_FLOAT64, sizeof(double), &b, &p);
        benchmark::DoNotOptimize(p);
        jlc_borrow_release(b);
    }
}
BENCHMARK(jlc_borrow_mut_release);

// Borrow, then use the data: sum 1000 elements (what a borrow is for).
static double sum_c(const double *p, size_t n)
{
    double t = 0;
    for (size_t i = 0; i < n; i++) t += p[i];
    return t;
}

static void raw_data_sum1k(benchmark::State &s)
{
    jl_value_t *a = raw(barr);
    for (auto _ : s) {
        benchmark::DoNotOptimize(a);
        double t = sum_c((const double *)RAW_DATA(a), SMALL);
        benchmark::DoNotOptimize(t);
    }
}
BENCHMARK(raw_data_sum1k);

static void jlc_borrow_sum1k(benchmark::State &s)
{
    for (auto _ : s) {
        jlc_borrow b;
        const void *p;
        jlc_array_borrow(bscope, barr, JLC_FLOAT64, sizeof(double), &b, &p);
        double t = sum_c((const double *)p, SMALL);
        benchmark::DoNotOptimize(t);
        jlc_borrow_release(b);
    }
}
BENCHMARK(jlc_borrow_sum1k);

JLCB_RATIO(jlc_borrow_release, raw_array_data, 1.2);
JLCB_RATIO(jlc_borrow_release, raw_array_data_checked, 0);
JLCB_RATIO(jlc_borrow_mut_release, raw_array_data, 0);
JLCB_RATIO(jlc_borrow_sum1k, raw_data_sum1k, 1.2);

// ---- Julia sum over wrapped C memory vs a C loop ----

static void c_loop_sum_1e6(benchmark::State &s)
{
    for (auto _ : s) {
        benchmark::DoNotOptimize(big);
        double t = sum_c(big, SUM_N);
        benchmark::DoNotOptimize(t);
    }
}
BENCHMARK(c_loop_sum_1e6);

static void jlc_julia_sum_1e6(benchmark::State &s)
{
    jlc_scope outer, sc;
    jlc_value a, sum;
    size_t n = SUM_N;
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &outer));
    JLCB_OK(jlc_array_wrap(outer, big, JLC_FLOAT64, 1, &n, &a));
    JLCB_OK(jlc_global_lookup(outer, "sum", &sum));
    JLCB_OK(jlc_scope_open(outer, &sc));
    int k = 0;
    for (auto _ : s) {
        jlc_value r;
        double t;
        JLCB_OK(jlc_call(sc, sum, 1, &a, &r));
        jlc_float64_get(r, &t);
        benchmark::DoNotOptimize(t);
        if (++k == RESET) {
            jlc_scope_close(sc);
            jlc_scope_open(outer, &sc);
            k = 0;
        }
    }
    jlc_scope_close(sc);
    jlc_scope_close(outer);
}
BENCHMARK(jlc_julia_sum_1e6);
JLCB_RATIO(jlc_julia_sum_1e6, c_loop_sum_1e6, 1.5);

// ---- element get/set: jlc vs raw pointer ----

static void raw_get(benchmark::State &s)
{
    jl_value_t *a = raw(barr);
    size_t i = 0;
    for (auto _ : s) {
        benchmark::DoNotOptimize(a);
        double x = ((double *)RAW_DATA(a))[i];
        benchmark::DoNotOptimize(x);
        if (++i == SMALL) i = 0;
    }
}
BENCHMARK(raw_get);

static void jlc_get(benchmark::State &s)
{
    size_t i = 0;
    for (auto _ : s) {
        double x;
        jlc_array_get(barr, i, JLC_FLOAT64, sizeof x, &x);
        benchmark::DoNotOptimize(x);
        if (++i == SMALL) i = 0;
    }
}
BENCHMARK(jlc_get);

static void raw_set(benchmark::State &s)
{
    jl_value_t *a = raw(barr);
    size_t i = 0;
    double x = 1.5;
    for (auto _ : s) {
        benchmark::DoNotOptimize(a);
        ((double *)RAW_DATA(a))[i] = x;
        benchmark::ClobberMemory();
        if (++i == SMALL) i = 0;
    }
}
BENCHMARK(raw_set);

static void jlc_set(benchmark::State &s)
{
    size_t i = 0;
    double x = 1.5;
    for (auto _ : s) {
        jlc_array_set(barr, i, JLC_FLOAT64, sizeof x, &x);
        benchmark::ClobberMemory();
        if (++i == SMALL) i = 0;
    }
}
BENCHMARK(jlc_set);

JLCB_RATIO(jlc_get, raw_get, 0);
JLCB_RATIO(jlc_set, raw_set, 0);

static void setup(void)
{
    big = static_cast<double *>(std::malloc(LARGE * sizeof(double)));
    if (!big) std::abort();
    for (size_t i = 0; i < LARGE; i++) big[i] = 1.0 / (1.0 + (double)(i % 1000));
    size_t n = SMALL;
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &bscope));
    JLCB_OK(jlc_array_new(bscope, JLC_FLOAT64, 1, &n, &barr));
    JLCB_OK(jlc_array_copy_in(barr, 0, n, JLC_FLOAT64, sizeof(double), big));
}

JLCB_MAIN_WITH(setup)

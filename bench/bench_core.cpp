// bench_core.cpp — the core's overhead over raw julia.h: making a handle,
// a dynamic call, a keyword call, a scope.
#include "bench_util.hpp"

#include <julia.h>

// Values above Julia's small-integer box cache, so every box allocates.
static const int64_t BIG = int64_t(1) << 40;

// ---- handle creation ----

static void raw_box_int64(benchmark::State &s)
{
    int64_t i = BIG;
    for (auto _ : s) {
        jl_value_t *v = jl_box_int64(i++);
        JL_GC_PUSH1(&v);
        benchmark::DoNotOptimize(v);
        JL_GC_POP();
    }
}
BENCHMARK(raw_box_int64);

static void jlc_make_int64(benchmark::State &s)
{
    jlcb::Cycler c;
    int64_t i = BIG;
    for (auto _ : s) {
        jlc_value v;
        jlc_int64_new(c.scope(), i++, &v);
        benchmark::DoNotOptimize(v);
        c.tick();
    }
}
BENCHMARK(jlc_make_int64);
JLCB_RATIO(jlc_make_int64, raw_box_int64, 1.5);

static void raw_box_float64(benchmark::State &s)
{
    double d = 0.5;
    for (auto _ : s) {
        jl_value_t *v = jl_box_float64(d);
        d += 1.0;
        JL_GC_PUSH1(&v);
        benchmark::DoNotOptimize(v);
        JL_GC_POP();
    }
}
BENCHMARK(raw_box_float64);

static void jlc_make_float64(benchmark::State &s)
{
    jlcb::Cycler c;
    double d = 0.5;
    for (auto _ : s) {
        jlc_value v;
        jlc_float64_new(c.scope(), d, &v);
        d += 1.0;
        benchmark::DoNotOptimize(v);
        c.tick();
    }
}
BENCHMARK(jlc_make_float64);
JLCB_RATIO(jlc_make_float64, raw_box_float64, 1.5);

// ---- dynamic call: +(1.0, 2.0) ----

static void raw_jl_call2(benchmark::State &s)
{
    jl_function_t *plus = jl_get_function(jl_base_module, "+");
    jl_value_t *a = jl_box_float64(1.0), *b = NULL;
    JL_GC_PUSH2(&a, &b);
    b = jl_box_float64(2.0);
    for (auto _ : s) {
        jl_value_t *r = jl_call2(plus, a, b);
        benchmark::DoNotOptimize(r);
    }
    JL_GC_POP();
}
BENCHMARK(raw_jl_call2);

// The handles of +(1.0, 2.0) in an outer scope, for the jlc call loops.
struct PlusCall {
    jlc_scope outer;
    jlc_value plus, args[2];
    PlusCall()
    {
        JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &outer));
        JLCB_OK(jlc_global_lookup(outer, "Base.+", &plus));
        JLCB_OK(jlc_float64_new(outer, 1.0, &args[0]));
        JLCB_OK(jlc_float64_new(outer, 2.0, &args[1]));
    }
    ~PlusCall() { jlc_scope_close(outer); }
};

static void jlc_call_plus(benchmark::State &s)
{
    PlusCall pc;
    jlcb::Cycler c(pc.outer);
    for (auto _ : s) {
        jlc_value r;
        jlc_call(c.scope(), pc.plus, 2, pc.args, &r);
        benchmark::DoNotOptimize(r);
        c.tick();
    }
}
BENCHMARK(jlc_call_plus);
JLCB_RATIO(jlc_call_plus, raw_jl_call2, 1.10);

// ---- call and cast back: +(1.0, 2.0) as a C double ----

static void raw_call_unbox(benchmark::State &s)
{
    jl_function_t *plus = jl_get_function(jl_base_module, "+");
    jl_value_t *a = jl_box_float64(1.0), *b = NULL;
    JL_GC_PUSH2(&a, &b);
    b = jl_box_float64(2.0);
    for (auto _ : s) {
        jl_value_t *r = jl_call2(plus, a, b);
        double d = jl_unbox_float64(r);
        benchmark::DoNotOptimize(d);
    }
    JL_GC_POP();
}
BENCHMARK(raw_call_unbox);

static void jlc_call_get(benchmark::State &s)
{
    PlusCall pc;
    jlcb::Cycler c(pc.outer);
    for (auto _ : s) {
        jlc_value r;
        double d = 0;
        jlc_call(c.scope(), pc.plus, 2, pc.args, &r);
        jlc_float64_get(r, &d);
        benchmark::DoNotOptimize(d);
        c.tick();
    }
}
BENCHMARK(jlc_call_get);
JLCB_RATIO(jlc_call_get, raw_call_unbox, 1.10);

// ---- lookups by name ----

static void raw_get_global(benchmark::State &s)
{
    for (auto _ : s) {
        jl_value_t *f = jl_get_global(jl_base_module, jl_symbol("sum"));
        benchmark::DoNotOptimize(f);
    }
}
BENCHMARK(raw_get_global);

// One lookup loop, by path.
static void lookup_loop(benchmark::State &s, const char *path)
{
    jlcb::Cycler c;
    for (auto _ : s) {
        jlc_value f;
        jlc_global_lookup(c.scope(), path, &f);
        benchmark::DoNotOptimize(f);
        c.tick();
    }
}
static void jlc_lookup_qualified(benchmark::State &s) { lookup_loop(s, "Base.sum"); }
static void jlc_lookup_bare(benchmark::State &s) { lookup_loop(s, "sum"); }
BENCHMARK(jlc_lookup_qualified);
BENCHMARK(jlc_lookup_bare);
JLCB_RATIO(jlc_lookup_qualified, raw_get_global, 0);
JLCB_RATIO(jlc_lookup_bare, raw_get_global, 0);

// ---- GC cost of held values: a young collection with 10^6 values held ----

static const int HELD = 1000000;

// The same values held the raw way: in a rooted Vector{Any}.
static void raw_young_gc_vector(benchmark::State &s)
{
    jl_value_t *vec = NULL;
    JL_GC_PUSH1(&vec);
    // Built in Julia: jl_arrayset is gone from julia.h in 1.11.
    vec = jl_eval_string("Any[i + 0.5 for i in 0:999999]");
    jl_gc_collect(JL_GC_FULL);
    for (auto _ : s) jl_gc_collect(JL_GC_INCREMENTAL);
    JL_GC_POP();
    jl_gc_collect(JL_GC_FULL);
}
BENCHMARK(raw_young_gc_vector)->Iterations(20);

static void jlc_young_gc_handles(benchmark::State &s)
{
    jlc_scope sc;
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &sc));
    for (int i = 0; i < HELD; i++) {
        jlc_value v;
        jlc_float64_new(sc, i + 0.5, &v);
    }
    jlc_gc_collect(true);
    for (auto _ : s) jlc_gc_collect(false);
    jlc_scope_close(sc);
    jlc_gc_collect(true);
}
BENCHMARK(jlc_young_gc_handles)->Iterations(20);
JLCB_RATIO(jlc_young_gc_handles, raw_young_gc_vector, 2.0);

// ---- keyword call: kwf(1.0; scale = 2.0) ----

static const char *KWDEF = "jlcb_kwf(x; scale = 1.0) = x * scale";

static void raw_kwcall(benchmark::State &s)
{
    // What raw julia.h code must do: build the NamedTuple and call through
    // Core.kwfunc (the Julia <= 1.8 form; 1.9+ uses Core.kwcall).
    jl_value_t *f = jl_get_global(jl_main_module, jl_symbol("jlcb_kwf"));
    jl_value_t *kwf = NULL, *nt = NULL, *x = NULL, *make = NULL;
    JL_GC_PUSH4(&kwf, &nt, &x, &make);
    kwf = jl_call1(jl_get_function(jl_core_module, "kwfunc"), f);
    make = jl_eval_string("(v) -> (scale = v,)");
    x = jl_box_float64(1.0);
    jl_value_t *scale = jl_box_float64(2.0);
    nt = jl_call1(make, scale);
    for (auto _ : s) {
        jl_value_t *r = jl_call3(kwf, nt, f, x);
        benchmark::DoNotOptimize(r);
    }
    JL_GC_POP();
}
BENCHMARK(raw_kwcall);

static void jlc_kwcall(benchmark::State &s)
{
    jlc_scope outer;
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &outer));
    jlc_value f, x, scale;
    JLCB_OK(jlc_global_lookup(outer, "jlcb_kwf", &f));
    JLCB_OK(jlc_float64_new(outer, 1.0, &x));
    JLCB_OK(jlc_float64_new(outer, 2.0, &scale));
    const char *names[] = {"scale"};
    {
        jlcb::Cycler c(outer);
        for (auto _ : s) {
            jlc_value r;
            jlc_call_kw(c.scope(), f, 1, &x, 1, names, &scale, &r);
            benchmark::DoNotOptimize(r);
            c.tick();
        }
    }
    jlc_scope_close(outer);
}
BENCHMARK(jlc_kwcall);
JLCB_RATIO(jlc_kwcall, raw_kwcall, 0);

// ---- scopes ----

static void raw_gc_push_pop(benchmark::State &s)
{
    for (auto _ : s) {
        jl_value_t *v = NULL;
        JL_GC_PUSH1(&v);
        benchmark::DoNotOptimize(v);
        JL_GC_POP();
    }
}
BENCHMARK(raw_gc_push_pop);

static void jlc_scope_open_close(benchmark::State &s)
{
    for (auto _ : s) {
        jlc_scope sc;
        jlc_scope_open(JLC_NO_SCOPE, &sc);
        benchmark::DoNotOptimize(sc);
        jlc_scope_close(sc);
    }
}
BENCHMARK(jlc_scope_open_close);
JLCB_RATIO(jlc_scope_open_close, raw_gc_push_pop, 0);

static void setup(void) { jl_eval_string(KWDEF); }

JLCB_MAIN_WITH(setup)

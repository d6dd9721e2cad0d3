/* callgrind_core.c — fixed loops of the core's key operations and their raw
 * julia.h counterparts, for instruction counts under valgrind's callgrind
 * (stable on a loaded machine, unlike time). Run by scripts/bench-callgrind.sh:
 * each measure_* function is collected on its own (--toggle-collect) and the
 * script prints instructions per iteration and the jlc/raw ratio. */
#include <jlc.h>
#include <julia.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 20000

static jl_value_t *plus_raw, *a_raw, *b_raw;
static jlc_scope outer;
static jlc_value plus_h, args_h[2];
static volatile double sink;

__attribute__((noinline)) void loop_raw_call_unbox(int n)
{
    for (int i = 0; i < n; i++) sink = jl_unbox_float64(jl_call2(plus_raw, a_raw, b_raw));
}

__attribute__((noinline)) void loop_jlc_call_get(int n)
{
    /* A fresh scope every 64 results, as bench_core's Cycler does. */
    jlc_scope sc;
    jlc_scope_open(outer, &sc);
    for (int i = 0; i < n; i++) {
        jlc_value r;
        double d = 0;
        jlc_call(sc, plus_h, 2, args_h, &r);
        jlc_float64_get(r, &d);
        sink = d;
        if ((i & 63) == 63) {
            jlc_scope_close(sc);
            jlc_scope_open(outer, &sc);
        }
    }
    jlc_scope_close(sc);
}

__attribute__((noinline)) void loop_raw_scope_only(int n)
{
    /* What the jlc loop spends on its per-iteration scope, for reference. */
    for (int i = 0; i < n; i++) {
        jl_value_t *v = NULL;
        JL_GC_PUSH1(&v);
        sink = (double)(uintptr_t)v;
        JL_GC_POP();
    }
}

__attribute__((noinline)) void loop_jlc_scope_only(int n)
{
    for (int i = 0; i < n; i++) {
        jlc_scope sc;
        jlc_scope_open(outer, &sc);
        jlc_scope_close(sc);
    }
}

__attribute__((noinline)) void loop_raw_box(int n)
{
    for (int i = 0; i < n; i++) {
        jl_value_t *v = jl_box_float64(i + 0.5);
        JL_GC_PUSH1(&v);
        sink = jl_unbox_float64(v);
        JL_GC_POP();
    }
}

__attribute__((noinline)) void loop_jlc_box(int n)
{
    jlc_scope sc;
    jlc_scope_open(outer, &sc);
    for (int i = 0; i < n; i++) {
        jlc_value v;
        double d = 0;
        jlc_float64_new(sc, i + 0.5, &v);
        jlc_float64_get(v, &d);
        sink = d;
        if ((i & 63) == 63) {
            jlc_scope_close(sc);
            jlc_scope_open(outer, &sc);
        }
    }
    jlc_scope_close(sc);
}

/* A 4-field isbits struct mapped by hand, as jlc-reflect would write it. */
typedef struct { double a; int64_t b; float c; int32_t d; } P4;
static const jlc_field_layout p4_fields[] = {
    {"a", "Float64", 0, 8, JLC_FIELD_BITS, 0, NULL},
    {"b", "Int64", 8, 8, JLC_FIELD_BITS, 0, NULL},
    {"c", "Float32", 16, 4, JLC_FIELD_BITS, 0, NULL},
    {"d", "Int32", 20, 4, JLC_FIELD_BITS, 0, NULL},
};
static const jlc_struct_layout p4_layout = {JLC_STRUCT_LAYOUT_ABI, "CgP4", 24, 8, false, 4, p4_fields};
static jl_value_t *p4_raw, *p4_type;
static jlc_value p4_h;

__attribute__((noinline)) void loop_raw_struct_read(int n)
{
    /* What a careful raw user does: check the type, read the bytes. */
    for (int i = 0; i < n; i++) {
        P4 p;
        if (jl_typeof(p4_raw) != p4_type) abort();
        memcpy(&p, jl_data_ptr(p4_raw), sizeof p);
        sink = p.a + (double)p.d;
    }
}

__attribute__((noinline)) void loop_jlc_struct_unbox(int n)
{
    for (int i = 0; i < n; i++) {
        P4 p;
        jlc_struct_unbox(p4_h, &p4_layout, &p, sizeof p);
        sink = p.a + (double)p.d;
    }
}

__attribute__((noinline)) void loop_raw_struct_box(int n)
{
    for (int i = 0; i < n; i++) {
        P4 p = {i + 0.5, i, 1.5f, i};
        jl_value_t *v = jl_new_bits(p4_type, &p);
        JL_GC_PUSH1(&v);
        sink = (double)(uintptr_t)v;
        JL_GC_POP();
    }
}

__attribute__((noinline)) void loop_jlc_struct_box(int n)
{
    jlc_scope sc;
    jlc_scope_open(outer, &sc);
    for (int i = 0; i < n; i++) {
        P4 p = {i + 0.5, i, 1.5f, i};
        jlc_value v;
        jlc_struct_box(sc, &p4_layout, &p, sizeof p, &v);
        sink = (double)v._h;
        if ((i & 63) == 63) {
            jlc_scope_close(sc);
            jlc_scope_open(outer, &sc);
        }
    }
    jlc_scope_close(sc);
}

#define MEASURE(name) \
    __attribute__((noinline)) void measure_##name(void) { loop_##name(N); }
MEASURE(raw_call_unbox)
MEASURE(jlc_call_get)
MEASURE(raw_scope_only)
MEASURE(jlc_scope_only)
MEASURE(raw_box)
MEASURE(jlc_box)
MEASURE(raw_struct_read)
MEASURE(jlc_struct_unbox)
MEASURE(raw_struct_box)
MEASURE(jlc_struct_box)

int main(void)
{
    if (jlc_init(NULL) != JLC_OK) {
        fprintf(stderr, "%s\n", jlc_last_error());
        return 1;
    }
    jlc_scope_open(JLC_NO_SCOPE, &outer);
    jlc_global_lookup(outer, "Base.+", &plus_h);
    jlc_float64_new(outer, 1.0, &args_h[0]);
    jlc_float64_new(outer, 2.0, &args_h[1]);
    jlc_value_raw(plus_h, (void **)&plus_raw);
    jlc_value_raw(args_h[0], (void **)&a_raw);
    jlc_value_raw(args_h[1], (void **)&b_raw);
    jlc_value t;
    if (jlc_eval(outer, JLC_NO_VALUE, "struct CgP4; a::Float64; b::Int64; c::Float32; d::Int32; end", &t) != JLC_OK ||
        jlc_eval(outer, JLC_NO_VALUE, "CgP4(1.5, 2, 3.5f0, 4)", &p4_h) != JLC_OK ||
        jlc_struct_register(outer, &p4_layout, &t) != JLC_OK) {
        fprintf(stderr, "%s\n", jlc_last_error());
        return 1;
    }
    jlc_value_raw(t, (void **)&p4_type);
    jlc_value_raw(p4_h, (void **)&p4_raw);
    /* Warm up every path (compilation, pools), then the measured runs: the
     * script collects only inside measure_*. */
    void (*loops[])(int) = {loop_raw_call_unbox, loop_jlc_call_get, loop_raw_scope_only,
                            loop_jlc_scope_only, loop_raw_box,     loop_jlc_box,
                            loop_raw_struct_read, loop_jlc_struct_unbox, loop_raw_struct_box,
                            loop_jlc_struct_box};
    for (size_t k = 0; k < sizeof loops / sizeof loops[0]; k++) loops[k](200);
    measure_raw_call_unbox();
    measure_jlc_call_get();
    measure_raw_scope_only();
    measure_jlc_scope_only();
    measure_raw_box();
    measure_jlc_box();
    measure_raw_struct_read();
    measure_jlc_struct_unbox();
    measure_raw_struct_box();
    measure_jlc_struct_box();
    jlc_scope_close(outer);
    printf("iterations %d\n", N);
    return jlc_shutdown(0, NULL) == JLC_OK ? 0 : 1;
}

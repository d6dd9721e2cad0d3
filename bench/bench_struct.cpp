// bench_struct.cpp — mapped structs: a 4-field struct copied whole
// (jlc_struct_unbox / jlc_struct_box) vs field by field through handles
// (jlc_field_get + checked casts / boxed fields + jlc_struct_new) vs raw
// julia.h (pointer reads / jl_new_struct); Julia looping over a million C
// structs wrapped as a Vector vs the same loop in C.
#include "bench_util.hpp"

#include <julia.h>

#include <cstdlib>
#include <cstring>

struct Particle {
    double x, y, z;
    int64_t id;
};
static const jlc_field_layout particle_fields[] = {
    {"x", "Float64", 0, 8, JLC_FIELD_BITS, 0, nullptr},
    {"y", "Float64", 8, 8, JLC_FIELD_BITS, 0, nullptr},
    {"z", "Float64", 16, 8, JLC_FIELD_BITS, 0, nullptr},
    {"id", "Int64", 24, 8, JLC_FIELD_BITS, 0, nullptr},
};
static const jlc_struct_layout particle = {JLC_STRUCT_LAYOUT_ABI, "JlcbParticle", 32, 8, false, 4,
                                           particle_fields};

static jlc_scope gscope; // holds the values below for the whole run
static jlc_value gval, gtype;
static const Particle cpart = {1.5, -2.5, 3.25, 42};

static jl_value_t *raw(jlc_value v)
{
    void *p;
    JLCB_OK(jlc_value_raw(v, &p));
    return (jl_value_t *)p;
}

// ---- Julia value -> C struct ----

static void jlc_unbox(benchmark::State &s)
{
    Particle p;
    for (auto _ : s) {
        JLCB_OK(jlc_struct_unbox(gval, &particle, &p, sizeof p));
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(jlc_unbox);

static void jlc_fields_unbox(benchmark::State &s)
{
    jlcb::Cycler c(JLC_NO_SCOPE, 1024);
    Particle p;
    for (auto _ : s) {
        jlc_value f[4];
        for (size_t i = 0; i < 4; i++) JLCB_OK(jlc_field_get(c.scope(), gval, i, &f[i]));
        JLCB_OK(jlc_float64_get(f[0], &p.x));
        JLCB_OK(jlc_float64_get(f[1], &p.y));
        JLCB_OK(jlc_float64_get(f[2], &p.z));
        JLCB_OK(jlc_int64_get(f[3], &p.id));
        benchmark::DoNotOptimize(p);
        c.tick();
    }
}
BENCHMARK(jlc_fields_unbox);

// julia.h: the value's fields read at their offsets (what jlc-reflect's
// users would write by hand without jlc).
static void raw_unbox(benchmark::State &s)
{
    jl_value_t *v = raw(gval);
    jl_datatype_t *T = (jl_datatype_t *)jl_typeof(v);
    Particle p;
    for (auto _ : s) {
        benchmark::DoNotOptimize(v);
        const char *d = (const char *)jl_data_ptr(v);
        std::memcpy(&p.x, d + jl_field_offset(T, 0), 8);
        std::memcpy(&p.y, d + jl_field_offset(T, 1), 8);
        std::memcpy(&p.z, d + jl_field_offset(T, 2), 8);
        std::memcpy(&p.id, d + jl_field_offset(T, 3), 8);
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(raw_unbox);

// ---- C struct -> Julia value ----

static void jlc_box(benchmark::State &s)
{
    jlcb::Cycler c;
    for (auto _ : s) {
        jlc_value v;
        JLCB_OK(jlc_struct_box(c.scope(), &particle, &cpart, sizeof cpart, &v));
        benchmark::DoNotOptimize(v);
        c.tick();
    }
}
BENCHMARK(jlc_box);

static void jlc_fields_box(benchmark::State &s)
{
    jlcb::Cycler c(JLC_NO_SCOPE, 1024);
    for (auto _ : s) {
        jlc_value f[4], v;
        jlc_scope sc = c.scope();
        JLCB_OK(jlc_float64_new(sc, cpart.x, &f[0]));
        JLCB_OK(jlc_float64_new(sc, cpart.y, &f[1]));
        JLCB_OK(jlc_float64_new(sc, cpart.z, &f[2]));
        JLCB_OK(jlc_int64_new(sc, cpart.id, &f[3]));
        JLCB_OK(jlc_struct_new(sc, gtype, 4, f, &v));
        benchmark::DoNotOptimize(v);
        c.tick();
    }
}
BENCHMARK(jlc_fields_box);

// julia.h: jl_new_struct from boxed fields (rooted while it allocates).
static void raw_box(benchmark::State &s)
{
    jl_datatype_t *T = (jl_datatype_t *)raw(gtype);
    jl_value_t *f[4] = {nullptr, nullptr, nullptr, nullptr};
    JL_GC_PUSH4(&f[0], &f[1], &f[2], &f[3]);
    for (auto _ : s) {
        f[0] = jl_box_float64(cpart.x);
        f[1] = jl_box_float64(cpart.y);
        f[2] = jl_box_float64(cpart.z);
        f[3] = jl_box_int64(cpart.id);
        jl_value_t *v = jl_new_struct(T, f[0], f[1], f[2], f[3]);
        benchmark::DoNotOptimize(v);
    }
    JL_GC_POP();
}
BENCHMARK(raw_box);

// julia.h: the bytes copied into a new object (the least work possible).
static void raw_box_bits(benchmark::State &s)
{
    jl_value_t *T = raw(gtype);
    for (auto _ : s) {
        jl_value_t *v = jl_new_bits(T, (void *)&cpart);
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(raw_box_bits);

// ---- a million C structs: a Julia loop over the wrapped array vs C ----

static const size_t NPART = 1000000;
static Particle *parts;
static jlc_value gsum, gwrapped;

static void jlc_julia_loop_1e6(benchmark::State &s)
{
    jlcb::Cycler c;
    double r = 0;
    for (auto _ : s) {
        jlc_value v;
        JLCB_OK(jlc_call(c.scope(), gsum, 1, &gwrapped, &v));
        JLCB_OK(jlc_float64_get(v, &r));
        benchmark::DoNotOptimize(r);
        c.tick();
    }
}
BENCHMARK(jlc_julia_loop_1e6);

static void c_loop_1e6(benchmark::State &s)
{
    for (auto _ : s) {
        double r = 0;
        for (size_t i = 0; i < NPART; i++) r += parts[i].x;
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(c_loop_1e6);

JLCB_RATIO(jlc_unbox, raw_unbox, 0);
JLCB_RATIO(jlc_fields_unbox, raw_unbox, 0);
JLCB_RATIO(jlc_box, raw_box_bits, 0);
JLCB_RATIO(jlc_box, raw_box, 0);
JLCB_RATIO(jlc_fields_box, raw_box, 0);
JLCB_RATIO(jlc_julia_loop_1e6, c_loop_1e6, 0);

static void setup(void)
{
    JLCB_OK(jlc_scope_open(JLC_NO_SCOPE, &gscope));
    jlc_value r;
    JLCB_OK(jlc_eval(gscope, JLC_NO_VALUE,
                     "struct JlcbParticle; x::Float64; y::Float64; z::Float64; id::Int64; end", &r));
    JLCB_OK(jlc_struct_register(gscope, &particle, &gtype));
    JLCB_OK(jlc_eval(gscope, JLC_NO_VALUE, "JlcbParticle(1.5, -2.5, 3.25, 42)", &gval));
    parts = static_cast<Particle *>(std::malloc(NPART * sizeof(Particle)));
    if (!parts) std::abort();
    for (size_t i = 0; i < NPART; i++) parts[i] = {1.0 / (1.0 + (double)(i % 1000)), 0, 0, (int64_t)i};
    JLCB_OK(jlc_struct_array_wrap(gscope, &particle, parts, NPART, &gwrapped));
    JLCB_OK(jlc_eval(gscope, JLC_NO_VALUE,
                     "function jlcb_sum_x(v); s = 0.0; for p in v; s += p.x; end; s; end", &gsum));
}

JLCB_MAIN_WITH(setup)

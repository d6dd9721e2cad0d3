/* test_reflect.c — headers written by jlc-reflect at build time (from
 * tests/data/reflect_types.jl and reflect_stale.jl) against the live Julia
 * types: every layout registers; values cross both ways (Julia's sample(T)
 * unboxed into C and compared field by field in C; the same values filled in
 * C, boxed, and compared field by field in Julia); a header generated from
 * an older copy of a type is refused, naming the field. */
#include "test_util.h"

#include "reflect_stale.h"
#include "reflect_types.h"

static void load_types(void)
{
    static int loaded;
    if (loaded) return;
    jlc_value r;
    ASSERT_OK(jlc_include(S, JLCT_DATA_DIR "/reflect_types.jl", &r));
    loaded = 1;
}

/* Julia's sample(<type>) unboxed into out. */
static void unbox_sample(const char *type, const jlc_struct_layout *L, void *out, size_t cap)
{
    char code[128];
    snprintf(code, sizeof code, "sample(%s)", type);
    ASSERT_OK(jlc_struct_unbox(jlct_eval(code), L, out, cap));
}

/* Boxes the C struct at in; asserts Julia finds it field by field identical
 * to sample(<type>) (or the function named by `sample`). Returns the box. */
static jlc_value assert_box_equals(const char *sample, const char *type, const jlc_struct_layout *L,
                                   const void *in, size_t size)
{
    char code[128];
    jlc_value v, same, args[2], r;
    bool eq = false;
    ASSERT_OK(jlc_struct_box(S, L, in, size, &v));
    snprintf(code, sizeof code, "%s(%s)", sample, type);
    args[0] = v;
    args[1] = jlct_eval(code);
    ASSERT_OK(jlc_global_lookup(S, "same", &same));
    ASSERT_OK(jlc_call(S, same, 2, args, &r));
    ASSERT_OK(jlc_bool_get(r, &eq));
    if (!eq) {
        jlc_value rep;
        ASSERT_OK(jlc_value_repr(S, v, &rep));
        const char *s;
        size_t n;
        ASSERT_OK(jlc_string_get(rep, &s, &n));
        fail_msg("boxed %s is %.*s, not %s", type, (int)n, s, code);
    }
    return v;
}

static void every_layout_registers(void **state)
{
    load_types();
    const jlc_struct_layout *all[] = {&RPoint_Float64_layout, &RPoint_Int32_layout, &RScalars_layout,
                                      &RNested_layout, &RUnion_layout, &REmpty_layout,
                                      &RWithEmpty_layout, &RPtrs_layout, &RRef_layout,
                                      &RMutable_layout, &RVersioned_layout};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
        jlc_value T, rep;
        const char *s;
        size_t n;
        ASSERT_OK(jlc_struct_register(S, all[k], &T));
        ASSERT_OK(jlc_value_repr(S, T, &rep));
        ASSERT_OK(jlc_string_get(rep, &s, &n));
        assert_int_equal(strlen(all[k]->type), n);
        assert_memory_equal(all[k]->type, s, n);
        ASSERT_OK(jlc_struct_register(S, all[k], NULL)); /* again: cached */
    }
}

static void points_both_ways(void **state)
{
    load_types();
    RPoint_Float64 pf;
    RPoint_Int32 pi;
    unbox_sample("RPoint{Float64}", &RPoint_Float64_layout, &pf, sizeof pf);
    assert_true(pf.x == 1.5 && pf.y == -2.25);
    unbox_sample("RPoint{Int32}", &RPoint_Int32_layout, &pi, sizeof pi);
    assert_int_equal(7, pi.x);
    assert_int_equal(-8, pi.y);
    RPoint_Float64 cf = {1.5, -2.25};
    RPoint_Int32 ci = {7, -8};
    assert_box_equals("sample", "RPoint{Float64}", &RPoint_Float64_layout, &cf, sizeof cf);
    assert_box_equals("sample", "RPoint{Int32}", &RPoint_Int32_layout, &ci, sizeof ci);
}

/* Int128/UInt128 are uint64_t[2] or __int128 depending on Julia's alignment:
 * both are 16 little-endian bytes. */
static void set128(void *dst, uint64_t lo, uint64_t hi)
{
    uint64_t w[2] = {lo, hi};
    memcpy(dst, w, 16);
}
static void check128(const void *src, uint64_t lo, uint64_t hi)
{
    uint64_t w[2];
    memcpy(w, src, 16);
    assert_true(w[0] == lo && w[1] == hi);
}

static void fill_scalars(RScalars *s)
{
    memset(s, 0xEE, sizeof *s); /* padding bytes are garbage: Julia ignores them */
    s->i8 = -8;
    s->u8 = 250;
    s->i16 = -1600;
    s->u16 = 65000;
    s->i32 = -320000;
    s->u32 = 4000000000u;
    s->i64 = -((int64_t)1 << 40);
    s->u64 = UINT64_MAX - 5;
    set128(&s->i128, 0xfffffffffffffffdull, 0xffffffefffffffffull); /* -(2^100) - 3 */
    set128(&s->u128, 9, 0x8000000000000000ull);                     /* 2^127 + 9 */
    s->f32 = 1.25f;
    s->f64 = -3.5e300;
    s->f16 = 0x3554;     /* Float16(0.333) */
    s->b = true;
    s->c = 0xc3a90000u;  /* 'é': UTF-8 C3 A9 in the high bytes */
}

static void scalars_both_ways(void **state)
{
    load_types();
    RScalars s;
    unbox_sample("RScalars", &RScalars_layout, &s, sizeof s);
    assert_int_equal(-8, s.i8);
    assert_int_equal(250, s.u8);
    assert_int_equal(-1600, s.i16);
    assert_int_equal(65000, s.u16);
    assert_int_equal(-320000, s.i32);
    assert_true(s.u32 == 4000000000u);
    assert_true(s.i64 == -((int64_t)1 << 40));
    assert_true(s.u64 == UINT64_MAX - 5);
    check128(&s.i128, 0xfffffffffffffffdull, 0xffffffefffffffffull);
    check128(&s.u128, 9, 0x8000000000000000ull);
    assert_true(s.f32 == 1.25f);
    assert_true(s.f64 == -3.5e300);
    assert_int_equal(0x3554, s.f16);
    assert_true(s.b);
    assert_int_equal(0xc3a90000u, s.c);
    RScalars c;
    fill_scalars(&c);
    assert_box_equals("sample", "RScalars", &RScalars_layout, &c, sizeof c);
}

static void nested_both_ways(void **state)
{
    load_types();
    RNested s;
    unbox_sample("RNested", &RNested_layout, &s, sizeof s);
    assert_true(s.a.x == 0.5 && s.a.y == 1.5 && s.flag);
    assert_true(s.b.x == 3 && s.b.y == 4);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(2 * k + 1, s.pts[k].x);
        assert_int_equal(2 * k + 2, s.pts[k].y);
    }
    assert_true(s.mix._1 == -3 && s.mix._2 == 2.75 && s.mix._3 == 300);
    const uint8_t codes[4] = {1, 2, 0xfe, 0xff};
    assert_memory_equal(codes, s.codes, 4);
    RNested c;
    memset(&c, 0x5A, sizeof c);
    c.a.x = 0.5, c.a.y = 1.5, c.flag = true, c.b.x = 3, c.b.y = 4;
    for (int k = 0; k < 3; k++) c.pts[k].x = 2 * k + 1, c.pts[k].y = 2 * k + 2;
    c.mix._1 = -3, c.mix._2 = 2.75, c.mix._3 = 300;
    memcpy(c.codes, codes, 4);
    assert_box_equals("sample", "RNested", &RNested_layout, &c, sizeof c);
}

static void unions_both_ways(void **state)
{
    load_types();
    RUnion s;
    int32_t i;
    int16_t h;
    double d;
    unbox_sample("RUnion", &RUnion_layout, &s, sizeof s);
    assert_int_equal(5, s.tag);
    assert_true(RUnion_u_get_Int32(&s, &i) && i == -77);
    assert_false(RUnion_u_get_Float64(&s, &d));
    assert_true(RUnion_maybe_is_Nothing(&s));
    assert_int_equal(0xaa, s.after);
    jlc_value v = jlct_eval("sample2(RUnion)");
    ASSERT_OK(jlc_struct_unbox(v, &RUnion_layout, &s, sizeof s));
    assert_true(s.tag == -5 && RUnion_u_get_Float64(&s, &d) && d == 6.5);
    assert_true(RUnion_maybe_get_Int16(&s, &h) && h == 1234);
    assert_int_equal(0x55, s.after);

    RUnion c;
    memset(&c, 0, sizeof c);
    c.tag = 5, c.after = 0xaa;
    RUnion_u_set_Int32(&c, -77);
    RUnion_maybe_set_Nothing(&c);
    assert_box_equals("sample", "RUnion", &RUnion_layout, &c, sizeof c);
    c.tag = -5, c.after = 0x55;
    RUnion_u_set_Float64(&c, 6.5);
    RUnion_maybe_set_Int16(&c, 1234);
    assert_box_equals("sample2", "RUnion", &RUnion_layout, &c, sizeof c);
    /* A selector naming no member is refused (rule S4). */
    c.u_selector = 2;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_box(S, &RUnion_layout, &c, sizeof c, &v));
    assert_non_null(strstr(jlc_last_error(), "`u`"));
}

static void empty_and_zero_size_fields(void **state)
{
    load_types();
    REmpty e = {0};
    RWithEmpty w;
    assert_int_equal(0, REmpty_layout.size);
    assert_box_equals("sample", "REmpty", &REmpty_layout, &e, sizeof e);
    ASSERT_OK(jlc_struct_unbox(jlct_eval("REmpty()"), &REmpty_layout, &e, sizeof e));
    unbox_sample("RWithEmpty", &RWithEmpty_layout, &w, sizeof w);
    assert_int_equal(42, w.n);
    w.n = 42;
    assert_box_equals("sample", "RWithEmpty", &RWithEmpty_layout, &w, sizeof w);
}

static void pointers_both_ways(void **state)
{
    load_types();
    RPtrs p;
    unbox_sample("RPtrs", &RPtrs_layout, &p, sizeof p);
    assert_true((uintptr_t)p.p == 0x1000 && (uintptr_t)p.v == 0x2008 && (uintptr_t)p.s == 0x3010);
    RPtrs c;
    c.p = (double *)(uintptr_t)0x1000;
    c.v = (void *)(uintptr_t)0x2008;
    c.s = (RPoint_Float64 *)(uintptr_t)0x3010;
    assert_box_equals("sample", "RPtrs", &RPtrs_layout, &c, sizeof c);
}

static void mutable_both_ways_and_in_place(void **state)
{
    load_types();
    RMutable m;
    double d;
    unbox_sample("RMutable", &RMutable_layout, &m, sizeof m);
    assert_true(m.count == 99 && m.pos.x == 2.0 && m.pos.y == 3.0);
    assert_true(RMutable_u_get_Float64(&m, &d) && d == 0.125);
    jlc_value v = assert_box_equals("sample", "RMutable", &RMutable_layout, &m, sizeof m);
    /* Write fields of the Julia object in place; read them back. */
    int64_t count = -5;
    RPoint_Float64 pos = {7.0, 8.0}, got;
    ASSERT_OK(jlc_struct_field_write(v, &RMutable_layout, 0, &count, sizeof count));
    ASSERT_OK(jlc_struct_field_write(v, &RMutable_layout, 1, &pos, sizeof pos));
    ASSERT_OK(jlc_struct_field_read(v, &RMutable_layout, 1, &got, sizeof got));
    assert_true(got.x == 7.0 && got.y == 8.0);
    jlc_value f, r;
    bool ok = false;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "m -> m.count == -5 && m.pos === RPoint(7.0, 8.0)", &f));
    ASSERT_OK(jlc_call(S, f, 1, &v, &r));
    ASSERT_OK(jlc_bool_get(r, &ok));
    assert_true(ok);
}

static void reference_fields_are_handles(void **state)
{
    load_types();
    jlc_value v, name;
    RRef c;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "RRef(3, \"three\", [1.0], :sym)", &v));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_unbox(v, &RRef_layout, &c, sizeof c));
    assert_non_null(strstr(jlc_last_error(), "`name`"));
    ASSERT_OK(jlc_field_get(S, v, 1, &name)); /* the field, as a handle */
    ASSERT_JSTRING("three", name);
    int64_t id = 0;
    ASSERT_OK(jlc_struct_field_read(v, &RRef_layout, 0, &id, sizeof id));
    assert_int_equal(3, id);
}

static void stale_header_refused(void **state)
{
    load_types();
    RVersioned r;
    unbox_sample("RVersioned", &RVersioned_layout, &r, sizeof r);
    assert_true(r.a == 1 && r.b == 2.0);
    /* reflect_stale.h was generated from an older RVersioned (a, c, b). */
    assert_string_equal("RVersioned", RVersionedStale_layout.type);
    jlc_value T = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_register(S, &RVersionedStale_layout, &T));
    assert_non_null(strstr(jlc_last_error(), "`c`"));
    RVersionedStale old = {1, 2.5f, 2.0};
    jlc_value v;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_box(S, &RVersionedStale_layout, &old, sizeof old, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(every_layout_registers),
        JLCT(points_both_ways),
        JLCT(scalars_both_ways),
        JLCT(nested_both_ways),
        JLCT(unions_both_ways),
        JLCT(empty_and_zero_size_fields),
        JLCT(pointers_both_ways),
        JLCT(mutable_both_ways_and_in_place),
        JLCT(reference_fields_are_handles),
        JLCT(stale_header_refused),
    };
    return JLCT_RUN(tests);
}

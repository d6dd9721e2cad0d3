/* test_struct.c — Julia structs mapped to C structs (include/jlc/struct.h):
 * registration against the live type, box/unbox of every field kind, fields
 * read and written in place, arrays of structs shared both ways, stale
 * descriptors refused with the field named, and bad inputs with their exact
 * statuses. The Julia types are in tests/data/struct_types.jl; the
 * descriptors below are written by hand, as jlc-reflect would write them. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>

/* ---- the C structs and their descriptors ---- */

#define FIELD(n, t, off, sz, k) {n, t, off, sz, k, 0, NULL}
#define LAYOUT(t, size, align, mut, fields) \
    {JLC_STRUCT_LAYOUT_ABI, t, size, align, mut, sizeof fields / sizeof fields[0], fields}

typedef struct { double x, y; } PointF64;
static const jlc_field_layout point_f64_fields[] = {
    FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
    FIELD("y", "Float64", 8, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout point_f64 = LAYOUT("Point{Float64}", 16, 8, false, point_f64_fields);
_Static_assert(sizeof(PointF64) == 16 && offsetof(PointF64, y) == 8, "PointF64");

typedef struct { int32_t x, y; } PointI32;
static const jlc_field_layout point_i32_fields[] = {
    FIELD("x", "Int32", 0, 4, JLC_FIELD_BITS),
    FIELD("y", "Int32", 4, 4, JLC_FIELD_BITS),
};
static const jlc_struct_layout point_i32 = LAYOUT("Point{Int32}", 8, 4, false, point_i32_fields);

typedef struct { PointF64 a, b; int32_t id; uint8_t _pad[4]; } Segment;
static const jlc_field_layout segment_fields[] = {
    FIELD("a", "Point{Float64}", 0, 16, JLC_FIELD_BITS),
    FIELD("b", "Point{Float64}", 16, 16, JLC_FIELD_BITS),
    FIELD("id", "Int32", 32, 4, JLC_FIELD_BITS),
};
static const jlc_struct_layout segment = LAYOUT("Segment", 40, 8, false, segment_fields);
_Static_assert(sizeof(Segment) == 40 && offsetof(Segment, id) == 32, "Segment");

/* Char: the UInt32 Julia stores (UTF-8 bytes, first byte highest);
 * Float16: its uint16_t bits. */
typedef struct {
    float v[3];
    bool ok;
    uint8_t _pad[3];
    uint32_t c;
    uint16_t h;
    uint8_t _pad2[2];
    int64_t n;
} Sample;
static const jlc_field_layout sample_fields[] = {
    /* 1.5 prints Tuple{Float32,Float32,Float32}: spaces do not count. */
    FIELD("v", "Tuple{Float32, Float32, Float32}", 0, 12, JLC_FIELD_BITS),
    FIELD("ok", "Bool", 12, 1, JLC_FIELD_BITS),
    FIELD("c", "Char", 16, 4, JLC_FIELD_BITS),
    FIELD("h", "Float16", 20, 2, JLC_FIELD_BITS),
    FIELD("n", "Int64", 24, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout sample = LAYOUT("Sample", 32, 8, false, sample_fields);
_Static_assert(sizeof(Sample) == 32 && offsetof(Sample, c) == 16 && offsetof(Sample, h) == 20 &&
                   offsetof(Sample, n) == 24, "Sample");

/* Rule S4: the payload (the largest member's size), then the selector. */
typedef struct {
    uint8_t tag;
    uint8_t _pad[7];
    union { double f; int32_t i; } u;
    uint8_t u_sel; /* 0: Float64, 1: Int32 (Julia's member order) */
    uint8_t _pad2;
    int16_t after;
    uint8_t _pad3[4];
} Tagged;
static const char *const tagged_u_types[] = {"Float64", "Int32"};
static const jlc_field_layout tagged_fields[] = {
    FIELD("tag", "UInt8", 0, 1, JLC_FIELD_BITS),
    {"u", "Union{Float64, Int32}", 8, 9, JLC_FIELD_UNION, 2, tagged_u_types},
    FIELD("after", "Int16", 18, 2, JLC_FIELD_BITS),
};
static const jlc_struct_layout tagged = LAYOUT("Tagged", 24, 8, false, tagged_fields);
_Static_assert(sizeof(Tagged) == 24 && offsetof(Tagged, u_sel) == 16 && offsetof(Tagged, after) == 18,
               "Tagged");

/* Union{Nothing, Int16, Int8}: 2 payload bytes (not rounded), selector at 2. */
typedef struct { uint8_t u[2]; uint8_t u_sel; uint8_t c; } Small;
static const char *const small_u_types[] = {"Nothing", "Int16", "Int8"};
static const jlc_field_layout small_fields[] = {
    {"u", "Union{Nothing, Int16, Int8}", 0, 3, JLC_FIELD_UNION, 3, small_u_types},
    FIELD("c", "UInt8", 3, 1, JLC_FIELD_BITS),
};
static const jlc_struct_layout small = LAYOUT("Small", 4, 2, false, small_fields);

static const jlc_struct_layout empty = {JLC_STRUCT_LAYOUT_ABI, "Empty", 0, 1, false, 0, NULL};

typedef struct { int64_t id; void *name; } Named;
static const jlc_field_layout named_fields[] = {
    FIELD("id", "Int64", 0, 8, JLC_FIELD_BITS),
    FIELD("name", "String", 8, 8, JLC_FIELD_REF),
};
static const jlc_struct_layout named = LAYOUT("Named", 16, 8, false, named_fields);

typedef struct { int64_t count; double scale; bool flag; uint8_t _pad[7]; } Counter;
static const jlc_field_layout counter_fields[] = {
    FIELD("count", "Int64", 0, 8, JLC_FIELD_BITS),
    FIELD("scale", "Float64", 8, 8, JLC_FIELD_BITS),
    FIELD("flag", "Bool", 16, 1, JLC_FIELD_BITS),
};
static const jlc_struct_layout counter = LAYOUT("Counter", 24, 8, true, counter_fields);

/* Stale descriptors of Point{Float64}: what a header not regenerated after
 * the Julia file changed looks like. */
static const jlc_field_layout stale_offset_fields[] = {
    FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
    FIELD("y", "Float64", 4, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_offset = LAYOUT("Point{Float64}", 16, 8, false, stale_offset_fields);
static const jlc_field_layout stale_type_fields[] = {
    FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
    FIELD("y", "Int64", 8, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_type = LAYOUT("Point{Float64}", 16, 8, false, stale_type_fields);
static const jlc_field_layout stale_name_fields[] = {
    FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
    FIELD("z", "Float64", 8, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_name = LAYOUT("Point{Float64}", 16, 8, false, stale_name_fields);
static const jlc_field_layout stale_fsize_fields[] = {
    FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
    FIELD("y", "Float64", 8, 4, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_fsize = LAYOUT("Point{Float64}", 16, 8, false, stale_fsize_fields);
static const jlc_struct_layout stale_size = LAYOUT("Point{Float64}", 24, 8, false, point_f64_fields);
static const jlc_field_layout stale_missing_fields[] = {
    FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_missing = LAYOUT("Point{Float64}", 16, 8, false, stale_missing_fields);
static const jlc_field_layout stale_kind_fields[] = {
    FIELD("id", "Int64", 0, 8, JLC_FIELD_BITS),
    FIELD("name", "String", 8, 8, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_kind = LAYOUT("Named", 16, 8, false, stale_kind_fields);
static const char *const tagged_swapped_types[] = {"Int32", "Float64"};
static const jlc_field_layout stale_union_fields[] = {
    FIELD("tag", "UInt8", 0, 1, JLC_FIELD_BITS),
    {"u", "Union{Float64, Int32}", 8, 9, JLC_FIELD_UNION, 2, tagged_swapped_types},
    FIELD("after", "Int16", 18, 2, JLC_FIELD_BITS),
};
static const jlc_struct_layout stale_union = LAYOUT("Tagged", 24, 8, false, stale_union_fields);
static const jlc_struct_layout stale_mutable = LAYOUT("Counter", 24, 8, false, counter_fields);

/* ---- helpers ---- */

static void defs(void)
{
    static int done;
    if (done) return;
    jlc_value r;
    ASSERT_OK(jlc_include(S, JLCT_DATA_DIR "/struct_types.jl", &r));
    done = 1;
}

static jlc_value call(const char *fn, size_t n, const jlc_value *args)
{
    jlc_value f, r = JLC_NO_VALUE;
    ASSERT_OK(jlc_global_lookup(S, fn, &f));
    ASSERT_OK(jlc_call(S, f, n, args, &r));
    return r;
}

static bool jbool(const char *code)
{
    bool b = false;
    ASSERT_OK(jlc_bool_get(jlct_eval(code), &b));
    return b;
}

static double jfloat(const char *code)
{
    double d = 0;
    ASSERT_OK(jlc_float64_get(jlct_eval(code), &d));
    return d;
}

/* Julia's a === b. */
static bool same(jlc_value a, jlc_value b)
{
    jlc_value args[2] = {a, b};
    bool r = false;
    ASSERT_OK(jlc_bool_get(call("same", 2, args), &r));
    return r;
}

/* jlc_last_error() contains every given piece. */
static void assert_error_says(const char *a, const char *b)
{
    const char *e = jlc_last_error();
    if (!strstr(e, a) || (b && !strstr(e, b)))
        fail_msg("last error \"%s\" does not say \"%s\"%s%s", e, a, b ? " and " : "", b ? b : "");
}

/* ---- registration ---- */

static void register_gives_the_type(void **state)
{
    (void)state;
    defs();
    jlc_value t1, t2;
    ASSERT_OK(jlc_struct_register(S, &point_f64, &t1));
    ASSERT_OK(jlc_struct_register(S, &point_f64, &t2)); /* from the cache */
    assert_true(same(t1, jlct_eval("Point{Float64}")));
    assert_true(same(t2, jlct_eval("Point{Float64}")));
    ASSERT_OK(jlc_struct_register(S, &point_i32, &t1));
    assert_true(same(t1, jlct_eval("Point{Int32}")));
    assert_false(same(t1, t2));
    ASSERT_OK(jlc_struct_register(S, &segment, NULL)); /* type_out is optional */
    ASSERT_OK(jlc_struct_register(S, &sample, NULL));
    ASSERT_OK(jlc_struct_register(S, &tagged, NULL));
    ASSERT_OK(jlc_struct_register(S, &empty, NULL));
    ASSERT_OK(jlc_struct_register(S, &named, NULL)); /* reference fields register */
    ASSERT_OK(jlc_struct_register(S, &counter, &t1));
    assert_true(same(t1, jlct_eval("Counter")));
}

/* A stale layout: JLC_ERR_TYPE naming the field, and again on the next use
 * (a failed check is not remembered). */
static void assert_stale(const jlc_struct_layout *L, const char *a, const char *b)
{
    jlc_value v = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_register(S, L, &v));
    assert_error_says(a, b);
    assert_int_equal(0, v._h); /* nothing written */
    PointF64 p = {1, 2};
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_box(S, L, &p, sizeof p, &v));
    assert_error_says(a, b);
    assert_int_equal(0, v._h);
}

static void stale_layouts_name_the_field(void **state)
{
    (void)state;
    defs();
    assert_stale(&stale_offset, "field `y`", "offset 8 in Julia, 4 in the descriptor");
    assert_stale(&stale_type, "field `y`", "type is Float64 in Julia, Int64 in the descriptor");
    assert_stale(&stale_name, "`y` in Julia, `z` in the descriptor", NULL);
    assert_stale(&stale_fsize, "field `y`", "8 bytes in Julia, 4 in the descriptor");
    assert_stale(&stale_size, "size is 16 bytes in Julia, 24 in the descriptor", NULL);
    assert_stale(&stale_missing, "field `y` is missing from the descriptor", NULL);
    assert_stale(&stale_kind, "field `name`", "REF in Julia, BITS in the descriptor");
    assert_stale(&stale_union, "field `u`", "Float64, Int32 in Julia, Int32, Float64 in the descriptor");
    assert_stale(&stale_mutable, "mutable in Julia, immutable in the descriptor", NULL);
    /* The good descriptor of the same type still works. */
    ASSERT_OK(jlc_struct_register(S, &point_f64, NULL));
}

static void bad_type_expressions(void **state)
{
    (void)state;
    defs();
    static const jlc_struct_layout undefined = {JLC_STRUCT_LAYOUT_ABI, "NoSuchType{Float64}", 16, 8,
                                                false, 2, point_f64_fields};
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_struct_register(S, &undefined, NULL));
    assert_error_says("NoSuchType", "not defined");
    static const jlc_struct_layout unionall = {JLC_STRUCT_LAYOUT_ABI, "Point", 16, 8, false, 2,
                                               point_f64_fields};
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_register(S, &unionall, NULL));
    assert_error_says("not a concrete DataType", NULL);
    static const jlc_struct_layout abstract = {JLC_STRUCT_LAYOUT_ABI, "Real", 8, 8, false, 0, NULL};
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_register(S, &abstract, NULL));
    static const jlc_struct_layout primitive = {JLC_STRUCT_LAYOUT_ABI, "Float64", 8, 8, false, 0, NULL};
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_register(S, &primitive, NULL));
    assert_error_says("primitive", NULL);
    static const jlc_struct_layout syntax = {JLC_STRUCT_LAYOUT_ABI, "Point{", 16, 8, false, 2,
                                             point_f64_fields};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_struct_register(S, &syntax, NULL));
    jlc_value exc;
    ASSERT_OK(jlc_exception_get(&exc)); /* rooted in S */
    /* Without a scope (first use by unbox): described, not kept. */
    jlc_value p = jlct_eval("Point(1.0, 2.0)");
    PointF64 out;
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_struct_unbox(p, &undefined, &out, sizeof out));
}

static void bad_descriptors(void **state)
{
    (void)state;
    defs();
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(S, NULL, NULL));
    static const jlc_struct_layout wrong_abi = {JLC_STRUCT_LAYOUT_ABI + 1, "Point{Float64}", 16, 8,
                                                false, 2, point_f64_fields};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(S, &wrong_abi, NULL));
    assert_error_says("regenerate the header", NULL);
    static const jlc_struct_layout no_type = {JLC_STRUCT_LAYOUT_ABI, NULL, 16, 8, false, 2,
                                              point_f64_fields};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(S, &no_type, NULL));
    static const jlc_struct_layout no_fields = {JLC_STRUCT_LAYOUT_ABI, "Point{Float64}", 16, 8,
                                                false, 2, NULL};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(S, &no_fields, NULL));
    static const jlc_field_layout bad_kind_fields[] = {
        FIELD("x", "Float64", 0, 8, JLC_FIELD_BITS),
        FIELD("y", "Float64", 8, 8, (jlc_field_kind)7),
    };
    static const jlc_struct_layout bad_kind = LAYOUT("Point{Float64}", 16, 8, false, bad_kind_fields);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(S, &bad_kind, NULL));
    assert_error_says("field `y`", "invalid kind");
    static const jlc_field_layout no_members_fields[] = {
        FIELD("tag", "UInt8", 0, 1, JLC_FIELD_BITS),
        FIELD("u", "Union{Float64, Int32}", 8, 9, JLC_FIELD_UNION),
        FIELD("after", "Int16", 18, 2, JLC_FIELD_BITS),
    };
    static const jlc_struct_layout no_members = LAYOUT("Tagged", 24, 8, false, no_members_fields);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(S, &no_members, NULL));
    assert_error_says("field `u`", NULL);
    /* Handles. */
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_register(JLC_NO_SCOPE, &point_f64, NULL));
}

/* @atomic fields (Julia 1.7+) are refused with a reason. Before 1.7 Julia
 * has none: the same type without @atomic registers (the control). */
static void atomic_fields_are_refused(void **state)
{
    (void)state;
    defs();
    static const jlc_field_layout fields[] = {
        FIELD("n", "Int64", 0, 8, JLC_FIELD_BITS),
        FIELD("x", "Float64", 8, 8, JLC_FIELD_BITS),
    };
    static const jlc_struct_layout L = LAYOUT("JlctAtomic", 16, 8, true, fields);
    if (jlct_julia_at_least(1, 7)) {
        jlct_eval("mutable struct JlctAtomic; @atomic n::Int64; x::Float64; end");
        ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_register(S, &L, NULL));
        assert_error_says("field `n`", "@atomic");
    } else {
        jlct_eval("mutable struct JlctAtomic; n::Int64; x::Float64; end");
        ASSERT_OK(jlc_struct_register(S, &L, NULL));
    }
}

/* ---- box and unbox, per field kind ---- */

static void parametric_both_instantiations(void **state)
{
    (void)state;
    defs();
    PointF64 pf = {0};
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Point(1.5, -2.25)"), &point_f64, &pf, sizeof pf));
    assert_true(pf.x == 1.5 && pf.y == -2.25);
    PointI32 pi = {0};
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Point(Int32(7), Int32(-9))"), &point_i32, &pi, sizeof pi));
    assert_int_equal(7, pi.x);
    assert_int_equal(-9, pi.y);

    jlc_value v;
    pf = (PointF64){3.5, 4.5};
    ASSERT_OK(jlc_struct_box(S, &point_f64, &pf, sizeof pf, &v));
    assert_true(same(v, jlct_eval("Point(3.5, 4.5)")));
    pi = (PointI32){-1, 2};
    ASSERT_OK(jlc_struct_box(S, &point_i32, &pi, sizeof pi, &v));
    assert_true(same(v, jlct_eval("Point(Int32(-1), Int32(2))")));

    /* One layout does not take the other's values. */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_unbox(v, &point_f64, &pf, sizeof pf));
    assert_error_says("Point{Float64}", NULL);
    assert_true(pf.x == 3.5 && pf.y == 4.5); /* untouched */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_unbox(jlct_eval("1.0"), &point_f64, &pf, sizeof pf));
}

static void nested_structs(void **state)
{
    (void)state;
    defs();
    Segment s = {0};
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Segment(Point(1.0, 2.0), Point(3.0, 4.0), Int32(5))"),
                               &segment, &s, sizeof s));
    assert_true(s.a.x == 1 && s.a.y == 2 && s.b.x == 3 && s.b.y == 4);
    assert_int_equal(5, s.id);
    s.b.y = 40;
    s.id = -6;
    jlc_value v;
    ASSERT_OK(jlc_struct_box(S, &segment, &s, sizeof s, &v));
    assert_true(same(v, jlct_eval("Segment(Point(1.0, 2.0), Point(3.0, 40.0), Int32(-6))")));
    /* A nested field read alone. */
    PointF64 b;
    ASSERT_OK(jlc_struct_field_read(v, &segment, 1, &b, sizeof b));
    assert_true(b.x == 3 && b.y == 40);
}

static void tuples_bool_char_float16(void **state)
{
    (void)state;
    defs();
    Sample s;
    memset(&s, 0xAB, sizeof s);
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Sample((1f0, 2f0, 3f0), true, 'A', Float16(1.5), 99)"),
                               &sample, &s, sizeof s));
    assert_true(s.v[0] == 1.0f && s.v[1] == 2.0f && s.v[2] == 3.0f);
    assert_true(s.ok);
    assert_int_equal(0x41000000u, s.c);  /* 'A' as Julia stores it */
    assert_int_equal(0x3E00, s.h);       /* Float16(1.5) */
    assert_int_equal(99, s.n);

    Sample t = {{-1, 0.5f, 8}, false, {0}, 0xC3A90000u /* 'é' */, 0xBC00 /* -1.0 */, {0}, -7};
    jlc_value v;
    ASSERT_OK(jlc_struct_box(S, &sample, &t, sizeof t, &v));
    assert_true(same(v, jlct_eval("Sample((-1f0, 0.5f0, 8f0), false, 'é', Float16(-1.0), -7)")));

    /* A Bool byte other than 0 or 1 is refused, naming the field. */
    t.ok = true;
    memset((char *)&t + offsetof(Sample, ok), 2, 1);
    v = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_box(S, &sample, &t, sizeof t, &v));
    assert_error_says("field `ok`", "not 0 or 1");
    assert_int_equal(0, v._h);
}

static void bits_union_both_selectors(void **state)
{
    (void)state;
    defs();
    Tagged t;
    memset(&t, 0, sizeof t);
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Tagged(0x01, Int32(9), Int16(3))"), &tagged, &t, sizeof t));
    assert_int_equal(1, t.tag);
    assert_int_equal(1, t.u_sel); /* Int32 */
    assert_int_equal(9, t.u.i);
    assert_int_equal(3, t.after);
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Tagged(0x02, 2.5, Int16(-4))"), &tagged, &t, sizeof t));
    assert_int_equal(0, t.u_sel); /* Float64 */
    assert_true(t.u.f == 2.5);
    assert_int_equal(-4, t.after);

    jlc_value v;
    memset(&t, 0, sizeof t);
    t.tag = 7;
    t.u.i = -123;
    t.u_sel = 1;
    t.after = 11;
    ASSERT_OK(jlc_struct_box(S, &tagged, &t, sizeof t, &v));
    assert_true(same(v, jlct_eval("Tagged(0x07, Int32(-123), Int16(11))")));
    t.u.f = 0.125;
    t.u_sel = 0;
    ASSERT_OK(jlc_struct_box(S, &tagged, &t, sizeof t, &v));
    assert_true(same(v, jlct_eval("Tagged(0x07, 0.125, Int16(11))")));
    /* The field alone: payload then selector (9 bytes). */
    unsigned char raw[9];
    ASSERT_OK(jlc_struct_field_read(v, &tagged, 1, raw, sizeof raw));
    double f;
    memcpy(&f, raw, 8);
    assert_true(f == 0.125);
    assert_int_equal(0, raw[8]);

    /* A zero-size member and a payload of the largest member's size. */
    Small sm;
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Small(nothing, 0x05)"), &small, &sm, sizeof sm));
    assert_int_equal(0, sm.u_sel);
    assert_int_equal(5, sm.c);
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Small(Int16(-2), 0x06)"), &small, &sm, sizeof sm));
    assert_int_equal(1, sm.u_sel);
    int16_t i16;
    memcpy(&i16, sm.u, 2);
    assert_int_equal(-2, i16);
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Small(Int8(3), 0x07)"), &small, &sm, sizeof sm));
    assert_int_equal(2, sm.u_sel);
    assert_int_equal(3, (int8_t)sm.u[0]);
    assert_int_equal(7, sm.c);
    sm.u_sel = 0;
    ASSERT_OK(jlc_struct_box(S, &small, &sm, sizeof sm, &v));
    assert_true(same(v, jlct_eval("Small(nothing, 0x07)")));

    /* A selector out of range (rule S4). */
    t.u_sel = 2;
    v = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_box(S, &tagged, &t, sizeof t, &v));
    assert_error_says("field `u`", "selector 2");
    assert_int_equal(0, v._h);
}

static void empty_struct(void **state)
{
    (void)state;
    defs();
    jlc_value v;
    char dummy = 0;
    ASSERT_OK(jlc_struct_box(S, &empty, &dummy, 0, &v));
    assert_true(same(v, jlct_eval("Empty()")));
    ASSERT_OK(jlc_struct_unbox(jlct_eval("Empty()"), &empty, &dummy, 0));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_read(v, &empty, 0, &dummy, 1));
}

static void reference_fields_only_through_handles(void **state)
{
    (void)state;
    defs();
    jlc_value v = jlct_eval("Named(7, \"bob\")");
    Named n;
    memset(&n, 0, sizeof n);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_unbox(v, &named, &n, sizeof n));
    assert_error_says("field `name`", "reference");
    assert_int_equal(0, n.id); /* untouched */
    n.id = 1;
    jlc_value b = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_box(S, &named, &n, sizeof n, &b));
    assert_error_says("field `name`", NULL);
    assert_int_equal(0, b._h);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_field_read(v, &named, 1, &n.name, sizeof n.name));
    assert_error_says("field `name`", "jlc_field_get");
    size_t one = 1;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_array_wrap(S, &named, &n, one, &b));
    assert_error_says("field `name`", NULL);
    /* The bits field reads alone; the reference through a handle. */
    int64_t id = 0;
    ASSERT_OK(jlc_struct_field_read(v, &named, 0, &id, sizeof id));
    assert_int_equal(7, id);
    jlc_value name;
    ASSERT_OK(jlc_field_get(S, v, 1, &name));
    ASSERT_JSTRING("bob", name);
}

/* ---- fields in place ---- */

static void mutable_struct_written_in_place(void **state)
{
    (void)state;
    defs();
    jlct_eval("global jlct_counter = Counter(1, 0.5, false)");
    jlc_value c = jlct_eval("jlct_counter");
    int64_t count = 42;
    double scale = 2.75;
    bool flag = true;
    ASSERT_OK(jlc_struct_field_write(c, &counter, 0, &count, sizeof count));
    ASSERT_OK(jlc_struct_field_write(c, &counter, 1, &scale, sizeof scale));
    ASSERT_OK(jlc_struct_field_write(c, &counter, 2, &flag, sizeof flag));
    assert_true(jbool("jlct_counter.count == 42 && jlct_counter.scale == 2.75 && jlct_counter.flag === true"));
    /* Julia's writes seen by C. */
    jlct_eval("jlct_counter.count += 1; nothing");
    count = 0;
    ASSERT_OK(jlc_struct_field_read(c, &counter, 0, &count, sizeof count));
    assert_int_equal(43, count);
    Counter whole;
    ASSERT_OK(jlc_struct_unbox(c, &counter, &whole, sizeof whole));
    assert_int_equal(43, whole.count);
    assert_true(whole.scale == 2.75 && whole.flag);

    /* Boxing a mutable struct makes a new object. */
    jlc_value d;
    whole.count = 5;
    ASSERT_OK(jlc_struct_box(S, &counter, &whole, sizeof whole, &d));
    assert_false(same(c, d));
    int64_t dc = 0;
    ASSERT_OK(jlc_struct_field_read(d, &counter, 0, &dc, sizeof dc));
    assert_int_equal(5, dc);
    assert_true(jbool("jlct_counter.count == 43"));

    /* Bad writes: nothing changes. */
    unsigned char two = 2;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_write(c, &counter, 2, &two, 1));
    assert_error_says("field `flag`", NULL);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_write(c, &counter, 0, &count, 4));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_write(c, &counter, 3, &count, 8));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_write(c, &counter, 0, NULL, 8));
    int32_t small;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_read(c, &counter, 0, &small, sizeof small));
    assert_true(jbool("jlct_counter.count == 43 && jlct_counter.flag === true"));

    /* Immutable values and reference fields are not written in place. */
    jlc_value p = jlct_eval("Point(1.0, 2.0)");
    double x = 9;
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_field_write(p, &point_f64, 0, &x, sizeof x));
    assert_error_says("immutable", NULL);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_field_write(c, &point_f64, 0, &x, sizeof x));
}

/* ---- arrays ---- */

static void c_array_wrapped_for_julia(void **state)
{
    (void)state;
    defs();
    enum { N = 1000 };
    PointF64 *buf = malloc(N * sizeof *buf);
    assert_non_null(buf);
    double sx = 0, sy = 0;
    for (int i = 0; i < N; i++) {
        buf[i].x = i * 0.5;
        buf[i].y = 1.0 / (i + 1);
        sx += buf[i].x;
        sy += buf[i].y;
    }
    jlc_value a;
    ASSERT_OK(jlc_struct_array_wrap(S, &point_f64, buf, N, &a));
    double jx = 0, jy = 0;
    ASSERT_OK(jlc_float64_get(call("sum_x", 1, &a), &jx));
    ASSERT_OK(jlc_float64_get(call("sum_y", 1, &a), &jy));
    assert_true(jx == sx);
    assert_true(fabs(jy - sy) <= 1e-12 * sy);
    /* Julia writes land in C memory. */
    jlc_value args[4] = {a};
    ASSERT_OK(jlc_int64_new(S, 3, &args[1]));
    ASSERT_OK(jlc_float64_new(S, -8.0, &args[2]));
    ASSERT_OK(jlc_float64_new(S, 16.0, &args[3]));
    call("set_point!", 4, args);
    assert_true(buf[2].x == -8.0 && buf[2].y == 16.0);

    /* Empty; NULL data with n > 0; a mutable struct; a non-isbits struct. */
    ASSERT_OK(jlc_struct_array_wrap(S, &point_f64, NULL, 0, &a));
    jlc_array_info info;
    ASSERT_OK(jlc_array_inspect(a, &info));
    assert_int_equal(0, info.length);
    assert_int_equal(16, info.elsize);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_array_wrap(S, &point_f64, NULL, 3, &a));
    Counter cs[2];
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_array_wrap(S, &counter, cs, 2, &a));
    assert_error_says("mutable", NULL);
    Tagged ts[2];
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_array_wrap(S, &tagged, ts, 2, &a));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_array_wrap(S, &stale_offset, buf, N, &a));
    /* In a scope of its own: the array is unreachable once it closes. */
    jlc_scope inner;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_struct_array_wrap(inner, &point_f64, buf, N, &a));
    ASSERT_OK(jlc_float64_get(call("sum_x", 1, &a), &jx));
    assert_true(jx == sx - 1.0 - 8.0); /* buf[2].x was 1.0, now -8.0 */
    ASSERT_OK(jlc_scope_close(inner));
    /* Julia code kept none of the arrays wrapping buf (set_point! stored
     * nothing), and an unreachable wrapper never reads its memory: buf may
     * go before S closes. */
    free(buf);
}

static void julia_array_borrowed_as_c_structs(void **state)
{
    (void)state;
    defs();
    jlc_value a = jlct_eval("global jlct_points = points(10)");
    jlc_borrow b;
    void *data = NULL;
    size_t n = 0;
    ASSERT_OK(jlc_struct_array_borrow(S, a, &point_f64, true, &b, &data, &n));
    assert_int_equal(10, n);
    PointF64 *p = data;
    for (size_t i = 0; i < n; i++) assert_true(p[i].x == (double)(i + 1) && p[i].y == 2.0 * (i + 1));
    p[2].x = 100;
    p[9].y = -1;

    /* A second borrow of the same data conflicts with the mutable one. */
    jlc_borrow b2;
    void *d2 = NULL;
    size_t n2 = 0;
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_struct_array_borrow(S, a, &point_f64, false, &b2, &d2, &n2));
    assert_null(d2);
    ASSERT_OK(jlc_borrow_release(b));
    assert_true(jbool("jlct_points[3] === Point(100.0, 6.0) && jlct_points[10] === Point(10.0, -1.0)"));
    assert_true(jfloat("sum_x(jlct_points)") == 55.0 - 3.0 + 100.0);

    /* Shared borrows coexist; a mutable one conflicts with them. */
    ASSERT_OK(jlc_struct_array_borrow(S, a, &point_f64, false, &b, &data, &n));
    ASSERT_OK(jlc_struct_array_borrow(S, a, &point_f64, false, &b2, &d2, &n2));
    assert_ptr_equal(data, d2);
    jlc_borrow b3;
    ASSERT_STATUS(JLC_ERR_BORROW, jlc_struct_array_borrow(S, a, &point_f64, true, &b3, &d2, &n2));
    ASSERT_OK(jlc_borrow_release(b));
    ASSERT_OK(jlc_borrow_release(b2));

    /* Wrong element type, not an array, stale layout. */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_array_borrow(S, a, &point_i32, false, &b, &data, &n));
    assert_error_says("Point{Int32}", NULL);
    ASSERT_STATUS(JLC_ERR_TYPE,
                  jlc_struct_array_borrow(S, jlct_eval("Point(1.0, 2.0)"), &point_f64, false, &b, &data, &n));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_array_borrow(S, a, &stale_type, false, &b, &data, &n));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_array_borrow(S, a, &point_f64, false, NULL, &data, &n));
    /* A matrix of structs borrows too (any rank). */
    jlc_value m = jlct_eval("reshape(points(6), 2, 3)");
    ASSERT_OK(jlc_struct_array_borrow(S, m, &point_f64, false, &b, &data, &n));
    assert_int_equal(6, n);
    assert_true(((PointF64 *)data)[5].y == 12.0);
}

/* ---- other bad inputs ---- */

static void bad_arguments(void **state)
{
    (void)state;
    defs();
    jlc_value v = jlct_eval("Point(1.0, 2.0)");
    PointF64 p = {5, 6};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_unbox(v, &point_f64, NULL, sizeof p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_unbox(v, &point_f64, &p, sizeof p - 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_unbox(v, NULL, &p, sizeof p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_unbox(JLC_NO_VALUE, &point_f64, &p, sizeof p));
    assert_true(p.x == 5 && p.y == 6);
    jlc_value out = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_box(S, &point_f64, &p, sizeof p - 1, &out));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_box(S, &point_f64, NULL, sizeof p, &out));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_box(S, &point_f64, &p, sizeof p, NULL));
    assert_int_equal(0, out._h);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_field_read(v, &point_f64, 2, &p.x, 8));
    /* A stale handle. */
    jlc_scope inner;
    jlc_value old;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_struct_box(inner, &point_f64, &p, sizeof p, &old));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_struct_unbox(old, &point_f64, &p, sizeof p));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_struct_box(inner, &point_f64, &p, sizeof p, &out));
}

/* Values boxed from C survive collections while their scope is open. */
static void boxed_values_stay_rooted(void **state)
{
    (void)state;
    defs();
    enum { N = 200 };
    jlc_value vs[N];
    for (int i = 0; i < N; i++) {
        Segment s = {{i, -i}, {2.0 * i, 0.5}, i};
        ASSERT_OK(jlc_struct_box(S, &segment, &s, sizeof s, &vs[i]));
    }
    jlct_eval("GC.gc(true); nothing");
    for (int i = 0; i < N; i++) {
        Segment s;
        ASSERT_OK(jlc_struct_unbox(vs[i], &segment, &s, sizeof s));
        assert_true(s.a.x == i && s.a.y == -i && s.b.x == 2.0 * i && s.b.y == 0.5);
        assert_int_equal(i, s.id);
    }
}

/* ---- threads ---- */

/* Copies of the Point{Float64} descriptor at distinct addresses: each is
 * checked on its first use, which two Julia threads race for. */
enum { NRACE = 64 };
static jlc_struct_layout race_layouts[NRACE];

/* Run by each Julia thread: every descriptor boxed and unboxed (first uses
 * race with the other thread). Returns the number of wrong results. */
static int64_t race_body(int64_t tid)
{
    int64_t wrong = 0;
    for (int round = 0; round < 3; round++)
        for (int k = 0; k < NRACE; k++) {
            int i = tid % 2 ? NRACE - 1 - k : k; /* opposite orders meet in the middle */
            jlc_scope sc;
            jlc_value v, t;
            PointF64 in = {tid * 1000.0 + i, -(double)round}, out = {0, 0};
            if (jlc_scope_open(JLC_NO_SCOPE, &sc) != JLC_OK) return 1000;
            if (jlc_struct_box(sc, &race_layouts[i], &in, sizeof in, &v) != JLC_OK ||
                jlc_struct_unbox(v, &race_layouts[i], &out, sizeof out) != JLC_OK ||
                out.x != in.x || out.y != in.y)
                wrong++;
            /* Every copy names the same DataType. */
            if (jlc_struct_register(sc, &race_layouts[i], &t) != JLC_OK ||
                jlc_struct_unbox(v, &point_f64, &out, sizeof out) != JLC_OK || out.x != in.x)
                wrong++;
            if (jlc_scope_close(sc) != JLC_OK) wrong++;
        }
    return wrong;
}

static void julia_threads_share_the_cache(void **state)
{
    (void)state;
    defs();
    for (int i = 0; i < NRACE; i++) race_layouts[i] = point_f64;
    jlc_value p, f, res;
    ASSERT_INT64(2, jlct_eval("Threads.nthreads()"));
    ASSERT_OK(jlc_voidptr_new(S, (void *)race_body, &p));
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE,
                       "p -> begin w = fill(-1, 2); "
                       "Threads.@threads :static for t in 1:2; "
                       "w[t] = ccall(p, Int64, (Int64,), Threads.threadid()); end; w end",
                       &f));
    ASSERT_OK(jlc_call(S, f, 1, &p, &res));
    jlc_value w0, w1;
    ASSERT_OK(jlc_array_get_value(S, res, 0, &w0));
    ASSERT_OK(jlc_array_get_value(S, res, 1, &w1));
    ASSERT_INT64(0, w0);
    ASSERT_INT64(0, w1);
}

/* Julia with 2 threads, for julia_threads_share_the_cache. */
static int group_setup(void **state)
{
    (void)state;
    jlc_init_options o;
    jlc_init_options_default(&o);
    o.nthreads = 2;
    jlc_status st = jlc_init(&o);
    if (st != JLC_OK) {
        fprintf(stderr, "jlc_init: %s: %s\n", jlc_status_name(st), jlc_last_error());
        return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(register_gives_the_type),
        JLCT(stale_layouts_name_the_field),
        JLCT(bad_type_expressions),
        JLCT(bad_descriptors),
        JLCT(atomic_fields_are_refused),
        JLCT(parametric_both_instantiations),
        JLCT(nested_structs),
        JLCT(tuples_bool_char_float16),
        JLCT(bits_union_both_selectors),
        JLCT(empty_struct),
        JLCT(reference_fields_only_through_handles),
        JLCT(mutable_struct_written_in_place),
        JLCT(c_array_wrapped_for_julia),
        JLCT(julia_array_borrowed_as_c_structs),
        JLCT(bad_arguments),
        JLCT(boxed_values_stay_rooted),
        JLCT(julia_threads_share_the_cache),
    };
    return cmocka_run_group_tests(tests, group_setup, jlct_group_teardown) + jlct_teardown_failed;
}

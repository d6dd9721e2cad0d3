/* test_value.c — making values from C and checked casts back. */
#include "test_util.h"

#include <math.h>

static void ints_round_trip(void **state)
{
    jlc_value v;
    int8_t i8; int16_t i16; int32_t i32; int64_t i64;
    uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;
    const char *tn;

    ASSERT_OK(jlc_int8_new(S, -128, &v));
    ASSERT_OK(jlc_int8_get(v, &i8)); assert_int_equal(-128, i8);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Int8", tn);
    ASSERT_OK(jlc_int16_new(S, -32768, &v));
    ASSERT_OK(jlc_int16_get(v, &i16)); assert_int_equal(-32768, i16);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Int16", tn);
    ASSERT_OK(jlc_int32_new(S, INT32_MIN, &v));
    ASSERT_OK(jlc_int32_get(v, &i32)); assert_int_equal(INT32_MIN, i32);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Int32", tn);
    ASSERT_OK(jlc_int64_new(S, INT64_MIN, &v));
    ASSERT_OK(jlc_int64_get(v, &i64)); assert_true(i64 == INT64_MIN);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Int64", tn);
    ASSERT_OK(jlc_uint8_new(S, 255, &v));
    ASSERT_OK(jlc_uint8_get(v, &u8)); assert_int_equal(255, u8);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("UInt8", tn);
    ASSERT_OK(jlc_uint16_new(S, 65535, &v));
    ASSERT_OK(jlc_uint16_get(v, &u16)); assert_int_equal(65535, u16);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("UInt16", tn);
    ASSERT_OK(jlc_uint32_new(S, UINT32_MAX, &v));
    ASSERT_OK(jlc_uint32_get(v, &u32)); assert_true(u32 == UINT32_MAX);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("UInt32", tn);
    ASSERT_OK(jlc_uint64_new(S, UINT64_MAX, &v));
    ASSERT_OK(jlc_uint64_get(v, &u64)); assert_true(u64 == UINT64_MAX);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("UInt64", tn);
}

/* Values made in Julia convert to every C type that holds them exactly. */
static void widening_and_narrowing(void **state)
{
    int8_t i8; uint8_t u8; int16_t i16; uint64_t u64; int64_t i64; double d; float f;
    jlc_value v = jlct_eval("Int64(100)");
    ASSERT_OK(jlc_int8_get(v, &i8)); assert_int_equal(100, i8);
    ASSERT_OK(jlc_uint8_get(v, &u8)); assert_int_equal(100, u8);
    ASSERT_OK(jlc_float64_get(v, &d)); assert_true(d == 100.0);
    ASSERT_OK(jlc_float32_get(v, &f)); assert_true(f == 100.0f);

    v = jlct_eval("UInt8(200)");
    ASSERT_OK(jlc_int16_get(v, &i16)); assert_int_equal(200, i16);
    ASSERT_OK(jlc_int64_get(v, &i64)); assert_int_equal(200, i64);

    v = jlct_eval("3.0"); /* a float holding an integer converts, like convert(Int, 3.0) */
    ASSERT_OK(jlc_int64_get(v, &i64)); assert_int_equal(3, i64);
    ASSERT_OK(jlc_uint64_get(v, &u64)); assert_int_equal(3, u64);

    v = jlct_eval("true");
    ASSERT_OK(jlc_int64_get(v, &i64)); assert_int_equal(1, i64);

    v = jlct_eval("Float32(0.5)");
    ASSERT_OK(jlc_float64_get(v, &d)); assert_true(d == 0.5);
    v = jlct_eval("NaN");
    ASSERT_OK(jlc_float32_get(v, &f)); assert_true(isnan(f));
    v = jlct_eval("-Inf");
    ASSERT_OK(jlc_float64_get(v, &d)); assert_true(isinf(d) && d < 0);
}

static void lossy_conversions_are_refused(void **state)
{
    int8_t i8 = 7; uint8_t u8 = 7; uint16_t u16 = 7; int32_t i32 = 7; int64_t i64 = 7;
    uint64_t u64 = 7; float f = 7; double d = 7;
    jlc_value v;
    ASSERT_OK(jlc_int64_new(S, 300, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_uint8_get(v, &u8));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_int8_get(v, &i8));
    assert_int_equal(7, u8); /* out-parameters untouched on failure */
    assert_int_equal(7, i8);
    ASSERT_OK(jlc_int64_new(S, -1, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_uint64_get(v, &u64));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_uint16_get(v, &u16));
    ASSERT_OK(jlc_uint64_new(S, UINT64_MAX, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_int64_get(v, &i64));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_float64_get(v, &d)); /* 2^64-1 is not a double */
    ASSERT_OK(jlc_int64_new(S, (INT64_C(1) << 53) + 1, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_float64_get(v, &d));
    ASSERT_OK(jlc_int64_new(S, (INT64_C(1) << 24) + 1, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_float32_get(v, &f));
    ASSERT_OK(jlc_float64_new(S, 2.5, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_int64_get(v, &i64));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_int32_get(v, &i32));
    ASSERT_OK(jlc_float64_new(S, 0.1, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_float32_get(v, &f));
    ASSERT_OK(jlc_float64_new(S, 1e300, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_int64_get(v, &i64));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_float32_get(v, &f));
    ASSERT_OK(jlc_float64_new(S, NAN, &v));
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_int64_get(v, &i64));
    assert_int_equal(7, i64);
    assert_true(f == 7 && d == 7 && u64 == 7 && u16 == 7 && i32 == 7);
}

static void wrong_types_are_refused(void **state)
{
    int64_t i64 = 7; double d = 7; bool b = false; uint32_t c = 7; void *p = &c;
    const char *s = "x"; const char *sym = "x";
    jlc_value str, num;
    ASSERT_OK(jlc_string_new_c(S, "12", &str));
    ASSERT_OK(jlc_int64_new(S, 1, &num));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_int64_get(str, &i64));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_float64_get(str, &d));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_bool_get(num, &b)); /* no integer truthiness */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_char_get(num, &c));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_voidptr_get(num, &p));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_string_get(num, &s, NULL));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_symbol_get(str, &sym));
    assert_true(i64 == 7 && d == 7 && !b && c == 7 && p == &c);
    assert_string_equal("x", s);
    assert_string_equal("x", sym);
    assert_non_null(strstr(jlc_last_error(), "String"));
    /* the runtime still works */
    ASSERT_INT64(3, jlct_eval("1 + 2"));
}

static void bool_float_nothing(void **state)
{
    jlc_value v;
    bool b;
    float f;
    double d;
    const char *tn;
    ASSERT_OK(jlc_bool_new(S, true, &v));
    ASSERT_OK(jlc_bool_get(v, &b)); assert_true(b);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Bool", tn);
    ASSERT_OK(jlc_bool_new(S, false, &v));
    ASSERT_OK(jlc_bool_get(v, &b)); assert_false(b);
    ASSERT_OK(jlc_float32_new(S, 1.5f, &v));
    ASSERT_OK(jlc_float32_get(v, &f)); assert_true(f == 1.5f);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Float32", tn);
    ASSERT_OK(jlc_float64_new(S, -2.25, &v));
    ASSERT_OK(jlc_float64_get(v, &d)); assert_true(d == -2.25);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Float64", tn);
    ASSERT_OK(jlc_nothing_new(S, &v));
    ASSERT_OK(jlc_value_is_nothing(v, &b)); assert_true(b);
    ASSERT_OK(jlc_value_type_name(v, &tn)); assert_string_equal("Nothing", tn);
    ASSERT_OK(jlc_float64_new(S, 0, &v));
    ASSERT_OK(jlc_value_is_nothing(v, &b)); assert_false(b);
}

static void chars(void **state)
{
    const uint32_t cps[] = {0x41, 0xE9, 0x20AC, 0x1F600, 0xD800 /* surrogate, as Julia allows */};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        jlc_value v, s;
        uint32_t back = 0;
        int64_t julia_cp = 0;
        ASSERT_OK(jlc_char_new(S, cps[i], &v));
        ASSERT_OK(jlc_char_get(v, &back));
        assert_int_equal(cps[i], back);
        /* Julia agrees on the code point */
        jlc_value f;
        ASSERT_OK(jlc_global_lookup(S, "Base.codepoint", &f));
        ASSERT_OK(jlc_call(S, f, 1, &v, &s));
        ASSERT_OK(jlc_int64_get(s, &julia_cp));
        assert_int_equal(cps[i], julia_cp);
    }
    jlc_value v;
    uint32_t cp = 7;
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_char_new(S, 0x110000, &v));
    /* A Char made from invalid UTF-8 has no code point. */
    v = jlct_eval("reinterpret(Char, 0xff000000)");
    ASSERT_STATUS(JLC_ERR_LOSSY, jlc_char_get(v, &cp));
    assert_int_equal(7, cp);
    ASSERT_OK(jlc_char_get(jlct_eval("'λ'"), &cp));
    assert_int_equal(0x3BB, cp);
}

static void strings(void **state)
{
    jlc_value v, len;
    const char *p;
    size_t n;
    ASSERT_OK(jlc_string_new_c(S, "héllo", &v));
    ASSERT_JSTRING("héllo", v);
    jlc_value f;
    ASSERT_OK(jlc_global_lookup(S, "length", &f));
    ASSERT_OK(jlc_call(S, f, 1, &v, &len));
    ASSERT_INT64(5, len); /* Julia counts characters: the UTF-8 was understood */

    /* embedded NULs survive */
    static const char withnul[] = {'a', 0, 'b', 0, 'c'};
    ASSERT_OK(jlc_string_new(S, withnul, sizeof withnul, &v));
    ASSERT_OK(jlc_string_get(v, &p, &n));
    assert_int_equal(5, n);
    assert_memory_equal(withnul, p, 5);
    assert_int_equal(0, p[5]); /* terminated */
    ASSERT_OK(jlc_global_lookup(S, "sizeof", &f));
    ASSERT_OK(jlc_call(S, f, 1, &v, &len));
    ASSERT_INT64(5, len);

    /* invalid UTF-8 is kept byte for byte, as Julia does */
    static const char bad[] = {'\xff', '\xfe', 'x', '\xc3'};
    ASSERT_OK(jlc_string_new(S, bad, sizeof bad, &v));
    ASSERT_OK(jlc_string_get(v, &p, &n));
    assert_int_equal(4, n);
    assert_memory_equal(bad, p, 4);
    jlc_value valid;
    ASSERT_OK(jlc_global_lookup(S, "isvalid", &f));
    ASSERT_OK(jlc_call(S, f, 1, &v, &valid));
    bool ok = true;
    ASSERT_OK(jlc_bool_get(valid, &ok));
    assert_false(ok);
    /* and a string Julia makes from it round-trips too */
    jlc_value args[2], joined;
    args[0] = v;
    args[1] = v;
    ASSERT_OK(jlc_global_lookup(S, "string", &f));
    ASSERT_OK(jlc_call(S, f, 2, args, &joined));
    ASSERT_OK(jlc_string_get(joined, &p, &n));
    assert_int_equal(8, n);
    assert_memory_equal(bad, p, 4);
    assert_memory_equal(bad, p + 4, 4);

    /* empty string, NULL allowed with length 0 */
    ASSERT_OK(jlc_string_new(S, NULL, 0, &v));
    ASSERT_OK(jlc_string_get(v, &p, &n));
    assert_int_equal(0, n);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_string_new(S, NULL, 3, &v));
}

static void copy_string(void **state)
{
    jlc_value v;
    char buf[8];
    size_t need = 0;
    ASSERT_OK(jlc_string_new_c(S, "abcdef", &v));
    memset(buf, 'z', sizeof buf);
    ASSERT_STATUS(JLC_ERR_SPACE, jlc_string_copy(v, buf, 6, &need));
    assert_int_equal(7, need);
    assert_int_equal('z', buf[0]); /* untouched */
    ASSERT_STATUS(JLC_ERR_SPACE, jlc_string_copy(v, NULL, 0, &need));
    assert_int_equal(7, need);
    ASSERT_OK(jlc_string_copy(v, buf, sizeof buf, &need));
    assert_string_equal("abcdef", buf);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_string_copy(v, NULL, 4, &need));
}

static void symbols_tuples_pointers(void **state)
{
    jlc_value v, elts[3], t, n;
    const char *name;
    ASSERT_OK(jlc_symbol_new_c(S, "alpha", &v));
    ASSERT_OK(jlc_symbol_get(v, &name));
    assert_string_equal("alpha", name);
    bool same = false;
    jlc_value is_eq, args[2];
    args[0] = v;
    args[1] = jlct_eval(":alpha");
    ASSERT_OK(jlc_global_lookup(S, "===", &is_eq));
    ASSERT_OK(jlc_call(S, is_eq, 2, args, &t));
    ASSERT_OK(jlc_bool_get(t, &same));
    assert_true(same);

    ASSERT_OK(jlc_int64_new(S, 1, &elts[0]));
    ASSERT_OK(jlc_float64_new(S, 2.5, &elts[1]));
    ASSERT_OK(jlc_string_new_c(S, "three", &elts[2]));
    ASSERT_OK(jlc_tuple_new(S, 3, elts, &t));
    jlc_value repr;
    ASSERT_OK(jlc_value_repr(S, t, &repr));
    ASSERT_JSTRING("(1, 2.5, \"three\")", repr);
    ASSERT_OK(jlc_field_get(S, t, 1, &n));
    double d;
    ASSERT_OK(jlc_float64_get(n, &d));
    assert_true(d == 2.5);
    ASSERT_OK(jlc_tuple_new(S, 0, NULL, &t));
    ASSERT_OK(jlc_value_repr(S, t, &repr));
    ASSERT_JSTRING("()", repr);

    int target = 42;
    void *back = NULL;
    ASSERT_OK(jlc_voidptr_new(S, &target, &v));
    ASSERT_OK(jlc_voidptr_get(v, &back));
    assert_ptr_equal(&target, back);
    const char *tn;
    ASSERT_OK(jlc_value_type_name(v, &tn));
    assert_string_equal("Ptr", tn);
    /* Julia can read through it */
    jlc_value load;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "p -> unsafe_load(Ptr{Cint}(p))", &load));
    ASSERT_OK(jlc_call(S, load, 1, &v, &n));
    int32_t i32;
    ASSERT_OK(jlc_int32_get(n, &i32));
    assert_int_equal(42, i32);
}

/* NULL for every pointer parameter: JLC_ERR_ARG, nothing else changes. */
static void null_pointers(void **state)
{
    jlc_value v;
    ASSERT_OK(jlc_int64_new(S, 5, &v));
    size_t before = 0, after = 0;
    ASSERT_OK(jlc_scope_size(S, &before));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int8_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int16_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int32_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int64_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint8_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint16_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint32_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint64_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_bool_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_float32_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_float64_new(S, 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_nothing_new(S, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_char_new(S, 65, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_string_new(S, "a", 1, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_string_new_c(S, NULL, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_string_new_c(S, "a", NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_new_c(S, NULL, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_new_c(S, "a", NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_new(S, NULL, 1, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_tuple_new(S, 1, NULL, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_tuple_new(S, 0, NULL, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_voidptr_new(S, NULL, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int8_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int16_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int32_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int64_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint8_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint16_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint32_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_uint64_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_float32_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_float64_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_bool_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_char_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_voidptr_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_string_get(v, NULL, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_get(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_is_nothing(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_type_name(v, NULL));
    ASSERT_OK(jlc_scope_size(S, &after));
    assert_int_equal(before, after); /* nothing was rooted by the failures */
    ASSERT_INT64(5, v);
}

/* Zeroed handles: JLC_ERR_ARG. */
static void zeroed_handles(void **state)
{
    int64_t x = 9;
    jlc_value v;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int64_get(JLC_NO_VALUE, &x));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int64_new(JLC_NO_SCOPE, 1, &v));
    assert_int_equal(9, x);
}

/* Lengths Julia cannot allocate are refused before Julia is asked: the
 * process survives and nothing is added to the scope. */
static void impossible_string_lengths(void **state)
{
    jlc_value v;
    size_t before = 0, after = 0;
    const char *p = "abc";
    ASSERT_OK(jlc_scope_size(S, &before));
    ASSERT_STATUS(JLC_ERR_NOMEM, jlc_string_new(S, p, SIZE_MAX, &v));
    ASSERT_STATUS(JLC_ERR_NOMEM, jlc_string_new(S, p, (size_t)1 << 62, &v));
    ASSERT_OK(jlc_scope_size(S, &after));
    assert_int_equal(before, after);
    ASSERT_OK(jlc_string_new(S, p, 3, &v));
    ASSERT_JSTRING("abc", v);
}

/* Symbols from bytes with a length: not NUL-terminated, NUL refused. */
static void symbols_by_length(void **state)
{
    jlc_value v, w;
    const char *name;
    bool same = false;
    ASSERT_OK(jlc_symbol_new(S, "betagamma", 4, &v));
    ASSERT_OK(jlc_symbol_get(v, &name));
    assert_string_equal("beta", name);
    ASSERT_OK(jlc_value_identical(v, jlct_eval(":beta"), &same));
    assert_true(same);
    ASSERT_OK(jlc_symbol_new(S, "", 0, &w));
    ASSERT_OK(jlc_value_identical(w, jlct_eval("Symbol(\"\")"), &same));
    assert_true(same);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_new(S, "a\0b", 3, &v));
    assert_non_null(strstr(jlc_last_error(), "NUL"));
}

/* === from C: same object, equal immutable bits, different mutable objects. */
static void identity(void **state)
{
    bool same = true;
    jlc_value a, b;
    ASSERT_OK(jlc_int64_new(S, 7, &a));
    ASSERT_OK(jlc_int64_new(S, 7, &b));
    ASSERT_OK(jlc_value_identical(a, b, &same));
    assert_true(same);
    ASSERT_OK(jlc_int64_new(S, 8, &b));
    ASSERT_OK(jlc_value_identical(a, b, &same));
    assert_false(same);
    a = jlct_eval("[1, 2]");
    b = jlct_eval("[1, 2]");
    ASSERT_OK(jlc_value_identical(a, b, &same));
    assert_false(same); /* two arrays with equal contents are not === */
    ASSERT_OK(jlc_value_identical(a, a, &same));
    assert_true(same);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_identical(a, b, NULL));
}

/* Float16 bits: each of the 65536 converts to the float Julia gives, and
 * floats (every half, midpoints for ties, quarter points, subnormals,
 * overflow) to the bits Julia gives. */
static float f16_all[65536];
static float f16_xs[0x7C00 * 3 + 8];
static uint16_t f16_want[0x7C00 * 3 + 8];

static void float16_conversions(void **state)
{
    size_t dims = 65536;
    jlc_value arr, r, args[2];
    ASSERT_OK(jlc_array_wrap(S, f16_all, JLC_FLOAT32, 1, &dims, &arr));
    jlc_value fn = jlct_eval("a -> (a .= Float32.(reinterpret.(Float16, UInt16.(0:65535))); nothing)");
    ASSERT_OK(jlc_call(S, fn, 1, &arr, &r));
    for (uint32_t h = 0; h < 65536; h++) {
        float mine = jlc_float16_to_float((uint16_t)h);
        if (f16_all[h] != f16_all[h]) {
            if (mine == mine) fail_msg("half 0x%04x: %a, Julia gives NaN", h, mine);
            continue;
        }
        if (memcmp(&mine, &f16_all[h], sizeof mine) != 0)
            fail_msg("half 0x%04x: %a, Julia gives %a", h, mine, f16_all[h]);
    }
    size_t n = 0;
    for (uint32_t h = 0; h < 0x7C00; h++) { /* finite non-negative halves */
        float x = jlc_float16_to_float((uint16_t)h);
        float next = jlc_float16_to_float((uint16_t)(h + 1)); /* 0x7C00 is Inf */
        float gap = h + 1 < 0x7C00 ? next - x : 32.0f;
        f16_xs[n++] = x;
        f16_xs[n++] = -(x + gap / 2); /* exactly halfway: ties to even */
        f16_xs[n++] = x + gap / 4;
    }
    const float extra[8] = {65519.0f, 65520.0f, 1e10f, -1e10f, 1e-10f, 5.9604645e-8f, 2.9802322e-8f, 2.9802326e-8f};
    for (size_t i = 0; i < 8; i++) f16_xs[n++] = extra[i];
    size_t dn = n;
    ASSERT_OK(jlc_array_wrap(S, f16_xs, JLC_FLOAT32, 1, &dn, &args[1]));
    ASSERT_OK(jlc_array_wrap(S, f16_want, JLC_UINT16, 1, &dn, &args[0]));
    fn = jlct_eval("(w, x) -> (w .= reinterpret.(UInt16, Float16.(x)); nothing)");
    ASSERT_OK(jlc_call(S, fn, 2, args, &r));
    for (size_t i = 0; i < n; i++)
        if (jlc_float16_from_float(f16_xs[i]) != f16_want[i])
            fail_msg("%a: 0x%04x, Julia gives 0x%04x", f16_xs[i], jlc_float16_from_float(f16_xs[i]), f16_want[i]);
    float nan = jlc_float16_to_float(jlc_float16_from_float(__builtin_nanf("")));
    assert_true(nan != nan);
}

/* Float16, Complex and NamedTuple values made in C, checked in Julia, read back. */
static void float16_complex_namedtuple(void **state)
{
    jlc_value v, s;
    float f = 0, fre = 0, fim = 0;
    double re = 0, im = 0;
    ASSERT_OK(jlc_float16_new(S, 0.1f, &v));
    ASSERT_OK(jlc_value_repr(S, v, &s));
    ASSERT_JSTRING("Float16(0.1)", s);
    ASSERT_OK(jlc_float16_get(v, &f));
    assert_true(f == jlc_float16_to_float(jlc_float16_from_float(0.1f)));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_float16_get(jlct_eval("0.1"), &f));

    ASSERT_OK(jlc_complexf64_new(S, 1.5, -2.0, &v));
    ASSERT_OK(jlc_value_repr(S, v, &s));
    ASSERT_JSTRING("1.5 - 2.0im", s);
    ASSERT_OK(jlc_complexf64_get(jlct_eval("sqrt(complex(-4.0))"), &re, &im));
    assert_true(re == 0.0 && im == 2.0);
    ASSERT_OK(jlc_complexf32_new(S, 0.5f, 0.25f, &v));
    ASSERT_OK(jlc_value_type(S, v, &s));
    bool same = false; /* Julia 1.5 prints Complex{Float32}, 1.6+ ComplexF32 */
    ASSERT_OK(jlc_value_identical(s, jlct_eval("Complex{Float32}"), &same));
    assert_true(same);
    ASSERT_OK(jlc_complexf32_get(v, &fre, &fim));
    assert_true(fre == 0.5f && fim == 0.25f);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_complexf32_get(jlct_eval("1.0 + 2.0im"), &fre, &fim));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_complexf64_get(jlct_eval("1.0 + 2.0im"), NULL, &im));

    const char *names[3] = {"a", "b", "c"};
    jlc_value vals[3], nt, x;
    ASSERT_OK(jlc_int64_new(S, 1, &vals[0]));
    ASSERT_OK(jlc_string_new_c(S, "two", &vals[1]));
    ASSERT_OK(jlc_float64_new(S, 3.0, &vals[2]));
    ASSERT_OK(jlc_namedtuple_new(S, 3, names, vals, &nt));
    ASSERT_OK(jlc_value_repr(S, nt, &s));
    ASSERT_JSTRING("(a = 1, b = \"two\", c = 3.0)", s);
    ASSERT_OK(jlc_field_get_by_name(S, nt, "b", &x));
    ASSERT_JSTRING("two", x);
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_field_get_by_name(S, nt, "d", &x));
    ASSERT_OK(jlc_namedtuple_new(S, 0, NULL, NULL, &nt));
    ASSERT_OK(jlc_value_repr(S, nt, &s));
    ASSERT_JSTRING("NamedTuple()", s);
    const char *twice[2] = {"a", "a"};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_namedtuple_new(S, 2, twice, vals, &nt));
    const char *empty[1] = {""};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_namedtuple_new(S, 1, empty, vals, &nt));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_namedtuple_new(S, 1, NULL, vals, &nt));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(symbols_by_length),
        JLCT(identity),
        JLCT(float16_conversions),
        JLCT(float16_complex_namedtuple),
        JLCT(impossible_string_lengths),
        JLCT(ints_round_trip),
        JLCT(widening_and_narrowing),
        JLCT(lossy_conversions_are_refused),
        JLCT(wrong_types_are_refused),
        JLCT(bool_float_nothing),
        JLCT(chars),
        JLCT(strings),
        JLCT(copy_string),
        JLCT(symbols_tuples_pointers),
        JLCT(null_pointers),
        JLCT(zeroed_handles),
    };
    return JLCT_RUN(tests);
}

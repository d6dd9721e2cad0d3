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
    ASSERT_OK(jlc_symbol_new(S, "alpha", &v));
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
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_new(S, NULL, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_symbol_new(S, "a", NULL));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
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

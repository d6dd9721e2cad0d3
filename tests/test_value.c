/* test_value.c — making values from C and checked casts back. */
#include "test_util.h"

#include <math.h>

static void ints_round_trip(void **state)
{
    jlc_value v;
    int8_t i8; int16_t i16; int32_t i32; int64_t i64;
    uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;
    const char *tn;

    ASSERT_OK(jlc_int8(S, -128, &v));
    ASSERT_OK(jlc_get_int8(v, &i8)); assert_int_equal(-128, i8);
    ASSERT_OK(jlc_typeof_name(v, &tn)); assert_string_equal("Int8", tn);
    ASSERT_OK(jlc_int16(S, -32768, &v));
    ASSERT_OK(jlc_get_int16(v, &i16)); assert_int_equal(-32768, i16);
    ASSERT_OK(jlc_typeof_name(v, &tn)); assert_string_equal("Int16", tn);
    ASSERT_OK(jlc_int32(S, INT32_MIN, &v));
    ASSERT_OK(jlc_get_int32(v, &i32)); assert_int_equal(INT32_MIN, i32);
    ASSERT_OK(jlc_int64(S, INT64_MIN, &v));
    ASSERT_OK(jlc_get_int64(v, &i64)); assert_true(i64 == INT64_MIN);
    ASSERT_OK(jlc_typeof_name(v, &tn)); assert_string_equal("Int64", tn);
    ASSERT_OK(jlc_uint8(S, 255, &v));
    ASSERT_OK(jlc_get_uint8(v, &u8)); assert_int_equal(255, u8);
    ASSERT_OK(jlc_typeof_name(v, &tn)); assert_string_equal("UInt8", tn);
    ASSERT_OK(jlc_uint16(S, 65535, &v));
    ASSERT_OK(jlc_get_uint16(v, &u16)); assert_int_equal(65535, u16);
    ASSERT_OK(jlc_uint32(S, UINT32_MAX, &v));
    ASSERT_OK(jlc_get_uint32(v, &u32)); assert_true(u32 == UINT32_MAX);
    ASSERT_OK(jlc_uint64(S, UINT64_MAX, &v));
    ASSERT_OK(jlc_get_uint64(v, &u64)); assert_true(u64 == UINT64_MAX);
    ASSERT_OK(jlc_typeof_name(v, &tn)); assert_string_equal("UInt64", tn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(ints_round_trip),
    };
    return JLCT_RUN(tests);
}

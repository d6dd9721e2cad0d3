/* test_scope.c — scopes, handles, stale detection, references, raw access. */
#include "test_util.h"

static void nested_scope_returns_result(void **state)
{
    jlc_scope inner;
    jlc_value kept, a, b, sum, plus;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_int64_new(inner, 40, &a));
    ASSERT_OK(jlc_int64_new(inner, 2, &b));
    ASSERT_OK(jlc_global_lookup(inner, "+", &plus));
    jlc_value args[2] = {a, b};
    ASSERT_OK(jlc_call(inner, plus, 2, args, &sum));
    ASSERT_OK(jlc_scope_keep(S, sum, &kept));
    ASSERT_OK(jlc_scope_close(inner));
    ASSERT_INT64(42, kept);
    int64_t x = 0;
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(sum, &x)); /* the inner handle died */
    assert_int_equal(0, x);
    assert_non_null(strstr(jlc_last_error(), "stale"));
}

static void stale_after_close_and_slot_reuse(void **state)
{
    jlc_scope a, b;
    jlc_value va, vb;
    int64_t x = -1;
    ASSERT_OK(jlc_scope_open(S, &a));
    ASSERT_OK(jlc_int64_new(a, 111, &va));
    ASSERT_OK(jlc_scope_close(a));
    /* the next scope reuses the same chunk and slot for another value */
    ASSERT_OK(jlc_scope_open(S, &b));
    ASSERT_OK(jlc_int64_new(b, 222, &vb));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(va, &x));
    assert_int_equal(-1, x);
    ASSERT_INT64(222, vb);
    /* the closed scope handle is stale too, even though its record is reused */
    jlc_value v;
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_new(a, 1, &v));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_scope_close(a));
    ASSERT_OK(jlc_scope_close(b));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(vb, &x));
}

static void forged_and_zeroed_handles(void **state)
{
    jlc_value real, forged;
    int64_t x = -1;
    ASSERT_OK(jlc_int64_new(S, 5, &real));
    forged._h = real._h + 1; /* next slot: not filled */
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(forged, &x));
    forged._h = real._h ^ (UINT64_C(0x7fff) << 32); /* wrong generation */
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(forged, &x));
    forged._h = UINT64_C(0x00000001ffffffff); /* chunk index beyond the table */
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(forged, &x));
    forged._h = 0;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_int64_get(forged, &x));
    jlc_scope fs = {UINT64_C(0x12345678) << 32 | 3};
    jlc_value out;
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_new(fs, 1, &out));
    fs._h = UINT64_C(1) << 32 | 0xFFFFFF;
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_new(fs, 1, &out));
    assert_int_equal(-1, x);
    ASSERT_INT64(5, real);
}

static void parent_with_open_child_cannot_close(void **state)
{
    jlc_scope p, c;
    jlc_value v;
    ASSERT_OK(jlc_scope_open(S, &p));
    ASSERT_OK(jlc_scope_open(p, &c));
    ASSERT_OK(jlc_int64_new(p, 7, &v));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_scope_close(p));
    ASSERT_INT64(7, v); /* nothing was closed */
    ASSERT_OK(jlc_scope_close(c));
    ASSERT_OK(jlc_scope_close(p));
    ASSERT_OK(jlc_scope_close(JLC_NO_SCOPE)); /* harmless no-op */
}

/* Two nests interleaved, as two Julia tasks on one thread would: closing in
 * non-LIFO order keeps the other nest's values. */
static void interleaved_scopes(void **state)
{
    jlc_scope a, b;
    jlc_value va[100], vb[100];
    ASSERT_OK(jlc_scope_open(JLC_NO_SCOPE, &a));
    ASSERT_OK(jlc_scope_open(JLC_NO_SCOPE, &b));
    for (int i = 0; i < 100; i++) {
        ASSERT_OK(jlc_int64_new(a, 1000 + i, &va[i]));
        ASSERT_OK(jlc_string_new_c(b, i % 2 ? "odd" : "even", &vb[i]));
    }
    ASSERT_OK(jlc_scope_close(a)); /* opened first, closed first */
    ASSERT_OK(jlc_gc_collect(true));
    for (int i = 0; i < 100; i++) ASSERT_JSTRING(i % 2 ? "odd" : "even", vb[i]);
    int64_t x;
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(va[50], &x));
    ASSERT_OK(jlc_scope_close(b));
}

static void many_values_span_chunks(void **state)
{
    jlc_scope sc;
    jlc_value vs[1000];
    size_t n = 0;
    ASSERT_OK(jlc_scope_open(S, &sc));
    for (int i = 0; i < 1000; i++) ASSERT_OK(jlc_float64_new(sc, i * 0.5, &vs[i]));
    ASSERT_OK(jlc_scope_size(sc, &n));
    assert_int_equal(1000, n);
    ASSERT_OK(jlc_gc_collect(true));
    for (int i = 0; i < 1000; i++) {
        double d;
        ASSERT_OK(jlc_float64_get(vs[i], &d));
        assert_true(d == i * 0.5);
    }
    ASSERT_OK(jlc_scope_close(sc));
}

static void references(void **state)
{
    jlc_ref r;
    jlc_value v, back;
    size_t before = jlc_ref_count();
    jlc_scope inner;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_OK(jlc_eval(inner, JLC_NO_VALUE, "string(\"kept\", 1234)", &v));
    ASSERT_OK(jlc_ref_new(v, &r));
    ASSERT_OK(jlc_scope_close(inner));
    assert_int_equal(before + 1, jlc_ref_count());
    ASSERT_OK(jlc_gc_collect(true));
    ASSERT_OK(jlc_ref_get(S, r, &back));
    ASSERT_JSTRING("kept1234", back);
    ASSERT_OK(jlc_ref_free(r));
    assert_int_equal(before, jlc_ref_count());
    ASSERT_STATUS(JLC_ERR_STALE, jlc_ref_free(r));     /* freed twice */
    ASSERT_STATUS(JLC_ERR_STALE, jlc_ref_get(S, r, &back));
    jlc_ref zero = {0};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_ref_free(zero));
    jlc_ref forged = {UINT64_C(77) << 32 | 9999};
    ASSERT_STATUS(JLC_ERR_STALE, jlc_ref_get(S, forged, &back));
    /* a freed slot is reused with a new generation */
    jlc_ref r2;
    ASSERT_OK(jlc_ref_new(back, &r2));
    assert_true(r2._h != r._h);
    ASSERT_STATUS(JLC_ERR_STALE, jlc_ref_free(r));
    ASSERT_OK(jlc_ref_free(r2));
    assert_int_equal(before, jlc_ref_count());
}

static void raw_escape_hatch(void **state)
{
    jlc_value v, again;
    void *raw = NULL;
    ASSERT_OK(jlc_string_new_c(S, "raw", &v));
    ASSERT_OK(jlc_value_raw(v, &raw));
    assert_non_null(raw);
    ASSERT_OK(jlc_value_from_raw(S, raw, &again));
    ASSERT_JSTRING("raw", again);
    void *raw2 = NULL;
    ASSERT_OK(jlc_value_raw(again, &raw2));
    assert_ptr_equal(raw, raw2);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_raw(v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_from_raw(S, NULL, &again));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_value_from_raw(S, raw, NULL));
}

static void null_pointers(void **state)
{
    jlc_value v;
    ASSERT_OK(jlc_int64_new(S, 1, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_scope_open(S, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_scope_keep(S, v, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_scope_size(S, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_ref_new(v, NULL));
    jlc_ref r;
    ASSERT_OK(jlc_ref_new(v, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_ref_get(S, r, NULL));
    ASSERT_OK(jlc_ref_free(r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_scope_keep(JLC_NO_SCOPE, v, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_scope_keep(S, JLC_NO_VALUE, &v));
    ASSERT_INT64(1, v);
}

static void status_names(void **state)
{
    /* Every code, in order, against its expected name: a renumbered or
     * missing status fails here. */
    static const char *const names[] = {
        "JLC_OK",          "JLC_EXCEPTION",     "JLC_ERR_ARG",       "JLC_ERR_STALE",
        "JLC_ERR_TYPE",    "JLC_ERR_LOSSY",     "JLC_ERR_BOUNDS",    "JLC_ERR_BORROW",
        "JLC_ERR_THREAD",  "JLC_ERR_STATE",     "JLC_ERR_FORK",      "JLC_ERR_NOT_FOUND",
        "JLC_ERR_IMMUTABLE", "JLC_ERR_SPACE",   "JLC_ERR_NOMEM",     "JLC_ERR_TIMEOUT",
        "JLC_ERR_UNSUPPORTED", "JLC_ERR_CANCELLED", "JLC_ERR_BUSY",
    };
    assert_int_equal(sizeof names / sizeof names[0], JLC_STATUS_COUNT);
    for (int i = 0; i < JLC_STATUS_COUNT; i++)
        assert_string_equal(names[i], jlc_status_name((jlc_status)i));
    assert_int_equal(0, JLC_OK);
    assert_string_equal("success", jlc_status_str(JLC_OK));
    assert_string_equal("index out of bounds", jlc_status_str(JLC_ERR_BOUNDS));
    assert_string_equal("JLC_UNKNOWN_STATUS", jlc_status_name((jlc_status)999));
    assert_string_equal("JLC_UNKNOWN_STATUS", jlc_status_name((jlc_status)-1));
    assert_string_equal("unknown status", jlc_status_str((jlc_status)JLC_STATUS_COUNT));
    /* Distinct descriptions. */
    for (int i = 0; i < JLC_STATUS_COUNT; i++)
        for (int j = i + 1; j < JLC_STATUS_COUNT; j++)
            assert_string_not_equal(jlc_status_str((jlc_status)i), jlc_status_str((jlc_status)j));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(nested_scope_returns_result),
        JLCT(stale_after_close_and_slot_reuse),
        JLCT(forged_and_zeroed_handles),
        JLCT(parent_with_open_child_cannot_close),
        JLCT(interleaved_scopes),
        JLCT(many_values_span_chunks),
        JLCT(references),
        JLCT(raw_escape_hatch),
        JLCT(null_pointers),
        JLCT(status_names),
    };
    return JLCT_RUN(tests);
}

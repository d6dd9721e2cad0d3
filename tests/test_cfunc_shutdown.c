/* test_cfunc_shutdown.c — typed calls after jlc_shutdown(): every entry
 * point refuses with JLC_ERR_STATE (its own process: Julia cannot restart). */
#include "test_util.h"

static jlc_status body(void *ctx)
{
    (void)ctx;
    return JLC_OK;
}

static void after_shutdown(void **state)
{
    (void)state;
    jlc_scope sc;
    jlc_value f;
    void *p = NULL;
    double r = 0;
    ASSERT_OK(jlc_init(NULL));
    ASSERT_OK(jlc_scope_open(JLC_NO_SCOPE, &sc));
    ASSERT_OK(jlc_eval(sc, JLC_NO_VALUE, "cfs_twice(x::Float64) = 2x", &f));
    ASSERT_OK(jlc_cfunc_new(sc, f, "double(double)", 0, &p));
    ASSERT_OK(((jlc_status(*)(double, double *))p)(1.25, &r));
    assert_true(r == 2.5);
    ASSERT_OK(jlc_scope_close(sc));
    ASSERT_OK(jlc_shutdown(0, NULL));

    void *q = NULL;
    unsigned fl = 0;
    int args[] = {JLC_FLOAT64};
    const void *in[1] = {&r};
    jlc_value e;
    ASSERT_STATUS(JLC_ERR_STATE, jlc_cfunc_new(sc, f, "double(double)", 0, &q));
    assert_non_null(strstr(jlc_last_error(), "shut down"));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_cfunc_new_typed(sc, f, JLC_FLOAT64, 1, args, NULL, 0, &q));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_cfunc_flags(p, &fl));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_cfunc_exception(sc, &e));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_protect(sc, body, NULL));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_cfunc_map(sc, f, "double(double)", 1, in, &r));
    assert_null(q);
    assert_int_equal(0, fl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(after_shutdown)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

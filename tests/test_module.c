/* test_module.c — modules by path, globals, lookups. */
#include "test_util.h"

static void modules_by_path(void **state)
{
    const char *paths[] = {"Main", "Base", "Core", "Base.Math", "Base.Iterators"};
    const char *names[] = {"Main", "Base", "Core", "Base.Math", "Base.Iterators"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        jlc_value m, rep;
        const char *tn;
        ASSERT_OK(jlc_module_lookup(S, paths[i], &m));
        ASSERT_OK(jlc_value_type_name(m, &tn));
        assert_string_equal("Module", tn);
        ASSERT_OK(jlc_value_repr(S, m, &rep));
        ASSERT_JSTRING(names[i], rep);
    }
    jlc_value m;
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_module_lookup(S, "NoSuchModule", &m));
    assert_non_null(strstr(jlc_last_error(), "NoSuchModule"));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_module_lookup(S, "Base.NoSuchSub", &m));
    assert_non_null(strstr(jlc_last_error(), "NoSuchSub"));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_module_lookup(S, "Base.sin", &m)); /* a function, not a module */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_module_lookup(S, "Base.pi.x", &m)); /* walks through a non-module */
    ASSERT_STATUS(JLC_ERR_ARG, jlc_module_lookup(S, "Base..Math", &m));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_module_lookup(S, "", &m));
    /* a module defined by the user, bound in Main */
    jlct_eval("module JlctMod; const answer = 42; module Inner; f() = 7; end; end");
    ASSERT_OK(jlc_module_lookup(S, "JlctMod.Inner", &m));
    ASSERT_OK(jlc_module_lookup(S, "Main.JlctMod", &m));
}

static void globals(void **state)
{
    jlc_value main_mod, v, got;
    ASSERT_OK(jlc_module_lookup(S, "Main", &main_mod));
    ASSERT_OK(jlc_float64_new(S, 6.5, &v));
    ASSERT_OK(jlc_global_set(S, main_mod, "jlct_g", v));
    ASSERT_OK(jlc_global_get(S, main_mod, "jlct_g", &got));
    double d;
    ASSERT_OK(jlc_float64_get(got, &d));
    assert_true(d == 6.5);
    /* Julia sees it */
    jlc_value twice = jlct_eval("2jlct_g");
    ASSERT_OK(jlc_float64_get(twice, &d));
    assert_true(d == 13.0);
    /* reassign with another type (non-constant global) */
    ASSERT_OK(jlc_string_new_c(S, "now a string", &v));
    ASSERT_OK(jlc_global_set(S, main_mod, "jlct_g", v));
    ASSERT_JSTRING("now a string", jlct_eval("jlct_g"));

    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_global_get(S, main_mod, "jlct_missing", &got));
    assert_non_null(strstr(jlc_last_error(), "jlct_missing"));
    assert_non_null(strstr(jlc_last_error(), "Main"));
    /* a constant cannot be reassigned: Julia's own error */
    jlc_value jm;
    jlct_eval("module JlctConst; const c = 1; end");
    ASSERT_OK(jlc_module_lookup(S, "JlctConst", &jm));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_global_set(S, jm, "c", v));
    ASSERT_INT64(1, jlct_eval("JlctConst.c"));
    /* a non-module */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_global_get(S, v, "x", &got));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_global_set(S, v, "x", v));
    ASSERT_OK(jlc_module_lookup(S, "Base", &jm));
    ASSERT_OK(jlc_global_get(S, jm, "pi", &got));
    ASSERT_OK(jlc_float64_get(jlct_eval("Float64(pi)"), &d));
    assert_true(d > 3.14159 && d < 3.1416);
}

static void lookups(void **state)
{
    jlc_value f, r, arg;
    ASSERT_OK(jlc_global_lookup(S, "Base.Math.sin", &f));
    ASSERT_OK(jlc_float64_new(S, 0.0, &arg));
    ASSERT_OK(jlc_call(S, f, 1, &arg, &r));
    double d = 1;
    ASSERT_OK(jlc_float64_get(r, &d));
    assert_true(d == 0.0);
    ASSERT_OK(jlc_global_lookup(S, "println", &f)); /* found in Main */
    jlct_eval("jlct_val = 99");
    ASSERT_OK(jlc_global_lookup(S, "jlct_val", &r));
    ASSERT_INT64(99, r);
    ASSERT_OK(jlc_global_lookup(S, "Main.jlct_val", &r));
    ASSERT_INT64(99, r);
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_global_lookup(S, "jlct_nope", &r));
    assert_non_null(strstr(jlc_last_error(), "jlct_nope"));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_global_lookup(S, "Base.jlct_nope", &r));
    assert_non_null(strstr(jlc_last_error(), "jlct_nope"));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_global_lookup(S, "jlct_val.x", &r));
    ASSERT_INT64(99, r); /* untouched by the failures */
}

static void null_pointers(void **state)
{
    jlc_value m, v;
    ASSERT_OK(jlc_module_lookup(S, "Main", &m));
    ASSERT_OK(jlc_int64_new(S, 3, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_module_lookup(S, NULL, &m));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_module_lookup(S, "Main", NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_global_get(S, m, NULL, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_global_get(S, m, "x", NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_global_lookup(S, NULL, &v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_global_lookup(S, "x", NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_global_set(S, m, NULL, v));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_global_set(S, JLC_NO_VALUE, "x", v));
    ASSERT_INT64(3, v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(modules_by_path),
        JLCT(globals),
        JLCT(lookups),
        JLCT(null_pointers),
    };
    return JLCT_RUN(tests);
}

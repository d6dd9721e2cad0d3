/* load_local.c — a host that loads jlc the way Python's ctypes.CDLL does
 * by default: dlopen() with RTLD_LOCAL, so libjulia's names stay out of the
 * process's global scope. jlc_init must still start Julia (it makes them
 * global itself) and Julia exceptions must come back as statuses. This
 * program is not linked with jlc or libjulia: every call goes through
 * dlsym. JLCT_LIBJLC is the built libjlc.so. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Declarations only (no jlc symbol is linked): the types and statuses. */
#include <jlc.h>

static void *lib;

#define LOAD(name) load_sym(#name)
static void *load_sym(const char *name)
{
    void *p = dlsym(lib, name);
    if (!p) fail_msg("dlsym(%s): %s", name, dlerror());
    return p;
}

/* Whether a name resolves through the global scope (where Julia looks). */
static int global_has(const char *name)
{
    void *self = dlopen(NULL, RTLD_NOW);
    assert_non_null(self);
    dlerror();
    int found = dlsym(self, name) != NULL;
    dlclose(self);
    return found;
}

static void init_after_local_load(void **state)
{
    (void)state;
    lib = dlopen(JLCT_LIBJLC, RTLD_LOCAL | RTLD_NOW);
    if (!lib) fail_msg("dlopen(%s): %s", JLCT_LIBJLC, dlerror());
    /* The case under test: jlc's names are not global, and on Julia before
     * 1.6 neither are Julia's. (From 1.6 libjulia is a small loader that
     * opens libjulia-internal with RTLD_GLOBAL itself: checked below.) */
    bool julia_global_before = global_has("jl_n_threads");
    assert_false(global_has("jlc_init"));

    jlc_status (*init)(const jlc_init_options *) = LOAD(jlc_init);
    const char *(*last_error)(void) = LOAD(jlc_last_error);
    const char *(*status_name)(jlc_status) = LOAD(jlc_status_name);
    jlc_status (*scope_open)(jlc_scope, jlc_scope *) = LOAD(jlc_scope_open);
    jlc_status (*scope_close)(jlc_scope) = LOAD(jlc_scope_close);
    jlc_status (*eval)(jlc_scope, jlc_value, const char *, jlc_value *) = LOAD(jlc_eval);
    jlc_status (*int64_get)(jlc_value, int64_t *) = LOAD(jlc_int64_get);
    jlc_status (*exception_get)(jlc_value *) = LOAD(jlc_exception_get);
    jlc_status (*type_name)(jlc_value, const char **) = LOAD(jlc_value_type_name);
    jlc_status (*shutdown)(int, size_t *) = LOAD(jlc_shutdown);

    jlc_status st = init(NULL);
    if (st != JLC_OK) fail_msg("jlc_init: %s: %s", status_name(st), last_error());
    /* jlc made libjulia's names global, and only those: jlc stays local. */
    assert_true(global_has("jl_n_threads"));
    assert_false(global_has("jlc_init"));
    const char *(*julia_version)(void) = LOAD(jlc_julia_version);
    int major = 0, minor = 0;
    assert_int_equal(2, sscanf(julia_version(), "%d.%d", &major, &minor));
    if (major == 1 && minor < 6) assert_false(julia_global_before);
    else assert_true(julia_global_before); /* the loader's doing, as said above */

    jlc_scope s;
    jlc_value v, exc;
    int64_t n = 0;
    const char *tn = NULL;
    assert_int_equal(JLC_OK, scope_open(JLC_NO_SCOPE, &s));
    /* Julia code that reaches cglobal(:jl_n_threads) and compiled code. */
    assert_int_equal(JLC_OK, eval(s, JLC_NO_VALUE, "Threads.nthreads() + sum([2, 3])", &v));
    assert_int_equal(JLC_OK, int64_get(v, &n));
    assert_int_equal(6, n);
    /* An exception is caught and comes back as a status, with its text. */
    assert_int_equal(JLC_EXCEPTION, eval(s, JLC_NO_VALUE, "[1, 2][5]", &v));
    assert_non_null(strstr(last_error(), "BoundsError"));
    assert_int_equal(JLC_OK, exception_get(&exc));
    assert_int_equal(JLC_OK, type_name(exc, &tn));
    assert_string_equal("BoundsError", tn);
    assert_int_equal(JLC_EXCEPTION, eval(s, JLC_NO_VALUE, "error(\"from Julia\")", &v));
    assert_string_equal("ErrorException: from Julia", last_error());
    assert_int_equal(JLC_OK, scope_close(s));
    size_t leaked = 1;
    assert_int_equal(JLC_OK, shutdown(0, &leaked));
    assert_int_equal(0, leaked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_after_local_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

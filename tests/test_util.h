/*
 * test_util.h — shared by the test programs: cmocka plus jlc-aware asserts
 * that print status names and jlc_last_error() on failure.
 *
 * Each test program initialises Julia once (group setup) and every test gets
 * a fresh top-level scope S (test setup/teardown). GC stress is switched on
 * by the environment (JLC_GC_STRESS=1), set by ctest for the gcstress lane.
 */
#ifndef JLC_TEST_UTIL_H
#define JLC_TEST_UTIL_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <jlc.h>

#define ASSERT_STATUS(expected, call)                                                      \
    do {                                                                                   \
        jlc_status got_ = (call);                                                          \
        if (got_ != (expected))                                                            \
            fail_msg("%s\n  expected %s, got %s (%s)", #call, jlc_status_name(expected),   \
                     jlc_status_name(got_), jlc_last_error());                             \
    } while (0)

#define ASSERT_OK(call) ASSERT_STATUS(JLC_OK, call)

/* cmocka installs its own handlers for SIGSEGV, SIGBUS, SIGILL and SIGFPE
 * around every test (with signal()), which would hide Julia's: Julia turns a
 * fault on its stack guard page into StackOverflowError and uses SIGSEGV for
 * GC safepoints. This definition interposes libc's signal() for the test
 * program only and leaves those four alone; Julia itself uses sigaction(). */
typedef void (*jlct_sighandler)(int);
jlct_sighandler signal(int sig, jlct_sighandler handler)
{
    struct sigaction sa, old;
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
        sigaction(sig, NULL, &old);
        return old.sa_handler;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, &old) != 0) return SIG_ERR;
    return old.sa_handler;
}

/* The per-test scope. */
static jlc_scope S;

static int jlct_group_setup(void **state)
{
    (void)state;
    jlc_status st = jlc_init(NULL);
    if (st != JLC_OK) {
        fprintf(stderr, "jlc_init: %s: %s\n", jlc_status_name(st), jlc_last_error());
        return -1;
    }
    return 0;
}

/* cmocka reports a failed group teardown but still exits 0, so JLCT_RUN
 * checks this flag itself. */
static int jlct_teardown_failed;

static int jlct_group_teardown(void **state)
{
    (void)state;
    size_t leaked = 0;
    jlc_status st = jlc_shutdown(0, &leaked);
    if (st != JLC_OK) {
        fprintf(stderr, "jlc_shutdown: %s: %s\n", jlc_status_name(st), jlc_last_error());
        jlct_teardown_failed = 1;
    } else if (leaked) {
        fprintf(stderr, "%zu reference(s) leaked\n", leaked);
        jlct_teardown_failed = 1;
    }
    return jlct_teardown_failed ? -1 : 0;
}

static int jlct_setup(void **state)
{
    (void)state;
    return jlc_scope_open(JLC_NO_SCOPE, &S) == JLC_OK ? 0 : -1;
}

static int jlct_teardown(void **state)
{
    (void)state;
    return jlc_scope_close(S) == JLC_OK ? 0 : -1;
}

#define JLCT(fn) cmocka_unit_test_setup_teardown(fn, jlct_setup, jlct_teardown)
#define JLCT_RUN(tests) \
    (cmocka_run_group_tests(tests, jlct_group_setup, jlct_group_teardown) + jlct_teardown_failed)

/* Evaluates Julia code in Main and returns the result's handle (test aborts
 * on failure). */
static inline jlc_value jlct_eval(const char *code)
{
    jlc_value v = JLC_NO_VALUE;
    jlc_status st = jlc_eval(S, JLC_NO_VALUE, code, &v);
    if (st != JLC_OK) fail_msg("eval(%s): %s: %s", code, jlc_status_name(st), jlc_last_error());
    return v;
}

/* Asserts a handle holds an Int64 equal to expected. */
#define ASSERT_INT64(expected, handle)                 \
    do {                                               \
        int64_t got64_ = 0;                            \
        ASSERT_OK(jlc_get_int64((handle), &got64_));   \
        assert_int_equal((expected), got64_);          \
    } while (0)

/* Asserts a String handle equals a C string. */
#define ASSERT_JSTRING(expected, handle)                          \
    do {                                                          \
        const char *s_ = NULL;                                    \
        size_t n_ = 0;                                            \
        ASSERT_OK(jlc_get_string((handle), &s_, &n_));            \
        assert_int_equal(strlen(expected), n_);                   \
        assert_memory_equal((expected), s_, n_);                  \
    } while (0)

#endif

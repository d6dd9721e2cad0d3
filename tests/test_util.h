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

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include <dlfcn.h>
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
 * program only and ignores cmocka's handlers for those four; Julia itself
 * uses sigaction().
 *
 * One request is honoured: SIG_DFL asked by libjulia itself. Julia's crash
 * handler resets the signal to SIG_DFL and returns to re-execute the fault so
 * the process dies of it; ignoring that request looped forever, printing
 * backtraces. cmocka's own SIG_DFL requests (restoring what it saw before
 * Julia started) stay ignored, or Julia would lose its handler. A crash now
 * ends the test program at once, with the signal as its status. */
typedef void (*jlct_sighandler)(int);
static int jlct_called_from_libjulia(const void *ret)
{
    Dl_info info;
    return dladdr(ret, &info) && info.dli_fname && strstr(info.dli_fname, "libjulia");
}
__attribute__((noinline)) jlct_sighandler signal(int sig, jlct_sighandler handler)
{
    struct sigaction sa, old;
    if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
        sigaction(sig, NULL, &old);
        if (handler == SIG_DFL && jlct_called_from_libjulia(__builtin_return_address(0))) {
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = SIG_DFL;
            sigemptyset(&sa.sa_mask);
            sigaction(sig, &sa, NULL);
        }
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

/* True when the running Julia is at least major.minor. */
static inline int jlct_julia_at_least(int major, int minor)
{
    int ma = 0, mi = 0;
    if (sscanf(jlc_julia_version(), "%d.%d", &ma, &mi) != 2) return 0;
    return ma > major || (ma == major && mi >= minor);
}

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
        ASSERT_OK(jlc_int64_get((handle), &got64_));   \
        assert_int_equal((expected), got64_);          \
    } while (0)

/* Asserts a String handle equals a C string. */
#define ASSERT_JSTRING(expected, handle)                          \
    do {                                                          \
        const char *s_ = NULL;                                    \
        size_t n_ = 0;                                            \
        ASSERT_OK(jlc_string_get((handle), &s_, &n_));            \
        assert_int_equal(strlen(expected), n_);                   \
        assert_memory_equal((expected), s_, n_);                  \
    } while (0)

#endif

/* test_process.c — promises that need a process of their own: each case
 * forks children that start Julia themselves (Julia starts once per process),
 * and the parent asserts on how each child ended. No group init here. */
#include "test_util.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs body() in a forked child and asserts the child exited with status 0
 * (a child killed by a signal or exiting non-zero fails the test). */
static void in_child(int (*body)(void), const char *what)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) _exit(body());
    int wst = 0;
    assert_int_equal(pid, waitpid(pid, &wst, 0));
    if (WIFSIGNALED(wst)) fail_msg("%s: child killed by signal %d", what, WTERMSIG(wst));
    if (WEXITSTATUS(wst) != 0) fail_msg("%s: child exited with %d", what, WEXITSTATUS(wst));
}

/* ---- jlc_init from two threads at once ---- */

static pthread_barrier_t start_line;
static jlc_status init_result[2];

static void *init_thread(void *arg)
{
    int i = (int)(intptr_t)arg;
    pthread_barrier_wait(&start_line);
    init_result[i] = jlc_init(NULL);
    return NULL;
}

static int init_race_child(void)
{
    pthread_t t[2];
    pthread_barrier_init(&start_line, NULL, 2);
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, init_thread, (void *)(intptr_t)i);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    int ok = (init_result[0] == JLC_OK) + (init_result[1] == JLC_OK);
    int state = (init_result[0] == JLC_ERR_STATE) + (init_result[1] == JLC_ERR_STATE);
    if (ok != 1 || state != 1) {
        fprintf(stderr, "init race: %s and %s\n", jlc_status_name(init_result[0]),
                jlc_status_name(init_result[1]));
        return 1;
    }
    return 0;
}

static void init_race(void **state)
{
    for (int run = 0; run < 10; run++) in_child(init_race_child, "jlc_init race");
}

/* ---- Ctrl-C while the host runs its own code ---- */

static int sigint_child(void)
{
    if (jlc_init(NULL) != JLC_OK) return 2;
    jlc_scope s;
    jlc_value v, r, e;
    const char *tn = NULL;
    jlc_scope_open(JLC_NO_SCOPE, &s);
    kill(getpid(), SIGINT);
    usleep(100 * 1000); /* the host's own work; Julia's listener takes the signal */
    int interrupted = 0;
    for (int i = 0; i < 200; i++) {
        jlc_status st = i % 10 == 9 ? jlc_eval(s, JLC_NO_VALUE, "sum(rand(100))", &r)
                                    : jlc_float64_new(s, i + 0.5, &v);
        if (st == JLC_EXCEPTION) {
            if (jlc_exception_get(&e) != JLC_OK || jlc_value_type_name(e, &tn) != JLC_OK ||
                strcmp(tn, "InterruptException") != 0)
                return 3;
            interrupted++;
        } else if (st != JLC_OK) {
            return 4;
        }
    }
    /* The interrupt is delivered exactly once, and Julia works afterwards. */
    if (interrupted != 1) return 5;
    if (jlc_eval(s, JLC_NO_VALUE, "1 + 1", &r) != JLC_OK) return 6;
    return 0;
}

static void sigint_does_not_kill(void **state)
{
    for (int run = 0; run < 5; run++) in_child(sigint_child, "SIGINT");
}

/* ---- julia_signals = 0: the host keeps its signal state ---- */

static volatile sig_atomic_t host_sigints;
static void host_sigint(int sig) { (void)sig; host_sigints++; }
static void host_sigterm(int sig) { (void)sig; }

static void *try_enter(void *arg)
{
    *(jlc_status *)arg = jlc_thread_enter();
    return NULL;
}

static int host_signals_child(void)
{
    struct sigaction sa, got;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = host_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = host_sigterm;
    sigaction(SIGTERM, &sa, NULL);
    /* One signal blocked before init (Julia 1.5 would unblock it), SIGINT
     * and SIGTERM not (Julia 1.5 would block them). */
    sigset_t mask, before, after;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    pthread_sigmask(SIG_BLOCK, NULL, &before);
    stack_t alt_before, alt_after;
    sigaltstack(NULL, &alt_before);

    jlc_init_options o;
    jlc_init_options_default(&o);
    o.julia_signals = 0;
    /* More than one thread needs Julia's SIGSEGV handler (GC safepoints):
     * refused before Julia starts, asked for either way. */
    o.nthreads = 2;
    if (jlc_init(&o) != JLC_ERR_ARG || !strstr(jlc_last_error(), "julia_signals")) return 16;
    o.nthreads = 0;
    setenv("JULIA_NUM_THREADS", "2", 1);
    if (jlc_init(&o) != JLC_ERR_ARG || !strstr(jlc_last_error(), "JULIA_NUM_THREADS")) return 17;
    setenv("JULIA_NUM_THREADS", "1,1", 1); /* 1.9's default,interactive form */
    if (jlc_init(&o) != JLC_ERR_ARG) return 18;
    unsetenv("JULIA_NUM_THREADS");
    if (jlc_init(&o) != JLC_OK) return 2;
    /* Nor may a foreign thread be adopted (before 1.9: not at all). */
    pthread_t t;
    jlc_status enter_st = JLC_OK;
    pthread_create(&t, NULL, try_enter, &enter_st);
    pthread_join(t, NULL);
    if (enter_st != (jlct_julia_at_least(1, 9) ? JLC_ERR_STATE : JLC_ERR_UNSUPPORTED)) return 19;

    sigaction(SIGINT, NULL, &got);
    if (got.sa_handler != host_sigint) return 3;
    sigaction(SIGTERM, NULL, &got);
    if (got.sa_handler != host_sigterm) return 4;
    sigaction(SIGSEGV, NULL, &got);
    if (got.sa_handler != SIG_DFL) return 5;
    sigaction(SIGUSR2, NULL, &got);
    if (got.sa_handler != SIG_DFL) return 6;
    pthread_sigmask(SIG_BLOCK, NULL, &after);
    for (int sig = 1; sig < SIGRTMIN; sig++)
        if (sigismember(&before, sig) != sigismember(&after, sig)) {
            fprintf(stderr, "signal %d: blocked %d before init, %d after\n", sig,
                    sigismember(&before, sig), sigismember(&after, sig));
            return 7;
        }
    if (!sigismember(&after, SIGUSR1) || sigismember(&after, SIGINT)) return 8;
    sigaltstack(NULL, &alt_after);
    if ((alt_before.ss_flags & SS_DISABLE) != (alt_after.ss_flags & SS_DISABLE)) return 9;

    /* A Ctrl-C reaches the host's handler, once, and Julia works after it. */
    raise(SIGINT);
    if (host_sigints != 1) return 10;
    jlc_scope s;
    jlc_value r;
    int64_t n = 0;
    if (jlc_scope_open(JLC_NO_SCOPE, &s) != JLC_OK) return 11;
    if (jlc_eval(s, JLC_NO_VALUE, "sum(1:10)", &r) != JLC_OK || jlc_int64_get(r, &n) != JLC_OK ||
        n != 55)
        return 12;
    if (jlc_eval(s, JLC_NO_VALUE, "[1, 2][5]", &r) != JLC_EXCEPTION ||
        strncmp(jlc_last_error(), "BoundsError", 11) != 0)
        return 13;
    if (host_sigints != 1) return 14;
    return jlc_scope_close(s) == JLC_OK ? 0 : 15;
}

static void host_keeps_signals(void **state) { in_child(host_signals_child, "julia_signals = 0"); }

/* ---- jlc_attach from a thread Julia does not know ---- */

static jlc_status attach_result;
static void *attach_thread(void *arg)
{
    (void)arg;
    attach_result = jlc_attach();
    return NULL;
}

static int attach_foreign_child(void)
{
    if (jlc_init(NULL) != JLC_OK) return 2;
    pthread_t t;
    pthread_create(&t, NULL, attach_thread, NULL);
    pthread_join(t, NULL);
    if (attach_result != JLC_ERR_THREAD) {
        fprintf(stderr, "jlc_attach on a foreign thread: %s\n", jlc_status_name(attach_result));
        return 1;
    }
    return jlc_attach() == JLC_OK ? 0 : 3; /* the init thread may */
}

static void attach_from_foreign_thread(void **state) { in_child(attach_foreign_child, "attach"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_race),
        cmocka_unit_test(sigint_does_not_kill),
        cmocka_unit_test(attach_from_foreign_thread),
        cmocka_unit_test(host_keeps_signals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

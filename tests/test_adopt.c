/*
 * test_adopt.c — threads entering and leaving Julia (jlc_thread_enter,
 * jlc_thread_leave): the init thread's GC-safe region, foreign threads
 * refused before entering, and then, by Julia release:
 *  - before 1.9: JLC_ERR_UNSUPPORTED with a message that points to the
 *    async runtime, also from several threads at once, nothing changed;
 *  - 1.9 and later: foreign threads adopted and using the whole API, several
 *    of them racing scope open/close, calls, exceptions, leave/enter and
 *    collections with every value checked; a thread that exits while
 *    entered (its scope still open, its values still rooted); shutdown
 *    refused while an adopted thread is inside Julia, then done with one
 *    thread exited adopted and another alive, adopted and left.
 *
 * The main thread waits for other threads only after jlc_thread_leave (it is
 * GC-safe then): a collection started by an adopted thread would otherwise
 * wait for the main thread while the main thread waits for it.
 *
 * Sizes: JLCT_ADOPT_THREADS x JLCT_ADOPT_ITERS (defaults 4 x 400; 4 x 25 in
 * the GC-stress lane, where every allocating call collects).
 */
#include "test_util.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#define MAX_THREADS 32

static int env_or(const char *name, int fallback)
{
    const char *s = getenv(name);
    return s && *s ? atoi(s) : fallback;
}

static int gc_stress(void) { return env_or("JLC_GC_STRESS", 0) > 0; }

/* Runs fn(arg) on a new pthread and joins it with the main thread GC-safe. */
static void run_thread(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    ASSERT_OK(jlc_thread_leave());
    assert_int_equal(0, pthread_create(&t, NULL, fn, arg));
    pthread_join(t, NULL);
    ASSERT_OK(jlc_thread_enter());
}

/* ---- every release ---- */

/* The thread that called jlc_init starts entered: enter/leave nest on it,
 * and a leave on its own is a GC-safe region in which jlc refuses calls. */
static void init_thread_enter_leave(void **state)
{
    (void)state;
    ASSERT_OK(jlc_thread_enter());
    ASSERT_OK(jlc_thread_leave()); /* back to where it started: still usable */
    ASSERT_INT64(3, jlct_eval("1 + 2"));

    ASSERT_OK(jlc_thread_leave()); /* GC-safe now */
    jlc_value v = JLC_NO_VALUE;
    ASSERT_STATUS(JLC_ERR_THREAD, jlc_int64_new(S, 7, &v));
    assert_non_null(strstr(jlc_last_error(), "jlc_thread_leave"));
    assert_true(v._h == JLC_NO_VALUE._h);
    ASSERT_STATUS(JLC_ERR_STATE, jlc_thread_leave()); /* nothing left to leave */
    assert_non_null(strstr(jlc_last_error(), "without a matching jlc_thread_enter"));
    ASSERT_OK(jlc_thread_enter());
    ASSERT_OK(jlc_int64_new(S, 7, &v));
    ASSERT_INT64(7, v);
}

typedef struct {
    jlc_status call, leave;
    char msg[512];
} refused_result;

static void *refused_thread(void *arg)
{
    refused_result *r = arg;
    jlc_value v;
    r->call = jlc_int64_new(S, 1, &v);
    snprintf(r->msg, sizeof r->msg, "%s", jlc_last_error());
    r->leave = jlc_thread_leave();
    return NULL;
}

/* A foreign thread that did not enter is refused, and told what to do. */
static void foreign_thread_refused_before_enter(void **state)
{
    (void)state;
    size_t before, after;
    ASSERT_OK(jlc_scope_size(S, &before));
    refused_result r;
    run_thread(refused_thread, &r);
    ASSERT_STATUS(JLC_ERR_THREAD, r.call);
    ASSERT_STATUS(JLC_ERR_STATE, r.leave);
    assert_non_null(strstr(r.msg, "async runtime"));
    if (jlct_julia_at_least(1, 9))
        assert_non_null(strstr(r.msg, "jlc_thread_enter"));
    else
        assert_non_null(strstr(r.msg, "Julia 1.9"));
    ASSERT_OK(jlc_scope_size(S, &after));
    assert_int_equal(before, after);
}

/* ---- one foreign thread ---- */

typedef struct {
    jlc_status enter, call_after, leave;
    char msg[512];
    /* Julia >= 1.9 */
    int64_t sum, tid, kept;
    int exc_ok, left_refused, kept_after_reenter;
    char failure[512];
} one_result;

#define STEP(call)                                                                        \
    do {                                                                                  \
        jlc_status st_ = (call);                                                          \
        if (st_ != JLC_OK) {                                                              \
            snprintf(r->failure, sizeof r->failure, "%s: %s (%s)", #call,                 \
                     jlc_status_name(st_), jlc_last_error());                             \
            return NULL;                                                                  \
        }                                                                                 \
    } while (0)

static void *one_thread(void *arg)
{
    one_result *r = arg;
    r->enter = jlc_thread_enter();
    snprintf(r->msg, sizeof r->msg, "%s", jlc_last_error());
    jlc_value v;
    if (r->enter != JLC_OK) {
        r->call_after = jlc_int64_new(S, 1, &v);
        r->leave = jlc_thread_leave();
        return NULL;
    }
    /* The whole API, in this thread's own scopes. */
    jlc_scope s, inner;
    jlc_value plus, args[2], sum, tid, kept, bad;
    STEP(jlc_scope_open(JLC_NO_SCOPE, &s));
    STEP(jlc_global_lookup(s, "Base.+", &plus));
    STEP(jlc_int64_new(s, 40, &args[0]));
    STEP(jlc_int64_new(s, 2, &args[1]));
    STEP(jlc_call(s, plus, 2, args, &sum));
    STEP(jlc_int64_get(sum, &r->sum));
    STEP(jlc_eval(s, JLC_NO_VALUE, "Threads.threadid()", &tid));
    STEP(jlc_int64_get(tid, &r->tid));
    /* Nested enter: only counts. */
    STEP(jlc_thread_enter());
    STEP(jlc_scope_open(s, &inner));
    STEP(jlc_eval(inner, JLC_NO_VALUE, "sum(collect(1:100))", &v));
    STEP(jlc_scope_keep(s, v, &kept));
    STEP(jlc_scope_close(inner));
    STEP(jlc_thread_leave());
    STEP(jlc_int64_get(kept, &r->kept));
    /* An exception comes back as a status, its text in this thread's state. */
    r->exc_ok = jlc_eval(s, JLC_NO_VALUE, "[1, 2][5]", &bad) == JLC_EXCEPTION &&
                strstr(jlc_last_error(), "BoundsError") != NULL;
    /* Left: refused, GC-safe; entered again: the scope is still there. */
    STEP(jlc_thread_leave());
    r->left_refused = jlc_int64_new(s, 1, &v) == JLC_ERR_THREAD &&
                      strstr(jlc_last_error(), "left Julia") != NULL;
    STEP(jlc_thread_enter());
    int64_t again = 0;
    STEP(jlc_int64_get(kept, &again));
    r->kept_after_reenter = again == r->kept;
    STEP(jlc_scope_close(s));
    r->leave = jlc_thread_leave();
    return NULL;
}

static void foreign_thread_enter(void **state)
{
    (void)state;
    size_t before, after;
    ASSERT_OK(jlc_scope_size(S, &before));
    /* The main thread's own latest error, which the other thread must not
     * touch. */
    jlc_value v;
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_global_lookup(S, "Base.no_such_name_here", &v));
    char mine[256];
    snprintf(mine, sizeof mine, "%s", jlc_last_error());

    one_result r;
    memset(&r, 0, sizeof r);
    run_thread(one_thread, &r);
    assert_string_equal(mine, jlc_last_error());

    if (!jlct_julia_at_least(1, 9)) {
        ASSERT_STATUS(JLC_ERR_UNSUPPORTED, r.enter);
        assert_non_null(strstr(r.msg, "needs Julia 1.9 or later"));
        assert_non_null(strstr(r.msg, jlc_julia_version()));
        assert_non_null(strstr(r.msg, "async runtime"));
        ASSERT_STATUS(JLC_ERR_THREAD, r.call_after); /* still not Julia's */
        ASSERT_STATUS(JLC_ERR_STATE, r.leave);       /* nothing entered */
    } else {
        ASSERT_OK(r.enter);
        if (r.failure[0]) fail_msg("adopted thread: %s", r.failure);
        assert_int_equal(42, r.sum);
        assert_true(r.tid > 1); /* its own Julia thread id, not the main thread's */
        assert_int_equal(5050, r.kept);
        assert_true(r.exc_ok);
        assert_true(r.left_refused);
        assert_true(r.kept_after_reenter);
        ASSERT_OK(r.leave);
    }
    ASSERT_OK(jlc_scope_size(S, &after));
    assert_int_equal(before, after);
    ASSERT_INT64(4, jlct_eval("2 + 2"));
}

/* ---- several foreign threads racing ---- */

typedef struct {
    int index, iters;
    pthread_barrier_t *start;
    jlc_status enter;
    int done;     /* iterations whose every value checked out */
    int excs;     /* exceptions caught and recognised */
    char failure[512];
} race_result;

#define RSTEP(call)                                                                       \
    do {                                                                                  \
        jlc_status st_ = (call);                                                          \
        if (st_ != JLC_OK) {                                                              \
            snprintf(r->failure, sizeof r->failure, "thread %d, iteration %d: %s: %s (%s)", \
                     r->index, i, #call, jlc_status_name(st_), jlc_last_error());         \
            goto out;                                                                     \
        }                                                                                 \
    } while (0)
#define RCHECK(cond)                                                                      \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            snprintf(r->failure, sizeof r->failure, "thread %d, iteration %d: %s", r->index, \
                     i, #cond);                                                           \
            goto out;                                                                     \
        }                                                                                 \
    } while (0)

static void *race_thread(void *arg)
{
    race_result *r = arg;
    int i = -1;
    /* Foreign, hence GC-safe, while it waits for the others. */
    pthread_barrier_wait(r->start);
    r->enter = jlc_thread_enter();
    if (r->enter != JLC_OK) {
        snprintf(r->failure, sizeof r->failure, "enter: %s", jlc_last_error());
        return NULL;
    }
    jlc_value mix;
    jlc_scope fs;
    RSTEP(jlc_scope_open(JLC_NO_SCOPE, &fs));
    RSTEP(jlc_global_lookup(fs, "Main.adopt_mix", &mix));
    for (i = 0; i < r->iters; i++) {
        jlc_scope s, inner;
        jlc_value args[2], out, kept, str;
        int64_t x = (int64_t)r->index * 1000000 + i, got = 0;
        RSTEP(jlc_scope_open(JLC_NO_SCOPE, &s));
        RSTEP(jlc_int64_new(s, x, &args[0]));
        RSTEP(jlc_int64_new(s, i, &args[1]));
        RSTEP(jlc_call(s, mix, 2, args, &out)); /* 3x + y + 1, allocating */
        RSTEP(jlc_int64_get(out, &got));
        RCHECK(got == 3 * x + i + 1);
        /* A child scope whose result moves to the parent. */
        RSTEP(jlc_scope_open(s, &inner));
        char text[64];
        int n = snprintf(text, sizeof text, "thread %d value %d", r->index, i);
        RSTEP(jlc_string_new(inner, text, (size_t)n, &str));
        RSTEP(jlc_scope_keep(s, str, &kept));
        RSTEP(jlc_scope_close(inner));
        const char *back = NULL;
        size_t len = 0;
        RSTEP(jlc_string_get(kept, &back, &len));
        RCHECK(len == (size_t)n && memcmp(back, text, len) == 0);
        if (i % 7 == 3) {
            jlc_value e;
            RCHECK(jlc_eval(s, JLC_NO_VALUE, "error(\"adopted boom\")", &e) == JLC_EXCEPTION);
            RCHECK(strstr(jlc_last_error(), "adopted boom") != NULL);
            r->excs++;
        }
        if (i % 16 == 5) {
            /* Out and back in while the others run and collect. */
            RSTEP(jlc_thread_leave());
            sched_yield();
            RSTEP(jlc_thread_enter());
        }
        if (i % 32 == 9) RSTEP(jlc_gc_collect(i % 64 == 9));
        RSTEP(jlc_int64_get(out, &got)); /* still rooted after all that */
        RCHECK(got == 3 * x + i + 1);
        RSTEP(jlc_scope_close(s));
        r->done++;
    }
    RSTEP(jlc_scope_close(fs));
out:
    (void)jlc_thread_leave();
    return NULL;
}

static void adopted_threads_race(void **state)
{
    (void)state;
    int nthreads = env_or("JLCT_ADOPT_THREADS", 4);
    int iters = env_or("JLCT_ADOPT_ITERS", gc_stress() ? 25 : 400);
    if (nthreads < 1 || nthreads > MAX_THREADS) fail_msg("JLCT_ADOPT_THREADS must be 1..%d", MAX_THREADS);
    (void)jlct_eval("adopt_mix(x::Int, y::Int) = 3x + sum([y, 1])");

    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)nthreads);
    race_result r[MAX_THREADS];
    pthread_t t[MAX_THREADS];
    memset(r, 0, sizeof r);
    ASSERT_OK(jlc_thread_leave()); /* the main thread joins GC-safe */
    for (int k = 0; k < nthreads; k++) {
        r[k].index = k;
        r[k].iters = iters;
        r[k].start = &start;
        assert_int_equal(0, pthread_create(&t[k], NULL, race_thread, &r[k]));
    }
    for (int k = 0; k < nthreads; k++) pthread_join(t[k], NULL);
    ASSERT_OK(jlc_thread_enter());
    pthread_barrier_destroy(&start);

    for (int k = 0; k < nthreads; k++) {
        if (!jlct_julia_at_least(1, 9)) {
            /* Every thread refused alike; none got anywhere. */
            ASSERT_STATUS(JLC_ERR_UNSUPPORTED, r[k].enter);
            assert_non_null(strstr(r[k].failure, "async runtime"));
            assert_int_equal(0, r[k].done);
            continue;
        }
        if (r[k].failure[0]) fail_msg("%s", r[k].failure);
        ASSERT_OK(r[k].enter);
        assert_int_equal(iters, r[k].done);
        assert_int_equal((iters + 3) / 7, r[k].excs);
    }
    ASSERT_INT64(3 * 5 + 6 + 1, jlct_eval("adopt_mix(5, 6)"));
}

/* ---- threads that exit adopted, and shutdown ---- */

typedef struct {
    jlc_status enter;
    jlc_scope s;
    jlc_value num, str;
    char failure[512];
} exit_result;

#undef STEP
#define STEP(call)                                                                        \
    do {                                                                                  \
        jlc_status st_ = (call);                                                          \
        if (st_ != JLC_OK) {                                                              \
            snprintf(r->failure, sizeof r->failure, "%s: %s (%s)", #call,                 \
                     jlc_status_name(st_), jlc_last_error());                             \
            return NULL;                                                                  \
        }                                                                                 \
    } while (0)

/* Enters, makes values in a scope it leaves open, and exits entered. */
static void *exit_entered_thread(void *arg)
{
    exit_result *r = arg;
    r->enter = jlc_thread_enter();
    if (r->enter != JLC_OK) return NULL;
    STEP(jlc_scope_open(JLC_NO_SCOPE, &r->s));
    STEP(jlc_eval(r->s, JLC_NO_VALUE, "big(2)^100", &r->num));
    STEP(jlc_string_new_c(r->s, "made by a thread that is gone", &r->str));
    return NULL; /* no leave, no close */
}

static void thread_exits_entered(void **state)
{
    (void)state;
    exit_result r;
    memset(&r, 0, sizeof r);
    run_thread(exit_entered_thread, &r);
    if (!jlct_julia_at_least(1, 9)) {
        ASSERT_STATUS(JLC_ERR_UNSUPPORTED, r.enter);
        assert_true(r.s._h == JLC_NO_SCOPE._h);
        return;
    }
    ASSERT_OK(r.enter);
    if (r.failure[0]) fail_msg("exiting thread: %s", r.failure);
    /* Its scope outlived it, rooted through collections. */
    ASSERT_OK(jlc_gc_collect(true));
    jlc_value text, args[1], f;
    ASSERT_OK(jlc_global_lookup(S, "Base.string", &f));
    args[0] = r.num;
    ASSERT_OK(jlc_call(S, f, 1, args, &text));
    ASSERT_JSTRING("1267650600228229401496703205376", text);
    ASSERT_JSTRING("made by a thread that is gone", r.str);
    ASSERT_OK(jlc_scope_close(r.s));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_string_get(r.str, &(const char *){NULL}, &(size_t){0}));
}

/* A thread that enters and stays inside Julia until told, then leaves and
 * stays alive (adopted, GC-safe) until told again. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int phase;      /* main -> thread: 1 leave, 2 try to enter and exit */
    int at;         /* thread -> main: 1 entered, 2 left */
    jlc_status enter, leave, enter_after, leave_after;
    char after_msg[512];
} park_ctl;

static void park_wait(park_ctl *c, int *field, int value)
{
    pthread_mutex_lock(&c->mu);
    while (*field < value) pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

static void park_set(park_ctl *c, int *field, int value)
{
    pthread_mutex_lock(&c->mu);
    *field = value;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void *parked_thread(void *arg)
{
    park_ctl *c = arg;
    c->enter = jlc_thread_enter();
    /* Entered and blocked: allocates nothing, so the main thread, which only
     * calls jlc_shutdown meanwhile, never needs a collection. */
    park_set(c, &c->at, 1);
    park_wait(c, &c->phase, 1);
    c->leave = jlc_thread_leave();
    park_set(c, &c->at, 2);
    park_wait(c, &c->phase, 2); /* alive, adopted, GC-safe through shutdown */
    c->enter_after = jlc_thread_enter();
    snprintf(c->after_msg, sizeof c->after_msg, "%s", jlc_last_error());
    c->leave_after = jlc_thread_leave();
    return NULL;
}

static park_ctl park = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0,
                        JLC_OK, JLC_OK, JLC_OK, JLC_OK, ""};
static pthread_t parked;

static void shutdown_refused_while_entered(void **state)
{
    (void)state;
    ASSERT_OK(jlc_thread_leave());
    assert_int_equal(0, pthread_create(&parked, NULL, parked_thread, &park));
    park_wait(&park, &park.at, 1);
    ASSERT_OK(jlc_thread_enter());
    if (!jlct_julia_at_least(1, 9)) {
        ASSERT_STATUS(JLC_ERR_UNSUPPORTED, park.enter);
    } else {
        ASSERT_OK(park.enter);
        size_t leaked = 99;
        ASSERT_STATUS(JLC_ERR_STATE, jlc_shutdown(0, &leaked));
        assert_non_null(strstr(jlc_last_error(), "1 adopted thread(s) are still inside Julia"));
        assert_int_equal(99, leaked); /* untouched */
        assert_true(jlc_is_ready());
    }
    park_set(&park, &park.phase, 1);
    ASSERT_OK(jlc_thread_leave());
    park_wait(&park, &park.at, 2);
    ASSERT_OK(jlc_thread_enter());
    if (jlct_julia_at_least(1, 9)) ASSERT_OK(park.leave);
    else ASSERT_STATUS(JLC_ERR_STATE, park.leave);
    ASSERT_INT64(6, jlct_eval("2 * 3")); /* nothing was stopped */
}

/* Last: shutdown with one thread gone adopted (thread_exits_entered) and
 * one alive, adopted and left; no hang, nothing leaked; afterwards the live
 * thread cannot enter, and exits normally. */
static void shutdown_with_adopted_threads(void **state)
{
    (void)state;
    size_t leaked = 99;
    ASSERT_OK(jlc_shutdown(0, &leaked));
    assert_int_equal(0, leaked);
    assert_false(jlc_is_ready());
    park_set(&park, &park.phase, 2);
    pthread_join(parked, NULL);
    ASSERT_STATUS(JLC_ERR_STATE, park.enter_after);
    assert_non_null(strstr(park.after_msg, "shut down"));
    ASSERT_STATUS(JLC_ERR_STATE, park.leave_after);
    /* The init thread may still balance its own level after shutdown. */
    ASSERT_OK(jlc_thread_leave());
    ASSERT_STATUS(JLC_ERR_STATE, jlc_thread_leave());
    ASSERT_STATUS(JLC_ERR_STATE, jlc_thread_enter());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(init_thread_enter_leave),
        JLCT(foreign_thread_refused_before_enter),
        JLCT(foreign_thread_enter),
        JLCT(adopted_threads_race),
        JLCT(thread_exits_entered),
        JLCT(shutdown_refused_while_entered),
        cmocka_unit_test(shutdown_with_adopted_threads),
    };
    return cmocka_run_group_tests(tests, jlct_group_setup, NULL);
}

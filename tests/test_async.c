/*
 * test_async.c — the async runtime: start and refusals, jobs that succeed,
 * throw, hang past a timeout or are cancelled (each fails alone), the bounded
 * queue, callbacks, the eventfd, an async call in parallel, a stress run of
 * many producer threads, a thread adopted beside the runtime (Julia >= 1.9;
 * refused before), and a stop with jobs still queued.
 *
 * The tests run in order in one process: Julia starts once (test_start) and
 * stops once (test_stop_with_jobs_queued, last). The main thread never calls
 * Julia itself: it is not the runtime thread.
 *
 * Stress size: JLCT_ASYNC_PRODUCERS x JLCT_ASYNC_JOBS (defaults 16 x 5000,
 * 4 x 150 in the GC-stress lane, where every allocating call collects).
 */
#include "test_util.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int env_or(const char *name, int fallback)
{
    const char *s = getenv(name);
    return s && *s ? atoi(s) : fallback;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* In a job: return the status of the first failing call. */
#define JLC__TEST_CHECK(call)                 \
    do {                                      \
        jlc_status st_ = (call);              \
        if (st_ != JLC_OK) return st_;        \
    } while (0)

/* ---- jobs ---- */

typedef struct add_job {
    int64_t a, b, sum;
    int ran;
} add_job;

/* Base.+(a, b) in Julia; the sum goes back as C data. */
static jlc_status job_add(jlc_scope s, void *data)
{
    add_job *j = data;
    j->ran++;
    jlc_value plus, args[2], r;
    JLC__TEST_CHECK(jlc_global_lookup(s, "Base.+", &plus));
    JLC__TEST_CHECK(jlc_int64_new(s, j->a, &args[0]));
    JLC__TEST_CHECK(jlc_int64_new(s, j->b, &args[1]));
    JLC__TEST_CHECK(jlc_call(s, plus, 2, args, &r));
    return jlc_int64_get(r, &j->sum);
}

static jlc_status job_eval(jlc_scope s, void *data)
{
    jlc_value r;
    return jlc_eval(s, JLC_NO_VALUE, (const char *)data, &r);
}

static jlc_status job_nothing(jlc_scope s, void *data)
{
    (void)s;
    (void)data;
    return JLC_OK;
}

/* Holds the runtime thread in C until released, so that what is queued
 * behind it stays queued. */
static int gate_open;
static int gate_entered;
static jlc_status job_gate(jlc_scope s, void *data)
{
    (void)s;
    (void)data;
    __atomic_store_n(&gate_entered, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&gate_open, __ATOMIC_ACQUIRE)) sleep_ms(1);
    return JLC_OK;
}

static jlc_future *hold_runtime(void)
{
    jlc_future *f = NULL;
    __atomic_store_n(&gate_open, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&gate_entered, 0, __ATOMIC_RELEASE);
    ASSERT_OK(jlc_async_submit(job_gate, NULL, 0, &f));
    while (!__atomic_load_n(&gate_entered, __ATOMIC_ACQUIRE)) sleep_ms(1);
    return f;
}

static void release_runtime(jlc_future *gate)
{
    jlc_status js = JLC_ERR_ARG;
    __atomic_store_n(&gate_open, 1, __ATOMIC_RELEASE);
    ASSERT_OK(jlc_future_wait(gate, 10000, &js));
    assert_int_equal(JLC_OK, js);
    jlc_future_release(gate);
}

/* ---- tests, in order ---- */

static void test_before_start(void **state)
{
    (void)state;
    jlc_future *f = NULL;
    ASSERT_STATUS(JLC_ERR_STATE, jlc_async_submit(job_nothing, NULL, 0, &f));
    assert_null(f);
    ASSERT_STATUS(JLC_ERR_STATE, jlc_async_stop(JLC_ASYNC_FINISH, 0, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_async_submit(NULL, NULL, 0, &f));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_async_submit(job_nothing, NULL, 0, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_async_submit(job_nothing, NULL, 0x10, &f));
    jlc_async_options o;
    jlc_async_options_default(&o);
    o.stack_size = 4096;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_async_start(&o));
    jlc_async_options_default(&o);
    o.spin_us = 1000001;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_async_start(&o));
    assert_non_null(strstr(jlc_last_error(), "spin_us"));
    jlc_async_counts c;
    ASSERT_OK(jlc_async_counts_get(&c));
    assert_int_equal(0, c.submitted + c.rejected + c.completed + c.cancelled);
    assert_false(jlc_async_on_runtime_thread());
}

static void test_start(void **state)
{
    (void)state;
    jlc_init_options io;
    jlc_init_options_default(&io);
    io.nthreads = 2; /* the async call below runs on the second thread */
    jlc_async_options o;
    jlc_async_options_default(&o);
    o.init = &io;
    o.queue_capacity = 64;
    /* The lanes cover both hand-offs: the normal lane spins (the default on
     * two CPUs), the GC-stress lane sets JLC_TEST_SPIN_US=-1 (always sleep). */
    const char *spin = getenv("JLC_TEST_SPIN_US");
    if (spin) o.spin_us = atoi(spin);
    ASSERT_OK(jlc_async_start(&o));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_async_start(&o));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_init(NULL));
    /* The main thread is not Julia's: the direct API refuses it. */
    jlc_scope s;
    ASSERT_STATUS(JLC_ERR_THREAD, jlc_scope_open(JLC_NO_SCOPE, &s));
    assert_non_null(strstr(jlc_last_error(), "async"));
    assert_int_equal(2, jlc_thread_count());
}

static void test_job_result(void **state)
{
    (void)state;
    add_job j = {40, 2, 0, 0};
    jlc_future *f;
    jlc_status js = JLC_ERR_ARG;
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &f));
    ASSERT_OK(jlc_future_wait(f, -1, &js));
    assert_int_equal(JLC_OK, js);
    assert_int_equal(42, j.sum);
    assert_int_equal(1, j.ran);
    assert_string_equal("", jlc_future_message(f));
    bool done = false;
    ASSERT_OK(jlc_future_poll(f, &done, &js));
    assert_true(done);
    ASSERT_STATUS(JLC_ERR_STATE, jlc_future_cancel(f)); /* completed: nothing changes */
    assert_int_equal(JLC_OK, js);
    jlc_future_release(f);
    jlc_future_release(NULL);
}

static void test_job_throws_alone(void **state)
{
    (void)state;
    jlc_future *bad, *good;
    add_job j = {1, 2, 0, 0};
    jlc_status js = JLC_OK;
    ASSERT_OK(jlc_async_submit(job_eval, "error(\"boom from a job\")", 0, &bad));
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &good));
    ASSERT_OK(jlc_future_wait(bad, 10000, &js));
    assert_int_equal(JLC_EXCEPTION, js);
    assert_string_equal("ErrorException: boom from a job", jlc_future_message(bad));
    ASSERT_OK(jlc_future_wait(good, 10000, &js));
    assert_int_equal(JLC_OK, js);
    assert_int_equal(3, j.sum);
    jlc_future_release(bad);
    jlc_future_release(good);
    /* Deep recursion in a job: StackOverflowError, and the runtime lives on. */
    ASSERT_OK(jlc_async_submit(job_eval, "f(n) = n == 0 ? 0 : 1 + f(n - 1); f(10^9)", 0, &bad));
    ASSERT_OK(jlc_future_wait(bad, 60000, &js));
    assert_int_equal(JLC_EXCEPTION, js);
    assert_non_null(strstr(jlc_future_message(bad), "StackOverflowError"));
    jlc_future_release(bad);
    j.sum = 0;
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &good));
    ASSERT_OK(jlc_future_wait(good, 10000, &js));
    assert_int_equal(3, j.sum);
    jlc_future_release(good);
}

static void test_job_hangs_timeout(void **state)
{
    (void)state;
    jlc_future *slow, *quick;
    add_job j = {5, 6, 0, 0};
    jlc_status js = JLC_ERR_ARG;
    /* Julia's sleep yields: the runtime runs the next job meanwhile. */
    ASSERT_OK(jlc_async_submit(job_eval, "sleep(0.5); 1", 0, &slow));
    ASSERT_STATUS(JLC_ERR_TIMEOUT, jlc_future_wait(slow, 20, &js));
    assert_int_equal(JLC_ERR_ARG, js); /* untouched */
    ASSERT_STATUS(JLC_ERR_TIMEOUT, jlc_future_wait(slow, 0, NULL));
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &quick));
    ASSERT_OK(jlc_future_wait(quick, 10000, &js));
    assert_int_equal(11, j.sum);
    bool done = true;
    ASSERT_OK(jlc_future_poll(slow, &done, NULL));
    assert_false(done); /* the quick job finished while the slow one slept */
    ASSERT_OK(jlc_future_wait(slow, -1, &js));
    assert_int_equal(JLC_OK, js);
    jlc_future_release(slow);
    jlc_future_release(quick);
}

static void test_cancel_queued(void **state)
{
    (void)state;
    jlc_future *gate = hold_runtime();
    add_job j = {1, 1, 0, 0};
    jlc_future *f;
    jlc_status js = JLC_OK;
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &f));
    ASSERT_OK(jlc_future_cancel(f));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_future_cancel(f)); /* exactly once */
    ASSERT_OK(jlc_future_wait(f, 0, &js));
    assert_int_equal(JLC_ERR_CANCELLED, js);
    assert_non_null(strstr(jlc_future_message(f), "cancelled"));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_future_cancel(gate)); /* running */
    release_runtime(gate);
    /* A job behind the cancelled one runs; the cancelled one never did. */
    add_job k = {2, 2, 0, 0};
    jlc_future *g;
    ASSERT_OK(jlc_async_submit(job_add, &k, 0, &g));
    ASSERT_OK(jlc_future_wait(g, 10000, &js));
    assert_int_equal(4, k.sum);
    assert_int_equal(0, j.ran);
    jlc_future_release(f);
    jlc_future_release(g);
}

static void *blocking_submitter(void *arg)
{
    add_job *j = arg;
    jlc_future *f = NULL;
    jlc_status st = jlc_async_submit(job_add, j, 0, &f);
    if (st == JLC_OK) {
        jlc_status js;
        st = jlc_future_wait(f, 10000, &js);
        if (st == JLC_OK) st = js;
        jlc_future_release(f);
    }
    __atomic_store_n(&j->ran, j->ran + 100, __ATOMIC_RELEASE);
    return (void *)(intptr_t)st;
}

static void test_queue_full(void **state)
{
    (void)state;
    jlc_future *gate = hold_runtime();
    jlc_future *fs[64];
    add_job js_[64];
    for (int i = 0; i < 64; i++) {
        js_[i] = (add_job){i, 1000, 0, 0};
        ASSERT_OK(jlc_async_submit(job_add, &js_[i], JLC_SUBMIT_NOWAIT, &fs[i]));
    }
    jlc_async_counts before, after;
    ASSERT_OK(jlc_async_counts_get(&before));
    add_job extra = {7, 7, -1, 0};
    jlc_future *f = NULL;
    ASSERT_STATUS(JLC_ERR_BUSY, jlc_async_submit(job_add, &extra, JLC_SUBMIT_NOWAIT, &f));
    assert_null(f);
    ASSERT_OK(jlc_async_counts_get(&after));
    assert_int_equal(before.rejected + 1, after.rejected);
    assert_int_equal(before.submitted, after.submitted);
    /* A blocking submit waits for room. */
    pthread_t t;
    add_job blocked = {20, 22, 0, 0};
    assert_int_equal(0, pthread_create(&t, NULL, blocking_submitter, &blocked));
    sleep_ms(100);
    assert_int_equal(0, __atomic_load_n(&blocked.ran, __ATOMIC_ACQUIRE)); /* still blocked */
    release_runtime(gate);
    void *ret;
    pthread_join(t, &ret);
    assert_int_equal(JLC_OK, (int)(intptr_t)ret);
    assert_int_equal(42, blocked.sum);
    for (int i = 0; i < 64; i++) {
        jlc_status st;
        ASSERT_OK(jlc_future_wait(fs[i], 10000, &st));
        assert_int_equal(JLC_OK, st);
        assert_int_equal(i + 1000, js_[i].sum);
        jlc_future_release(fs[i]);
    }
    assert_int_equal(-1, extra.sum); /* refused: never touched */
}

typedef struct rt_refusals {
    jlc_status submit_blocking, submit_nowait, wait, stop, shutdown;
    bool on_rt;
} rt_refusals;

static jlc_status job_refusals(jlc_scope s, void *data)
{
    (void)s;
    rt_refusals *r = data;
    jlc_future *f = NULL;
    r->on_rt = jlc_async_on_runtime_thread();
    r->submit_blocking = jlc_async_submit(job_nothing, NULL, 0, &f);
    r->submit_nowait = jlc_async_submit(job_nothing, NULL, JLC_SUBMIT_NOWAIT, &f);
    if (r->submit_nowait == JLC_OK) {
        r->wait = jlc_future_wait(f, 100, NULL);
        jlc_future_release(f);
    }
    r->stop = jlc_async_stop(JLC_ASYNC_FINISH, 0, NULL);
    r->shutdown = jlc_shutdown(0, NULL);
    return JLC_OK;
}

static void test_runtime_thread_refusals(void **state)
{
    (void)state;
    rt_refusals r = {JLC_OK, JLC_ERR_ARG, JLC_OK, JLC_OK, JLC_OK, false};
    jlc_future *f;
    ASSERT_OK(jlc_async_submit(job_refusals, &r, 0, &f));
    ASSERT_OK(jlc_future_wait(f, 10000, NULL));
    assert_true(r.on_rt);
    assert_int_equal(JLC_ERR_THREAD, r.submit_blocking);
    assert_int_equal(JLC_OK, r.submit_nowait);
    assert_int_equal(JLC_ERR_THREAD, r.wait);
    assert_int_equal(JLC_ERR_THREAD, r.stop);
    jlc_future_release(f);
    assert_int_equal(JLC_ERR_STATE, r.shutdown); /* the runtime owns Julia */
    ASSERT_STATUS(JLC_ERR_THREAD, jlc_shutdown(0, NULL));
}

static int cb_calls;
static jlc_status cb_status;
static void on_done(jlc_future *f, jlc_status st, void *ctx)
{
    (void)f;
    __atomic_add_fetch(&cb_calls, 1, __ATOMIC_ACQ_REL);
    cb_status = st;
    *(int *)ctx += 1;
}

static void test_callback(void **state)
{
    (void)state;
    int ctx = 0;
    jlc_future *gate = hold_runtime();
    add_job j = {3, 4, 0, 0};
    jlc_future *f;
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &f));
    ASSERT_OK(jlc_future_on_done(f, on_done, &ctx));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_future_on_done(f, on_done, &ctx)); /* one per future */
    assert_int_equal(0, __atomic_load_n(&cb_calls, __ATOMIC_ACQUIRE));
    release_runtime(gate);
    ASSERT_OK(jlc_future_wait(f, 10000, NULL));
    while (__atomic_load_n(&cb_calls, __ATOMIC_ACQUIRE) == 0) sleep_ms(1);
    assert_int_equal(1, cb_calls);
    assert_int_equal(JLC_OK, cb_status);
    assert_int_equal(7, j.sum);
    jlc_future_release(f);
    /* Set after completion: called at once, on this thread. */
    ASSERT_OK(jlc_async_submit(job_eval, "throw(ArgumentError(\"x\"))", 0, &f));
    ASSERT_OK(jlc_future_wait(f, 10000, NULL));
    ASSERT_OK(jlc_future_on_done(f, on_done, &ctx));
    assert_int_equal(2, cb_calls);
    assert_int_equal(JLC_EXCEPTION, cb_status);
    assert_int_equal(2, ctx);
    jlc_future_release(f);
}

static void test_eventfd(void **state)
{
    (void)state;
    jlc_future *gate = hold_runtime();
    jlc_future *f;
    int fd = -1, fd2 = -1;
    ASSERT_OK(jlc_async_submit(job_nothing, NULL, 0, &f));
    ASSERT_OK(jlc_future_fd(f, &fd));
    ASSERT_OK(jlc_future_fd(f, &fd2));
    assert_true(fd >= 0);
    assert_int_equal(fd, fd2);
    struct pollfd p = {fd, POLLIN, 0};
    assert_int_equal(0, poll(&p, 1, 50)); /* not readable while queued */
    __atomic_store_n(&gate_open, 1, __ATOMIC_RELEASE);
    p.revents = 0;
    assert_int_equal(1, poll(&p, 1, 10000));
    assert_true(p.revents & POLLIN);
    bool done = false;
    ASSERT_OK(jlc_future_poll(f, &done, NULL));
    assert_true(done);
    release_runtime(gate);
    jlc_future_release(f);
    /* Asked after completion: readable at once. */
    ASSERT_OK(jlc_async_submit(job_nothing, NULL, 0, &f));
    ASSERT_OK(jlc_future_wait(f, 10000, NULL));
    ASSERT_OK(jlc_future_fd(f, &fd));
    p = (struct pollfd){fd, POLLIN, 0};
    assert_int_equal(1, poll(&p, 1, 0));
    jlc_future_release(f);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_future_fd(NULL, &fd));
}

/* Job A waits in jlc_async_call for a function that spins (without
 * yielding) until job B sets a flag: B can only run if A's call runs on
 * another thread while the runtime thread is free. */
typedef struct par_job {
    bool saw_flag;
    int64_t call_thread, job_thread;
} par_job;

static jlc_status job_parallel(jlc_scope s, void *data)
{
    par_job *p = data;
    jlc_value spin, r, tid;
    JLC__TEST_CHECK(jlc_eval(s, JLC_NO_VALUE,
                             "begin\n"
                             "  const ASYNC_FLAG = Threads.Atomic{Bool}(false)\n"
                             "  function async_spin()\n"
                             "    t0 = time()\n"
                             "    while !ASYNC_FLAG[] && time() - t0 < 20.0\n"
                             "      GC.safepoint()\n"
                             "    end\n"
                             "    (ASYNC_FLAG[], Threads.threadid())\n"
                             "  end\n"
                             "end",
                             &r));
    JLC__TEST_CHECK(jlc_global_lookup(s, "Main.async_spin", &spin));
    JLC__TEST_CHECK(jlc_async_call(s, spin, 0, NULL, &r));
    jlc_value a, b;
    JLC__TEST_CHECK(jlc_field_get(s, r, 0, &a));
    JLC__TEST_CHECK(jlc_field_get(s, r, 1, &b));
    JLC__TEST_CHECK(jlc_bool_get(a, &p->saw_flag));
    JLC__TEST_CHECK(jlc_int64_get(b, &p->call_thread));
    JLC__TEST_CHECK(jlc_eval(s, JLC_NO_VALUE, "Threads.threadid()", &tid));
    return jlc_int64_get(tid, &p->job_thread);
}

static void test_async_call_parallel(void **state)
{
    (void)state;
    par_job p = {false, 0, 0};
    jlc_future *a, *b;
    jlc_status js = JLC_ERR_ARG;
    ASSERT_OK(jlc_async_submit(job_parallel, &p, 0, &a));
    /* B only after A's function is defined and spinning. */
    while (jlc_future_wait(a, 0, NULL) == JLC_ERR_TIMEOUT) {
        jlc_future *probe;
        jlc_status ps;
        ASSERT_OK(jlc_async_submit(job_eval, "isdefined(Main, :ASYNC_FLAG) || error(\"not yet\")", 0, &probe));
        ASSERT_OK(jlc_future_wait(probe, 30000, &ps));
        jlc_future_release(probe);
        if (ps == JLC_OK) break;
        sleep_ms(5);
    }
    ASSERT_OK(jlc_async_submit(job_eval, "ASYNC_FLAG[] = true", 0, &b));
    ASSERT_OK(jlc_future_wait(b, 30000, &js));
    assert_int_equal(JLC_OK, js);
    ASSERT_OK(jlc_future_wait(a, 30000, &js));
    if (js != JLC_OK) fail_msg("parallel job: %s: %s", jlc_status_name(js), jlc_future_message(a));
    assert_true(p.saw_flag);
    assert_int_equal(1, p.job_thread);
    assert_int_equal(2, p.call_thread);
    jlc_future_release(a);
    jlc_future_release(b);
}

static jlc_status job_async_throw(jlc_scope s, void *data)
{
    (void)data;
    jlc_value f, arg;
    JLC__TEST_CHECK(jlc_global_lookup(s, "Base.sqrt", &f));
    JLC__TEST_CHECK(jlc_float64_new(s, -1.0, &arg));
    return jlc_async_call(s, f, 1, &arg, NULL);
}

static void test_async_call_throws(void **state)
{
    (void)state;
    jlc_future *f;
    jlc_status js = JLC_OK;
    ASSERT_OK(jlc_async_submit(job_async_throw, NULL, 0, &f));
    ASSERT_OK(jlc_future_wait(f, 30000, &js));
    assert_int_equal(JLC_EXCEPTION, js);
    assert_non_null(strstr(jlc_future_message(f), "DomainError"));
    jlc_future_release(f);
}

/* ---- stress: producers x jobs, every result checked ---- */

typedef struct producer {
    int id, njobs;
    uint64_t submitted, rejected, completed, wrong;
} producer;

#define WINDOW 32

static void *produce(void *arg)
{
    producer *p = arg;
    jlc_future *fs[WINDOW];
    add_job *jobs = calloc(WINDOW, sizeof *jobs);
    int inflight = 0;
    for (int i = 0; i < p->njobs; i++) {
        add_job *j = &jobs[inflight];
        *j = (add_job){(int64_t)p->id * 1000000 + i, i, 0, 0};
        /* Every other producer blocks; the rest get JLC_ERR_BUSY when full. */
        jlc_status st = jlc_async_submit(job_add, j, (p->id & 1) ? JLC_SUBMIT_NOWAIT : 0, &fs[inflight]);
        if (st == JLC_ERR_BUSY) {
            p->rejected++;
            if (j->ran || j->sum) p->wrong++; /* refused: the caller still owns it */
        } else if (st == JLC_OK) {
            p->submitted++;
            inflight++;
        } else {
            p->wrong++;
        }
        if (inflight == WINDOW || i == p->njobs - 1) {
            for (int k = 0; k < inflight; k++) {
                jlc_status js = JLC_ERR_ARG;
                if (jlc_future_wait(fs[k], 60000, &js) != JLC_OK || js != JLC_OK ||
                    jobs[k].sum != jobs[k].a + jobs[k].b || jobs[k].ran != 1)
                    p->wrong++;
                else
                    p->completed++;
                jlc_future_release(fs[k]);
            }
            inflight = 0;
        }
    }
    free(jobs);
    return NULL;
}

static void test_stress_producers(void **state)
{
    (void)state;
    int stress = env_or("JLC_GC_STRESS", 0) > 0;
    int np = env_or("JLCT_ASYNC_PRODUCERS", stress ? 4 : 16);
    int nj = env_or("JLCT_ASYNC_JOBS", stress ? 150 : 5000);
    producer *ps = calloc((size_t)np, sizeof *ps);
    pthread_t *ts = calloc((size_t)np, sizeof *ts);
    jlc_async_counts before, after;
    ASSERT_OK(jlc_async_counts_get(&before));
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < np; i++) {
        ps[i] = (producer){i, nj, 0, 0, 0, 0};
        assert_int_equal(0, pthread_create(&ts[i], NULL, produce, &ps[i]));
    }
    uint64_t sub = 0, rej = 0, done = 0, wrong = 0;
    for (int i = 0; i < np; i++) {
        pthread_join(ts[i], NULL);
        sub += ps[i].submitted;
        rej += ps[i].rejected;
        done += ps[i].completed;
        wrong += ps[i].wrong;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ASSERT_OK(jlc_async_counts_get(&after));
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "stress: %d producers x %d jobs: %llu completed, %llu rejected in %.2f s\n", np, nj,
            (unsigned long long)done, (unsigned long long)rej, secs);
    assert_int_equal(0, wrong);
    assert_int_equal((uint64_t)np * (uint64_t)nj, sub + rej);
    assert_int_equal(sub, done);
    assert_int_equal(sub, after.submitted - before.submitted);
    assert_int_equal(rej, after.rejected - before.rejected);
    assert_int_equal(sub, after.completed - before.completed);
    free(ps);
    free(ts);
}

/* ---- stop with jobs queued (last) ---- */

typedef struct stop_args {
    jlc_status st;
    size_t leaked;
} stop_args;

static void *stopper(void *arg)
{
    stop_args *a = arg;
    a->st = jlc_async_stop(JLC_ASYNC_CANCEL, 0, &a->leaked);
    return NULL;
}

/* ---- a thread adopted beside the runtime (jlc_thread_enter) ---- */

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int entered, release;
    jlc_status enter, direct, wait, job, leave;
    int64_t direct_sum;
    add_job j;
    char msg[512];
} adopt_ctl;

static void *adopted_beside(void *arg)
{
    adopt_ctl *c = arg;
    c->enter = jlc_thread_enter();
    snprintf(c->msg, sizeof c->msg, "%s", jlc_last_error());
    if (c->enter == JLC_OK) {
        /* A direct call on this thread while the runtime thread runs jobs. */
        jlc_scope s;
        jlc_value v;
        c->direct = jlc_scope_open(JLC_NO_SCOPE, &s);
        if (c->direct == JLC_OK) c->direct = jlc_eval(s, JLC_NO_VALUE, "sum(collect(1:10)) + 37", &v);
        if (c->direct == JLC_OK) c->direct = jlc_int64_get(v, &c->direct_sum);
        if (c->direct == JLC_OK) c->direct = jlc_scope_close(s);
        /* A job, waited for GC-safe though this thread is entered. */
        jlc_future *f = NULL;
        c->j = (add_job){20, 22, 0, 0};
        c->wait = jlc_async_submit(job_add, &c->j, 0, &f);
        if (c->wait == JLC_OK) c->wait = jlc_future_wait(f, 60000, &c->job);
        if (f) jlc_future_release(f);
    }
    pthread_mutex_lock(&c->mu);
    c->entered = 1;
    pthread_cond_broadcast(&c->cv);
    while (!c->release) pthread_cond_wait(&c->cv, &c->mu); /* entered, allocating nothing */
    pthread_mutex_unlock(&c->mu);
    c->leave = jlc_thread_leave();
    return NULL;
}

/* Julia >= 1.9: a foreign thread enters while the runtime runs, calls Julia
 * directly, waits for a job; while it is entered the runtime refuses to
 * stop and keeps running; then it leaves and exits (the last test stops the
 * runtime with it gone). Before 1.9: its enter is JLC_ERR_UNSUPPORTED. */
static void test_adopted_beside_runtime(void **state)
{
    (void)state;
    static adopt_ctl c = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
    pthread_t t;
    assert_int_equal(0, pthread_create(&t, NULL, adopted_beside, &c));
    pthread_mutex_lock(&c.mu);
    while (!c.entered) pthread_cond_wait(&c.cv, &c.mu);
    pthread_mutex_unlock(&c.mu);
    if (jlct_julia_at_least(1, 9)) {
        ASSERT_OK(c.enter);
        ASSERT_OK(c.direct);
        assert_int_equal(92, c.direct_sum);
        ASSERT_OK(c.wait);
        ASSERT_OK(c.job);
        assert_int_equal(42, c.j.sum);
        ASSERT_STATUS(JLC_ERR_STATE, jlc_async_stop(JLC_ASYNC_FINISH, 0, NULL));
        assert_non_null(strstr(jlc_last_error(), "adopted thread(s) are still inside Julia"));
    } else {
        ASSERT_STATUS(JLC_ERR_UNSUPPORTED, c.enter);
        assert_non_null(strstr(c.msg, "async runtime"));
    }
    pthread_mutex_lock(&c.mu);
    c.release = 1;
    pthread_cond_broadcast(&c.cv);
    pthread_mutex_unlock(&c.mu);
    pthread_join(t, NULL);
    if (jlct_julia_at_least(1, 9)) ASSERT_OK(c.leave);
    else ASSERT_STATUS(JLC_ERR_STATE, c.leave);
    /* The runtime still runs. */
    add_job j = {1, 2, 0, 0};
    jlc_future *f = NULL;
    jlc_status js = JLC_ERR_ARG;
    ASSERT_OK(jlc_async_submit(job_add, &j, 0, &f));
    ASSERT_OK(jlc_future_wait(f, 60000, &js));
    ASSERT_OK(js);
    assert_int_equal(3, j.sum);
    jlc_future_release(f);
}

static void test_stop_with_jobs_queued(void **state)
{
    (void)state;
    jlc_future *gate = hold_runtime();
    enum { N = 64 }; /* the queue's capacity: full, so extra submits are BUSY until the stop */
    jlc_future *fs[N];
    add_job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (add_job){i, i, 0, 0};
        ASSERT_OK(jlc_async_submit(job_add, &jobs[i], 0, &fs[i]));
    }
    int ctx = 0;
    cb_calls = 0;
    ASSERT_OK(jlc_future_on_done(fs[N - 1], on_done, &ctx));
    /* Stop from another thread while the gate holds the runtime; once new
     * jobs are refused, release the gate: the running job finishes, the
     * queued ones are cancelled, each exactly once. */
    pthread_t t;
    stop_args sa = {JLC_ERR_ARG, 99};
    assert_int_equal(0, pthread_create(&t, NULL, stopper, &sa));
    jlc_future *f = NULL;
    for (;;) {
        jlc_status st = jlc_async_submit(job_nothing, NULL, JLC_SUBMIT_NOWAIT, &f);
        if (st == JLC_ERR_STATE) break;
        assert_int_equal(JLC_ERR_BUSY, st); /* the queue is full, stop not yet seen */
        sleep_ms(1);
    }
    __atomic_store_n(&gate_open, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    assert_int_equal(JLC_OK, sa.st);
    assert_int_equal(0, sa.leaked);
    jlc_async_counts after;
    ASSERT_OK(jlc_async_counts_get(&after));
    jlc_status js;
    ASSERT_OK(jlc_future_wait(gate, 0, &js));
    assert_int_equal(JLC_OK, js);
    jlc_future_release(gate);
    int cancelled = 0, ran = 0;
    for (int i = 0; i < N; i++) {
        ASSERT_OK(jlc_future_wait(fs[i], 0, &js)); /* all complete after stop */
        if (js == JLC_ERR_CANCELLED) {
            cancelled++;
            assert_int_equal(0, jobs[i].ran);
        } else {
            assert_int_equal(JLC_OK, js);
            assert_int_equal(2 * i, jobs[i].sum);
            ran++;
        }
        jlc_future_release(fs[i]);
    }
    assert_int_equal(N, cancelled);
    assert_int_equal(0, ran);
    assert_int_equal(1, cb_calls); /* exactly once */
    assert_int_equal(after.submitted, after.completed + after.cancelled);
    /* After stop: refused, cannot restart. */
    ASSERT_STATUS(JLC_ERR_STATE, jlc_async_submit(job_nothing, NULL, JLC_SUBMIT_NOWAIT, &f));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_async_stop(JLC_ASYNC_FINISH, 0, NULL));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_async_start(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_before_start),
        cmocka_unit_test(test_start),
        cmocka_unit_test(test_job_result),
        cmocka_unit_test(test_job_throws_alone),
        cmocka_unit_test(test_job_hangs_timeout),
        cmocka_unit_test(test_cancel_queued),
        cmocka_unit_test(test_queue_full),
        cmocka_unit_test(test_runtime_thread_refusals),
        cmocka_unit_test(test_callback),
        cmocka_unit_test(test_eventfd),
        cmocka_unit_test(test_async_call_parallel),
        cmocka_unit_test(test_async_call_throws),
        cmocka_unit_test(test_stress_producers),
        cmocka_unit_test(test_adopted_beside_runtime),
        cmocka_unit_test(test_stop_with_jobs_queued),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* 41_async.c — Julia from a C program's own threads: Julia runs on jlc's
 * runtime thread (every Julia release); four worker threads of the program
 * submit jobs and the main thread waits for all of them with poll() on the
 * futures' file descriptors, as an event loop would. A long Julia call runs
 * on Julia's second thread (jlc_async_call) while the short jobs go on. On
 * Julia 1.9 and later one more thread calls Julia directly after
 * jlc_thread_enter(). Every result is checked against the same sum in C. */
#define _POSIX_C_SOURCE 200809L
#include "example.h"

#include <poll.h>
#include <pthread.h>

#define WORKERS 4
#define JOBS 5               /* per worker */
#define LONG_N 3000000       /* the long call sums collatz_steps over 1..LONG_N */

typedef struct {
    int64_t n, steps; /* in: n; out: collatz_steps(n), written by the job */
} one_job;

static one_job jobs[WORKERS][JOBS];
static jlc_future *futures[WORKERS][JOBS];

static int64_t steps_in_c(int64_t n)
{
    int64_t s = 0;
    while (n != 1) n = n % 2 == 0 ? n / 2 : 3 * n + 1, s++;
    return s;
}

/* Jobs run on the runtime thread, each in a scope jlc opens and closes. */
static jlc_status job_load(jlc_scope s, void *data)
{
    (void)data;
    jlc_value r;
    return jlc_include(s, "collatz.jl", &r); /* run from examples/ */
}

static jlc_status job_steps(jlc_scope s, void *data)
{
    one_job *j = data;
    jlc_value f, arg, r;
    jlc_status st = jlc_global_lookup(s, "Main.collatz_steps", &f);
    if (st == JLC_OK) st = jlc_int64_new(s, j->n, &arg);
    if (st == JLC_OK) st = jlc_call(s, f, 1, &arg, &r);
    if (st == JLC_OK) st = jlc_int64_get(r, &j->steps);
    return st;
}

/* The long call: on Julia's second thread; this job's task waits without
 * holding the runtime thread, so the short jobs run meanwhile. */
static jlc_status job_long(jlc_scope s, void *data)
{
    jlc_value f, arg, r;
    jlc_status st = jlc_eval(s, JLC_NO_VALUE, "n -> sum(collatz_steps, 1:n)", &f);
    if (st == JLC_OK) st = jlc_int64_new(s, LONG_N, &arg);
    if (st == JLC_OK) st = jlc_async_call(s, f, 1, &arg, &r);
    if (st == JLC_OK) st = jlc_int64_get(r, (int64_t *)data);
    return st;
}

static void *worker(void *arg)
{
    int w = (int)(intptr_t)arg;
    for (int k = 0; k < JOBS; k++) {
        jobs[w][k].n = 1000 * (w + 1) + 7 * k + 1;
        CHECK(jlc_async_submit(job_steps, &jobs[w][k], 0, &futures[w][k]));
    }
    return NULL;
}

/* Julia >= 1.9: this thread, unknown to Julia, calls it directly. */
static void *direct(void *arg)
{
    int64_t *out = arg;
    jlc_status st = jlc_thread_enter();
    if (st != JLC_OK) {
        printf("direct thread: %s (%s)\n", jlc_status_name(st), jlc_last_error());
        *out = st == JLC_ERR_UNSUPPORTED ? -2 : -1;
        return NULL;
    }
    jlc_scope s;
    jlc_value f, arg1, r;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &s));
    CHECK(jlc_global_lookup(s, "Main.collatz_steps", &f));
    CHECK(jlc_int64_new(s, 27, &arg1));
    CHECK(jlc_call(s, f, 1, &arg1, &r));
    CHECK(jlc_int64_get(r, out));
    CHECK(jlc_scope_close(s));
    CHECK(jlc_thread_leave());
    return NULL;
}

int main(void)
{
    jlc_init_options io;
    jlc_init_options_default(&io);
    io.nthreads = 2; /* the runtime thread, and one for jlc_async_call */
    jlc_async_options o;
    jlc_async_options_default(&o);
    o.init = &io;
    CHECK(jlc_async_start(&o));

    jlc_future *load, *lng;
    jlc_status js;
    CHECK(jlc_async_submit(job_load, NULL, 0, &load));
    CHECK(jlc_future_wait(load, -1, &js));
    if (js != JLC_OK) {
        fprintf(stderr, "loading collatz.jl failed: %s\n", jlc_future_message(load));
        return 1;
    }
    jlc_future_release(load);

    int64_t long_sum = 0;
    CHECK(jlc_async_submit(job_long, &long_sum, 0, &lng));
    pthread_t ts[WORKERS];
    for (int w = 0; w < WORKERS; w++) pthread_create(&ts[w], NULL, worker, (void *)(intptr_t)w);
    for (int w = 0; w < WORKERS; w++) pthread_join(ts[w], NULL);

    /* Wait for all futures at once, as an event loop: poll() on their
     * descriptors until every one is readable. */
    struct pollfd fds[WORKERS * JOBS + 1];
    jlc_future *all[WORKERS * JOBS + 1];
    int nf = 0, first_done = -1, done = 0;
    for (int w = 0; w < WORKERS; w++)
        for (int k = 0; k < JOBS; k++) all[nf++] = futures[w][k];
    all[nf++] = lng;
    for (int i = 0; i < nf; i++) {
        CHECK(jlc_future_fd(all[i], &fds[i].fd));
        fds[i].events = POLLIN;
    }
    while (done < nf) {
        if (poll(fds, (nfds_t)nf, 60000) <= 0) {
            fprintf(stderr, "no job completed within a minute\n");
            return 1;
        }
        for (int i = 0; i < nf; i++)
            if (fds[i].fd >= 0 && (fds[i].revents & POLLIN)) {
                if (first_done < 0) first_done = i;
                fds[i].fd = -1; /* poll() skips it from now on */
                done++;
            }
    }

    int wrong = 0;
    for (int w = 0; w < WORKERS; w++)
        for (int k = 0; k < JOBS; k++) {
            CHECK(jlc_future_wait(futures[w][k], 0, &js));
            if (js != JLC_OK || jobs[w][k].steps != steps_in_c(jobs[w][k].n)) wrong++;
            jlc_future_release(futures[w][k]);
        }
    int64_t long_c = 0;
    for (int64_t n = 1; n <= LONG_N; n++) long_c += steps_in_c(n);
    CHECK(jlc_future_wait(lng, 0, &js));
    if (js != JLC_OK) printf("long call failed: %s\n", jlc_future_message(lng));
    wrong += js != JLC_OK || long_sum != long_c;
    jlc_future_release(lng);
    printf("%d short jobs from %d threads and one long call: %d wrong; first to complete: %s\n",
           WORKERS * JOBS, WORKERS, wrong, first_done == nf - 1 ? "the long call" : "a short job");
    printf("sum of collatz_steps over 1..%d on Julia's thread pool: %lld\n", LONG_N, (long long)long_sum);

    int64_t direct_steps = 0;
    pthread_t d;
    pthread_create(&d, NULL, direct, &direct_steps);
    pthread_join(d, NULL);
    if (direct_steps == -2)
        printf("direct calls from any thread need Julia 1.9 or later; jobs work on every release\n");
    else
        printf("direct call from an entered thread: collatz_steps(27) = %lld\n", (long long)direct_steps);
    wrong += direct_steps == -1 || (direct_steps >= 0 && direct_steps != steps_in_c(27));

    jlc_async_counts c;
    CHECK(jlc_async_counts_get(&c));
    CHECK(jlc_async_stop(JLC_ASYNC_FINISH, 0, NULL));
    printf("jobs submitted %llu, completed %llu\n", (unsigned long long)c.submitted,
           (unsigned long long)c.completed);
    return wrong == 0 ? 0 : 1;
}

/*
 * adopt_call.c — a direct jlc_call from a thread adopted with
 * jlc_thread_enter against the same call from the thread that called
 * jlc_init, as a ratio in one run, and the cost of a leave/enter pair on an
 * adopted thread. Needs Julia 1.9 or later (prints why not otherwise).
 *
 * Rounds alternate between the two threads (each round: N calls of
 * Base.+(1, 2) through jlc_call, results in child scopes of 1000); every
 * round prints its wall and thread-CPU time per call, and the best round of
 * each thread is summed up.
 */
#include <jlc.h>

#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define N 1000000
#define ROUNDS 5

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }

/* Wall ns per call of one round, or a negative number on failure; *cpu_ns
 * gets the calling thread's CPU time per call over the same round (below
 * the wall time when the thread was not running: preempted, or waiting). */
static double round_ns(double *cpu_ns)
{
    jlc_scope s;
    jlc_value f, a[2], r;
    if (jlc_scope_open(JLC_NO_SCOPE, &s) != JLC_OK) return -1;
    if (jlc_global_lookup(s, "Base.+", &f) != JLC_OK || jlc_int64_new(s, 1, &a[0]) != JLC_OK ||
        jlc_int64_new(s, 2, &a[1]) != JLC_OK)
        return -1;
    double t0 = now(), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
    for (int i = 0; i < N / 1000; i++) {
        jlc_scope in;
        if (jlc_scope_open(s, &in) != JLC_OK) return -1;
        for (int k = 0; k < 1000; k++)
            if (jlc_call(in, f, 2, a, &r) != JLC_OK) return -1;
        jlc_scope_close(in);
    }
    double ns = (now() - t0) / N * 1e9;
    *cpu_ns = (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) / N * 1e9;
    jlc_scope_close(s);
    return ns;
}

typedef struct {
    double best, best_cpu, pair_ns;
    int go, done, quit, failed;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} adopted_ctl;

/* The adopted thread: one round each time the main thread says go. Between
 * rounds it has left (GC-safe), so the main thread's rounds never wait for
 * it. */
static void *adopted(void *arg)
{
    adopted_ctl *c = arg;
    if (jlc_thread_enter() != JLC_OK) {
        fprintf(stderr, "jlc_thread_enter: %s\n", jlc_last_error());
        c->failed = 1;
    } else {
        double t0 = now();
        for (int i = 0; i < N; i++) {
            jlc_thread_leave();
            jlc_thread_enter();
        }
        c->pair_ns = (now() - t0) / N * 1e9;
        jlc_thread_leave();
    }
    pthread_mutex_lock(&c->mu);
    for (;;) {
        c->done = 1;
        pthread_cond_broadcast(&c->cv);
        while (!c->go && !c->quit) pthread_cond_wait(&c->cv, &c->mu);
        if (c->quit || c->failed) {
            c->done = 1; /* a main thread waiting for this round stops waiting */
            pthread_cond_broadcast(&c->cv);
            break;
        }
        c->go = 0;
        pthread_mutex_unlock(&c->mu);
        jlc_thread_enter();
        double cpu, ns = round_ns(&cpu);
        jlc_thread_leave();
        printf("  adopted thread round: %.1f ns wall, %.1f ns CPU per call\n", ns, cpu);
        pthread_mutex_lock(&c->mu);
        if (ns < 0) c->failed = 1;
        else if (ns < c->best) c->best = ns, c->best_cpu = cpu;
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

int main(void)
{
    if (jlc_init(NULL) != JLC_OK) {
        fprintf(stderr, "jlc_init: %s\n", jlc_last_error());
        return 1;
    }
    adopted_ctl c = {1e9, 0, 0, 0, 0, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
    pthread_t t;
    pthread_create(&t, NULL, adopted, &c);
    double best_main = 1e9, best_main_cpu = 0;
    for (int r = 0; r < ROUNDS && !c.failed; r++) {
        /* The main thread waits GC-safe, then runs its own round. */
        jlc_thread_leave();
        pthread_mutex_lock(&c.mu);
        while (!c.done) pthread_cond_wait(&c.cv, &c.mu);
        c.done = 0;
        c.go = 1;
        pthread_cond_broadcast(&c.cv);
        while (!c.done) pthread_cond_wait(&c.cv, &c.mu);
        pthread_mutex_unlock(&c.mu);
        jlc_thread_enter();
        double cpu, ns = round_ns(&cpu);
        printf("  init thread round:    %.1f ns wall, %.1f ns CPU per call\n", ns, cpu);
        if (ns > 0 && ns < best_main) best_main = ns, best_main_cpu = cpu;
    }
    jlc_thread_leave();
    pthread_mutex_lock(&c.mu);
    c.quit = 1;
    pthread_cond_broadcast(&c.cv);
    pthread_mutex_unlock(&c.mu);
    pthread_join(t, NULL);
    jlc_thread_enter();
    if (!c.failed)
        printf("Julia %s, jlc_call(Base.+, 1, 2), best of %d x %d: init thread %.1f ns, adopted thread "
               "%.1f ns (ratio %.2f); CPU per call of those rounds %.1f / %.1f ns; leave+enter pair "
               "on the adopted thread %.1f ns\n",
               jlc_julia_version(), ROUNDS, N, best_main, c.best, c.best / best_main, best_main_cpu,
               c.best_cpu, c.pair_ns);
    return jlc_shutdown(0, NULL) == JLC_OK && !c.failed ? 0 : 1;
}

/*
 * runtime.c — the async runtime's life cycle: start (the runtime thread
 * initialises Julia and runs the job loop), stop (drain or cancel, wait for
 * running jobs, shut Julia down, join), running one job in its scope, and
 * the counters.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity */
#endif
#include "async.h"
#include "../core/seam.h"

#include <dlfcn.h>
#include <sched.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CAPACITY 1024
#define DEFAULT_MAX_RUNNING 256
/* Measured on Julia 1.5.3 (docs/async.md): with 8 MiB a deep recursion on
 * the runtime thread is StackOverflowError; with 64 MiB it was
 * ReadOnlyMemoryError. */
#define DEFAULT_STACK (8u << 20)
#define MIN_STACK (1u << 20)
/* Measured (bench/README.md): a condition-variable hand-off between two
 * threads costs 14-30 µs on the project's virtual machines, so a spin of
 * 50 µs covers a back-to-back submit or completion. */
#define DEFAULT_SPIN_US 50
#define MAX_SPIN_US 1000000

jlc__async_rt jlc__rt = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .space = PTHREAD_COND_INITIALIZER,
    .changed = PTHREAD_COND_INITIALIZER,
};
_Thread_local int jlc__on_rt;

void jlc_async_options_default(jlc_async_options *opts)
{
    if (opts) memset(opts, 0, sizeof *opts);
}

bool jlc_async_on_runtime_thread(void) { return jlc__on_rt != 0; }

jlc_status jlc_async_counts_get(jlc_async_counts *out)
{
    JLC__NONNULL(out);
    out->submitted = __atomic_load_n(&jlc__rt.counts.submitted, __ATOMIC_RELAXED);
    out->rejected = __atomic_load_n(&jlc__rt.counts.rejected, __ATOMIC_RELAXED);
    out->completed = __atomic_load_n(&jlc__rt.counts.completed, __ATOMIC_RELAXED);
    out->cancelled = __atomic_load_n(&jlc__rt.counts.cancelled, __ATOMIC_RELAXED);
    return JLC_OK;
}

/* ---- spinning before sleeping ---- */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int jlc__async_spin(int (*ready)(const void *arg), const void *arg, int waiter)
{
    int64_t budget = __atomic_load_n(&jlc__rt.spin_ns, __ATOMIC_RELAXED);
    int r = ready(arg);
    if (r || budget <= 0) return r;
    if (waiter && __atomic_add_fetch(&jlc__rt.waiters_spinning, 1, __ATOMIC_RELAXED) >
                      jlc__rt.max_waiters_spinning) {
        __atomic_sub_fetch(&jlc__rt.waiters_spinning, 1, __ATOMIC_RELAXED);
        return 0;
    }
    int64_t start = now_ns();
    for (unsigned i = 1;; i++) {
        cpu_relax();
        if ((r = ready(arg))) break;
        if ((i & 15) == 0 && now_ns() - start >= budget) break;
    }
    if (waiter) __atomic_sub_fetch(&jlc__rt.waiters_spinning, 1, __ATOMIC_RELAXED);
    return r;
}

/* The CPUs this process may run on (its affinity mask). */
static int cpus_usable(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    return CPU_COUNT(&set);
}

/* Default spin: only with a second CPU to spin on. */
static int64_t spin_budget_ns(int spin_us, int cpus)
{
    if (spin_us < 0) return 0;
    if (spin_us > 0) return (int64_t)spin_us * 1000;
    return cpus < 2 ? 0 : (int64_t)DEFAULT_SPIN_US * 1000;
}

/* ---- one job (called by the loop, in the job's own Julia task) ---- */

void jlc__async_run(void *job)
{
    jlc_future *f = job;
    jlc__scope *sc;
    jlc_status st = jlc__scope_open(NULL, &sc);
    if (st == JLC_OK) {
        jlc__clear_error();
        st = f->fn(jlc__scope_handle(sc), f->data);
        /* Copied now: nothing has run on this thread since the job returned. */
        char msg[JLC__ERROR_CAP];
        msg[0] = '\0';
        if (st != JLC_OK) snprintf(msg, sizeof msg, "%s", jlc_last_error());
        jlc_status cst = jlc__scope_close(sc);
        if (cst != JLC_OK && st == JLC_OK) {
            st = cst;
            snprintf(msg, sizeof msg, "job returned with its scope still in use: %s", jlc_last_error());
        }
        JLC__COUNT_ADD(completed);
        jlc__future_complete(f, st, msg);
    } else {
        JLC__COUNT_ADD(completed);
        jlc__future_complete(f, st, jlc_last_error());
    }
    jlc__future_unref(f);
}

/* ---- the runtime thread ---- */

static int uv_send_fallback(void *h)
{
    (void)h;
    return -1;
}

/* After Julia started on this thread: what the loop needs. */
static jlc_status prepare(jl_value_t **loop_fn)
{
    JLC__CHECK(jlc__support_need("async", "run_loop", loop_fn));
    /* libuv's uv_async_send is in libjulia (1.5) or libjulia-internal
     * (1.6 on), global in both once Julia started (jlc_init makes libjulia
     * global); the thread-safe way to wake Julia's event loop. */
    void *sym = dlsym(RTLD_DEFAULT, "uv_async_send");
    if (!sym) return jlc__fail(JLC_ERR_NOT_FOUND, "uv_async_send not found in the process");
    jlc__rt.uv_send = (int (*)(void *))sym;
    return JLC_OK;
}

static void report_start(jlc_status st)
{
    pthread_mutex_lock(&jlc__rt.mu);
    jlc__rt.start_status = st;
    snprintf(jlc__rt.start_error, sizeof jlc__rt.start_error, "%s", st == JLC_OK ? "" : jlc_last_error());
    jlc__rt.started = 1;
    if (st == JLC_OK) jlc__rt.accepting = 1;
    pthread_cond_broadcast(&jlc__rt.changed);
    pthread_mutex_unlock(&jlc__rt.mu);
}

/* Runs the Julia loop until stop (or until it fails: then queued jobs are
 * cancelled, and new ones refused, at once). */
static void run_loop(jl_value_t *loop_fn)
{
    jlc__scope *sc;
    if (jlc__scope_open(NULL, &sc) != JLC_OK) return;
    jl_value_t *argv[5] = {loop_fn, NULL, NULL, NULL, NULL};
    jlc_value h;
    int ok = 1;
    JLC__SIGATOMIC_ENTER();
    ok = ok && jlc__push(sc, argv[1] = jl_box_voidpointer((void *)jlc__async_take), &h) == JLC_OK;
    ok = ok && jlc__push(sc, argv[2] = jl_box_voidpointer((void *)jlc__async_run), &h) == JLC_OK;
    ok = ok && jlc__push(sc, argv[3] = jl_box_voidpointer((void *)jlc__async_set_wake), &h) == JLC_OK;
    ok = ok && jlc__push(sc, argv[4] = jl_box_int64((int64_t)jlc__rt.max_running), &h) == JLC_OK;
    JLC__SIGATOMIC_LEAVE();
    jl_value_t *r;
    if (ok) (void)jlc__apply(sc, argv, 5, &r);
    (void)jlc__scope_close(sc);
}

static void *runtime_main(void *arg)
{
    (void)arg;
    jlc__on_rt = 1;
    jlc_status st = jlc__runtime_init(jlc__rt.has_init ? &jlc__rt.init : NULL);
    if (st != JLC_OK) {
        report_start(st);
        return NULL;
    }
    __atomic_store_n(&jlc__async_owns, 1, __ATOMIC_RELEASE);
    jl_value_t *loop_fn = NULL;
    st = prepare(&loop_fn);
    report_start(st);
    if (st == JLC_OK) run_loop(loop_fn);

    /* The loop ended: refuse new jobs, cancel what is left (nothing, after a
     * normal stop), then wait for jlc_async_stop to say how to end Julia. */
    pthread_mutex_lock(&jlc__rt.mu);
    jlc__rt.accepting = 0;
    jlc__rt.wake = NULL;
    pthread_cond_broadcast(&jlc__rt.space);
    pthread_mutex_unlock(&jlc__rt.mu);
    jlc__async_drain_cancel("job cancelled: the runtime's loop ended before it started");
    pthread_mutex_lock(&jlc__rt.mu);
    while (!jlc__rt.stopping) pthread_cond_wait(&jlc__rt.changed, &jlc__rt.mu);
    int code = jlc__rt.exit_code;
    pthread_mutex_unlock(&jlc__rt.mu);
    size_t leaked = 0;
    (void)jlc__runtime_shutdown(code, &leaked);
    jlc__rt.leaked = leaked;
    return NULL;
}

jlc_status jlc_async_start(const jlc_async_options *opts)
{
    jlc_async_options o;
    if (opts)
        o = *opts;
    else
        jlc_async_options_default(&o);
    if (o.init && o.init->nthreads < 0) return jlc__fail(JLC_ERR_ARG, "nthreads is negative");
    size_t cap = o.queue_capacity ? o.queue_capacity : DEFAULT_CAPACITY;
    if (cap > ((size_t)1 << 24)) return jlc__fail(JLC_ERR_ARG, "queue_capacity %zu is above 2^24", cap);
    size_t maxrun = o.max_running ? o.max_running : DEFAULT_MAX_RUNNING;
    if (maxrun > ((size_t)1 << 20)) return jlc__fail(JLC_ERR_ARG, "max_running %zu is above 2^20", maxrun);
    size_t stack = o.stack_size ? o.stack_size : DEFAULT_STACK;
    if (stack < MIN_STACK) return jlc__fail(JLC_ERR_ARG, "stack_size %zu is below 1 MiB", stack);
    if (o.spin_us > MAX_SPIN_US) return jlc__fail(JLC_ERR_ARG, "spin_us %d is above 10^6", o.spin_us);

    if (jlc__state_get() != JLC__UNINIT)
        return jlc__fail(JLC_ERR_STATE, "Julia was already started in this process (jlc_init or an "
                                        "earlier async runtime); it cannot restart");
    int life = JLC__RT_NONE;
    if (!__atomic_compare_exchange_n(&jlc__rt.life, &life, JLC__RT_STARTING, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return jlc__fail(JLC_ERR_STATE, "the async runtime was already started in this process");

    jlc_future **ring = calloc(cap, sizeof *ring);
    if (!ring) {
        __atomic_store_n(&jlc__rt.life, JLC__RT_NONE, __ATOMIC_RELEASE);
        return jlc__fail(JLC_ERR_NOMEM, "out of memory for a queue of %zu jobs", cap);
    }
    pthread_mutex_lock(&jlc__rt.mu);
    jlc__rt.ring = ring;
    jlc__rt.cap = cap;
    jlc__rt.head = jlc__rt.count = 0;
    jlc__rt.accepting = jlc__rt.stopping = jlc__rt.sleeping = jlc__rt.started = 0;
    jlc__rt.wake = NULL;
    jlc__rt.uv_send = uv_send_fallback;
    jlc__rt.max_running = maxrun;
    jlc__rt.stack_size = stack;
    int cpus = cpus_usable();
    jlc__rt.spin_ns = spin_budget_ns(o.spin_us, cpus);
    /* The runtime thread needs a CPU of its own while waiters spin. */
    jlc__rt.max_waiters_spinning = cpus > 2 ? cpus - 1 : 1;
    jlc__rt.waiters_spinning = 0;
    jlc__rt.has_init = o.init != NULL;
    if (o.init) jlc__rt.init = *o.init;
    pthread_mutex_unlock(&jlc__rt.mu);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    int err = pthread_attr_setstacksize(&attr, stack);
    if (err == 0) err = pthread_create(&jlc__rt.thread, &attr, runtime_main, NULL);
    pthread_attr_destroy(&attr);
    if (err != 0) {
        free(ring);
        jlc__rt.ring = NULL;
        __atomic_store_n(&jlc__rt.life, JLC__RT_NONE, __ATOMIC_RELEASE);
        return jlc__fail(JLC_ERR_NOMEM, "cannot create the runtime thread (error %d)", err);
    }

    pthread_mutex_lock(&jlc__rt.mu);
    while (!jlc__rt.started) pthread_cond_wait(&jlc__rt.changed, &jlc__rt.mu);
    jlc_status st = jlc__rt.start_status;
    pthread_mutex_unlock(&jlc__rt.mu);
    if (st == JLC_OK) {
        __atomic_store_n(&jlc__rt.life, JLC__RT_RUNNING, __ATOMIC_RELEASE);
        return JLC_OK;
    }
    /* Julia did not start (a bad path: jlc_init may be tried again) or
     * started and failed after: then the thread waits for a stop. */
    if (jlc__state_get() == JLC__UNINIT) {
        pthread_join(jlc__rt.thread, NULL);
        free(ring);
        jlc__rt.ring = NULL;
        __atomic_store_n(&jlc__rt.life, JLC__RT_NONE, __ATOMIC_RELEASE);
    } else {
        __atomic_store_n(&jlc__rt.life, JLC__RT_RUNNING, __ATOMIC_RELEASE);
    }
    return jlc__fail(st, "%s", jlc__rt.start_error);
}

jlc_status jlc_async_stop(jlc_async_stop_mode mode, int exit_code, size_t *leaked_refs)
{
    if (mode != JLC_ASYNC_FINISH && mode != JLC_ASYNC_CANCEL)
        return jlc__fail(JLC_ERR_ARG, "unknown stop mode %d", (int)mode);
    if (jlc__on_rt)
        return jlc__fail(JLC_ERR_THREAD, "the runtime thread cannot stop the runtime it runs on");
    int life = JLC__RT_RUNNING;
    if (!__atomic_compare_exchange_n(&jlc__rt.life, &life, JLC__RT_STOPPING, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return jlc__fail(JLC_ERR_STATE, life == JLC__RT_STOPPING  ? "the async runtime is being stopped"
                                        : life == JLC__RT_STOPPED ? "the async runtime was stopped"
                                                                  : "the async runtime is not running");
    /* Adopted threads (Julia >= 1.9) still entered would stall the exit
     * hooks' collections on the runtime thread: refuse before anything
     * changes. */
    jlc_status st = jlc__adopt_close();
    if (st != JLC_OK) {
        __atomic_store_n(&jlc__rt.life, JLC__RT_RUNNING, __ATOMIC_RELEASE);
        return st;
    }
    pthread_mutex_lock(&jlc__rt.mu);
    jlc__rt.accepting = 0;
    __atomic_store_n(&jlc__rt.stopping, 1, __ATOMIC_RELAXED); /* also read by spins */
    jlc__rt.mode = mode;
    jlc__rt.exit_code = exit_code;
    pthread_cond_broadcast(&jlc__rt.space);
    pthread_cond_broadcast(&jlc__rt.changed);
    jlc__async_wake_for_stop();
    pthread_mutex_unlock(&jlc__rt.mu);
    /* A Julia thread (an adopted one) waits GC-safe: the runtime thread's
     * last jobs and exit hooks collect. */
    int julia_thread = JLC__ON_JULIA_THREAD();
    int8_t gc_state = 0;
    if (julia_thread) gc_state = JLC__GC_SAFE_ENTER();
    pthread_join(jlc__rt.thread, NULL);
    if (julia_thread) JLC__GC_SAFE_LEAVE(gc_state);
    free(jlc__rt.ring);
    jlc__rt.ring = NULL;
    if (leaked_refs) *leaked_refs = jlc__rt.leaked;
    __atomic_store_n(&jlc__rt.life, JLC__RT_STOPPED, __ATOMIC_RELEASE);
    return JLC_OK;
}

/*
 * queue.c — the bounded job queue: submit (blocking or not), the job loop's
 * take and wake-up registration (called from Julia), and cancelling what is
 * left when the runtime stops.
 */
#include "async.h"

/* What take() returns to the loop to say "stop". */
#define STOP_MARK ((void *)1)

/* Pops the next future under rt.mu; NULL when empty. */
static jlc_future *pop_locked(void)
{
    if (jlc__rt.count == 0) return NULL;
    jlc_future *f = jlc__rt.ring[jlc__rt.head];
    jlc__rt.head = (jlc__rt.head + 1) % jlc__rt.cap;
    __atomic_store_n(&jlc__rt.count, jlc__rt.count - 1, __ATOMIC_RELAXED);
    pthread_cond_signal(&jlc__rt.space);
    return f;
}

/* A job queued, or a stop asked (read without the lock, by the spin). */
static int queue_stirs(const void *arg)
{
    (void)arg;
    return __atomic_load_n(&jlc__rt.count, __ATOMIC_RELAXED) != 0 ||
           __atomic_load_n(&jlc__rt.stopping, __ATOMIC_RELAXED) != 0;
}

void *jlc__async_take(int may_spin)
{
    pthread_mutex_lock(&jlc__rt.mu);
    for (;;) {
        jlc_future *f = pop_locked();
        if (!f) {
            if (jlc__rt.stopping) {
                pthread_mutex_unlock(&jlc__rt.mu);
                return STOP_MARK;
            }
            if (may_spin && __atomic_load_n(&jlc__rt.spin_ns, __ATOMIC_RELAXED) > 0) {
                /* Once: wait a little for the next job before the loop
                 * sleeps (a wake-up through libuv costs far more). GC-safe,
                 * so Julia's other threads may collect meanwhile. */
                may_spin = 0;
                pthread_mutex_unlock(&jlc__rt.mu);
                int8_t gc_state = JLC__GC_SAFE_ENTER();
                (void)jlc__async_spin(queue_stirs, NULL, 0);
                JLC__GC_SAFE_LEAVE(gc_state);
                pthread_mutex_lock(&jlc__rt.mu);
                continue;
            }
            jlc__rt.sleeping = 1;
            pthread_mutex_unlock(&jlc__rt.mu);
            return NULL;
        }
        int cancel = jlc__rt.stopping && jlc__rt.mode == JLC_ASYNC_CANCEL;
        pthread_mutex_unlock(&jlc__rt.mu);
        if (cancel) {
            jlc__future_cancel(f, "job cancelled: the runtime stopped before it started");
        } else {
            int s = JLC__JOB_QUEUED;
            if (__atomic_compare_exchange_n(&f->state, &s, JLC__JOB_RUNNING, 0, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE))
                return f; /* the runtime's reference goes with it to jlc__async_run */
        }
        /* Cancelled: it completed already; drop the queue's reference. */
        jlc__future_unref(f);
        pthread_mutex_lock(&jlc__rt.mu);
    }
}

void jlc__async_set_wake(void *handle)
{
    pthread_mutex_lock(&jlc__rt.mu);
    jlc__rt.wake = handle;
    jlc__rt.sleeping = 0;
    pthread_mutex_unlock(&jlc__rt.mu);
}

void jlc__async_drain_cancel(const char *why)
{
    for (;;) {
        pthread_mutex_lock(&jlc__rt.mu);
        jlc_future *f = pop_locked();
        pthread_mutex_unlock(&jlc__rt.mu);
        if (!f) return;
        jlc__future_cancel(f, why);
        jlc__future_unref(f);
    }
}

/* Under rt.mu: tells a sleeping loop that there is work (or a stop). The
 * handle is only used under the lock, and the loop clears it before it
 * closes it. */
static void wake_locked(int force)
{
    if (jlc__rt.wake && (jlc__rt.sleeping || force)) {
        jlc__rt.sleeping = 0;
        jlc__rt.uv_send(jlc__rt.wake);
    }
}

void jlc__async_wake_for_stop(void) { wake_locked(1); }

static jlc_status refused_locked(void)
{
    int life = __atomic_load_n(&jlc__rt.life, __ATOMIC_ACQUIRE);
    return jlc__fail(JLC_ERR_STATE, life == JLC__RT_NONE || life == JLC__RT_STARTING
                                        ? "the async runtime is not running (jlc_async_start)"
                                        : "the async runtime is stopping or stopped");
}

jlc_status jlc_async_submit(jlc_job_fn fn, void *data, unsigned flags, jlc_future **out)
{
    JLC__NONNULL(fn);
    JLC__NONNULL(out);
    if (flags & ~JLC_SUBMIT_NOWAIT) return jlc__fail(JLC_ERR_ARG, "unknown flags 0x%x", flags);
    int nowait = (flags & JLC_SUBMIT_NOWAIT) != 0;
    if (!nowait && jlc__on_rt)
        return jlc__fail(JLC_ERR_THREAD, "a blocking submit from the runtime thread could deadlock "
                                         "(use JLC_SUBMIT_NOWAIT)");
    jlc_future *f = jlc__future_new(fn, data);
    if (!f) return jlc__fail(JLC_ERR_NOMEM, "out of memory for a job");

    jlc_status st = JLC_OK;
    int julia_thread = 0;
    int8_t gc_state = 0;
    pthread_mutex_lock(&jlc__rt.mu);
    if (!jlc__rt.accepting) {
        st = refused_locked();
    } else if (jlc__rt.count == jlc__rt.cap) {
        if (nowait) {
            JLC__COUNT_ADD(rejected);
            st = jlc__fail(JLC_ERR_BUSY, "the job queue is full (%zu jobs)", jlc__rt.cap);
        } else {
            /* A Julia thread that blocks here must not stall a collection.
             * (Safe to ask under the lock: it reads thread-local state.) */
            julia_thread = JLC__ON_JULIA_THREAD();
            if (julia_thread) gc_state = JLC__GC_SAFE_ENTER();
            while (jlc__rt.accepting && jlc__rt.count == jlc__rt.cap)
                pthread_cond_wait(&jlc__rt.space, &jlc__rt.mu);
            if (!jlc__rt.accepting) st = refused_locked();
        }
    }
    if (st == JLC_OK) {
        jlc__rt.ring[(jlc__rt.head + jlc__rt.count) % jlc__rt.cap] = f;
        __atomic_store_n(&jlc__rt.count, jlc__rt.count + 1, __ATOMIC_RELAXED);
        JLC__COUNT_ADD(submitted);
        wake_locked(0);
    }
    pthread_mutex_unlock(&jlc__rt.mu);
    /* Leaving the GC-safe region may stop at a safepoint: not under rt.mu,
     * which the runtime thread needs. */
    if (julia_thread) JLC__GC_SAFE_LEAVE(gc_state);
    if (st != JLC_OK) {
        f->refs = 1;
        jlc__future_unref(f);
        return st;
    }
    *out = f;
    return JLC_OK;
}

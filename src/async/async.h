/*
 * async.h — the async runtime's internal state, shared by its files:
 * futures (future.c), the bounded queue and submit (queue.c), the runtime
 * thread and its job loop's C side (runtime.c), calls on Julia's thread pool
 * (call.c).
 *
 * Locking: the queue, the runtime's life cycle and the wake-up handle are
 * under rt.mu; a future's completion fields under its own mu. rt.mu is never
 * taken while a future's mu is held. No lock is held while a job or a
 * completion callback runs.
 */
#ifndef JLC_ASYNC_ASYNC_H
#define JLC_ASYNC_ASYNC_H

#include "base.h"

#include <pthread.h>

/* A future's state (atomic): QUEUED -> RUNNING (taken by the loop) -> DONE,
 * or QUEUED -> CANCELLED (jlc_future_cancel, or stop with CANCEL) -> DONE.
 * The compare-and-swap out of QUEUED is what makes completion exactly once. */
enum { JLC__JOB_QUEUED = 0, JLC__JOB_RUNNING = 1, JLC__JOB_CANCELLED = 2, JLC__JOB_DONE = 3 };

struct jlc_future {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* CLOCK_MONOTONIC, for timed waits */
    int state;         /* atomic, see above */
    int done;          /* under mu; also read with acquire by poll/message */
    jlc_status result;
    char *message;     /* failure text; static when !msg_owned */
    int msg_owned;
    jlc_job_fn fn;
    void *data;
    void (*cb)(jlc_future *f, jlc_status st, void *ctx);
    void *cb_ctx;
    int efd;  /* eventfd, -1 until jlc_future_fd */
    int refs; /* atomic: the caller's and the runtime's */
};

/* Life cycle of the runtime (rt.life). */
enum { JLC__RT_NONE = 0, JLC__RT_STARTING, JLC__RT_RUNNING, JLC__RT_STOPPING, JLC__RT_STOPPED };

typedef struct jlc__async_rt {
    pthread_mutex_t mu;
    pthread_cond_t space;   /* blocked submitters: room, or stopping */
    pthread_cond_t changed; /* start finished; stop requested */
    int life;               /* atomic */
    /* Queue: a ring of futures, each holding the runtime's reference. */
    jlc_future **ring;
    size_t cap, head, count; /* count: written under mu, atomically (read by spins) */
    int accepting;        /* submits allowed */
    int stopping;         /* stop requested: take() drains, then says stop */
    int mode;             /* jlc_async_stop_mode */
    int exit_code;
    int sleeping;         /* the loop found the queue empty and waits for a wake-up */
    void *wake;           /* the loop's uv_async_t, NULL when it has none */
    int (*uv_send)(void *);
    size_t max_running;
    size_t stack_size;
    int64_t spin_ns;      /* jlc_async_options.spin_us, resolved; 0: no spinning */
    int max_waiters_spinning; /* CPUs - 1: more spinning waiters would slow the runtime */
    int waiters_spinning;     /* atomic */
    jlc_init_options init;
    int has_init;
    pthread_t thread;
    jlc_status start_status;
    int started; /* the thread reported start_status */
    char start_error[JLC__ERROR_CAP];
    size_t leaked;
    jlc_async_counts counts; /* atomic fields */
} jlc__async_rt;

extern JLC__HIDDEN jlc__async_rt jlc__rt;
/* 1 on the runtime thread. */
extern JLC__HIDDEN _Thread_local int jlc__on_rt;

/* future.c */
JLC__HIDDEN jlc_future *jlc__future_new(jlc_job_fn fn, void *data);
/* Drops one reference; the last frees the future. */
JLC__HIDDEN void jlc__future_unref(jlc_future *f);
/* Completes f once with st; msg is copied (NULL: none). Fires the
 * descriptor and the callback (on this thread, after unlocking). */
JLC__HIDDEN void jlc__future_complete(jlc_future *f, jlc_status st, const char *msg);
/* QUEUED -> CANCELLED and completion with JLC_ERR_CANCELLED; 0 if the job
 * had already left QUEUED. */
JLC__HIDDEN int jlc__future_cancel(jlc_future *f, const char *why);

/* queue.c: the loop's C side, called from Julia through ccall. may_spin:
 * no job of the loop is running, so an empty queue may be waited for by
 * spinning (rt.spin_ns) before the loop sleeps. */
JLC__HIDDEN void *jlc__async_take(int may_spin);
JLC__HIDDEN void jlc__async_set_wake(void *handle);
/* Under rt.mu: wakes the loop whether or not it sleeps (stop). */
JLC__HIDDEN void jlc__async_wake_for_stop(void);
/* Cancels everything queued (the runtime's references are dropped). */
JLC__HIDDEN void jlc__async_drain_cancel(const char *why);

/* runtime.c */
JLC__HIDDEN void jlc__async_run(void *job);
/* Busy-waits at most rt.spin_ns until ready(arg) is non-zero; returns its
 * last value. Call it GC-safe on a Julia thread. A waiter (not the runtime
 * thread) spins only while fewer than max_waiters_spinning others do. */
JLC__HIDDEN int jlc__async_spin(int (*ready)(const void *arg), const void *arg, int waiter);

#define JLC__COUNT_ADD(field) __atomic_add_fetch(&jlc__rt.counts.field, 1, __ATOMIC_RELAXED)

#endif

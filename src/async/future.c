/*
 * future.c — futures: creation and reference counting, exactly-once
 * completion, waiting (blocking, timed, polling), cancellation, completion
 * callbacks and the eventfd that becomes readable on completion.
 */
#include "async.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

jlc_future *jlc__future_new(jlc_job_fn fn, void *data)
{
    jlc_future *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&f->mu, NULL);
    f->fn = fn;
    f->data = data;
    f->efd = -1;
    f->refs = 2; /* the caller's and the runtime's */
    return f;
}

void jlc__future_unref(jlc_future *f)
{
    if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    if (f->efd >= 0) close(f->efd);
    if (f->msg_owned) free(f->message);
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

void jlc__future_complete(jlc_future *f, jlc_status st, const char *msg)
{
    char *copy = NULL;
    if (msg && *msg) copy = strdup(msg); /* a failed copy leaves the text empty */
    pthread_mutex_lock(&f->mu);
    f->result = st;
    f->message = copy;
    f->msg_owned = 1;
    __atomic_store_n(&f->state, JLC__JOB_DONE, __ATOMIC_RELEASE);
    __atomic_store_n(&f->done, 1, __ATOMIC_RELEASE);
    void (*cb)(jlc_future *, jlc_status, void *) = f->cb;
    void *ctx = f->cb_ctx;
    if (f->efd >= 0) {
        uint64_t one = 1;
        ssize_t n = write(f->efd, &one, sizeof one);
        (void)n; /* cannot fail: the counter is far from overflow */
    }
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    if (cb) cb(f, st, ctx);
}

int jlc__future_cancel(jlc_future *f, const char *why)
{
    int s = JLC__JOB_QUEUED;
    if (!__atomic_compare_exchange_n(&f->state, &s, JLC__JOB_CANCELLED, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return 0;
    JLC__COUNT_ADD(cancelled);
    jlc__future_complete(f, JLC_ERR_CANCELLED, why);
    return 1;
}

jlc_status jlc_future_cancel(jlc_future *f)
{
    JLC__NONNULL(f);
    if (!jlc__future_cancel(f, "job cancelled before it started"))
        return jlc__fail(JLC_ERR_STATE, "the job already started or completed");
    return JLC_OK;
}

jlc_status jlc_future_poll(jlc_future *f, bool *done, jlc_status *job_status)
{
    JLC__NONNULL(f);
    JLC__NONNULL(done);
    int d = __atomic_load_n(&f->done, __ATOMIC_ACQUIRE);
    *done = d != 0;
    if (d && job_status) *job_status = f->result;
    return JLC_OK;
}

static int future_done(const void *f)
{
    return __atomic_load_n(&((const jlc_future *)f)->done, __ATOMIC_ACQUIRE);
}

jlc_status jlc_future_wait(jlc_future *f, int64_t timeout_ms, jlc_status *job_status)
{
    JLC__NONNULL(f);
    if (!__atomic_load_n(&f->done, __ATOMIC_ACQUIRE)) {
        if (timeout_ms == 0) return jlc__fail(JLC_ERR_TIMEOUT, "the job has not completed");
        if (jlc__on_rt)
            return jlc__fail(JLC_ERR_THREAD, "a blocking wait on the runtime thread would stop it "
                                             "from running the job (poll, or use a callback)");
        struct timespec until;
        if (timeout_ms > 0) {
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += (time_t)(timeout_ms / 1000);
            until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
        }
        /* A Julia thread that blocks here must not stall a collection. */
        int julia_thread = jlc__state_get() == JLC__READY && JLC__ON_JULIA_THREAD();
        int8_t gc_state = 0;
        if (julia_thread) gc_state = JLC__GC_SAFE_ENTER();
        /* A short job completes sooner than a sleeping thread wakes; with
         * other jobs queued (more than this one, maybe not yet taken) it
         * will not be that soon, and spinning would take a CPU from the
         * runtime thread that works through them. */
        if ((timeout_ms < 0 || timeout_ms > 1) && __atomic_load_n(&jlc__rt.count, __ATOMIC_RELAXED) <= 1)
            (void)jlc__async_spin(future_done, f, 1);
        pthread_mutex_lock(&f->mu);
        int err = 0;
        while (!f->done && err != ETIMEDOUT)
            err = timeout_ms < 0 ? pthread_cond_wait(&f->cv, &f->mu)
                                 : pthread_cond_timedwait(&f->cv, &f->mu, &until);
        int done = f->done;
        pthread_mutex_unlock(&f->mu);
        if (julia_thread) JLC__GC_SAFE_LEAVE(gc_state);
        if (!done)
            return jlc__fail(JLC_ERR_TIMEOUT, "the job did not complete within %lld ms",
                             (long long)timeout_ms);
    }
    if (job_status) *job_status = f->result;
    return JLC_OK;
}

const char *jlc_future_message(const jlc_future *f)
{
    if (!f || !__atomic_load_n(&f->done, __ATOMIC_ACQUIRE) || !f->message) return "";
    return f->message;
}

jlc_status jlc_future_on_done(jlc_future *f, void (*cb)(jlc_future *f, jlc_status job_status, void *ctx),
                              void *ctx)
{
    JLC__NONNULL(f);
    JLC__NONNULL(cb);
    pthread_mutex_lock(&f->mu);
    if (f->cb) {
        pthread_mutex_unlock(&f->mu);
        return jlc__fail(JLC_ERR_STATE, "this future already has a completion callback");
    }
    f->cb = cb;
    f->cb_ctx = ctx;
    int done = f->done;
    pthread_mutex_unlock(&f->mu);
    if (done) cb(f, f->result, ctx);
    return JLC_OK;
}

jlc_status jlc_future_fd(jlc_future *f, int *fd)
{
    JLC__NONNULL(f);
    JLC__NONNULL(fd);
    pthread_mutex_lock(&f->mu);
    if (f->efd < 0) {
        f->efd = eventfd(f->done ? 1 : 0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (f->efd < 0) {
            int e = errno;
            pthread_mutex_unlock(&f->mu);
            return jlc__fail(JLC_ERR_NOMEM, "eventfd: %s", strerror(e));
        }
    }
    *fd = f->efd;
    pthread_mutex_unlock(&f->mu);
    return JLC_OK;
}

void jlc_future_release(jlc_future *f)
{
    if (f) jlc__future_unref(f);
}

/*
 * state.c — the runtime state machine's variables, the slow path of the entry
 * checks, GC stress, and the per-thread states (made on first use, listed for
 * the root scanner, their pools handed back when their thread exits).
 */
#include "state.h"

#include <pthread.h>
#include <stdlib.h>

int jlc__state = JLC__UNINIT;
_Thread_local int jlc__thread_ok __attribute__((tls_model("initial-exec")));
_Thread_local jlc__thread *jlc__self_ptr __attribute__((tls_model("initial-exec")));
int jlc__gc_stress;
int jlc__debug;
unsigned jlc__gc_stress_full_every = 256;
unsigned jlc__gc_stress_every = 1;
static unsigned gc_stress_count;

void (*jlc__pool_drain)(jlc__thread *t);

/* ---- entry checks ---- */

jlc_status jlc__enter_slow(void)
{
    switch (jlc__state_get()) {
    case JLC__UNINIT:
    case JLC__STARTING: return jlc__fail(JLC_ERR_STATE, "jlc is not initialised (call jlc_init first)");
    case JLC__SHUTDOWN: return jlc__fail(JLC_ERR_STATE, "jlc was shut down");
    case JLC__FORKED:
        return jlc__fail(JLC_ERR_FORK, "this process was forked after Julia started; Julia is not fork-safe");
    default: break;
    }
    /* Only positive answers are cached: a foreign thread may be adopted by
     * Julia later. A thread jlc adopted and that left (jlc_thread_leave) is
     * still Julia's, but GC-safe: it must enter again first. */
    if (JLC__ON_JULIA_THREAD()) {
        jlc__thread *t = jlc__self_ptr;
        if (JLC__UNLIKELY(t && t->level_known && t->level == 0))
            return jlc__fail(JLC_ERR_THREAD, "this thread left Julia (jlc_thread_leave); call "
                                             "jlc_thread_enter before using jlc on it again");
        jlc__thread_ok = 1;
        return JLC_OK;
    }
#if JLC__CAN_ADOPT
    return jlc__fail(JLC_ERR_THREAD,
                     "this thread is not a Julia thread: call jlc_thread_enter on it first, or "
                     "submit jobs to the async runtime (jlc/async.h)");
#else
    return jlc__fail(JLC_ERR_THREAD,
                     "this thread is not a Julia thread (only the thread that called jlc_init and "
                     "Julia's own threads may use jlc; adopting other threads needs Julia 1.9 or "
                     "later: on this Julia, submit jobs to the async runtime, jlc/async.h)");
#endif
}

/* ---- GC stress ---- */

void jlc__gc_stress_tick(void)
{
    unsigned n = __atomic_add_fetch(&gc_stress_count, 1, __ATOMIC_RELAXED);
    if (n % jlc__gc_stress_every != 0) return;
    n /= jlc__gc_stress_every; /* counts collections from here */
    /* A collection is a safepoint: a pending Ctrl-C must not be thrown here,
     * outside jlc's handler (see JLC__SIGATOMIC_ENTER in compat.h). */
    JLC__SIGATOMIC_ENTER();
    jl_gc_collect(n % jlc__gc_stress_full_every == 0 ? JL_GC_FULL : JL_GC_INCREMENTAL);
    JLC__SIGATOMIC_LEAVE();
}

/* ---- per-thread states ---- */

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static jlc__thread *threads;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* A thread is exiting: its pools go back to the shared list; the state
 * itself stays listed (exited) so handles into it remain checkable, and is
 * reused by the next new thread. */
static void on_thread_exit(void *p)
{
    jlc__thread *t = p;
    jlc__adopt_thread_exit(t);
    if (jlc__pool_drain) jlc__pool_drain(t);
    pthread_mutex_lock(&threads_lock);
    t->exc._h = t->exc_raw._h = 0;
    t->pending_exc = t->pending_raw = NULL;
    t->exited = 1;
    pthread_mutex_unlock(&threads_lock);
}

static void make_exit_key(void) { (void)pthread_key_create(&exit_key, on_thread_exit); }

jlc__thread *jlc__self_slow(void)
{
    pthread_once(&exit_key_once, make_exit_key);
    pthread_mutex_lock(&threads_lock);
    jlc__thread *t = threads;
    while (t && !t->exited) t = t->next;
    if (t) {
        t->exited = 0;
        t->last_error[0] = '\0';
    } else if ((t = calloc(1, sizeof *t)) != NULL) {
        t->next = threads;
        threads = t;
    }
    pthread_mutex_unlock(&threads_lock);
    if (!t) return NULL;
    (void)pthread_setspecific(exit_key, t);
    jlc__self_ptr = t;
    return t;
}

void jlc__threads_each(void (*fn)(jlc__thread *t, void *ctx), void *ctx)
{
    pthread_mutex_lock(&threads_lock);
    for (jlc__thread *t = threads; t; t = t->next) fn(t, ctx);
    pthread_mutex_unlock(&threads_lock);
}

/*
 * adopt.c — threads entering and leaving Julia (jlc_thread_enter,
 * jlc_thread_leave): adoption of foreign threads on Julia >= 1.9, the
 * GC-safe state of a thread that left, the count of entered adopted threads
 * that shutdown checks, and what happens when such a thread exits.
 *
 * Why explicit enter/leave and not adoption on first use: a thread Julia
 * knows is GC-unsafe while it runs, like any thread running Julia code, so
 * every collection waits until it reaches a safepoint. A host thread adopted
 * silently that then blocks in its own C code (a lock, a queue, a join)
 * would stall every collection of the process, and with it shutdown.
 * jlc_thread_leave makes the thread GC-safe, so the host says where its
 * blocking work begins; jlc_thread_enter (cheap after the first time) says
 * where Julia work begins again. The thread that called jlc_init and Julia's
 * own threads start entered (level 1): for them a leave/enter pair is a
 * GC-safe region around blocking C code.
 */
#include "state.h"

#include <limits.h>
#include <pthread.h>

/* Adopted threads now entered, and whether shutdown closed adoption; both
 * under adopt_lock, which is never held while Julia runs (jl_adopt_thread
 * waits for a running collection, whose root scanner takes other jlc
 * locks). */
static pthread_mutex_t adopt_lock = PTHREAD_MUTEX_INITIALIZER;
static int entered_count;
static int closed;

/* Counts the calling adopted thread as entered, unless shutdown began. */
static jlc_status reserve(void)
{
    pthread_mutex_lock(&adopt_lock);
    int ok = !closed;
    if (ok) entered_count++;
    pthread_mutex_unlock(&adopt_lock);
    return ok ? JLC_OK : jlc__fail(JLC_ERR_STATE, "jlc is shutting down; no thread may enter Julia now");
}

static void unreserve(void)
{
    pthread_mutex_lock(&adopt_lock);
    entered_count--;
    pthread_mutex_unlock(&adopt_lock);
}

/* A thread's level is fixed at its first enter or leave: 1 if Julia knew
 * it then (it could use jlc without entering), 0 if it was foreign. */
static void level_init(jlc__thread *t)
{
    if (!t->level_known) {
        t->level = JLC__ON_JULIA_THREAD() ? 1 : 0;
        t->level_known = 1;
    }
}

jlc_status jlc_thread_enter(void)
{
    if (jlc__state_get() != JLC__READY) {
        /* Names the state (not initialised, shut down, forked). */
        jlc_status st = jlc__enter_slow();
        if (st != JLC_OK) return st;
    }
    jlc__thread *t = jlc__self();
    if (!t) return jlc__fail(JLC_ERR_NOMEM, "out of memory for this thread's jlc state");
    level_init(t);
    if (t->level > 0) {
        if (t->level == INT_MAX) return jlc__fail(JLC_ERR_STATE, "jlc_thread_enter nested too deeply");
        t->level++;
        return JLC_OK;
    }
    if (JLC__ON_JULIA_THREAD()) {
        /* Left earlier: GC-unsafe again (stops at the safepoint while a
         * collection runs). */
        if (t->adopted) JLC__CHECK(reserve());
        JLC__GC_UNSAFE_ENTER();
    } else {
#if JLC__CAN_ADOPT
        /* A second Julia thread: collections stop it through Julia's
         * SIGSEGV handler, which julia_signals = 0 left out. */
        if (jl_options.handle_signals != JL_OPTIONS_HANDLE_SIGNALS_ON)
            return jlc__fail(JLC_ERR_STATE, "Julia was started with julia_signals = 0: a second Julia "
                                            "thread cannot be stopped for garbage collection without "
                                            "Julia's signal handlers (start with julia_signals = 1)");
        JLC__CHECK(reserve());
        JLC__ADOPT_THREAD();
        t->adopted = 1;
#else
        return jlc__fail(JLC_ERR_UNSUPPORTED,
                         "adopting a thread Julia does not know needs Julia 1.9 or later (this is "
                         "%s); submit jobs to the async runtime instead (jlc/async.h, docs/async.md)",
                         jl_ver_string());
#endif
    }
    t->level = 1;
    jlc__thread_ok = 1;
    return JLC_OK;
}

jlc_status jlc_thread_leave(void)
{
    jlc__thread *t = jlc__self();
    if (!t) return jlc__fail(JLC_ERR_NOMEM, "out of memory for this thread's jlc state");
    level_init(t);
    if (t->level == 0)
        return jlc__fail(JLC_ERR_STATE, "jlc_thread_leave without a matching jlc_thread_enter on this thread");
    if (--t->level > 0) return JLC_OK;
    /* GC-safe until it enters again: collections no longer wait for it. In
     * a fork child (one thread, Julia unusable) only the counts change. */
    jlc__thread_ok = 0;
    if (jlc__state_get() != JLC__FORKED && JLC__ON_JULIA_THREAD()) (void)JLC__GC_SAFE_ENTER();
    if (t->adopted) unreserve();
    return JLC_OK;
}

jlc_status jlc__adopt_close(void)
{
    jlc__thread *t = jlc__self_ptr;
    int self = t && t->adopted && t->level > 0;
    pthread_mutex_lock(&adopt_lock);
    /* Once closed, the count only falls: the thread that closed it may still
     * be entered (jlc_async_stop waits GC-safe for the runtime thread, which
     * checks again). */
    int others = closed ? 0 : entered_count - self;
    if (others == 0) closed = 1;
    pthread_mutex_unlock(&adopt_lock);
    if (others > 0)
        return jlc__fail(JLC_ERR_STATE,
                         "%d adopted thread(s) are still inside Julia (jlc_thread_enter without "
                         "jlc_thread_leave); they must leave or exit before Julia stops",
                         others);
    return JLC_OK;
}

void jlc__adopt_thread_exit(jlc__thread *t)
{
    /* Julia's own destructor retires an adopted thread (GC-safe for good);
     * this only stops counting it. */
    if (t->adopted && t->level > 0) unreserve();
    t->adopted = 0;
    t->level = 0;
    t->level_known = 0;
}

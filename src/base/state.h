/*
 * state.h — the runtime's state machine, the per-thread state every other
 * part of jlc keeps its thread-keyed data in, and the entry checks of every
 * public function.
 *
 * Per-thread, not per-task: jlc's per-thread data (last error, last
 * exception, pools) is written and read by C code between two Julia calls,
 * and a Julia task cannot migrate while C code runs without calling Julia.
 * So "the latest failure on this thread" is exact for the caller that just
 * got a status. Pools are only caches: a scope opened on one thread may be
 * closed on another (its records then go to that thread's pool).
 */
#ifndef JLC_BASE_STATE_H
#define JLC_BASE_STATE_H

#include "common.h"

/* ---- runtime state (state.c) ---- */

enum {
    JLC__UNINIT = 0,   /* before jlc_init/jlc_attach */
    JLC__STARTING = 1, /* one thread is inside jlc_init; others get JLC_ERR_STATE */
    JLC__READY = 2,
    JLC__SHUTDOWN = 3,
    JLC__FORKED = 4,   /* a fork child of a process that had Julia */
};
/* Read with acquire, written with release (or CAS) by runtime.c. */
extern JLC__HIDDEN int jlc__state;
JLC__INLINE int jlc__state_get(void) { return __atomic_load_n(&jlc__state, __ATOMIC_ACQUIRE); }

/* 1 on a thread that has passed the thread check since init; caches the slow
 * check so the hot path is one thread-local load. initial-exec: the default
 * model for a shared library calls __tls_get_addr on every entry (measured:
 * the cheapest call went from ~9 to ~5 ns); 4 bytes of static TLS are
 * available even when the library is dlopen()ed. */
extern JLC__HIDDEN _Thread_local int jlc__thread_ok __attribute__((tls_model("initial-exec")));
JLC__HIDDEN jlc_status jlc__enter_slow(void);

/* Every public entry point starts with this: state, fork and thread checks. */
#define JLC__ENTER()                                                                         \
    do {                                                                                     \
        if (JLC__UNLIKELY(!(jlc__thread_ok &                                                 \
                            (__atomic_load_n(&jlc__state, __ATOMIC_RELAXED) == JLC__READY)))) { \
            jlc_status st__ = jlc__enter_slow();                                             \
            if (st__ != JLC_OK) return st__;                                                 \
        }                                                                                    \
    } while (0)

/* Options fixed at init. */
extern JLC__HIDDEN int jlc__gc_stress;
extern JLC__HIDDEN int jlc__debug;
JLC__HIDDEN void jlc__gc_stress_tick(void);
/* GC stress: a collection at every allocating entry point. */
#define JLC__GC_STRESS()                                          \
    do {                                                          \
        if (JLC__UNLIKELY(jlc__gc_stress)) jlc__gc_stress_tick(); \
    } while (0)

/* ---- per-thread state ---- */

struct jlc__scope;
struct jlc__chunk;

#define JLC__ERROR_CAP 1024

typedef struct jlc__thread {
    /* error.c: text of the latest failure (jlc_last_error). */
    char last_error[JLC__ERROR_CAP];
    /* exc.c: the latest caught exception and its raw exception stack, as
     * handles of the scope the failing call was given (stale with it). */
    jlc_value exc, exc_raw;
    /* exc.c: an exception caught by Julia code on jlc's behalf (a checked
     * typed call's wrapper), waiting to be claimed; rooted by the scanner. */
    jl_value_t *pending_exc, *pending_raw;
    /* src/export: an error a C function raised with jlc_export_error, for
     * the Julia wrapper to build and throw (pending_error is 1 while set). */
    int pending_error;
    char pending_type[128];
    char pending_msg[JLC__ERROR_CAP];
    /* scope.c: pools of released records, so open/close need no lock. */
    struct jlc__scope *free_scopes;
    struct jlc__chunk *free_chunks;
    uint32_t nfree_scopes, nfree_chunks;
    /* adopt.c: the thread's level (valid once level_known): 1 + enters -
     * leaves on a thread Julia knew when it first entered or left, enters -
     * leaves on a foreign one. At level 0 a thread Julia knows is GC-safe
     * and refused by the entry check until it enters again. adopted: jlc
     * adopted this thread into Julia (Julia >= 1.9). */
    int level;
    int level_known;
    int adopted;
    /* All thread states, for the root scanner and shutdown. */
    struct jlc__thread *next;
    int exited;
} jlc__thread;

/* The calling thread's state, made on first use (NULL only when out of
 * memory; callers then report JLC_ERR_NOMEM). */
extern JLC__HIDDEN _Thread_local jlc__thread *jlc__self_ptr __attribute__((tls_model("initial-exec")));
JLC__HIDDEN jlc__thread *jlc__self_slow(void);
JLC__INLINE jlc__thread *jlc__self(void)
{
    jlc__thread *t = jlc__self_ptr;
    return JLC__LIKELY(t != NULL) ? t : jlc__self_slow();
}

/* Calls fn on every thread state (under the thread-list lock; fn must not
 * allocate or call Julia). */
JLC__HIDDEN void jlc__threads_each(void (*fn)(jlc__thread *t, void *ctx), void *ctx);

/* ---- adopted threads (adopt.c) ---- */

/* Shutdown (jlc_shutdown, jlc_async_stop) calls this first: JLC_ERR_STATE
 * while an adopted thread other than the caller is entered (it may be
 * blocked in C while GC-unsafe, and the collections of Julia's exit hooks
 * would wait for it forever); otherwise later jlc_thread_enter calls are
 * refused from now on. Idempotent once it succeeded. */
JLC__HIDDEN jlc_status jlc__adopt_close(void);
/* From the thread-exit destructor (state.c): a thread that exits entered
 * stops counting as entered; t's adoption fields are reset for reuse. */
JLC__HIDDEN void jlc__adopt_thread_exit(jlc__thread *t);

/* A thread state whose thread exited hands its pools back here; pools
 * above this many records also spill here (scope.c drains them). */
#define JLC__POOL_MAX 256
/* Hooks scope.c installs so state.c can drain a pool without knowing it. */
extern JLC__HIDDEN void (*jlc__pool_drain)(jlc__thread *t);

#endif

/* callback.c — callbacks (include/jlc/callback.h): a table of Julia functions kept by C, each with its typed-call pointer, behind handles with generations. */
#include "sig.h"
#include "table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A handle is (generation << 32) | (index + 1): zero is never valid, and a
 * freed slot bumps its generation, so every later use of the old handle is
 * JLC_ERR_STALE even after the slot is reused. Slots are never freed before
 * exit, so a stale or forged handle never reads freed memory.
 *
 * The table's mutex is never held while Julia runs (as in table.c). The
 * marker reads the table without it: a collection starts only when every
 * thread running Julia code is at a safepoint, and no thread reaches one
 * while it holds this mutex (nothing under it calls Julia or allocates in
 * Julia); the array is only replaced under the mutex. */

typedef struct cb_entry {
    jl_value_t *f; /* the function; marked while live */
    void *fn;      /* its typed pointer */
    uint32_t gen;
    uint32_t next_free; /* index + 1 of the next free slot, 0 at the end */
    int live;
} cb_entry;

static cb_entry *cbs;
static uint32_t cbs_cap, cbs_len, cbs_free;
static size_t cbs_live;
static int marker_added;
static pthread_mutex_t cb_lock = PTHREAD_MUTEX_INITIALIZER;

static void mark_callbacks(int full)
{
    (void)full;
    cb_entry *t = __atomic_load_n(&cbs, __ATOMIC_ACQUIRE);
    uint32_t n = __atomic_load_n(&cbs_len, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++)
        if (t[i].live) jlc__mark(t[i].f);
}

/* The live entry of cb, under cb_lock. */
static jlc_status lookup_locked(jlc_callback cb, cb_entry **out)
{
    uint32_t idx = (uint32_t)cb._h, gen = (uint32_t)(cb._h >> 32);
    if (cb._h == 0) return jlc__fail(JLC_ERR_ARG, "zeroed callback handle");
    if (idx == 0 || idx > cbs_len || cbs[idx - 1].gen != gen || !cbs[idx - 1].live)
        return jlc__fail(JLC_ERR_STALE, "stale callback (already freed, or never made)");
    *out = &cbs[idx - 1];
    return JLC_OK;
}

/* A free slot's index, under cb_lock; grows the table. */
static jlc_status take_slot_locked(uint32_t *out)
{
    if (!marker_added) {
        /* After init only this file adds a marker, under cb_lock. */
        JLC__CHECK(jlc__roots_add(mark_callbacks));
        marker_added = 1;
    }
    if (cbs_free) {
        *out = cbs_free - 1;
        cbs_free = cbs[*out].next_free;
        return JLC_OK;
    }
    if (cbs_len == cbs_cap) {
        if (cbs_cap >= (1u << 30)) return jlc__fail(JLC_ERR_NOMEM, "too many callbacks");
        uint32_t cap = cbs_cap ? cbs_cap * 2 : 64;
        /* A new array, not realloc: the marker may hold the old one. The old
         * one is leaked on purpose (at most half of the final size). */
        cb_entry *grown = calloc(cap, sizeof *grown);
        if (!grown) return jlc__fail(JLC_ERR_NOMEM, "cannot grow the callback table");
        if (cbs_len) memcpy(grown, cbs, cbs_len * sizeof *grown);
        __atomic_store_n(&cbs, grown, __ATOMIC_RELEASE);
        cbs_cap = cap;
    }
    *out = cbs_len;
    cbs[*out].gen = 1;
    return JLC_OK;
}

jlc_status jlc_callback_new(jlc_scope scope, jlc_value f, const char *signature, unsigned flags,
                            jlc_callback *out)
{
    JLC__ENTER();
    JLC__NONNULL(signature);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *fv;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fv));
    if (flags & ~(unsigned)JLC_CFUNC_UNCHECKED)
        return jlc__fail(JLC_ERR_ARG, "callback flags 0x%x: only JLC_CFUNC_CHECKED or JLC_CFUNC_UNCHECKED",
                         flags);
    jlc__sig sig;
    jlc__sig_names names;
    JLC__CHECK(jlc__sig_parse(signature, 0, &sig, &names));
    JLC__CHECK(jlc__sig_resolve(sc, &names, &sig));
    void *fn;
    /* fv stays rooted by f's scope while Julia compiles. */
    JLC__CHECK(jlc__cfunc_pointer(sc, fv, &sig, flags, &fn));
    pthread_mutex_lock(&cb_lock);
    uint32_t idx;
    jlc_status st = take_slot_locked(&idx);
    if (st == JLC_OK) {
        cb_entry *e = &cbs[idx];
        e->f = fv;
        e->fn = fn;
        e->next_free = 0;
        e->live = 1;
        __atomic_add_fetch(&cbs_live, 1, __ATOMIC_RELAXED);
        if (idx == cbs_len) __atomic_store_n(&cbs_len, cbs_len + 1, __ATOMIC_RELEASE);
        out->_h = ((uint64_t)e->gen << 32) | (idx + 1);
    }
    pthread_mutex_unlock(&cb_lock);
    return st;
}

jlc_status jlc_callback_fn(jlc_callback cb, void **fn)
{
    JLC__ENTER();
    JLC__NONNULL(fn);
    cb_entry *e;
    pthread_mutex_lock(&cb_lock);
    jlc_status st = lookup_locked(cb, &e);
    if (st == JLC_OK) *fn = e->fn;
    pthread_mutex_unlock(&cb_lock);
    return st;
}

jlc_status jlc_callback_function(jlc_scope scope, jlc_callback cb, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    cb_entry *e;
    pthread_mutex_lock(&cb_lock);
    jlc_status st = lookup_locked(cb, &e);
    jl_value_t *fv = st == JLC_OK ? e->f : NULL;
    pthread_mutex_unlock(&cb_lock);
    /* Still rooted: only this thread could free it, and it is here. A free
     * on another thread in between would be the caller's race; the cfunc
     * table keeps fv reachable until shutdown in any case. */
    if (st != JLC_OK) return st;
    return jlc__push(sc, fv, out);
}

jlc_status jlc_callback_free(jlc_callback cb)
{
    JLC__ENTER();
    cb_entry *e;
    pthread_mutex_lock(&cb_lock);
    jlc_status st = lookup_locked(cb, &e);
    if (st == JLC_OK) {
        e->live = 0;
        e->f = NULL;
        e->fn = NULL;
        if (++e->gen == 0) e->gen = 1;
        e->next_free = cbs_free;
        cbs_free = (uint32_t)(e - cbs) + 1;
        __atomic_sub_fetch(&cbs_live, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&cb_lock);
    return st;
}

size_t jlc_callback_count(void) { return __atomic_load_n(&cbs_live, __ATOMIC_RELAXED); }

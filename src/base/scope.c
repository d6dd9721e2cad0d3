/*
 * scope.c — scopes, value handles and references (representation: scope.h),
 * their record pools, and the root marker that keeps what they hold alive.
 *
 * Rooting uses the root registry (roots.c): the marker marks each chunk's
 * SimpleVector (stores into it use the write barrier, see scope.h) and every
 * reference at each collection. Scopes therefore need no LIFO discipline
 * (Julia tasks may interleave them). A value is rooted by its slot only once
 * stored: jlc__push_slow roots it across the allocation of a new chunk.
 */
#include "scope.h"
#include "roots.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

jlc__chunk *jlc__chunks[JLC__MAX_CHUNKS];
static uint32_t nchunks;
jlc__scope *jlc__scopes[JLC__MAX_SCOPES];
static uint32_t nscopes;

/* Table growth is rare and may happen on any Julia thread. The shared pools
 * hold records handed back by exited threads and by over-full thread pools. */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static jlc__scope *shared_scopes;
static jlc__chunk *shared_chunks;

static jlc__scope_close_fn close_hook;

void jlc__scope_on_close(jlc__scope_close_fn fn) { close_hook = fn; }

/* ---- references ---- */

typedef struct ref_entry {
    uint32_t gen;
    uint32_t live;
    jl_value_t *value;
    uint32_t next_free; /* index + 1; 0 = end */
} ref_entry;

static ref_entry *refs;
static uint32_t refs_cap, refs_len, refs_free, refs_live;

/* ---- root marker ---- */

static void mark_roots(int full)
{
    (void)full;
    /* One object per chunk: an old chunk that was not written since the last
     * collection is already marked and is not traversed again. */
    uint32_t n = __atomic_load_n(&nchunks, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++) JLC__GC_MARK(jlc__chunks[i]->obj);
    for (uint32_t i = 0; i < refs_len; i++)
        if (refs[i].live && refs[i].value) JLC__GC_MARK(refs[i].value);
}

static void pool_drain(jlc__thread *t);

void jlc__scopes_init(void)
{
    jlc__pool_drain = pool_drain;
    (void)jlc__roots_add(mark_roots);
}

/* Hands a thread's pools back to the shared lists (thread exit, or a pool
 * grown past JLC__POOL_MAX). */
static void pool_drain(jlc__thread *t)
{
    pthread_mutex_lock(&table_lock);
    while (t->free_scopes) {
        jlc__scope *sc = t->free_scopes;
        t->free_scopes = sc->next_free;
        sc->next_free = shared_scopes;
        shared_scopes = sc;
    }
    while (t->free_chunks) {
        jlc__chunk *c = t->free_chunks;
        t->free_chunks = c->next;
        c->next = shared_chunks;
        shared_chunks = c;
    }
    t->nfree_scopes = t->nfree_chunks = 0;
    pthread_mutex_unlock(&table_lock);
}

/* ---- chunks ---- */

static jlc__chunk *chunk_take(jlc__thread *t)
{
    jlc__chunk *c = t->free_chunks;
    if (c) {
        t->free_chunks = c->next;
        t->nfree_chunks--;
        c->next = NULL;
        return c;
    }
    pthread_mutex_lock(&table_lock);
    if ((c = shared_chunks) != NULL) shared_chunks = c->next;
    pthread_mutex_unlock(&table_lock);
    if (c) {
        c->next = NULL;
        return c;
    }
    /* A new chunk. Its SimpleVector is allocated outside the lock (the
     * allocation may collect, and a thread waiting on a mutex would hold the
     * collection up) with Ctrl-C deferred; until it is in the table it is
     * rooted by this frame. */
    if (!(c = calloc(1, sizeof *c))) return NULL;
    jl_value_t *obj = NULL;
    JL_GC_PUSH1(&obj);
    JLC__SIGATOMIC_ENTER();
    obj = (jl_value_t *)jl_alloc_svec(JLC__CHUNK_SLOTS); /* filled with NULL */
    JLC__SIGATOMIC_LEAVE();
    c->gen = 1;
    c->obj = obj;
    c->slots = jl_svec_data(obj);
    pthread_mutex_lock(&table_lock);
    if (nchunks < JLC__MAX_CHUNKS) {
        c->index = nchunks;
        jlc__chunks[c->index] = c;
        __atomic_store_n(&nchunks, c->index + 1, __ATOMIC_RELEASE);
    } else {
        free(c);
        c = NULL;
    }
    pthread_mutex_unlock(&table_lock);
    JL_GC_POP();
    return c;
}

static void chunk_release(jlc__thread *t, jlc__chunk *c)
{
    /* Clearing the slots lets the values go; bumping gen kills the handles.
     * Generation 0 is skipped so an all-zero handle never validates. */
    memset(c->slots, 0, c->fill * sizeof c->slots[0]);
    c->fill = 0;
    if (++c->gen == 0) c->gen = 1;
    c->next = t->free_chunks;
    t->free_chunks = c;
    t->nfree_chunks++;
}

jlc_status jlc__push_slow(jlc__scope *sc, jl_value_t *v, jlc_value *out)
{
    /* Until it is in a slot, v lives only here, and a new chunk's
     * SimpleVector is an allocation: a safepoint where another thread's
     * collection stops this one, or where this one collects. So v is rooted
     * on the stack across chunk_take (and GC stress collects right there). */
    jlc__thread *t = jlc__self();
    jlc__chunk *c = NULL;
    if (t) {
        JL_GC_PUSH1(&v);
        JLC__GC_STRESS();
        c = chunk_take(t);
        JL_GC_POP();
    }
    if (!c) return jlc__fail(JLC_ERR_NOMEM, "out of handle slots");
    c->next = sc->chunks;
    sc->chunks = c;
    return jlc__push(sc, v, out);
}

jlc_status jlc__get_failed(jlc_value h)
{
    if (h._h == 0) return jlc__fail(JLC_ERR_ARG, "zeroed value handle");
    return jlc__fail(JLC_ERR_STALE, "stale value handle (its scope was closed)");
}

/* ---- scopes ---- */

/* The slow half of scope_take: the shared pool, else a new record. */
static jlc__scope *scope_take_shared(void)
{
    jlc__scope *sc;
    pthread_mutex_lock(&table_lock);
    if ((sc = shared_scopes) != NULL) {
        shared_scopes = sc->next_free;
    } else if (nscopes < JLC__MAX_SCOPES && (sc = calloc(1, sizeof *sc)) != NULL) {
        sc->gen = 1;
        sc->index = nscopes;
        jlc__scopes[nscopes++] = sc;
    }
    pthread_mutex_unlock(&table_lock);
    return sc;
}

/* A scope record from the thread's pool, else the shared pool or a new one. */
JLC__INLINE jlc__scope *scope_take(jlc__thread *t)
{
    jlc__scope *sc = t->free_scopes;
    if (JLC__UNLIKELY(!sc)) return scope_take_shared();
    t->free_scopes = sc->next_free;
    t->nfree_scopes--;
    return sc;
}

/* Inlined into close (the hot path of every scope) and shutdown. */
JLC__INLINE void scope_release(jlc__thread *t, jlc__scope *sc)
{
    if (sc->nhooks && close_hook) close_hook(sc);
    sc->nhooks = 0;
    jlc__chunk *c = sc->chunks;
    while (c) {
        jlc__chunk *next = c->next;
        chunk_release(t, c);
        c = next;
    }
    sc->chunks = NULL;
    sc->open = 0;
    if (sc->parent) __atomic_sub_fetch(&sc->parent->nchildren, 1, __ATOMIC_ACQ_REL);
    sc->parent = NULL;
    if (++sc->gen == 0) sc->gen = 1;
    sc->next_free = t->free_scopes;
    t->free_scopes = sc;
    if (++t->nfree_scopes > JLC__POOL_MAX || t->nfree_chunks > 4 * JLC__POOL_MAX) pool_drain(t);
}

/* The body of jlc__scope_open, inlined into jlc_scope_open (measured: the
 * two extra call frames were about a fifth of an open/close pair). */
JLC__INLINE jlc_status scope_open(jlc__scope *p, jlc__scope **out)
{
    jlc__thread *t = jlc__self();
    jlc__scope *sc = t ? scope_take(t) : NULL;
    if (JLC__UNLIKELY(!sc)) return jlc__fail(JLC_ERR_NOMEM, "too many open scopes");
    sc->open = 1;
    sc->nchildren = 0;
    sc->busy = 0;
    sc->nhooks = 0;
    sc->owner = t;
    sc->parent = p;
    if (p) __atomic_add_fetch(&p->nchildren, 1, __ATOMIC_ACQ_REL);
    *out = sc;
    return JLC_OK;
}

jlc_status jlc__scope_open(jlc__scope *p, jlc__scope **out) { return scope_open(p, out); }

jlc_status jlc_scope_open(jlc_scope parent, jlc_scope *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *p = NULL, *sc;
    if (parent._h != 0) JLC__CHECK(jlc__scope_get(parent, &p));
    JLC__CHECK(scope_open(p, &sc));
    *out = jlc__scope_handle(sc);
    return JLC_OK;
}

JLC__INLINE jlc_status scope_close(jlc__scope *sc)
{
    uint32_t nch = __atomic_load_n(&sc->nchildren, __ATOMIC_ACQUIRE);
    if (JLC__UNLIKELY(nch))
        return jlc__fail(JLC_ERR_STATE, "scope has %u open child scope(s)", nch);
    if (JLC__UNLIKELY(sc->busy))
        return jlc__fail(JLC_ERR_STATE, "a jlc call running in this scope has not returned yet "
                                        "(close the scope after it returns)");
    jlc__thread *t = jlc__self();
    if (JLC__UNLIKELY(!t)) return jlc__fail(JLC_ERR_NOMEM, "out of memory for thread state");
    scope_release(t, sc);
    return JLC_OK;
}

jlc_status jlc__scope_close(jlc__scope *sc) { return scope_close(sc); }

jlc_status jlc_scope_close(jlc_scope scope)
{
    JLC__ENTER();
    if (scope._h == 0) return JLC_OK;
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    return scope_close(sc);
}

jlc_status jlc_scope_keep(jlc_scope target, jlc_value v, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *x;
    JLC__CHECK(jlc__scope_get(target, &sc));
    JLC__CHECK(jlc__get(v, &x));
    return jlc__push(sc, x, out);
}

jlc_status jlc_scope_size(jlc_scope scope, size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    size_t n = 0;
    for (jlc__chunk *c = sc->chunks; c; c = c->next) n += c->fill;
    *out = n;
    return JLC_OK;
}

jlc_status jlc_value_from_raw(jlc_scope scope, void *raw, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(raw);
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    return jlc__push(sc, (jl_value_t *)raw, out);
}

jlc_status jlc_value_raw(jlc_value v, void **out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    *out = x;
    return JLC_OK;
}

/* ---- references ---- */

static jlc_status ref_lookup(jlc_ref r, ref_entry **out)
{
    uint32_t idx = (uint32_t)r._h, gen = (uint32_t)(r._h >> 32);
    if (r._h == 0) return jlc__fail(JLC_ERR_ARG, "zeroed reference");
    if (idx == 0 || idx > refs_len || refs[idx - 1].gen != gen || !refs[idx - 1].live)
        return jlc__fail(JLC_ERR_STALE, "stale reference (already freed or never made)");
    *out = &refs[idx - 1];
    return JLC_OK;
}

jlc_status jlc_ref_new(jlc_value v, jlc_ref *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    pthread_mutex_lock(&table_lock);
    uint32_t idx;
    if (refs_free) {
        idx = refs_free - 1;
        refs_free = refs[idx].next_free;
    } else {
        if (refs_len == refs_cap) {
            uint32_t cap = refs_cap ? refs_cap * 2 : 64;
            ref_entry *grown = realloc(refs, cap * sizeof *grown);
            if (!grown) {
                pthread_mutex_unlock(&table_lock);
                return jlc__fail(JLC_ERR_NOMEM, "cannot grow the reference table");
            }
            refs = grown;
            refs_cap = cap;
        }
        idx = refs_len++;
        refs[idx].gen = 1;
    }
    refs[idx].value = x;
    refs[idx].live = 1;
    refs[idx].next_free = 0;
    refs_live++;
    out->_h = ((uint64_t)refs[idx].gen << 32) | (idx + 1);
    pthread_mutex_unlock(&table_lock);
    return JLC_OK;
}

jlc_status jlc_ref_get(jlc_scope scope, jlc_ref ref, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    ref_entry *e;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(ref_lookup(ref, &e));
    return jlc__push(sc, e->value, out);
}

jlc_status jlc_ref_free(jlc_ref ref)
{
    JLC__ENTER();
    ref_entry *e;
    pthread_mutex_lock(&table_lock);
    jlc_status st = ref_lookup(ref, &e);
    if (st == JLC_OK) {
        e->live = 0;
        e->value = NULL;
        if (++e->gen == 0) e->gen = 1;
        e->next_free = refs_free;
        refs_free = (uint32_t)(e - refs) + 1;
        refs_live--;
    }
    pthread_mutex_unlock(&table_lock);
    return st;
}

size_t jlc_ref_count(void) { return refs_live; }

void jlc__scopes_shutdown(size_t *leaked_refs)
{
    /* Close every open scope, children first, so no handle survives. */
    jlc__thread *t = jlc__self();
    if (!t) return;
    for (int again = 1; again;) {
        again = 0;
        for (uint32_t i = 0; i < nscopes; i++) {
            jlc__scope *sc = jlc__scopes[i];
            if (sc->open && sc->nchildren == 0) {
                scope_release(t, sc);
                again = 1;
            }
        }
    }
    if (leaked_refs) *leaked_refs = refs_live;
}

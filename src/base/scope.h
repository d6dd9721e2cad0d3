/*
 * scope.h — the representation of scopes, value handles and references, and
 * the inline fast paths every entry point uses to resolve them (scope.c
 * holds the rest).
 *
 * Values live in fixed-size chunks of slots owned by a scope. A handle is
 * (chunk generation, chunk index, slot): a chunk's generation is bumped
 * whenever it returns to a pool, so a handle that outlives its scope is
 * detected even after the chunk has been reused. Chunks and scope records are
 * never freed before exit, so a table lookup never touches freed memory.
 *
 * A chunk's slots live in a Julia SimpleVector that the chunk owns: the root
 * marker marks that one object per chunk, and stores into it use Julia's write
 * barrier. So a young collection does not rescan old chunks (the GC remembers
 * the ones written since), and its cost grows with the handles made since the
 * last collection, not with every live handle.
 */
#ifndef JLC_BASE_SCOPE_H
#define JLC_BASE_SCOPE_H

#include "state.h"

#define JLC__CHUNK_BITS 6
#define JLC__CHUNK_SLOTS (1u << JLC__CHUNK_BITS)
#define JLC__MAX_CHUNKS (JLC_MAX_HANDLES / JLC__CHUNK_SLOTS)
#define JLC__MAX_SCOPES JLC_MAX_OPEN_SCOPES

typedef struct jlc__chunk {
    uint32_t gen;   /* bumped each time the chunk is released */
    uint32_t fill;  /* slots in use */
    uint32_t index; /* position in the chunk table */
    struct jlc__chunk *next;
    jl_value_t *obj;     /* the SimpleVector holding the slots (never freed) */
    jl_value_t **slots;  /* its data */
} jlc__chunk;

typedef struct jlc__scope {
    uint32_t gen; /* bumped at close */
    uint32_t index;
    uint32_t open;
    uint32_t nchildren; /* atomic: children may open on other threads */
    uint32_t busy;      /* calls into Julia running with this scope: no close */
    uint32_t nhooks;    /* areas holding per-scope state (borrows): see below */
    struct jlc__scope *parent;
    jlc__chunk *chunks; /* newest first; only the head has free slots */
    struct jlc__scope *next_free;
    const void *owner; /* opening thread's state; checked in debug mode */
} jlc__scope;

extern JLC__HIDDEN jlc__chunk *jlc__chunks[JLC__MAX_CHUNKS];
extern JLC__HIDDEN jlc__scope *jlc__scopes[JLC__MAX_SCOPES];

JLC__HIDDEN jlc_status jlc__push_slow(jlc__scope *sc, jl_value_t *v, jlc_value *out);
JLC__HIDDEN void jlc__scopes_init(void);
JLC__HIDDEN void jlc__scopes_shutdown(size_t *leaked_refs);
/* Open a scope (child of p, or top-level when p is NULL) on the calling
 * thread, and close one: what jlc_scope_open/close do after their entry and
 * handle checks, for areas that run user code in a scope of their own (the
 * async runtime's jobs). Open: JLC_ERR_NOMEM. Close: JLC_ERR_STATE (open
 * children, a call in flight), JLC_ERR_NOMEM. */
JLC__HIDDEN jlc_status jlc__scope_open(jlc__scope *p, jlc__scope **out);
JLC__HIDDEN jlc_status jlc__scope_close(jlc__scope *sc);

/* Resolves a scope handle: JLC_ERR_ARG (zero), JLC_ERR_STALE (closed or
 * never opened), JLC_ERR_THREAD (debug mode, another thread's scope). */
JLC__INLINE jlc_status jlc__scope_get(jlc_scope s, jlc__scope **out)
{
    uint32_t idx = (uint32_t)s._h, gen = (uint32_t)(s._h >> 32);
    if (JLC__UNLIKELY(s._h == 0)) return jlc__fail(JLC_ERR_ARG, "zeroed scope handle");
    jlc__scope *sc = idx < JLC__MAX_SCOPES ? jlc__scopes[idx] : NULL;
    if (JLC__UNLIKELY(!sc || sc->gen != gen || !sc->open))
        return jlc__fail(JLC_ERR_STALE, "stale scope handle (scope closed or never opened)");
    if (JLC__UNLIKELY(jlc__debug) && sc->owner != (const void *)jlc__self())
        return jlc__fail(JLC_ERR_THREAD, "debug: scope used on a thread other than the one that opened it");
    *out = sc;
    return JLC_OK;
}

/* True while the scope a handle names is open (no error recorded). */
JLC__INLINE int jlc__scope_alive(jlc_scope s)
{
    uint32_t idx = (uint32_t)s._h, gen = (uint32_t)(s._h >> 32);
    jlc__scope *sc = s._h && idx < JLC__MAX_SCOPES ? jlc__scopes[idx] : NULL;
    return sc && sc->gen == gen && sc->open;
}

/* The handle of an open scope record. */
JLC__INLINE jlc_scope jlc__scope_handle(const jlc__scope *sc)
{
    jlc_scope s;
    s._h = ((uint64_t)sc->gen << 32) | sc->index;
    return s;
}

/* Roots v in sc and writes its handle: the hot path of every value maker. */
JLC__INLINE jlc_status jlc__push(jlc__scope *sc, jl_value_t *v, jlc_value *out)
{
    jlc__chunk *c = sc->chunks;
    if (JLC__LIKELY(c && c->fill < JLC__CHUNK_SLOTS)) {
        uint32_t slot = c->fill++;
        c->slots[slot] = v;
        jl_gc_wb(c->obj, v);
        out->_h = ((uint64_t)c->gen << 32) | ((uint64_t)c->index << JLC__CHUNK_BITS) | slot;
        return JLC_OK;
    }
    return jlc__push_slow(sc, v, out);
}

/* Resolves a value handle: JLC_ERR_ARG (zero), JLC_ERR_STALE. The fast path
 * is one table load and two compares; the error is classified off it. */
JLC__HIDDEN jlc_status jlc__get_failed(jlc_value h);
JLC__INLINE jlc_status jlc__get(jlc_value h, jl_value_t **out)
{
    uint32_t lo = (uint32_t)h._h, gen = (uint32_t)(h._h >> 32);
    uint32_t ci = (lo >> JLC__CHUNK_BITS) & (JLC__MAX_CHUNKS - 1), slot = lo & (JLC__CHUNK_SLOTS - 1);
    jlc__chunk *c = jlc__chunks[ci];
    if (JLC__UNLIKELY(!c || c->gen != gen || slot >= c->fill)) return jlc__get_failed(h);
    *out = c->slots[slot];
    return JLC_OK;
}

/* A call into Julia is running with sc: jlc_scope_close(sc) is refused until
 * it returns (Julia may call back into C, which might try to close it). */
JLC__INLINE void jlc__scope_busy(jlc__scope *sc) { sc->busy++; }
JLC__INLINE void jlc__scope_idle(jlc__scope *sc) { sc->busy--; }

/* Per-scope state of an area (the borrow registry): the area bumps
 * sc->nhooks while it holds state for sc, and is told when sc closes. One
 * hook for now; registered once at init. */
typedef void (*jlc__scope_close_fn)(jlc__scope *sc);
JLC__HIDDEN void jlc__scope_on_close(jlc__scope_close_fn fn);

#endif

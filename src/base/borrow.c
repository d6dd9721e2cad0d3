/*
 * borrow.c — the borrow registry (see borrow.h): a fixed table of byte
 * ranges under a spin lock that is held only for a table scan, never across
 * a Julia call, plus its root marker and scope-close hook.
 */
#include "borrow.h"
#include "roots.h"

typedef struct borrow_entry {
    uintptr_t lo, hi;  /* bytes: [lo, hi), at least one byte */
    jl_value_t *owner; /* kept alive by mark_borrows while live */
    jlc_scope scope;   /* the borrow dies when this scope closes */
    uint32_t gen;      /* bumped when the entry is freed */
    uint8_t live, mut;
} borrow_entry;

static borrow_entry btab[JLC_BORROW_MAX];
static uint32_t bhwm; /* entries [0, bhwm) may be live */
uint32_t jlc__borrows_live; /* written under the lock, read without it */
static char block_flag;

static inline void block_lock(void)
{
    while (__atomic_test_and_set(&block_flag, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&block_flag, __ATOMIC_RELAXED)) JLC__PAUSE();
}
static inline void block_unlock(void) { __atomic_clear(&block_flag, __ATOMIC_RELEASE); }

static inline void entry_free(borrow_entry *e)
{
    e->live = 0;
    e->owner = NULL;
    if (++e->gen == 0) e->gen = 1;
    __atomic_store_n(&jlc__borrows_live, jlc__borrows_live - 1, __ATOMIC_RELAXED);
}

static inline void shrink_hwm(void)
{
    while (bhwm > 0 && !btab[bhwm - 1].live) bhwm--;
}

/* Under the lock: the first live entry overlapping [lo, hi) that conflicts
 * (writer: any; reader: a mutable one), or NULL. *free_slot gets the first
 * free index below the high-water mark (or -1). */
static borrow_entry *scan_conflict(uintptr_t lo, uintptr_t hi, int writer, int32_t *free_slot)
{
    int32_t fs = -1;
    borrow_entry *hit = NULL;
    for (uint32_t i = 0; i < bhwm; i++) {
        borrow_entry *e = &btab[i];
        if (!e->live) {
            if (fs < 0) fs = (int32_t)i;
            continue;
        }
        if (!hit && e->lo < hi && lo < e->hi && (writer || e->mut)) hit = e;
    }
    if (free_slot) *free_slot = fs;
    return hit;
}

static void mark_borrows(int full)
{
    (void)full;
    for (uint32_t i = 0; i < bhwm; i++)
        if (btab[i].live) jlc__mark(btab[i].owner);
}

/* A scope with borrows closes: they end now, and their owners are no longer
 * rooted from the next collection on. */
static void scope_closed(jlc__scope *sc)
{
    jlc_scope h = jlc__scope_handle(sc);
    block_lock();
    for (uint32_t i = 0; i < bhwm; i++)
        if (btab[i].live && btab[i].scope._h == h._h) entry_free(&btab[i]);
    shrink_hwm();
    block_unlock();
}

jlc_status jlc__borrows_init(void)
{
    jlc__scope_on_close(scope_closed);
    return jlc__roots_add(mark_borrows);
}

jlc_status jlc__borrow_check_slow(const char *p, size_t bytes, int writer)
{
    uintptr_t lo = (uintptr_t)p, hi = lo + (bytes ? bytes : 1);
    block_lock();
    borrow_entry *hit = scan_conflict(lo, hi, writer, NULL);
    int mut = hit ? hit->mut : 0;
    block_unlock();
    if (hit)
        return jlc__fail(JLC_ERR_BORROW, "cannot %s this data: a %s borrow of it is live",
                         writer ? "write" : "read", mut ? "mutable" : "shared");
    return JLC_OK;
}

jlc_status jlc__borrow_take(jlc__scope *sc, const void *p, size_t bytes, int mut,
                            jl_value_t *owner, jlc_borrow *out)
{
    uintptr_t lo = (uintptr_t)p, hi = lo + (bytes ? bytes : 1);
    block_lock();
    int32_t slot;
    borrow_entry *hit = scan_conflict(lo, hi, mut, &slot);
    if (JLC__UNLIKELY(hit)) {
        int other_mut = hit->mut;
        block_unlock();
        return jlc__fail(JLC_ERR_BORROW, "cannot borrow %s: a %s borrow of the same data is live",
                         mut ? "mutably" : "for reading", other_mut ? "mutable" : "shared");
    }
    if (slot < 0) {
        if (JLC__UNLIKELY(bhwm == JLC_BORROW_MAX)) {
            block_unlock();
            return jlc__fail(JLC_ERR_NOMEM, "%d borrows are live (JLC_BORROW_MAX)", JLC_BORROW_MAX);
        }
        slot = (int32_t)bhwm++;
    }
    borrow_entry *e = &btab[slot];
    if (e->gen == 0) e->gen = 1;
    e->lo = lo;
    e->hi = hi;
    e->owner = owner;
    e->scope = jlc__scope_handle(sc);
    e->mut = (uint8_t)mut;
    e->live = 1;
    sc->nhooks++;
    __atomic_store_n(&jlc__borrows_live, jlc__borrows_live + 1, __ATOMIC_RELAXED);
    out->_h = ((uint64_t)e->gen << 32) | (uint32_t)(slot + 1);
    block_unlock();
    return JLC_OK;
}

/* Under the lock: the live entry of b, or JLC_ERR_STALE. */
static jlc_status borrow_lookup(jlc_borrow b, borrow_entry **out)
{
    uint32_t idx = (uint32_t)b._h - 1, gen = (uint32_t)(b._h >> 32);
    borrow_entry *e = idx < JLC_BORROW_MAX ? &btab[idx] : NULL;
    if (!e || e->gen != gen || !e->live)
        return jlc__fail(JLC_ERR_STALE, "stale borrow (already released, or its scope closed)");
    *out = e;
    return JLC_OK;
}

jlc_status jlc_borrow_data(jlc_borrow b, void **data, bool *writable)
{
    JLC__ENTER();
    JLC__NONNULL(data);
    if (b._h == 0) return jlc__fail(JLC_ERR_ARG, "zeroed borrow handle");
    borrow_entry *e;
    block_lock();
    jlc_status st = borrow_lookup(b, &e);
    if (st == JLC_OK) {
        *data = (void *)e->lo;
        if (writable) *writable = e->mut;
    }
    block_unlock();
    return st;
}

jlc_status jlc_borrow_release(jlc_borrow b)
{
    JLC__ENTER();
    if (b._h == 0) return jlc__fail(JLC_ERR_ARG, "zeroed borrow handle");
    borrow_entry *e;
    block_lock();
    jlc_status st = borrow_lookup(b, &e);
    if (st == JLC_OK) {
        entry_free(e);
        shrink_hwm();
    }
    block_unlock();
    return st;
}

size_t jlc_borrow_count(void)
{
    if (jlc__state_get() != JLC__READY) return 0;
    return __atomic_load_n(&jlc__borrows_live, __ATOMIC_RELAXED);
}

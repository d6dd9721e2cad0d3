/*
 * borrow.h — the registry of borrows: byte ranges of Julia-owned or
 * Julia-visible memory that C holds pointers into (array data today, mapped
 * structs next). Any number of shared borrows of overlapping bytes, or one
 * mutable borrow and nothing else. A borrow keeps its owner value rooted and
 * ends at jlc_borrow_release() or when its scope closes.
 */
#ifndef JLC_BASE_BORROW_H
#define JLC_BASE_BORROW_H

#include "scope.h"

/* Adds the root marker and the scope-close hook (init). */
JLC__HIDDEN jlc_status jlc__borrows_init(void);

/* Registers a borrow of [p, p + bytes) (at least one byte) owned by the value
 * `owner` (kept rooted while the borrow lives), in scope sc. Returns
 * JLC_ERR_BORROW (a conflicting borrow is live; the text says which kind),
 * JLC_ERR_NOMEM (JLC_BORROW_MAX borrows live). Never calls Julia. */
JLC__HIDDEN jlc_status jlc__borrow_take(jlc__scope *sc, const void *p, size_t bytes, int mut,
                                        jl_value_t *owner, jlc_borrow *out);

/* Whether jlc itself may read (writer = 0) or write [p, p + bytes) now: a
 * mutable borrow blocks reads, any borrow blocks writes. JLC_ERR_BORROW
 * naming the access. One relaxed load when no borrow is live. */
JLC__HIDDEN jlc_status jlc__borrow_check_slow(const char *p, size_t bytes, int writer);
extern JLC__HIDDEN uint32_t jlc__borrows_live;
JLC__INLINE jlc_status jlc__borrow_check(const char *p, size_t bytes, int writer)
{
    if (JLC__LIKELY(__atomic_load_n(&jlc__borrows_live, __ATOMIC_RELAXED) == 0)) return JLC_OK;
    return jlc__borrow_check_slow(p, bytes, writer);
}

#endif

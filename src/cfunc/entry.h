/* entry.h — entering Julia's compiled code directly: jlc's replacement for @cfunction's entry where the ABI is known. */
#ifndef JLC_CFUNC_ENTRY_H
#define JLC_CFUNC_ENTRY_H

#include "sig.h"

/* What Julia compiled for one wrapper (from the support module). */
typedef struct jlc__compiled {
    void *cfunction; /* @cfunction pointer: always valid, the fallback */
    void *specptr;   /* entry of the specialised code, or NULL if unknown */
    void *ci;        /* its code instance (rooted by the support module) */
    int proved;      /* the wrapper cannot throw, allocate or dispatch, and checks
                        Julia's world counter itself (the nothrow fast path) */
} jlc__compiled;

/* Tells the entry where Julia's world counter is (area init). */
JLC__HIDDEN void jlc__entry_init(const size_t *world_counter);

/* The pointer to hand out for a compiled wrapper of sig (checked: the
 * jlc_status form with an out parameter). On releases whose specialised
 * calling convention jlc knows (JLC__ENTRY_ABI in compat.h) this enters the
 * specialised code directly:
 *  - JLC__ENTRY_PLAIN (1.5): the specialised code itself, for proved wrappers;
 *  - JLC__ENTRY_SWIFT (1.10, 1.11 on x86-64 Linux): a trampoline that passes
 *    the current task's GC stack; for wrappers that are not proved it also
 *    does what @cfunction's entry does (sets the task's world age for the call,
 *    checks that the code instance is still valid, else takes the @cfunction
 *    pointer). Parameters must all travel in registers.
 * Returns NULL when it cannot (the caller then uses c->cfunction). */
JLC__HIDDEN void *jlc__entry_make(const jlc__sig *sig, int checked, const jlc__compiled *c);

#endif

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
 * jlc_status form with an out parameter), entering its specialised code
 * directly where jlc knows the calling convention (JLC__ENTRY_ABI in
 * compat.h; x86-64 Linux with Julia 1.5, 1.10 or 1.11): 1.5's proved wrappers
 * are plain C functions, handed out as they are; otherwise a stub whose
 * routine does what @cfunction's entry does, minus Julia's thread-state
 * lookup (and, for proved wrappers on 1.10, minus the world age, which they
 * never read), falling back to c->cfunction for code that has been
 * invalidated. Needs every parameter in a register. Returns NULL when it
 * cannot (the caller then hands out c->cfunction). */
JLC__HIDDEN void *jlc__entry_make(const jlc__sig *sig, int checked, const jlc__compiled *c);

#endif

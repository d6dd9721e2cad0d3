/* bridge.h — the Julia side of typed calls: making wrappers and their C pointers through JlcSupport.CfuncSupport. */
#ifndef JLC_CFUNC_BRIDGE_H
#define JLC_CFUNC_BRIDGE_H

#include "sig.h"

/* What Julia made for one (function, signature, kind). */
typedef struct jlc__made {
    void *ptr;       /* the C function pointer handed to the user */
    int nothrow;     /* the call was proved not to throw (JLC_CFUNC_NOTHROW) */
    int direct;      /* ptr enters the compiled code directly (JLC_CFUNC_DIRECT) */
} jlc__made;

/* Compiles the wrapper for f and sig (kind: JLC_CFUNC_UNCHECKED and
 * JLC_CFUNC_NO_ELISION bits, or JLC__KIND_MAP for a batched-call kernel).
 * Initialises the area on first use. Returns JLC_ERR_NOT_FOUND (no method),
 * JLC_ERR_TYPE (not callable, return type does not convert),
 * JLC_ERR_UNSUPPORTED, JLC_EXCEPTION (rooted in sc), JLC_ERR_STATE (support
 * code missing). Allocates; runs Julia. */
JLC__HIDDEN jlc_status jlc__bridge_make(jlc__scope *sc, jl_value_t *f, const jlc__sig *sig,
                                        unsigned kind, jlc__made *out);

#endif

/*
 * workers.h — what the files of src/workers share: the area's lazy set-up
 * (its Julia helpers in support/workers.jl) and calls into Distributed whose
 * exceptions are described per rule W3 of include/jlc/workers.h. Internal to
 * src/workers.
 */
#ifndef JLC_WORKERS_WORKERS_H
#define JLC_WORKERS_WORKERS_H

#include "base.h"

/* WorkersSupport's functions, looked up when the area is first used (that
 * also loads Distributed into the master). Rooted by the support module. */
typedef struct jlc__wk_fns {
    jl_value_t *start, *count, *stop, *eval, *include, *pmap, *describe;
} jlc__wk_fns;
extern JLC__HIDDEN jlc__wk_fns jlc__wk;
extern JLC__HIDDEN jlc__area jlc__wk_area;
#define WK_INIT() JLC__CHECK(jlc__area_ready(&jlc__wk_area, NULL))

/* jlc__apply for a Distributed call: on JLC_EXCEPTION the exception (already
 * unwrapped by the Julia side) stays rooted in sc and jlc_last_error()
 * becomes "Type: <one line>" (a RemoteException names its worker and the
 * worker's exception, without the remote backtrace). argv rooted by the
 * caller; *result unrooted. */
JLC__HIDDEN jlc_status jlc__wk_apply(jlc__scope *sc, jl_value_t **argv, uint32_t n,
                                     jl_value_t **result);

#endif

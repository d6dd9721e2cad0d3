/*
 * seam.h — what the async runtime (src/async) needs from the core runtime:
 * starting and stopping Julia on the thread that calls these, without the
 * public entry checks, and the flag that makes jlc_shutdown refuse while the
 * async runtime owns Julia.
 */
#ifndef JLC_CORE_SEAM_H
#define JLC_CORE_SEAM_H

#include "base.h"

/* jlc_init's work (statuses as jlc_init); the calling thread becomes the one
 * that owns Julia. */
JLC__HIDDEN jlc_status jlc__runtime_init(const jlc_init_options *opts);
/* jlc_shutdown's work after its entry checks: JLC_ERR_STATE (attached, not
 * ready, an adopted thread other than the caller still entered:
 * jlc__adopt_close). Must run on the thread that owns Julia. */
JLC__HIDDEN jlc_status jlc__runtime_shutdown(int exit_code, size_t *leaked_refs);
/* Set (release) by src/async while its runtime thread owns Julia: the public
 * jlc_shutdown then returns JLC_ERR_STATE. */
extern JLC__HIDDEN int jlc__async_owns;

#endif

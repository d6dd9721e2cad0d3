/*
 * support.h — jlc's Julia-side helpers (src/support/<area>.jl, embedded at
 * build time) and the one pattern for an area's lazy initialisation.
 *
 * Each src/support/<area>.jl is loaded at init into its own submodule
 * JlcSupport.<Area> (the file name, capitalised), bound nowhere, so user code
 * never sees it and areas never clash on names.
 */
#ifndef JLC_BASE_SUPPORT_H
#define JLC_BASE_SUPPORT_H

#include "scope.h"

/* Loads every support submodule (init). JLC_EXCEPTION if Julia rejects one. */
JLC__HIDDEN jlc_status jlc__support_load(void);

/* JlcSupport.<Area>.<name> (area "Core", "Array", "CFunc"...). NULL if
 * missing (a jlc bug; report with JLC_ERR_STATE). Rooted by the module. */
JLC__HIDDEN jl_value_t *jlc__support_fn(const char *area, const char *name);

/* The functions the core calls on hot paths, looked up once at init. */
typedef struct jlc__core_fns {
    jl_value_t *kwcaller, *evalstr, *includefile, *usepkg, *exception_text, *find_module,
        *to_string, *repr, *tuple, *set_global, *namedtuple, *flushio, *redirect_std;
    jl_value_t *getfield, *apply_type; /* Core builtins */
} jlc__core_fns;
extern JLC__HIDDEN jlc__core_fns jlc__core;

/* Lazy initialisation of an area (its support functions, warm-up): one
 * pattern for all. The init function is idempotent and may run more than
 * once when threads race (each run computes the same values); readiness is
 * published with a release store and read with an acquire load. A failing
 * init leaves the area not ready and returns its status (JLC_EXCEPTION if
 * Julia threw, JLC_ERR_STATE for a missing support function). */
typedef struct jlc__area {
    int ready;
    const char *name;
    jlc_status (*init)(jlc__scope *sc);
} jlc__area;

JLC__HIDDEN jlc_status jlc__area_init_slow(jlc__area *a, jlc__scope *sc);
JLC__INLINE jlc_status jlc__area_ready(jlc__area *a, jlc__scope *sc)
{
    if (JLC__LIKELY(__atomic_load_n(&a->ready, __ATOMIC_ACQUIRE))) return JLC_OK;
    return jlc__area_init_slow(a, sc);
}

/* Looks up JlcSupport.<area>.<name> into *slot; JLC_ERR_STATE if missing. */
JLC__HIDDEN jlc_status jlc__support_need(const char *area, const char *name, jl_value_t **slot);

#endif

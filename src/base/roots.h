/*
 * roots.h — the one registry of GC roots: jlc registers a single root
 * scanner with Julia; each part of jlc that holds Julia values outside
 * scopes adds a marker function to it once at init.
 */
#ifndef JLC_BASE_ROOTS_H
#define JLC_BASE_ROOTS_H

#include "common.h"

/* A marker calls jlc__mark() on every value it holds. Runs inside Julia's GC
 * on the collecting thread: no allocation, no locks that a thread could hold
 * across a Julia call, no Julia calls. */
typedef void (*jlc__marker)(int full);

#define JLC__MAX_MARKERS 8

/* Adds a marker (idempotent for the same function). Call at init, before
 * the values it marks exist. Returns JLC_ERR_NOMEM if the table is full. */
JLC__HIDDEN jlc_status jlc__roots_add(jlc__marker fn);

/* Installs the scanner with Julia (once, from init). */
JLC__HIDDEN void jlc__roots_init(void);

/* Marks one value (NULL is ignored). Only inside a marker. */
JLC__HIDDEN void jlc__mark(jl_value_t *v);

#endif

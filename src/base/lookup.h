/*
 * lookup.h — finding Julia values by dotted path ("Base.sum", "Main.M.f",
 * "LinearAlgebra.norm", "sum") and globals of a module, in the latest world.
 * Used by the public lookups and by every area that names Julia things.
 */
#ifndef JLC_BASE_LOOKUP_H
#define JLC_BASE_LOOKUP_H

#include "scope.h"

/* The value at `path`: the first part is Main, Base, Core, a global of Main,
 * or a loaded package (root module); each further part a global of the
 * module before. *out is rooted by the binding that holds it (no handle is
 * made). Returns JLC_ERR_ARG (empty part), JLC_ERR_NOT_FOUND, JLC_ERR_TYPE
 * (a non-final part is not a module). sc receives a Julia exception of the
 * package search, if any (then JLC_ERR_NOT_FOUND too). */
JLC__HIDDEN jlc_status jlc__lookup(jlc__scope *sc, const char *path, jl_value_t **out);

/* The global `name` of module m in the latest world, or NULL if unbound
 * (never throws). */
JLC__HIDDEN jl_value_t *jlc__global(jl_module_t *m, jl_sym_t *name);

#endif

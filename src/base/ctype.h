/*
 * ctype.h — the one table of C scalar types and their Julia types, shared by
 * arrays, typed calls and struct mapping (public codes: jlc_ctype in jlc.h).
 */
#ifndef JLC_BASE_CTYPE_H
#define JLC_BASE_CTYPE_H

#include "common.h"

/* Filled at init (ctype.c) from Core and Base; rooted by those modules. */
JLC__HIDDEN jlc_status jlc__ctypes_init(void);

/* The Julia type of a code: Float64 for JLC_FLOAT64, Ptr{Cvoid} for JLC_PTR,
 * Cvoid for JLC_VOID, Any for JLC_ANY; NULL for JLC_STRUCT and invalid
 * codes. */
JLC__HIDDEN jl_value_t *jlc__ctype_julia(jlc_ctype code);

/* The code of a Julia type: a scalar code, JLC_PTR for any Ptr{T},
 * JLC_VOID for Nothing (Cvoid), JLC_STRUCT for any other isbits type and
 * JLC_ANY for everything else. */
JLC__HIDDEN jlc_ctype jlc__ctype_of(jl_value_t *T);

/* True for a valid code (JLC_VOID..JLC_ANY). */
JLC__INLINE int jlc__ctype_valid(int code) { return code >= 0 && code < JLC_CTYPE_COUNT; }

/* A short printable name of any Julia type ("Float64", "Union", "(a type)"). */
JLC__HIDDEN const char *jlc__type_name(jl_value_t *T);

#endif

/*
 * seam.h — what other areas may use of src/array: wrapping C memory and
 * borrowing array data with the array rules (B, C, D, E of
 * include/jlc/array.h) already applied. Struct mapping (src/struct) builds
 * its arrays on these, so arrays have one implementation of those rules.
 */
#ifndef JLC_ARRAY_SEAM_H
#define JLC_ARRAY_SEAM_H

#include "base.h"

/* jlc_array_wrap_of with the scope and type resolved: wraps data (non-NULL,
 * aligned for T) as Array{T,rank} in borrowed mode; T must be isbits with
 * element size elsize. Statuses as jlc_array_wrap_of. */
JLC__HIDDEN jlc_status jlc__arr_wrap_type(jlc__scope *sc, void *data, jl_value_t *T, size_t elsize,
                                          size_t rank, const size_t *dims, jlc_value *out);

/* jlc_array_borrow / jlc_array_borrow_mut with the scope and array resolved
 * (a must be an Array). *data is element 0. Statuses as jlc_array_borrow. */
JLC__HIDDEN jlc_status jlc__arr_borrow_value(jlc__scope *sc, jl_value_t *a, jlc_ctype code,
                                             size_t elsize, int mut, jlc_borrow *out, void **data);

#endif

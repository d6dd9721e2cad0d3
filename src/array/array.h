/*
 * array.h — what the files of src/array share: short names for the layout
 * layer (src/base/compat.h, arrays section), the area's lazy set-up and its
 * Julia helpers, and the checks of rules B, C and D of include/jlc/array.h.
 * Internal to src/array.
 */
#ifndef JLC_ARRAY_ARRAY_H
#define JLC_ARRAY_ARRAY_H

#include "base.h"

#include <string.h>

#define lay_is_array(v) jl_is_array(v)
#define lay_eltype jlc__lay_eltype
#define lay_rank jlc__lay_rank
#define lay_dim jlc__lay_dim
#define lay_length jlc__lay_length
#define lay_data jlc__lay_data
#define lay_elsize jlc__lay_elsize
#define lay_boxed jlc__lay_boxed
#define lay_isbits jlc__lay_isbits
#define lay_type_elsize jlc__lay_type_elsize
#define lay_type_align jlc__lay_type_align
#define lay_ptr_load jlc__lay_ptr_load
#define lay_ptr_store jlc__lay_ptr_store

#define ARR_INLINE static inline __attribute__((always_inline))

/* The area: its Julia helpers (support/array.jl) and the Julia type of each
 * bits code for the one-compare fast check (NULL for JLC_VOID, JLC_STRUCT,
 * JLC_ANY: they take the slow path). Set by the area's init (check.c). */
typedef struct jlc__arr_fns {
    jl_value_t *new_, *wrap, *adopt, *getindex, *setindex;
    jl_value_t *fast_types[JLC_CTYPE_COUNT];
} jlc__arr_fns;
extern JLC__HIDDEN jlc__arr_fns jlc__arr;
extern JLC__HIDDEN jlc__area jlc__arr_area;
#define ARR_INIT() JLC__CHECK(jlc__area_ready(&jlc__arr_area, NULL))
#define code_type(c) jlc__ctype_julia(c)
#define classify(T) jlc__ctype_of(T)
#define type_name(T) jlc__type_name(T)
#define check_access jlc__borrow_check

/* An element type code arrays accept (not JLC_VOID). */
JLC__INLINE int valid_code(jlc_ctype code) { return code > JLC_VOID && code < JLC_CTYPE_COUNT; }

/* Rule B: rank, dims, and that the element count and byte size fit. */
JLC__HIDDEN jlc_status jlc__arr_check_dims(size_t rank, const size_t *dims, size_t elsize);
/* A type given by the caller for an array's elements; elsize as in
 * jlc_array_new_of. need_bits: the elements will live in C memory. */
JLC__HIDDEN jlc_status jlc__arr_check_type(jl_value_t *T, size_t elsize, int need_bits);
/* Rules C and D, the general case and the diagnosis (see check_bits). */
JLC__HIDDEN jlc_status jlc__arr_check_bits_slow(jl_value_t *a, jlc_ctype code, size_t elsize);
JLC__HIDDEN jlc_status jlc__arr_not_array(jl_value_t *v);
/* The 0-based linear index of an N-d index; JLC_ERR_ARG, JLC_ERR_BOUNDS. */
JLC__HIDDEN jlc_status jlc__arr_linear_index(jl_value_t *a, size_t nidx, const size_t *idx, size_t *out);

ARR_INLINE jlc_status get_array(jlc_value h, jl_value_t **out)
{
    JLC__CHECK(jlc__get(h, out));
    if (JLC__UNLIKELY(!lay_is_array(*out))) return jlc__arr_not_array(*out);
    return JLC_OK;
}

/* Rules C and D: a is an array of plain bits whose element type is `code`
 * and whose element size is elsize. One compare for the bits codes. */
ARR_INLINE jlc_status check_bits(jl_value_t *a, jlc_ctype code, size_t elsize)
{
    if (JLC__LIKELY((unsigned)code < JLC_CTYPE_COUNT && jlc__arr.fast_types[code] == lay_eltype(a) &&
                    elsize == lay_elsize(a)))
        return JLC_OK;
    return jlc__arr_check_bits_slow(a, code, elsize);
}

#endif

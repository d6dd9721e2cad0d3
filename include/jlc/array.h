/**
 * \file
 * jlc/array.h — included by jlc.h; do not include directly.
 *
 * N-dimensional Julia arrays shared between C and Julia without copying.
 * Guide: docs/arrays.md. Rules for this whole section:
 *
 *  A. Indices are 0-based and column-major, as in memory: element (i, j) of
 *     an m×n matrix is at linear index i + j*m. (Julia's A[i+1, j+1].)
 *
 *  B. Dims are size_t. Rank is 1..JLC_ARRAY_MAX_RANK. A dimension above
 *     PTRDIFF_MAX (a negative number cast to size_t), a rank of 0 or above
 *     the maximum, or dims whose product (or byte size) overflows are
 *     JLC_ERR_ARG, checked before Julia is called.
 *
 *  C. Typed access names the C element type twice: a jlc_ctype code and
 *     elsize = sizeof the C element. Both must match the array's element
 *     type, or the call is JLC_ERR_TYPE (asking for JLC_FLOAT64 from an
 *     Int64 array, or sizeof(float) for a Float64 array).
 *
 *  D. Only arrays of plain bits elements (isbits types: numbers, Bool, Ptr,
 *     Complex, isbits structs) can be borrowed and copied as C memory. Other
 *     arrays (Vector{Any}, Vector{String}, ...) are reached element by
 *     element through handles (jlc_array_get_value / jlc_array_set_value).
 *
 *  E. Borrows: C may hold the data pointer of an array only through a
 *     borrow. Any number of shared (read-only) borrows of the same data may
 *     be live at once, or one mutable borrow and nothing else; anything else
 *     is JLC_ERR_BORROW. Borrows of arrays whose data overlap (two wraps of
 *     one C buffer, a reshape) conflict as if they were one array. A borrow
 *     ends at jlc_borrow_release() or when its scope closes, whichever is
 *     first. jlc's own element access respects live borrows too: reading an
 *     element while a mutable borrow is live, or writing one while any
 *     borrow is live, is JLC_ERR_BORROW. Julia code is not checked: do not
 *     run Julia code that writes an array while C holds a borrow of it.
 *
 *  F. Julia never moves an array's data, except when Julia code resizes a
 *     Julia-owned vector (push!, append!, resize!...). Do not resize an array
 *     while it is borrowed: the borrowed pointer would dangle.
 */
#ifndef JLC_ARRAY_H
#define JLC_ARRAY_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

/** Highest rank (number of dimensions) of an array made or read by jlc. */
#define JLC_ARRAY_MAX_RANK 32

/** Runs once, when Julia finalizes an array made by jlc_array_adopt*(): it
 * must release `data` (ctx is the caller's pointer, passed back unchanged).
 * It runs on a Julia thread during garbage collection or at jlc_shutdown,
 * and must not call jlc or Julia, nor block. */
typedef void (*jlc_dealloc_fn)(void *data, void *ctx);

/* ------------------------------------------------------------------------ */
/* Creating arrays                                                          */
/* ------------------------------------------------------------------------ */

/** A new Julia-owned Array{T,rank} of the given dims, T the type of `code`
 * (JLC_ANY makes an Array{Any}). Bits elements are zeroed; JLC_ANY
 * elements are unassigned (`#undef`: reading one is a Julia UndefRefError).
 * Allocates. Returns: JLC_ERR_ARG (bad dims, see rule B; JLC_STRUCT or an
 * invalid code: use jlc_array_new_of), JLC_EXCEPTION (out of memory in Julia).
 * Lifetime: *out lives in scope. */
JLC_API jlc_status jlc_array_new(jlc_scope scope, jlc_ctype code, size_t rank,
                                 const size_t *dims, jlc_value *out);

/** Same for any concrete element type given as a Julia type value: an isbits
 * struct, String, a Union... For an isbits type, elsize must be sizeof the C
 * element the caller will use and equal Julia's element size; for any other
 * type elsize must be 0. Returns: JLC_ERR_TYPE (type is not a type, or
 * elsize does not match), JLC_ERR_ARG (bad dims), JLC_EXCEPTION. */
JLC_API jlc_status jlc_array_new_of(jlc_scope scope, jlc_value type, size_t elsize, size_t rank,
                                    const size_t *dims, jlc_value *out);

/** Wraps C memory as an Array{T,rank} WITHOUT COPYING, in BORROWED mode:
 *
 *     !!! C keeps ownership of `data` and MUST keep it valid and unmoved for as
 *     !!! long as Julia can reach the array — not only while `scope` is open:
 *     !!! Julia code may have stored the array anywhere (a global, a closure).
 *     !!! Freeing the buffer while Julia still holds the array is a
 *     !!! use-after-free. When in doubt, use jlc_array_adopt().
 *
 * Julia reads and writes the buffer in place. The array cannot be resized
 * from Julia (push!, resize!... throw "cannot resize array with shared
 * data"). data must be aligned for T. `code` must be a bits code (not
 * JLC_STRUCT or JLC_ANY). Allocates (the array header, O(1)).
 * Returns: JLC_ERR_ARG (data is NULL or misaligned, bad code or dims),
 * JLC_EXCEPTION. */
JLC_API jlc_status jlc_array_wrap(jlc_scope scope, void *data, jlc_ctype code, size_t rank,
                                  const size_t *dims, jlc_value *out);

/** Same for an isbits element type given as a Julia type, with elsize =
 * sizeof the C element (checked as for jlc_array_new_of). Returns: also
 * JLC_ERR_TYPE (type is not isbits, or elsize differs). */
JLC_API jlc_status jlc_array_wrap_of(jlc_scope scope, void *data, jlc_value type, size_t elsize,
                                     size_t rank, const size_t *dims, jlc_value *out);

/** Wraps C memory WITHOUT COPYING, in TRANSFERRED mode: on success Julia owns
 * `data`, and when the array is garbage collected (or at jlc_shutdown) a
 * finalizer calls dealloc(data, ctx) exactly once. The caller may use the
 * buffer through the array (borrows, calls) but must not free it. On any
 * failure nothing changes hands: dealloc is never called and the caller
 * still owns data. As with jlc_array_wrap, the array cannot be resized.
 * Returns: JLC_ERR_ARG (data or dealloc NULL, misaligned, bad code/dims),
 * JLC_EXCEPTION. */
JLC_API jlc_status jlc_array_adopt(jlc_scope scope, void *data, jlc_ctype code, size_t rank,
                                   const size_t *dims, jlc_dealloc_fn dealloc, void *ctx,
                                   jlc_value *out);

/** jlc_array_adopt for an isbits element type given as a Julia type. */
JLC_API jlc_status jlc_array_adopt_of(jlc_scope scope, void *data, jlc_value type, size_t elsize,
                                      size_t rank, const size_t *dims, jlc_dealloc_fn dealloc,
                                      void *ctx, jlc_value *out);

/* ------------------------------------------------------------------------ */
/* Inspecting arrays                                                        */
/* ------------------------------------------------------------------------ */

/** What jlc_array_inspect() reports about an array. */
typedef struct jlc_array_info {
    jlc_ctype eltype;  /**< code of the element type (JLC_STRUCT, JLC_ANY for others) */
    size_t elsize;     /**< bytes from one element to the next in memory: the
                        * Julia element size for bits data, sizeof(void *)
                        * for boxed elements */
    size_t rank;       /**< number of dimensions */
    size_t length;     /**< number of elements (product of the dims) */
    bool isbits;       /**< elements are plain bits stored inline: the data can
                        * be borrowed and copied as C memory (rule D) */
    bool boxed;        /**< each element is a pointer to a Julia value (e.g.
                        * Vector{Any}, Vector{String}). isbits and boxed both
                        * false: inline data that holds references or a
                        * union of bits types — handles only */
} jlc_array_info;

/** true if v is an Array (of any element type and rank). Only Array has the
 * layout jlc shares with C; views, ranges and other AbstractArrays do not. */
JLC_API jlc_status jlc_value_is_array(jlc_value v, bool *out);

/** Describes an array. Returns: JLC_ERR_TYPE (not an Array). */
JLC_API jlc_status jlc_array_inspect(jlc_value a, jlc_array_info *out);

/** Writes the rank dims of a into dims[0..rank-1]; *rank (may be NULL)
 * receives the rank. Returns: JLC_ERR_SPACE if cap < rank (dims untouched,
 * *rank still set), JLC_ERR_TYPE. */
JLC_API jlc_status jlc_array_dims(jlc_value a, size_t *dims, size_t cap, size_t *rank);

/** Column-major strides, in elements: strides[0] = 1, strides[k] =
 * strides[k-1] * dims[k-1] (multiply by elsize for bytes). Same contract as
 * jlc_array_dims. */
JLC_API jlc_status jlc_array_strides(jlc_value a, size_t *strides, size_t cap, size_t *rank);

/** The element type of a as a Julia type value (Float64, a struct type...). */
JLC_API jlc_status jlc_array_eltype(jlc_scope scope, jlc_value a, jlc_value *out);

/** Linear index of the N-d index idx[0..nidx-1] (0-based, column-major).
 * Returns: JLC_ERR_ARG if nidx differs from the rank, JLC_ERR_BOUNDS if any
 * idx[k] >= dims[k], JLC_ERR_TYPE. */
JLC_API jlc_status jlc_array_index(jlc_value a, size_t nidx, const size_t *idx, size_t *out);

/* ------------------------------------------------------------------------ */
/* Borrowing the data                                                       */
/* ------------------------------------------------------------------------ */

/** Borrows a's data for reading: *data points to element 0 (elements are
 * elsize apart, column-major). The borrow belongs to `scope` and ends at
 * jlc_borrow_release() or when scope closes; the array is kept alive until
 * then. Never allocates from Julia or the heap.
 * Returns: JLC_ERR_TYPE (not an Array, not bits data, or code/elsize differ
 * from the element type: rule C), JLC_ERR_BORROW (a mutable borrow of the
 * same data is live), JLC_ERR_NOMEM (JLC_BORROW_MAX borrows already live).
 * Lifetime: *data is valid while the borrow is (see rule F). */
JLC_API jlc_status jlc_array_borrow(jlc_scope scope, jlc_value a, jlc_ctype code, size_t elsize,
                                    jlc_borrow *borrow, const void **data);

/** Borrows a's data for reading and writing. Returns: JLC_ERR_BORROW if any
 * other borrow of the same data is live; otherwise as jlc_array_borrow. */
JLC_API jlc_status jlc_array_borrow_mut(jlc_scope scope, jlc_value a, jlc_ctype code,
                                        size_t elsize, jlc_borrow *borrow, void **data);

/* jlc_borrow_data, jlc_borrow_release and jlc_borrow_count (jlc.h) work on
 * array borrows. */

/* ------------------------------------------------------------------------ */
/* Elements                                                                 */
/* ------------------------------------------------------------------------ */

/** Copies element i of a bits array into *out (elsize bytes).
 * Returns: JLC_ERR_BOUNDS (i >= length), JLC_ERR_TYPE (rule C/D),
 * JLC_ERR_BORROW (a mutable borrow is live). */
JLC_API jlc_status jlc_array_get(jlc_value a, size_t i, jlc_ctype code, size_t elsize, void *out);

/** Stores *x (elsize bytes) as element i of a bits array.
 * Returns: JLC_ERR_BOUNDS, JLC_ERR_TYPE, JLC_ERR_ARG (a JLC_BOOL value
 * other than 0 or 1), JLC_ERR_BORROW (any borrow is live). */
JLC_API jlc_status jlc_array_set(jlc_value a, size_t i, jlc_ctype code, size_t elsize,
                                 const void *x);

/** The same with an N-d index (see jlc_array_index for its statuses). */
/** @{ */
JLC_API jlc_status jlc_array_get_nd(jlc_value a, size_t nidx, const size_t *idx, jlc_ctype code,
                                    size_t elsize, void *out);
JLC_API jlc_status jlc_array_set_nd(jlc_value a, size_t nidx, const size_t *idx, jlc_ctype code,
                                    size_t elsize, const void *x);
/** @} */

/** Element i of any array as a handle in scope (bits elements are boxed:
 * allocates). Returns: JLC_ERR_BOUNDS, JLC_ERR_TYPE (not an Array),
 * JLC_ERR_BORROW (a mutable borrow is live), JLC_EXCEPTION (UndefRefError:
 * the element is unassigned). */
JLC_API jlc_status jlc_array_get_value(jlc_scope scope, jlc_value a, size_t i, jlc_value *out);

/** Stores x as element i of any array, with the GC write barrier. x must
 * already be of the element type (no conversion). Returns: JLC_ERR_BOUNDS,
 * JLC_ERR_TYPE (not an Array, or x is not an eltype), JLC_ERR_BORROW (any
 * borrow is live). */
JLC_API jlc_status jlc_array_set_value(jlc_value a, size_t i, jlc_value x);

/** Copies n elements starting at linear index first from a bits array into
 * buf (n * elsize bytes). buf may be NULL only if n is 0.
 * Returns: JLC_ERR_BOUNDS (first + n > length), JLC_ERR_TYPE,
 * JLC_ERR_BORROW (a mutable borrow is live). */
JLC_API jlc_status jlc_array_copy_out(jlc_value a, size_t first, size_t n, jlc_ctype code,
                                      size_t elsize, void *buf);

/** Copies n elements from buf into a bits array starting at linear index
 * first. Returns: as jlc_array_copy_out; JLC_ERR_ARG (a JLC_BOOL byte other
 * than 0 or 1: nothing copied); JLC_ERR_BORROW if any borrow is live. */
JLC_API jlc_status jlc_array_copy_in(jlc_value a, size_t first, size_t n, jlc_ctype code,
                                     size_t elsize, const void *buf);

#ifdef __cplusplus
}
#endif
#endif

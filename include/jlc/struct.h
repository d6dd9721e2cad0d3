/** @file jlc/struct.h
 * Julia structs mapped to C structs — included by jlc.h; do not include
 * directly. Guide: docs/structs.md.
 *
 * A mapped struct is described by a jlc_struct_layout: the Julia type, its
 * size and alignment, and every field's name, Julia type, offset and size.
 * The command jlc-reflect writes a C header with the typedef, compile-time
 * checks (_Static_assert on size, alignment and every offset) and this
 * descriptor; jlc checks the descriptor against the live Julia type at run
 * time. Rules for this whole section:
 *
 *  S1. A layout is checked against Julia before jlc uses it: by
 *      jlc_struct_register(), or else on its first use by any function here.
 *      Checked means: the type expression names a concrete struct DataType
 *      (not a primitive type); its size, alignment, mutability, field count,
 *      and every field's name, offset, size, kind and Julia type agree (type
 *      names compared ignoring spaces: Julia 1.5 prints Tuple{Int8,Int8},
 *      later releases Tuple{Int8, Int8}). A mismatch is JLC_ERR_TYPE, and
 *      jlc_last_error() names the first field that differs and both sides
 *      (e.g. a header not regenerated after the Julia file changed). Fields
 *      jlc cannot map are refused the same way, with the reason: `@atomic`
 *      fields (Julia 1.7+), and inline immutable structs that hold
 *      references (Tuple{Int64, String} as a field). The result is
 *      remembered per descriptor address (up to 4096 descriptors; beyond
 *      that a layout is checked at each use), so later uses cost one
 *      lookup without a lock; a layout that failed is checked again on its
 *      next use. Functions here that take no scope (unbox, field read and
 *      write) may also return, on a layout's first use, the statuses of
 *      jlc_struct_register: JLC_ERR_NOT_FOUND, and JLC_EXCEPTION described
 *      in jlc_last_error() but not kept (no scope to root it in); register
 *      layouts first to keep such failures in one place.
 *  S2. Descriptors must stay valid and unchanged for the rest of the
 *      process (jlc-reflect emits them as static const data).
 *  S3. Copies in and out (box, unbox, field access) need every field to be
 *      plain bits (JLC_FIELD_BITS or JLC_FIELD_UNION). A layout with a
 *      reference field (JLC_FIELD_REF: String, Vector, an abstract type...)
 *      can be registered, and its reference fields are reached as handles
 *      with jlc_field_get / jlc_field_set; copying the whole struct is
 *      JLC_ERR_TYPE naming the field.
 *  S4. A bits-union field (Union{Int32, Float64} stored inline) is size
 *      bytes: a payload of size - 1 bytes (the largest member's size, not
 *      rounded up to any alignment), then the selector byte, the field's
 *      last byte (offset + size - 1): the index (0-based) of the member
 *      type held, in the order of jlc_field_layout.union_types, which is
 *      Julia's order (Base.uniontypes: Union{Int32, Float64} lists Float64
 *      first). The member's value starts at the payload's first byte; the
 *      payload bytes past it are unspecified. Measured on Julia 1.5 by
 *      reading memory: Union{Int32, Float64} at offset 8 has its selector
 *      at 16 and the next Int16 field at 18; Union{Nothing, Int16, Int8} is
 *      2 + 1 bytes. Julia 1.10 and 1.11 compute field sizes with the same
 *      rule (datatype.c, "fsz += 1; // selector byte"), and jlc reads each
 *      field's size from Julia rather than assuming it. Boxing and field
 *      writes refuse a selector out of range, and a Bool byte other than 0
 *      or 1 anywhere in the copied bytes (nested structs and tuples too),
 *      with JLC_ERR_ARG naming the field.
 *  S5. Arrays of a mapped struct follow the array rules of jlc/array.h
 *      (borrows, rule E); their element type must be the layout's type,
 *      and that type must be isbits: not mutable (a Vector of a mutable
 *      struct holds references), no reference or bits-union field (Julia
 *      does not store those as plain C structs). Otherwise JLC_ERR_TYPE.
 *
 * Threads: every function here may be called from any thread that may use
 * jlc; the cache of checked layouts is shared by all threads.
 */
#ifndef JLC_STRUCT_H
#define JLC_STRUCT_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

/** Version of the descriptor format below; jlc-reflect writes it into every
 * layout and jlc refuses another (JLC_ERR_ARG: regenerate the header). */
#define JLC_STRUCT_LAYOUT_ABI 1

/** How a field is stored in its struct. */
typedef enum jlc_field_kind {
    JLC_FIELD_BITS = 1,  /**< plain bits stored inline: numbers, Bool, Char,
                          *   Float16, Ptr, nested isbits structs, tuples */
    JLC_FIELD_UNION = 2, /**< an inline union of bits types: payload, then a
                          *   selector byte (rule S4) */
    JLC_FIELD_REF = 3    /**< a reference to a Julia object (a pointer the GC
                          *   owns): reached through handles only */
} jlc_field_kind;

/** One field of a mapped struct. */
typedef struct jlc_field_layout {
    const char *name;   /**< the Julia field name */
    const char *type;   /**< the field's Julia type, as `string(fieldtype(T, i))`
                         *   prints it */
    size_t offset;      /**< byte offset in the struct (Julia's fieldoffset) */
    size_t size;        /**< bytes the field occupies: sizeof the type for
                         *   BITS, payload + 1 selector byte for UNION,
                         *   sizeof(void *) for REF */
    jlc_field_kind kind; /**< how the field is stored */
    size_t nunion;      /**< UNION only: number of member types, else 0 */
    const char *const *union_types; /**< UNION only: the member types in
                         *   selector order, as Julia prints them; else NULL */
} jlc_field_layout;

/** A mapped struct: what jlc-reflect writes and jlc checks (rule S1). */
typedef struct jlc_struct_layout {
    int abi;                 /**< JLC_STRUCT_LAYOUT_ABI */
    const char *type;        /**< the Julia type as an expression evaluated in
                              *   Main: "Point{Float64}", "MyPkg.Particle" */
    size_t size;             /**< Julia's sizeof(T) */
    size_t align;            /**< Julia's alignment of T */
    bool is_mutable;         /**< T is a mutable struct */
    size_t nfields;          /**< number of fields (Julia's fieldcount) */
    const jlc_field_layout *fields; /**< nfields descriptions, in order */
} jlc_struct_layout;

/** Checks layout against the live Julia type (rule S1) and gives the type.
 * Returns: JLC_OK; JLC_ERR_TYPE (a mismatch, named in jlc_last_error(); or
 * the expression names no concrete DataType); JLC_ERR_NOT_FOUND (a name in
 * the type expression is not defined); JLC_EXCEPTION (evaluating the type
 * expression threw: the exception is rooted in scope); JLC_ERR_ARG (layout
 * NULL or its abi is not JLC_STRUCT_LAYOUT_ABI; its type, a field's name or
 * type, or a union field's member list NULL; an invalid kind; type_out NULL
 * is allowed); JLC_ERR_NOMEM; [entry]; [handles]. Allocates on a layout's
 * first use. Lifetime: *type_out lives in scope. */
JLC_API jlc_status jlc_struct_register(jlc_scope scope, const jlc_struct_layout *layout,
                                       jlc_value *type_out);

/** Copies the Julia value v, whose type must be the layout's, into the C
 * struct at out (cap bytes, at least layout->size).
 * Returns: JLC_OK; JLC_ERR_TYPE (v is not of the layout's type; a reference
 * field, rule S3; a layout mismatch, rule S1); JLC_ERR_ARG (layout or out
 * NULL, cap too small); on a layout's first use also JLC_ERR_NOT_FOUND and
 * JLC_EXCEPTION (rule S1); [entry]; [handles]. Allocates only on a layout's
 * first use. Nothing is written to out on failure. */
JLC_API jlc_status jlc_struct_unbox(jlc_value v, const jlc_struct_layout *layout, void *out,
                                    size_t cap);

/** A new Julia value of the layout's type holding a copy of the C struct at
 * in (size bytes, at least layout->size). A mutable struct is a new object.
 * Returns: JLC_OK; JLC_ERR_TYPE (a reference field, rule S3; a layout
 * mismatch); JLC_ERR_ARG (layout, in or out NULL, size too small, a union
 * selector out of range or a Bool byte other than 0 or 1, rule S4);
 * JLC_ERR_NOT_FOUND, JLC_EXCEPTION (the layout's first use, as
 * jlc_struct_register); [entry]; [handles]. Allocates. Lifetime: *out lives
 * in scope. */
JLC_API jlc_status jlc_struct_box(jlc_scope scope, const jlc_struct_layout *layout,
                                  const void *in, size_t size, jlc_value *out);

/** Reads field i (0-based, as in layout->fields) of v, a value of the
 * layout's type (immutable or mutable), into out (cap bytes, at least the
 * field's size; a UNION field is read with its selector, rule S4).
 * Returns: JLC_OK; JLC_ERR_ARG (i out of range, layout or out NULL, cap too
 * small); JLC_ERR_TYPE (v not of the layout's type; field i is a reference:
 * use jlc_field_get; a layout mismatch); on a layout's first use also
 * JLC_ERR_NOT_FOUND and JLC_EXCEPTION (rule S1); [entry]; [handles]. */
JLC_API jlc_status jlc_struct_field_read(jlc_value v, const jlc_struct_layout *layout, size_t i,
                                         void *out, size_t cap);

/** Writes field i of the mutable struct v in place from in (size bytes,
 * exactly the field's size). Julia code sees the change at once.
 * Only plain bits are written, so no GC write barrier is needed; reference
 * fields are never written from C memory.
 * Returns: JLC_OK; JLC_ERR_ARG (i out of range, layout or in NULL, size
 * wrong, a union selector out of range or a Bool byte other than 0 or 1);
 * JLC_ERR_TYPE (v not of the layout's type; the type is immutable; field i
 * is a reference: use jlc_field_set; field i is `const`, Julia 1.8+; a
 * layout mismatch); on a layout's first use also JLC_ERR_NOT_FOUND and
 * JLC_EXCEPTION (rule S1); [entry]; [handles]. Nothing is written on
 * failure. */
JLC_API jlc_status jlc_struct_field_write(jlc_value v, const jlc_struct_layout *layout, size_t i,
                                          const void *in, size_t size);

/** Wraps n C structs at data as a Julia Vector of the layout's type, without
 * copying (as jlc_array_wrap: the memory stays the caller's and must outlive
 * every Julia use of the array; data must be aligned for the type). data
 * may be NULL when n is 0. Bytes are not checked (rule S4 applies to box
 * and field writes only): C must store valid Bools and selectors.
 * Returns: JLC_OK; JLC_ERR_TYPE (a reference field: Julia would read C
 * memory as GC pointers; not isbits, rule S5; a layout mismatch);
 * JLC_ERR_ARG (data NULL with n > 0, misaligned; layout or out NULL);
 * JLC_ERR_NOT_FOUND, JLC_EXCEPTION (the layout's first use);
 * [entry]; [handles]. Allocates. Lifetime: *out lives in scope. */
JLC_API jlc_status jlc_struct_array_wrap(jlc_scope scope, const jlc_struct_layout *layout,
                                         void *data, size_t n, jlc_value *out);

/** Borrows the data of a, an Array of the layout's type (any rank), as C
 * structs: *data points at the first, *n is the element count. writable
 * asks for a mutable borrow (array rule E). Returns: JLC_OK; JLC_ERR_TYPE (a
 * is not an Array of the layout's type; a reference field or not isbits,
 * rule S5; a layout mismatch); JLC_ERR_BORROW (conflicts with a live
 * borrow); JLC_ERR_NOMEM (JLC_BORROW_MAX borrows live); JLC_ERR_ARG (a NULL
 * pointer argument); JLC_ERR_NOT_FOUND, JLC_EXCEPTION (the layout's first
 * use); [entry]; [handles]. Never allocates after the layout's first use.
 * Lifetime: *data is valid while the borrow lives (array rule F); the
 * borrow ends at jlc_borrow_release() or when scope closes. */
JLC_API jlc_status jlc_struct_array_borrow(jlc_scope scope, jlc_value a,
                                           const jlc_struct_layout *layout, bool writable,
                                           jlc_borrow *b, void **data, size_t *n);

#ifdef __cplusplus
}
#endif
#endif

/**
 * \file
 * jlc/cfunc.h — included by jlc.h; do not include directly.
 *
 * Typed calls: a Julia function and a C signature become a C function
 * pointer that the caller casts and calls directly, with no dispatch, boxing
 * or handles. Guide: docs/typed-calls.md.
 *
 * Rules for every pointer made here:
 *  - Valid from creation until jlc_shutdown(), whatever scope was passed to
 *    create it (the scope only receives exceptions of the creation itself).
 *    Calling one after jlc_shutdown() is undefined.
 *  - Cached per (function, signature, flags): asking again returns the same
 *    pointer, cheaply.
 *  - Call it only from a thread allowed to call Julia (the jlc_init thread,
 *    or a thread Julia runs code on). A pointer does not check: from any other
 *    thread the call is undefined (Julia 1.5's own rule for `@cfunction`).
 *  - It may run Julia's garbage collector and any Julia code, like jlc_call;
 *    values held by handles and references stay safe.
 *
 * Checked pointers (the default) never let a Julia exception unwind into C:
 *
 *     R f(A1, ..., An)   becomes   jlc_status f(A1, ..., An, R *out)
 *
 * (no out parameter when R is void). On success they return JLC_OK and write
 * *out; on a Julia exception they return JLC_EXCEPTION, leave *out untouched,
 * set jlc_last_error() to the exception's message and keep the exception for
 * jlc_cfunc_exception(). out must point to writable memory.
 *
 * Unchecked pointers (JLC_CFUNC_UNCHECKED) have the plain signature R f(A...).
 * If the Julia code throws, the exception longjmps to the innermost Julia
 * exception handler on the thread, skipping every C frame in between without
 * running any cleanup in them; with no handler at all Julia prints the error
 * and ends the process. Call them only for functions that cannot throw, or
 * inside jlc_protect(), which provides that handler.
 */
#ifndef JLC_CFUNC_H
#define JLC_CFUNC_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

/** Type codes for jlc_cfunc_new_typed(): a jlc_ctype (JLC_VOID, JLC_BOOL,
 * JLC_INT8 ... JLC_UINT64, JLC_FLOAT32, JLC_FLOAT64, JLC_STRUCT; JLC_VOID only
 * as the return type or a pointee), optionally combined with these flags. */
enum {
    JLC_TYPE_PTR = 0x100,  /**< pointer to the base type, T* as Ptr{T}
                                (JLC_TYPE_PTR | JLC_VOID is void *, Ptr{Cvoid}) */
    JLC_TYPE_CONST = 0x200 /**< with JLC_TYPE_PTR | JLC_STRUCT, the Julia function
                                receives the struct's value (the wrapper loads it);
                                ignored on other types */
};

/** Flags for creating pointers. */
enum {
    JLC_CFUNC_CHECKED = 0,      /**< default: status return, exceptions caught */
    JLC_CFUNC_UNCHECKED = 1,    /**< plain signature; see the header comment */
    JLC_CFUNC_NO_ELISION = 2,   /**< never use the fast paths (see
                                     jlc_cfunc_flags): always Julia's `@cfunction`
                                     entry and, if checked, the exception handler */
    JLC_CFUNC_NOTHROW = 0x100,  /**< reported by jlc_cfunc_flags, never passed */
    JLC_CFUNC_DIRECT = 0x200    /**< reported by jlc_cfunc_flags, never passed */
};

/** Most arguments a typed call may take. */
#define JLC_CFUNC_MAX_ARGS 16

/** A C function pointer calling f with the C signature given as text:
 *
 *     "double(double, double)"   "void(double *, int64_t)"   "int32_t(void)"
 *     "double(const struct Point *)"   "bool(struct Geo.Point *, uint8_t n)"
 *
 * Types: int8_t ... int64_t, uint8_t ... uint64_t, float, double, bool (or
 * _Bool), void (return only), and pointers T * to any of these (one level;
 * void * for anything else), which f receives as Ptr{T}. `struct Name *` is
 * Ptr{Name}; `const struct Name *` passes the struct's value instead. Name is a
 * Julia isbits struct type found like jlc_global_lookup() finds a path ("Point" in
 * Main, or "Geo.Point"). Parameter names and const on scalars are allowed and
 * ignored. A method of f for the Julia types must exist now: it is compiled
 * here, not on the first call.
 *
 * Flags: JLC_CFUNC_CHECKED (0), JLC_CFUNC_UNCHECKED, JLC_CFUNC_NO_ELISION.
 * *out receives the pointer; convert it to the C function type (checked
 * form above): a cast, or memcpy in strict ISO C, which has no cast from
 * void * to a function pointer (docs/typed-calls.md).
 * Returns: JLC_ERR_ARG (malformed signature; the offset of the problem is in
 * jlc_last_error()), JLC_ERR_UNSUPPORTED (a type jlc cannot pass: long, char,
 * struct by value, double **, more than JLC_CFUNC_MAX_ARGS arguments...; also
 * a struct that is not isbits), JLC_ERR_NOT_FOUND (no method of f for those
 * types, or an unknown struct name; the signature is in the text),
 * JLC_ERR_TYPE (f is not callable, a struct name is not a type, or f returns a
 * type that cannot convert to the C return type), JLC_EXCEPTION (compiling
 * threw; rooted in scope).
 * Ownership: nothing to free. Lifetime: *out is valid until jlc_shutdown().
 * Allocates. Julia compiles the wrappers: measured 50-200 ms for a new
 * pointer (up to about a second for the first one in a process, which also
 * compiles jlc's helpers), a table lookup (about 2 us) for a cached one.
 * Threads: a thread allowed to call Julia. */
JLC_API jlc_status jlc_cfunc_new(jlc_scope scope, jlc_value f, const char *signature,
                                 unsigned flags, void **out);

/** The same with the signature as type codes: ret and args[0..nargs-1] are
 * jlc_ctype values. struct_types holds the Julia type of each JLC_STRUCT code
 * in order of appearance (return first); it may be NULL when there is none.
 * Returns: as jlc_cfunc_new; JLC_ERR_ARG for an invalid code, a missing struct
 * type, or args NULL with nargs > 0. */
JLC_API jlc_status jlc_cfunc_new_typed(jlc_scope scope, jlc_value f, int ret, size_t nargs,
                                       const int *args, const jlc_value *struct_types,
                                       unsigned flags, void **out);

/** What a pointer made by jlc is: its creation flags, plus these two:
 *
 * JLC_CFUNC_NOTHROW if jlc proved, when creating it, that the call cannot
 * throw, allocate or dispatch dynamically (plain arithmetic, comparisons, loads
 * through pointers, and calls of methods that qualify in turn). A checked
 * pointer then has no exception handler and costs what an unchecked one
 * costs. It stays safe when methods change: while Julia's world counter
 * (bumped by every new method anywhere) differs from the one the proof was made
 * in, calls take the handled path through `@cfunction`; the fast path comes back
 * at the first such call if the compiled code is still current, and never again
 * once a method it depends on was redefined (the pointer keeps working, through
 * that path).
 *
 * JLC_CFUNC_DIRECT if the pointer enters Julia's compiled code through jlc's
 * own entry instead of `@cfunction`'s, which spends most of a call's time
 * looking up Julia's thread state. Which pointers qualify depends on the Julia
 * release and the platform (docs/typed-calls.md): on 1.5, those with
 * JLC_CFUNC_NOTHROW; on 1.10 and 1.11 on x86-64 Linux, all but
 * JLC_CFUNC_NO_ELISION ones whose parameters all travel in registers (at most
 * six integer or pointer parameters, out included, and eight float ones);
 * elsewhere none. The behaviour is the same either way.
 *
 * Returns: JLC_ERR_NOT_FOUND (fn was not made by jlc). Does not run Julia. */
JLC_API jlc_status jlc_cfunc_flags(const void *fn, unsigned *out);

/** The exception that the latest failing checked pointer call on this thread
 * caught, as a handle in scope. It also becomes the thread's latest exception,
 * so jlc_exception_get() returns it and jlc_exception_text(..., true) renders it
 * with its backtrace. The exception is handed over once: jlc keeps it alive
 * from the failing call until this call moves it into scope (or until the next
 * failing checked call on this thread replaces it); afterwards jlc_exception_get()
 * returns it while scope is open. Returns: JLC_ERR_NOT_FOUND if no checked call
 * failed on this thread since the last jlc_cfunc_exception(). */
JLC_API jlc_status jlc_cfunc_exception(jlc_scope scope, jlc_value *out);

/* jlc_protect() (jlc.h) runs unchecked pointers under one handler. */

/** Batched call: for i in 0..n-1, out[i] = f(in[0][i], in[1][i], ...), in one
 * call into Julia. The signature is f's element signature, e.g.
 * "double(double, double)": in[k] points to n values of parameter k's C type
 * and out to n values of the return type (out may be NULL for void). Here a
 * parameter or return may also be a struct by value ("struct Point"), meaning
 * an array of those structs; `const struct Point *` means an array of
 * pointers to structs whose values f receives. The loop is compiled once per
 * (f, signature) and cached. On JLC_EXCEPTION the elements before the failing
 * one have been written. n may be 0 (nothing is read). Ownership: in and out
 * stay the caller's; jlc reads and writes them only during this call and
 * keeps no reference to them. Returns: as
 * jlc_cfunc_new, plus JLC_ERR_ARG for a NULL array, JLC_EXCEPTION (rooted in
 * scope). Allocates. Threads: a thread allowed to call Julia. */
JLC_API jlc_status jlc_cfunc_map(jlc_scope scope, jlc_value f, const char *signature, size_t n,
                                 const void *const *in, void *out);

#ifdef __cplusplus
}
#endif
#endif

/* sig.h — C signatures of typed calls: their representation and kinds, the text parser, type codes, rendering. */
#ifndef JLC_CFUNC_SIG_H
#define JLC_CFUNC_SIG_H

#include "base.h"

/* Slot 0 is the return type, slots 1..nargs the parameters. */
#define JLC__SIG_SLOTS (JLC_CFUNC_MAX_ARGS + 1)

/* A signature as type codes (jlc_ctype | JLC_TYPE_PTR | JLC_TYPE_CONST, see
 * jlc/cfunc.h) plus the Julia struct type of every JLC_STRUCT slot. Struct
 * types are rooted by the bindings they were found in or by the caller's
 * handles, and by the support module once a pointer is made. */
typedef struct jlc__sig {
    uint32_t nargs;
    uint16_t codes[JLC__SIG_SLOTS];
    jl_value_t *stypes[JLC__SIG_SLOTS]; /* NULL unless the slot is a struct */
} jlc__sig;

/* The kind of pointer made for a signature: the creation flags
 * JLC_CFUNC_UNCHECKED and JLC_CFUNC_NO_ELISION, or JLC__KIND_MAP for the
 * kernel of a batched call. Part of the key pointers are cached under. */
#define JLC__KIND_MAP 4u

JLC__INLINE int jlc__sig_base(uint16_t code) { return code & 0xff; }

/* Where the struct names of a parsed signature are in its text, so that
 * jlc__sig_resolve can look them up (after parsing, which never calls Julia)
 * and name them in errors. */
typedef struct jlc__sig_names {
    const char *text;
    const char *at[JLC__SIG_SLOTS];
    size_t len[JLC__SIG_SLOTS];
} jlc__sig_names;

/* What jlc__sig_parse admits beyond typed calls' types: structs by value
 * (batched calls only), and the handle words of exports (src/export): a
 * `jlc_value` (code JLC_ANY) anywhere and a `jlc_scope` (code
 * JLC__CODE_SCOPE) as the first parameter, neither behind a pointer. */
#define JLC__SIG_BYVAL 1
#define JLC__SIG_HANDLES 2
#define JLC__CODE_SCOPE 0xfe

/* Parses C text such as "double(const struct Point *, int64_t n)"; flags are
 * JLC__SIG_* bits. Never calls Julia. Returns JLC_ERR_ARG (malformed) or
 * JLC_ERR_UNSUPPORTED, with the offset of the problem in the error text. */
JLC__HIDDEN jlc_status jlc__sig_parse(const char *text, int flags, jlc__sig *sig,
                                      jlc__sig_names *names);

/* Looks up the struct names of a parsed signature (like jlc_lookup) and
 * checks that each is an isbits struct type. Returns JLC_ERR_NOT_FOUND,
 * JLC_ERR_TYPE, JLC_ERR_UNSUPPORTED (not isbits), JLC_EXCEPTION (rooted in sc). */
JLC__HIDDEN jlc_status jlc__sig_resolve(jlc__scope *sc, const jlc__sig_names *names, jlc__sig *sig);

/* Builds a signature from type codes (jlc_cfunc_new_typed): ret, args[0..n-1],
 * struct types in order of appearance. Returns JLC_ERR_ARG (bad code, missing
 * struct type), JLC_ERR_UNSUPPORTED, JLC_ERR_TYPE, the handle statuses. */
JLC__HIDDEN jlc_status jlc__sig_from_codes(int ret, size_t nargs, const int *args,
                                           const jlc_value *struct_types, jlc__sig *sig);

/* The signature as C text, e.g. "double(const struct Point *, int64_t)". */
JLC__HIDDEN void jlc__sig_render(const jlc__sig *sig, char *buf, size_t cap);

/* How slot i reaches the Julia function: JLC__PASS_VALUE (T), JLC__PASS_PTR
 * (Ptr{T}), JLC__PASS_LOAD (a pointer to a struct whose value f receives). */
enum { JLC__PASS_VALUE = 0, JLC__PASS_PTR = 1, JLC__PASS_LOAD = 2 };
JLC__HIDDEN int jlc__sig_pass(const jlc__sig *sig, uint32_t i);

/* The Julia type of slot i's base type (Float64, Cvoid, the struct type). */
JLC__HIDDEN jl_value_t *jlc__sig_julia_base(const jlc__sig *sig, uint32_t i);

#endif

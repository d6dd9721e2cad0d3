/*
 * typed.h — what the files of src/cfunc share: C signatures (parsed from
 * text or given as codes), the table of pointers made, and the bridge that
 * asks the Julia side (support/cfunc.jl) for new ones. Internal to src/cfunc.
 */
#ifndef JLC_CFUNC_TYPED_H
#define JLC_CFUNC_TYPED_H

#include "base.h"

#define NSLOTS (JLC_CFUNC_MAX_ARGS + 1)
/* A batched-call kernel (jlc_cfunc_map), kept apart from pointers in the table. */
#define MAP_KIND 4u

/* A C signature: jlc_ctype codes (with JLC_TYPE_PTR / JLC_TYPE_CONST). */
typedef struct csig {
    uint32_t nargs;
    uint16_t codes[NSLOTS];     /* [0] is the return type */
    jl_value_t *stypes[NSLOTS]; /* Julia struct type of a JLC_STRUCT code, else NULL */
} csig;

/* Parser state: the text and the struct names as written (looked up after
 * parsing). */
typedef struct parser {
    const char *text, *p;
    const char *sname[NSLOTS]; /* struct names as written, for lookup after parsing */
    size_t slen[NSLOTS];
} parser;

/* sig.c: parses "R(A1, A2...)" into sig. allow_byval: structs by value (for
 * batched calls). JLC_ERR_ARG (malformed, offset in the text),
 * JLC_ERR_UNSUPPORTED (a type jlc cannot pass). */
JLC__HIDDEN jlc_status jlc__sig_parse(parser *ps, const char *text, csig *sig, int allow_byval);
/* sig.c: looks up the struct names of a parsed signature (rooted by the
 * bindings they are found in). JLC_ERR_NOT_FOUND, JLC_ERR_TYPE. */
JLC__HIDDEN jlc_status jlc__sig_resolve_structs(jlc__scope *sc, parser *ps, csig *sig);
/* sig.c: the signature as C text, e.g. "double(const struct Point *, int64_t)". */
JLC__HIDDEN void jlc__sig_render(const csig *sig, char *buf, size_t cap);
static inline int base_of(uint16_t code) { return code & 0xff; }

/* table.c: the pointers made, by (function, signature, kind). The table's
 * mutex is never held while Julia runs (a thread blocked on a C mutex cannot
 * reach a GC safepoint). */
typedef struct centry {
    struct centry *next;
    jl_value_t *f;
    unsigned kind; /* JLC_CFUNC_UNCHECKED / NO_ELISION bits, MAP_KIND */
    csig sig;
    void *ptr;
    unsigned info; /* what jlc_cfunc_flags reports */
} centry;
JLC__HIDDEN centry *jlc__cfunc_table_find(jl_value_t *f, unsigned kind, const csig *sig);
/* Inserts unless an equal key arrived first; returns the entry in the table. */
JLC__HIDDEN centry *jlc__cfunc_table_insert(centry *n);
/* The info of a pointer made by jlc (not a map kernel); 0 if unknown. */
JLC__HIDDEN int jlc__cfunc_table_info(const void *fn, unsigned *info);

/* bridge.c: the pointer for (f, sig, kind), from the table or made by Julia. */
JLC__HIDDEN jlc_status jlc__cfunc_pointer(jlc__scope *sc, jl_value_t *f, const csig *sig, unsigned kind,
                                        void **out);

#endif

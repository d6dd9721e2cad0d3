/* table.h — the table of typed-call pointers made so far, keyed by (function, signature, kind). */
#ifndef JLC_CFUNC_TABLE_H
#define JLC_CFUNC_TABLE_H

#include "sig.h"

typedef struct jlc__centry {
    struct jlc__centry *next;
    jl_value_t *f; /* kept alive by the support module (its registry) */
    unsigned kind; /* JLC__KIND_MAP or creation flags (sig.h) */
    jlc__sig sig;
    void *ptr;
    unsigned info; /* what jlc_cfunc_flags reports */
} jlc__centry;

/* The entry for the key, or NULL. Never calls Julia. */
JLC__HIDDEN jlc__centry *jlc__table_find(jl_value_t *f, unsigned kind, const jlc__sig *sig);

/* Inserts n (malloc'd, owned by the table once inserted) unless an equal key
 * arrived first; returns the entry now in the table (n, or the earlier one:
 * then the caller frees n). */
JLC__HIDDEN jlc__centry *jlc__table_insert(jlc__centry *n);

/* The info of the typed-call pointer ptr (map kernels excluded); 0 if none. */
JLC__HIDDEN int jlc__table_info(const void *ptr, unsigned *info);

/* The typed-call pointer for (f, sig, kind) into *out: from the table, or
 * made by Julia and inserted (cfunc.c). f must be rooted by the caller. */
JLC__HIDDEN jlc_status jlc__cfunc_pointer(jlc__scope *sc, jl_value_t *f, const jlc__sig *sig,
                                          unsigned kind, void **out);

#endif

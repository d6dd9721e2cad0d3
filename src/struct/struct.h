/*
 * struct.h — what the files of src/struct share: the checked form of a
 * layout descriptor (jlc__sinfo) and its per-descriptor cache (rule S1 of
 * include/jlc/struct.h), and the common argument checks. Internal to
 * src/struct.
 *
 * The cache maps a descriptor's address to its jlc__sinfo. Reads take no
 * lock: an open-addressing table of pointers, each slot written once (under
 * a mutex) with a release store and read with an acquire load; entries are
 * never removed (descriptors live for the process, rule S2), so a reader
 * that finds a NULL slot has seen every entry inserted before it on that
 * probe path. The DataType in an entry is rooted on the Julia side
 * (StructSupport.CHECKED).
 */
#ifndef JLC_STRUCT_STRUCT_H
#define JLC_STRUCT_STRUCT_H

#include "base.h"

#include <string.h>

/* A byte of a mapped struct whose value is restricted: a Bool (0 or 1) or
 * a bits union's selector (0 .. members - 1), anywhere in the struct
 * (nested structs and tuples included). Boxing and field writes check them. */
typedef struct jlc__scheck {
    uint32_t offset; /* from the start of the struct */
    uint32_t field;  /* top-level field holding it, for the message */
    uint8_t max;     /* largest valid value */
    uint8_t is_selector;
} jlc__scheck;

/* A layout checked against Julia. */
typedef struct jlc__sinfo {
    const jlc_struct_layout *layout; /* the key: the descriptor's address */
    jl_datatype_t *type;             /* rooted by StructSupport.CHECKED */
    int32_t first_ref;               /* first JLC_FIELD_REF field, -1 if none */
    uint8_t is_mutable;
    uint8_t isbits; /* jl_isbits(type): arrays of it hold plain C structs */
    uint32_t nchecks;
    const jlc__scheck *checks;
} jlc__sinfo;

#define JLC__SCACHE_BITS 12
#define JLC__SCACHE_SIZE (1u << JLC__SCACHE_BITS)
extern JLC__HIDDEN jlc__sinfo *jlc__scache[JLC__SCACHE_SIZE];

JLC__INLINE uint32_t jlc__scache_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> (64 - JLC__SCACHE_BITS));
}

/* The cached entry of layout, or NULL. */
JLC__INLINE const jlc__sinfo *jlc__scache_find(const jlc_struct_layout *layout)
{
    uint32_t h = jlc__scache_hash(layout);
    for (uint32_t k = 0; k < JLC__SCACHE_SIZE; k++) {
        const jlc__sinfo *s = __atomic_load_n(&jlc__scache[(h + k) & (JLC__SCACHE_SIZE - 1)],
                                              __ATOMIC_ACQUIRE);
        if (JLC__LIKELY(s && s->layout == layout)) return s;
        if (!s) return NULL;
    }
    return NULL;
}

/* Checks layout against Julia (rule S1) and caches the result. sc receives
 * a Julia exception of the check; NULL: the exception is described in
 * jlc_last_error() but not kept. Statuses as jlc_struct_register. */
JLC__HIDDEN jlc_status jlc__struct_check(jlc__scope *sc, const jlc_struct_layout *layout,
                                         const jlc__sinfo **out);

/* The checked form of layout: one lookup after its first use. */
JLC__INLINE jlc_status jlc__struct_info(jlc__scope *sc, const jlc_struct_layout *layout,
                                        const jlc__sinfo **out)
{
    if (JLC__UNLIKELY(!layout)) return jlc__fail(JLC_ERR_ARG, "layout is NULL");
    const jlc__sinfo *s = jlc__scache_find(layout);
    if (JLC__LIKELY(s != NULL)) {
        *out = s;
        return JLC_OK;
    }
    return jlc__struct_check(sc, layout, out);
}

/* Rule S3: every field is plain bits. what: the operation, for the text. */
JLC__HIDDEN jlc_status jlc__struct_ref_refused(const jlc__sinfo *s, const char *what);
JLC__INLINE jlc_status jlc__struct_need_bits(const jlc__sinfo *s, const char *what)
{
    if (JLC__LIKELY(s->first_ref < 0)) return JLC_OK;
    return jlc__struct_ref_refused(s, what);
}

/* v is a value of the layout's type exactly. */
JLC__HIDDEN jlc_status jlc__struct_wrong_type(const jlc__sinfo *s, jl_value_t *v);
JLC__INLINE jlc_status jlc__struct_need_type(const jlc__sinfo *s, jl_value_t *v)
{
    if (JLC__LIKELY(jl_typeof(v) == (jl_value_t *)s->type)) return JLC_OK;
    return jlc__struct_wrong_type(s, v);
}

/* The restricted bytes of [lo, hi) of a struct image at p are valid; else
 * JLC_ERR_ARG naming the field (rule S4 for selectors, 0/1 for Bool). p
 * points at the struct's byte lo. */
JLC__HIDDEN jlc_status jlc__struct_check_bytes(const jlc__sinfo *s, const unsigned char *p,
                                               size_t lo, size_t hi);

#endif

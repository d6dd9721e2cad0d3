/* layout.c — checking a layout descriptor against the live Julia type (rule
 * S1 of include/jlc/struct.h), the per-descriptor cache, jlc_struct_register,
 * and the checks every struct operation shares. */
#include "struct.h"

#include <pthread.h>
#include <stdlib.h>

jlc__sinfo *jlc__scache[JLC__SCACHE_SIZE];
static pthread_mutex_t scache_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the area: StructSupport.check, loaded on first use ---- */

static jl_value_t *check_fn;

static jlc_status struct_init(jlc__scope *sc)
{
    (void)sc;
    return jlc__support_need("struct", "check", &check_fn);
}

static jlc__area struct_area = {0, "structs", struct_init};

/* ---- the descriptor itself (no Julia) ---- */

static const char *kind_name(int kind)
{
    switch (kind) {
    case JLC_FIELD_BITS: return "BITS";
    case JLC_FIELD_UNION: return "UNION";
    case JLC_FIELD_REF: return "REF";
    default: return "(invalid kind)";
    }
}

/* NULL pointers and impossible values: JLC_ERR_ARG before Julia is asked. */
static jlc_status check_descriptor(const jlc_struct_layout *L)
{
    if (L->abi != JLC_STRUCT_LAYOUT_ABI)
        return jlc__fail(JLC_ERR_ARG,
                         "layout descriptor format %d, this jlc reads %d: regenerate the header",
                         L->abi, JLC_STRUCT_LAYOUT_ABI);
    if (!L->type) return jlc__fail(JLC_ERR_ARG, "layout->type is NULL");
    if (L->nfields && !L->fields)
        return jlc__fail(JLC_ERR_ARG, "layout \"%s\": fields is NULL with nfields %zu", L->type,
                         L->nfields);
    for (size_t i = 0; i < L->nfields; i++) {
        const jlc_field_layout *F = &L->fields[i];
        if (!F->name || !F->type)
            return jlc__fail(JLC_ERR_ARG, "layout \"%s\": field #%zu has a NULL %s", L->type, i,
                             F->name ? "type" : "name");
        if (F->kind < JLC_FIELD_BITS || F->kind > JLC_FIELD_REF)
            return jlc__fail(JLC_ERR_ARG, "layout \"%s\": field `%s` has invalid kind %d", L->type,
                             F->name, (int)F->kind);
        if (F->kind == JLC_FIELD_UNION) {
            if (F->nunion == 0 || !F->union_types)
                return jlc__fail(JLC_ERR_ARG, "layout \"%s\": union field `%s` lists no member types",
                                 L->type, F->name);
            for (size_t k = 0; k < F->nunion; k++)
                if (!F->union_types[k])
                    return jlc__fail(JLC_ERR_ARG, "layout \"%s\": union field `%s`: member %zu is NULL",
                                     L->type, F->name, k);
        }
    }
    return JLC_OK;
}

/* ---- comparing with the DataType's layout (no allocation) ---- */

/* Members of a union type, in selector order (Julia's a-then-b flattening,
 * as Base.uniontypes lists them). */
static size_t union_count(jl_value_t *u)
{
    if (jl_is_uniontype(u))
        return union_count(((jl_uniontype_t *)u)->a) + union_count(((jl_uniontype_t *)u)->b);
    return 1;
}

/* Julia's kind of field i of T; 0 for a field jlc cannot map (why in *why). */
static int julia_kind(jl_datatype_t *T, size_t i, const char **why)
{
    jl_value_t *ft = jl_field_type(T, i);
    if (JLC__FIELD_IS_ATOMIC(T, i)) {
        *why = "is @atomic: jlc does not map atomic fields (read and write them from Julia)";
        return 0;
    }
    if (JLC__FIELD_ISPTR(T, i)) return JLC_FIELD_REF;
    if (jl_is_uniontype(ft)) return JLC_FIELD_UNION;
    if (jl_is_datatype(ft) && JLC__TYPE_HAS_LAYOUT(ft) && JLC__TYPE_NPOINTERS(ft) == 0)
        return JLC_FIELD_BITS;
    *why = "is an immutable struct stored inline that holds references: jlc maps only plain "
           "bits, bits unions and single references";
    return 0;
}

#define MISMATCH(...) jlc__fail(JLC_ERR_TYPE, __VA_ARGS__)

/* Rule S1, the C half: sizes, offsets, kinds; and the order of reports (the
 * first differing field wins, whichever half found it). name_bad/name_msg:
 * the Julia half's first name, type-name or union-member mismatch. */
static jlc_status compare(const jlc_struct_layout *L, jl_datatype_t *T, long name_bad,
                          const char *name_msg)
{
    const char *tn = L->type;
    size_t jn = jl_datatype_nfields(T), n = jn < L->nfields ? jn : L->nfields;
    for (size_t i = 0; i < n; i++) {
        const jlc_field_layout *F = &L->fields[i];
        if ((long)i == name_bad) return MISMATCH("layout \"%s\": %s", tn, name_msg);
        const char *why = NULL;
        int kind = julia_kind(T, i, &why);
        if (!kind) return MISMATCH("layout \"%s\": field `%s` %s", tn, F->name, why);
        if ((int)F->kind != kind)
            return MISMATCH("layout \"%s\": field `%s` is %s in Julia, %s in the descriptor", tn,
                            F->name, kind_name(kind), kind_name(F->kind));
        size_t off = JLC__FIELD_OFFSET(T, i), size = JLC__FIELD_SIZE(T, i);
        if (F->offset != off)
            return MISMATCH("layout \"%s\": field `%s` is at offset %zu in Julia, %zu in the descriptor",
                            tn, F->name, off, F->offset);
        if (F->size != size)
            return MISMATCH("layout \"%s\": field `%s` is %zu bytes in Julia, %zu in the descriptor",
                            tn, F->name, size, F->size);
        if (kind == JLC_FIELD_UNION && F->nunion != union_count(jl_field_type(T, i)))
            return MISMATCH("layout \"%s\": union field `%s` has %zu members in Julia, %zu in the "
                            "descriptor", tn, F->name, union_count(jl_field_type(T, i)), F->nunion);
    }
    if (jn != L->nfields) {
        if (jn > L->nfields)
            return MISMATCH("layout \"%s\": Julia has %zu fields, the descriptor %zu: field `%s` is "
                            "missing from the descriptor", tn, jn, L->nfields,
                            jl_symbol_name(JLC__FIELD_NAME(T, L->nfields)));
        return MISMATCH("layout \"%s\": Julia has %zu fields, the descriptor %zu: field `%s` is no "
                        "longer in Julia", tn, jn, L->nfields, L->fields[jn].name);
    }
    if (JLC__TYPE_SIZE(T) != L->size)
        return MISMATCH("layout \"%s\": size is %zu bytes in Julia, %zu in the descriptor", tn,
                        JLC__TYPE_SIZE(T), L->size);
    if (JLC__TYPE_ALIGN(T) != L->align)
        return MISMATCH("layout \"%s\": alignment is %zu in Julia, %zu in the descriptor", tn,
                        JLC__TYPE_ALIGN(T), L->align);
    if ((JLC__IS_MUTABLE_TYPE(T) != 0) != (L->is_mutable != 0))
        return MISMATCH("layout \"%s\": the type is %s in Julia, %s in the descriptor", tn,
                        JLC__IS_MUTABLE_TYPE(T) ? "mutable" : "immutable",
                        L->is_mutable ? "mutable" : "immutable");
    return JLC_OK;
}

/* ---- restricted bytes (Bool, selectors), found once per layout ---- */

typedef struct checks_buf {
    jlc__scheck *v;
    uint32_t n, cap;
    int nomem;
} checks_buf;

static void checks_add(checks_buf *b, size_t offset, uint32_t field, size_t max, int sel)
{
    if (b->nomem) return;
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? 2 * b->cap : 8;
        jlc__scheck *v = realloc(b->v, cap * sizeof *v);
        if (!v) {
            b->nomem = 1;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = (jlc__scheck){(uint32_t)offset, field, (uint8_t)(max > 255 ? 255 : max),
                                 (uint8_t)sel};
}

/* Walks the inline fields of t placed at base; top: the top-level field. */
static void collect_checks(jl_datatype_t *t, size_t base, long top, checks_buf *b)
{
    size_t n = jl_datatype_nfields(t);
    for (size_t j = 0; j < n; j++) {
        if (JLC__FIELD_ISPTR(t, j)) continue;
        uint32_t field = (uint32_t)(top >= 0 ? (size_t)top : j);
        jl_value_t *ft = jl_field_type(t, j);
        size_t off = base + JLC__FIELD_OFFSET(t, j);
        if (ft == (jl_value_t *)jl_bool_type)
            checks_add(b, off, field, 1, 0);
        else if (jl_is_uniontype(ft))
            checks_add(b, off + JLC__FIELD_SIZE(t, j) - 1, field, union_count(ft) - 1, 1);
        else if (jl_is_datatype(ft) && JLC__TYPE_HAS_LAYOUT(ft) && jl_datatype_nfields(ft) > 0)
            collect_checks((jl_datatype_t *)ft, off, (long)field, b);
    }
}

jlc_status jlc__struct_check_bytes(const jlc__sinfo *s, const unsigned char *p, size_t lo, size_t hi)
{
    for (uint32_t k = 0; k < s->nchecks; k++) {
        const jlc__scheck *c = &s->checks[k];
        if (c->offset < lo || c->offset >= hi) continue;
        unsigned v = p[c->offset - lo];
        if (JLC__LIKELY(v <= c->max)) continue;
        const jlc_field_layout *F = &s->layout->fields[c->field];
        if (c->is_selector)
            return jlc__fail(JLC_ERR_ARG, "%s: field `%s`: union selector %u (byte %u) is out of "
                             "range 0..%u", s->layout->type, F->name, v, c->offset, c->max);
        return jlc__fail(JLC_ERR_ARG, "%s: field `%s`: a Bool byte (byte %u) is %u, not 0 or 1",
                         s->layout->type, F->name, c->offset, v);
    }
    return JLC_OK;
}

/* ---- the check and the cache ---- */

/* Publishes s (under the lock; a racing thread may have inserted the same
 * layout: its entry wins and s is dropped). A full table leaves s unlisted:
 * that layout is then checked at each use (correct, slower). */
static const jlc__sinfo *cache_insert(jlc__sinfo *s)
{
    pthread_mutex_lock(&scache_lock);
    uint32_t h = jlc__scache_hash(s->layout);
    const jlc__sinfo *r = s;
    for (uint32_t k = 0; k < JLC__SCACHE_SIZE; k++) {
        jlc__sinfo **slot = &jlc__scache[(h + k) & (JLC__SCACHE_SIZE - 1)];
        jlc__sinfo *cur = *slot;
        if (!cur) {
            __atomic_store_n(slot, s, __ATOMIC_RELEASE);
            break;
        }
        if (cur->layout == s->layout) {
            r = cur;
            break;
        }
    }
    pthread_mutex_unlock(&scache_lock);
    return r;
}

jlc_status jlc__struct_check(jlc__scope *sc, const jlc_struct_layout *L, const jlc__sinfo **out)
{
    JLC__CHECK(check_descriptor(L));
    JLC__CHECK(jlc__area_ready(&struct_area, sc));
    jl_value_t **argv;
    JL_GC_PUSHARGS(argv, 3);
    argv[0] = check_fn;
    JLC__DEFER_SIGINT_BEGIN();
    argv[1] = jl_box_voidpointer((void *)L);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r = NULL;
    jlc_status st = sc ? jlc__apply(sc, argv, 2, &r) : jlc__apply_unscoped_result(argv, 2, &r);
    argv[2] = r;
    if (st == JLC_OK && (!jl_is_svec(r) || jl_svec_len(r) < 2 || !jl_is_long(jl_svecref(r, 0))))
        st = jlc__fail(JLC_ERR_STATE, "jlc: StructSupport.check returned a %s", jl_typeof_str(r));
    long code = st == JLC_OK ? jl_unbox_long(jl_svecref(r, 0)) : -1;
    if (st == JLC_OK && code != 0) {
        jl_value_t *msg = jl_svecref(r, 1);
        st = jlc__fail(code == 2 ? JLC_ERR_NOT_FOUND : JLC_ERR_TYPE, "layout \"%s\": %s", L->type,
                       jl_is_string(msg) ? jl_string_ptr(msg) : "not a concrete struct type");
    }
    jlc__sinfo *s = NULL;
    if (st == JLC_OK) {
        jl_datatype_t *T = (jl_datatype_t *)jl_svecref(r, 1);
        long bad = jl_unbox_long(jl_svecref(r, 2));
        jl_value_t *msg = jl_svecref(r, 3);
        if (!JLC__TYPE_HAS_LAYOUT(T))
            st = jlc__fail(JLC_ERR_TYPE, "layout \"%s\": Julia has no memory layout for this type",
                           L->type);
        else
            st = compare(L, T, bad, jl_string_ptr(msg));
        if (st == JLC_OK) {
            checks_buf b = {0};
            int32_t first_ref = -1;
            for (size_t i = 0; i < L->nfields && first_ref < 0; i++)
                if (L->fields[i].kind == JLC_FIELD_REF) first_ref = (int32_t)i;
            if (first_ref < 0) collect_checks(T, 0, -1, &b);
            s = b.nomem ? NULL : calloc(1, sizeof *s);
            if (!s) {
                free(b.v);
                st = jlc__fail(JLC_ERR_NOMEM, "cannot allocate the checked layout");
            } else {
                s->layout = L;
                s->type = T;
                s->first_ref = first_ref;
                s->is_mutable = JLC__IS_MUTABLE_TYPE(T) != 0;
                s->isbits = jl_isbits(T) != 0;
                s->nchecks = b.n;
                s->checks = b.v;
            }
        }
    }
    JL_GC_POP();
    if (st != JLC_OK) return st;
    const jlc__sinfo *kept = cache_insert(s);
    if (kept != s) {
        free((void *)s->checks);
        free(s);
    }
    *out = kept;
    return JLC_OK;
}

jlc_status jlc__struct_ref_refused(const jlc__sinfo *s, const char *what)
{
    const jlc_field_layout *F = &s->layout->fields[s->first_ref];
    return jlc__fail(JLC_ERR_TYPE,
                     "%s: cannot %s: field `%s` (%s) is a reference, reachable only through "
                     "handles (jlc_field_get / jlc_field_set)",
                     s->layout->type, what, F->name, F->type);
}

jlc_status jlc__struct_wrong_type(const jlc__sinfo *s, jl_value_t *v)
{
    return jlc__fail(JLC_ERR_TYPE, "expected a %s (layout \"%s\"), got a %s",
                     jlc__type_name((jl_value_t *)s->type), s->layout->type, jl_typeof_str(v));
}

/* ---- public ---- */

jlc_status jlc_struct_register(jlc_scope scope, const jlc_struct_layout *layout, jlc_value *type_out)
{
    JLC__ENTER();
    JLC__NONNULL(layout);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    const jlc__sinfo *s;
    JLC__CHECK(jlc__struct_info(sc, layout, &s));
    if (!type_out) return JLC_OK;
    return jlc__push(sc, (jl_value_t *)s->type, type_out);
}

/* copy.c — mapped structs copied whole between C and Julia (unbox, box) and
 * single fields read and written in place (rules S3 and S4 of
 * include/jlc/struct.h). */
#include "struct.h"

jlc_status jlc_struct_unbox(jlc_value v, const jlc_struct_layout *layout, void *out, size_t cap)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    const jlc__sinfo *s;
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(jlc__struct_info(NULL, layout, &s));
    JLC__CHECK(jlc__struct_need_bits(s, "unbox"));
    JLC__CHECK(jlc__struct_need_type(s, x));
    size_t size = layout->size;
    if (JLC__UNLIKELY(cap < size))
        return jlc__fail(JLC_ERR_ARG, "%s is %zu bytes, cap is %zu", layout->type, size, cap);
    memcpy(out, jl_data_ptr(x), size);
    return JLC_OK;
}

jlc_status jlc_struct_box(jlc_scope scope, const jlc_struct_layout *layout, const void *in,
                          size_t size, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(in);
    JLC__NONNULL(out);
    jlc__scope *sc;
    const jlc__sinfo *s;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__struct_info(sc, layout, &s));
    JLC__CHECK(jlc__struct_need_bits(s, "box"));
    size_t n = layout->size;
    if (JLC__UNLIKELY(size < n))
        return jlc__fail(JLC_ERR_ARG, "%s is %zu bytes, size is %zu", layout->type, n, size);
    if (s->nchecks) JLC__CHECK(jlc__struct_check_bytes(s, in, 0, n));
    JLC__GC_STRESS();
    /* jl_new_struct_uninit gives the singleton of an empty immutable type and
     * a new zeroed object otherwise (mutable types included); copying any
     * source alignment with memcpy. Only bits: no write barrier. */
    JLC__DEFER_SIGINT_BEGIN();
    jl_value_t *x = jl_new_struct_uninit(s->type);
    if (n) memcpy(jl_data_ptr(x), in, n);
    JLC__DEFER_SIGINT_END();
    return jlc__push(sc, x, out);
}

/* Field i of layout for the field functions: in range, not a reference. */
static jlc_status field_of(const jlc__sinfo *s, size_t i, const char *what,
                           const jlc_field_layout **out)
{
    const jlc_struct_layout *L = s->layout;
    if (JLC__UNLIKELY(i >= L->nfields))
        return jlc__fail(JLC_ERR_ARG, "field index %zu out of range: %s has %zu field(s)", i,
                         L->type, L->nfields);
    const jlc_field_layout *F = &L->fields[i];
    if (JLC__UNLIKELY(F->kind == JLC_FIELD_REF))
        return jlc__fail(JLC_ERR_TYPE,
                         "%s: cannot %s field `%s` (%s): it is a reference, use jlc_field_%s",
                         L->type, what, F->name, F->type, what[0] == 'r' ? "get" : "set");
    *out = F;
    return JLC_OK;
}

jlc_status jlc_struct_field_read(jlc_value v, const jlc_struct_layout *layout, size_t i, void *out,
                                 size_t cap)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    const jlc__sinfo *s;
    const jlc_field_layout *F;
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(jlc__struct_info(NULL, layout, &s));
    JLC__CHECK(field_of(s, i, "read", &F));
    JLC__CHECK(jlc__struct_need_type(s, x));
    if (JLC__UNLIKELY(cap < F->size))
        return jlc__fail(JLC_ERR_ARG, "%s: field `%s` is %zu bytes, cap is %zu", layout->type,
                         F->name, F->size, cap);
    memcpy(out, (const char *)jl_data_ptr(x) + F->offset, F->size);
    return JLC_OK;
}

jlc_status jlc_struct_field_write(jlc_value v, const jlc_struct_layout *layout, size_t i,
                                  const void *in, size_t size)
{
    JLC__ENTER();
    JLC__NONNULL(in);
    jl_value_t *x;
    const jlc__sinfo *s;
    const jlc_field_layout *F;
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(jlc__struct_info(NULL, layout, &s));
    JLC__CHECK(field_of(s, i, "write", &F));
    JLC__CHECK(jlc__struct_need_type(s, x));
    if (JLC__UNLIKELY(!s->is_mutable))
        return jlc__fail(JLC_ERR_TYPE, "%s is immutable: its fields cannot be written in place "
                         "(box a new value instead)", layout->type);
    if (JLC__UNLIKELY(JLC__FIELD_IS_CONST(s->type, i)))
        return jlc__fail(JLC_ERR_TYPE, "%s: field `%s` is const", layout->type, F->name);
    if (JLC__UNLIKELY(size != F->size))
        return jlc__fail(JLC_ERR_ARG, "%s: field `%s` is %zu bytes, size is %zu", layout->type,
                         F->name, F->size, size);
    if (s->nchecks) JLC__CHECK(jlc__struct_check_bytes(s, in, F->offset, F->offset + F->size));
    /* Plain bits into a mutable object: Julia needs no write barrier for
     * bytes that hold no GC pointer. */
    memcpy((char *)jl_data_ptr(x) + F->offset, in, F->size);
    return JLC_OK;
}

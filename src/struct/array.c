/* array.c — arrays of mapped structs shared without copying (rule S5 of
 * include/jlc/struct.h): C structs wrapped as a Julia Vector, a Julia Array
 * borrowed as C structs. Both go through the arrays area (src/array/seam.h),
 * so the array rules have one implementation. */
#include "struct.h"

#include "../array/seam.h"

/* Arrays hold the elements inline only for isbits types: a mutable struct's
 * array holds references, and a struct with a bits-union field is not
 * isbits (Julia stores its arrays inline, but not as plain C structs). */
static jlc_status need_inline(const jlc__sinfo *s, const char *what)
{
    JLC__CHECK(jlc__struct_need_bits(s, what));
    if (JLC__UNLIKELY(s->is_mutable))
        return jlc__fail(JLC_ERR_TYPE, "%s: cannot %s: an array of a mutable struct holds "
                         "references to objects, not C structs", s->layout->type, what);
    if (JLC__UNLIKELY(!s->isbits))
        return jlc__fail(JLC_ERR_TYPE, "%s: cannot %s: the type is not isbits (a bits-union "
                         "field), so its arrays are not plain C structs", s->layout->type, what);
    return JLC_OK;
}

jlc_status jlc_struct_array_wrap(jlc_scope scope, const jlc_struct_layout *layout, void *data,
                                 size_t n, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (JLC__UNLIKELY(!data && n > 0)) return jlc__fail(JLC_ERR_ARG, "data is NULL with n = %zu", n);
    jlc__scope *sc;
    const jlc__sinfo *s;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__struct_info(sc, layout, &s));
    JLC__CHECK(need_inline(s, "wrap an array"));
    /* An empty array still needs an aligned, non-NULL address. */
    static _Alignas(64) char empty[64];
    if (!data) data = empty;
    size_t dims[1] = {n};
    return jlc__arr_wrap_type(sc, data, (jl_value_t *)s->type, jlc__lay_type_elsize((jl_value_t *)s->type),
                              1, dims, out);
}

jlc_status jlc_struct_array_borrow(jlc_scope scope, jlc_value a, const jlc_struct_layout *layout,
                                   bool writable, jlc_borrow *b, void **data, size_t *n)
{
    JLC__ENTER();
    JLC__NONNULL(b);
    JLC__NONNULL(data);
    JLC__NONNULL(n);
    jlc__scope *sc;
    jl_value_t *x;
    const jlc__sinfo *s;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(a, &x));
    JLC__CHECK(jlc__struct_info(sc, layout, &s));
    JLC__CHECK(need_inline(s, "borrow an array"));
    if (JLC__UNLIKELY(!jl_is_array(x) || jlc__lay_eltype(x) != (jl_value_t *)s->type))
        return jlc__fail(JLC_ERR_TYPE, "expected an Array of %s (layout \"%s\"), got a %s",
                         jlc__type_name((jl_value_t *)s->type), layout->type, jl_typeof_str(x));
    void *p;
    JLC__CHECK(jlc__arr_borrow_value(sc, x, JLC_STRUCT, jlc__lay_type_elsize((jl_value_t *)s->type),
                                     writable, b, &p));
    *data = p;
    *n = jlc__lay_length(x);
    return JLC_OK;
}

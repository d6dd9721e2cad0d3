/* borrow.c — borrowing an array's data (rule E of include/jlc/array.h), on
 * the shared borrow registry (src/base/borrow.c). */
#include "array.h"
#include "seam.h"

/* Also the seam for other areas (seam.h): a is an Array. */
jlc_status jlc__arr_borrow_value(jlc__scope *sc, jl_value_t *a, jlc_ctype code, size_t elsize,
                                 int mut, jlc_borrow *out, void **data)
{
    ARR_INIT();
    JLC__CHECK(check_bits(a, code, elsize));
    char *p = lay_data(a);
    size_t bytes = lay_length(a) * elsize;
    JLC__CHECK(jlc__borrow_take(sc, p, bytes, mut, jlc__lay_data_owner(a), out));
    *data = p;
    return JLC_OK;
}

static jlc_status borrow(jlc_scope scope, jlc_value h, jlc_ctype code, size_t elsize, int mut,
                         jlc_borrow *out, void **data)
{
    jlc__scope *sc;
    jl_value_t *a;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_array(h, &a));
    return jlc__arr_borrow_value(sc, a, code, elsize, mut, out, data);
}

jlc_status jlc_array_borrow(jlc_scope scope, jlc_value a, jlc_ctype code, size_t elsize,
                            jlc_borrow *b, const void **data)
{
    JLC__ENTER();
    JLC__NONNULL(b);
    JLC__NONNULL(data);
    void *p;
    JLC__CHECK(borrow(scope, a, code, elsize, 0, b, &p));
    *data = p;
    return JLC_OK;
}

jlc_status jlc_array_borrow_mut(jlc_scope scope, jlc_value a, jlc_ctype code, size_t elsize,
                                jlc_borrow *b, void **data)
{
    JLC__ENTER();
    JLC__NONNULL(b);
    JLC__NONNULL(data);
    return borrow(scope, a, code, elsize, 1, b, data);
}


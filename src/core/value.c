/*
 * value.c — making Julia values from C values and checked casts back.
 *
 * Getters mirror Julia's convert(): any integer or float is accepted when the
 * target C type holds its value exactly, anything else is JLC_ERR_LOSSY;
 * non-numbers are JLC_ERR_TYPE.
 */
#include "base.h"

#include <math.h>
#include <string.h>

/* Every maker: check state and scope, maybe stress the GC, box with Ctrl-C
 * deferred (boxing may reach a GC safepoint, where Julia would throw a
 * pending InterruptException past jlc), root. */
#define JLC__MAKER(name, ctype, boxexpr)                      \
    jlc_status name(jlc_scope scope, ctype x, jlc_value *out) \
    {                                                         \
        JLC__ENTER();                                         \
        JLC__NONNULL(out);                                    \
        jlc__scope *sc;                                       \
        JLC__CHECK(jlc__scope_get(scope, &sc));               \
        JLC__GC_STRESS();                                     \
        JLC__DEFER_SIGINT_BEGIN();                            \
        jl_value_t *v__ = (boxexpr);                          \
        JLC__DEFER_SIGINT_END();                              \
        return jlc__push(sc, v__, out);                       \
    }

JLC__MAKER(jlc_int8_new, int8_t, jl_box_int8(x))
JLC__MAKER(jlc_int16_new, int16_t, jl_box_int16(x))
JLC__MAKER(jlc_int32_new, int32_t, jl_box_int32(x))
JLC__MAKER(jlc_int64_new, int64_t, jl_box_int64(x))
JLC__MAKER(jlc_uint8_new, uint8_t, jl_box_uint8(x))
JLC__MAKER(jlc_uint16_new, uint16_t, jl_box_uint16(x))
JLC__MAKER(jlc_uint32_new, uint32_t, jl_box_uint32(x))
JLC__MAKER(jlc_uint64_new, uint64_t, jl_box_uint64(x))
JLC__MAKER(jlc_bool_new, bool, jl_box_bool(x ? 1 : 0))
JLC__MAKER(jlc_float32_new, float, jl_box_float32(x))
JLC__MAKER(jlc_float64_new, double, jl_box_float64(x))
JLC__MAKER(jlc_voidptr_new, void *, jl_box_voidpointer(x))

jlc_status jlc_nothing_new(jlc_scope scope, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    return jlc__push(sc, jl_nothing, out);
}

/* Julia stores a Char as its UTF-8 bytes, left-aligned in 32 bits. */
static uint32_t char_encode(uint32_t cp)
{
    if (cp < 0x80) return cp << 24;
    if (cp < 0x800) return ((0xC0 | (cp >> 6)) << 24) | ((0x80 | (cp & 0x3F)) << 16);
    if (cp < 0x10000)
        return ((0xE0 | (cp >> 12)) << 24) | ((0x80 | ((cp >> 6) & 0x3F)) << 16) |
               ((0x80 | (cp & 0x3F)) << 8);
    return ((0xF0 | (cp >> 18)) << 24) | ((0x80 | ((cp >> 12) & 0x3F)) << 16) |
           ((0x80 | ((cp >> 6) & 0x3F)) << 8) | (0x80 | (cp & 0x3F));
}

/* Inverse of char_encode; -1 for a malformed or overlong Char. */
static int64_t char_decode(uint32_t u)
{
    uint32_t b0 = u >> 24, b1 = (u >> 16) & 0xFF, b2 = (u >> 8) & 0xFF, b3 = u & 0xFF;
    uint32_t cp;
    int len;
    if (b0 < 0x80) { cp = b0; len = 1; }
    else if ((b0 & 0xE0) == 0xC0) { cp = b0 & 0x1F; len = 2; }
    else if ((b0 & 0xF0) == 0xE0) { cp = b0 & 0x0F; len = 3; }
    else if ((b0 & 0xF8) == 0xF0) { cp = b0 & 0x07; len = 4; }
    else return -1;
    uint32_t rest[3] = {b1, b2, b3};
    for (int i = 0; i < 3; i++) {
        if (i < len - 1) {
            if ((rest[i] & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (rest[i] & 0x3F);
        } else if (rest[i] != 0) {
            return -1;
        }
    }
    if (char_encode(cp) != u || cp > 0x10FFFF) return -1; /* overlong forms */
    return cp;
}

jlc_status jlc_char_new(jlc_scope scope, uint32_t cp, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (cp > 0x10FFFF) return jlc__fail(JLC_ERR_LOSSY, "code point U+%X is beyond Unicode", cp);
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    jl_value_t *v = jl_box_char(char_encode(cp));
    JLC__DEFER_SIGINT_END();
    return jlc__push(sc, v, out);
}

static jlc_status string_in(jlc_scope scope, const char *bytes, size_t len, jlc_value *out)
{
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__GC_STRESS();
    jl_value_t *s;
    JLC__CHECK(jlc__string_new(sc, bytes ? bytes : "", len, &s));
    return jlc__push(sc, s, out);
}

jlc_status jlc_string_new(jlc_scope scope, const char *bytes, size_t len, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (!bytes && len) return jlc__fail(JLC_ERR_ARG, "bytes is NULL but len > 0");
    return string_in(scope, bytes, len, out);
}

jlc_status jlc_string_new_c(jlc_scope scope, const char *str, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(str);
    JLC__NONNULL(out);
    return string_in(scope, str, strlen(str), out);
}

jlc_status jlc_symbol_new(jlc_scope scope, const char *bytes, size_t len, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (!bytes && len) return jlc__fail(JLC_ERR_ARG, "bytes is NULL but len > 0");
    if (len && memchr(bytes, 0, len))
        return jlc__fail(JLC_ERR_ARG, "a Symbol name cannot hold a NUL byte (at %zu of %zu)",
                         (size_t)((const char *)memchr(bytes, 0, len) - bytes), len);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    jl_sym_t *sym = jl_symbol_n(len ? bytes : "", len);
    JLC__DEFER_SIGINT_END();
    return jlc__push(sc, (jl_value_t *)sym, out);
}

jlc_status jlc_symbol_new_c(jlc_scope scope, const char *name, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    return jlc_symbol_new(scope, name, strlen(name), out);
}

jlc_status jlc_value_identical(jlc_value a, jlc_value b, bool *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x, *y;
    JLC__CHECK(jlc__get(a, &x));
    JLC__CHECK(jlc__get(b, &y));
    *out = jl_egal(x, y) != 0;
    return JLC_OK;
}

jlc_status jlc_tuple_new(jlc_scope scope, size_t n, const jlc_value *elts, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (n && !elts) return jlc__fail(JLC_ERR_ARG, "elts is NULL but n > 0");
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    return jlc__call_handles(sc, (jl_value_t *)jlc__core.tuple, n, elts, out);
}

/* ---- getters ---- */

/* A number as the widest C form that holds it exactly. */
typedef struct num {
    enum { NUM_INT, NUM_UINT, NUM_FLOAT } kind;
    int64_t i;
    uint64_t u;
    double d;
} num;

static jlc_status get_num(jlc_value h, num *n)
{
    jl_value_t *v;
    JLC__CHECK(jlc__get(h, &v));
    jl_value_t *t = jl_typeof(v);
    if (t == (jl_value_t *)jl_int64_type) { n->kind = NUM_INT; n->i = jl_unbox_int64(v); }
    else if (t == (jl_value_t *)jl_int32_type) { n->kind = NUM_INT; n->i = jl_unbox_int32(v); }
    else if (t == (jl_value_t *)jl_int16_type) { n->kind = NUM_INT; n->i = jl_unbox_int16(v); }
    else if (t == (jl_value_t *)jl_int8_type) { n->kind = NUM_INT; n->i = jl_unbox_int8(v); }
    else if (t == (jl_value_t *)jl_bool_type) { n->kind = NUM_INT; n->i = jl_unbox_bool(v); }
    else if (t == (jl_value_t *)jl_uint64_type) { n->kind = NUM_UINT; n->u = jl_unbox_uint64(v); }
    else if (t == (jl_value_t *)jl_uint32_type) { n->kind = NUM_UINT; n->u = jl_unbox_uint32(v); }
    else if (t == (jl_value_t *)jl_uint16_type) { n->kind = NUM_UINT; n->u = jl_unbox_uint16(v); }
    else if (t == (jl_value_t *)jl_uint8_type) { n->kind = NUM_UINT; n->u = jl_unbox_uint8(v); }
    else if (t == (jl_value_t *)jl_float64_type) { n->kind = NUM_FLOAT; n->d = jl_unbox_float64(v); }
    else if (t == (jl_value_t *)jl_float32_type) { n->kind = NUM_FLOAT; n->d = jl_unbox_float32(v); }
    else return jlc__fail(JLC_ERR_TYPE, "expected a number, got a %s", jl_typeof_str(v));
    return JLC_OK;
}

/* Converts to a signed range [lo, hi]. */
static jlc_status num_to_int(const num *n, int64_t lo, int64_t hi, int64_t *out)
{
    switch (n->kind) {
    case NUM_INT:
        if (n->i < lo || n->i > hi) break;
        *out = n->i;
        return JLC_OK;
    case NUM_UINT:
        if (n->u > (uint64_t)hi) break;
        *out = (int64_t)n->u;
        return JLC_OK;
    case NUM_FLOAT:
        /* -2^63 <= d < 2^63 is exactly the range of int64_t. */
        if (!(n->d >= -9223372036854775808.0 && n->d < 9223372036854775808.0) || n->d != trunc(n->d))
            break;
        if ((int64_t)n->d < lo || (int64_t)n->d > hi) break;
        *out = (int64_t)n->d;
        return JLC_OK;
    }
    return jlc__fail(JLC_ERR_LOSSY, "value does not fit the requested integer type");
}

static jlc_status num_to_uint(const num *n, uint64_t hi, uint64_t *out)
{
    switch (n->kind) {
    case NUM_INT:
        if (n->i < 0 || (uint64_t)n->i > hi) break;
        *out = (uint64_t)n->i;
        return JLC_OK;
    case NUM_UINT:
        if (n->u > hi) break;
        *out = n->u;
        return JLC_OK;
    case NUM_FLOAT:
        if (!(n->d >= 0.0 && n->d < 18446744073709551616.0) || n->d != trunc(n->d)) break;
        if ((uint64_t)n->d > hi) break;
        *out = (uint64_t)n->d;
        return JLC_OK;
    }
    return jlc__fail(JLC_ERR_LOSSY, "value does not fit the requested unsigned type");
}

#define JLC__GET_INT(name, ctype, lo, hi)                 \
    jlc_status name(jlc_value v, ctype *out)              \
    {                                                     \
        JLC__ENTER();                                     \
        JLC__NONNULL(out);                                \
        jl_value_t *xv;                                   \
        JLC__CHECK(jlc__get(v, &xv));                     \
        /* The common case: an Int64 that fits. */        \
        if (JLC__LIKELY(jl_typeof(xv) == (jl_value_t *)jl_int64_type)) { \
            int64_t i = *(int64_t *)xv;                   \
            if (JLC__LIKELY(i >= (lo) && i <= (hi))) {    \
                *out = (ctype)i;                          \
                return JLC_OK;                            \
            }                                             \
        }                                                 \
        num n;                                            \
        int64_t x;                                        \
        JLC__CHECK(get_num(v, &n));                       \
        JLC__CHECK(num_to_int(&n, lo, hi, &x));           \
        *out = (ctype)x;                                  \
        return JLC_OK;                                    \
    }
#define JLC__GET_UINT(name, ctype, hi)                    \
    jlc_status name(jlc_value v, ctype *out)              \
    {                                                     \
        JLC__ENTER();                                     \
        JLC__NONNULL(out);                                \
        num n;                                            \
        uint64_t x;                                       \
        JLC__CHECK(get_num(v, &n));                       \
        JLC__CHECK(num_to_uint(&n, hi, &x));              \
        *out = (ctype)x;                                  \
        return JLC_OK;                                    \
    }

JLC__GET_INT(jlc_int8_get, int8_t, INT8_MIN, INT8_MAX)
JLC__GET_INT(jlc_int16_get, int16_t, INT16_MIN, INT16_MAX)
JLC__GET_INT(jlc_int32_get, int32_t, INT32_MIN, INT32_MAX)
JLC__GET_INT(jlc_int64_get, int64_t, INT64_MIN, INT64_MAX)
JLC__GET_UINT(jlc_uint8_get, uint8_t, UINT8_MAX)
JLC__GET_UINT(jlc_uint16_get, uint16_t, UINT16_MAX)
JLC__GET_UINT(jlc_uint32_get, uint32_t, UINT32_MAX)
JLC__GET_UINT(jlc_uint64_get, uint64_t, UINT64_MAX)

static jlc_status num_to_double(const num *n, double *out)
{
    double d;
    switch (n->kind) {
    case NUM_INT:
        d = (double)n->i;
        if (d >= 9223372036854775808.0 || (int64_t)d != n->i) break;
        *out = d;
        return JLC_OK;
    case NUM_UINT:
        d = (double)n->u;
        if (d >= 18446744073709551616.0 || (uint64_t)d != n->u) break;
        *out = d;
        return JLC_OK;
    case NUM_FLOAT: *out = n->d; return JLC_OK;
    }
    return jlc__fail(JLC_ERR_LOSSY, "integer is not exactly representable as a float");
}

jlc_status jlc_float64_get(jlc_value v, double *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    /* The common case, without the general conversion: a Float64. */
    if (JLC__LIKELY(jl_typeof(x) == (jl_value_t *)jl_float64_type)) {
        *out = *(double *)x;
        return JLC_OK;
    }
    num n;
    JLC__CHECK(get_num(v, &n));
    return num_to_double(&n, out);
}

jlc_status jlc_float32_get(jlc_value v, float *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    num n;
    double d;
    JLC__CHECK(get_num(v, &n));
    JLC__CHECK(num_to_double(&n, &d));
    float f = (float)d;
    if ((double)f != d && !isnan(d))
        return jlc__fail(JLC_ERR_LOSSY, "value %g is not exactly representable as a Float32", d);
    *out = f;
    return JLC_OK;
}

jlc_status jlc_bool_get(jlc_value v, bool *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (!jl_is_bool(x)) return jlc__fail(JLC_ERR_TYPE, "expected a Bool, got a %s", jl_typeof_str(x));
    *out = jl_unbox_bool(x) != 0;
    return JLC_OK;
}

jlc_status jlc_char_get(jlc_value v, uint32_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (!jl_typeis(x, jl_char_type)) return jlc__fail(JLC_ERR_TYPE, "expected a Char, got a %s", jl_typeof_str(x));
    int64_t cp = char_decode(jl_unbox_uint32(x));
    if (cp < 0) return jlc__fail(JLC_ERR_LOSSY, "malformed Char (invalid UTF-8)");
    *out = (uint32_t)cp;
    return JLC_OK;
}

jlc_status jlc_voidptr_get(jlc_value v, void **out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (!jl_is_cpointer(x)) return jlc__fail(JLC_ERR_TYPE, "expected a Ptr, got a %s", jl_typeof_str(x));
    *out = jl_unbox_voidpointer(x);
    return JLC_OK;
}

jlc_status jlc_string_get(jlc_value v, const char **bytes, size_t *len)
{
    JLC__ENTER();
    JLC__NONNULL(bytes);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (!jl_is_string(x)) return jlc__fail(JLC_ERR_TYPE, "expected a String, got a %s", jl_typeof_str(x));
    *bytes = jl_string_data(x);
    if (len) *len = jl_string_len(x);
    return JLC_OK;
}

jlc_status jlc_string_copy(jlc_value v, char *buf, size_t cap, size_t *needed)
{
    JLC__ENTER();
    if (!buf && cap) return jlc__fail(JLC_ERR_ARG, "buf is NULL but cap > 0");
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (!jl_is_string(x)) return jlc__fail(JLC_ERR_TYPE, "expected a String, got a %s", jl_typeof_str(x));
    size_t len = jl_string_len(x);
    if (needed) *needed = len + 1;
    if (cap < len + 1)
        return jlc__fail(JLC_ERR_SPACE, "string needs %zu bytes, buffer has %zu", len + 1, cap);
    memcpy(buf, jl_string_data(x), len);
    buf[len] = '\0';
    return JLC_OK;
}

jlc_status jlc_symbol_get(jlc_value v, const char **name)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (!jl_is_symbol(x)) return jlc__fail(JLC_ERR_TYPE, "expected a Symbol, got a %s", jl_typeof_str(x));
    *name = jl_symbol_name((jl_sym_t *)x);
    return JLC_OK;
}

jlc_status jlc_value_is_nothing(jlc_value v, bool *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    *out = x == jl_nothing;
    return JLC_OK;
}

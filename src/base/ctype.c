/*
 * ctype.c — the table of C scalar types (jlc_ctype codes): names, C sizes,
 * Julia types, and classification of a Julia type into a code.
 */
#include "ctype.h"
#include "scope.h"

static const struct {
    const char *name;
    size_t size;
} table[JLC_CTYPE_COUNT] = {
    [JLC_VOID] = {"JLC_VOID", 0},
    [JLC_BOOL] = {"JLC_BOOL", sizeof(bool)},
    [JLC_INT8] = {"JLC_INT8", 1},
    [JLC_INT16] = {"JLC_INT16", 2},
    [JLC_INT32] = {"JLC_INT32", 4},
    [JLC_INT64] = {"JLC_INT64", 8},
    [JLC_UINT8] = {"JLC_UINT8", 1},
    [JLC_UINT16] = {"JLC_UINT16", 2},
    [JLC_UINT32] = {"JLC_UINT32", 4},
    [JLC_UINT64] = {"JLC_UINT64", 8},
    [JLC_FLOAT32] = {"JLC_FLOAT32", sizeof(float)},
    [JLC_FLOAT64] = {"JLC_FLOAT64", sizeof(double)},
    [JLC_COMPLEXF32] = {"JLC_COMPLEXF32", 2 * sizeof(float)},
    [JLC_COMPLEXF64] = {"JLC_COMPLEXF64", 2 * sizeof(double)},
    [JLC_PTR] = {"JLC_PTR", sizeof(void *)},
    [JLC_STRUCT] = {"JLC_STRUCT", 0},
    [JLC_ANY] = {"JLC_ANY", 0},
};

/* Julia types per code; Complex types come from Base at init. Rooted by
 * Core's and Base's constant bindings. */
static jl_value_t *julia_types[JLC_CTYPE_COUNT];

jlc_status jlc__ctypes_init(void)
{
    jl_value_t *c32 = jl_get_global(jl_base_module, jl_symbol("ComplexF32"));
    jl_value_t *c64 = jl_get_global(jl_base_module, jl_symbol("ComplexF64"));
    if (!c32 || !c64) return jlc__fail(JLC_ERR_STATE, "jlc: Base.ComplexF32/ComplexF64 missing");
    jl_value_t *t[JLC_CTYPE_COUNT] = {
        [JLC_VOID] = (jl_value_t *)jl_nothing_type,
        [JLC_BOOL] = (jl_value_t *)jl_bool_type,
        [JLC_INT8] = (jl_value_t *)jl_int8_type,
        [JLC_INT16] = (jl_value_t *)jl_int16_type,
        [JLC_INT32] = (jl_value_t *)jl_int32_type,
        [JLC_INT64] = (jl_value_t *)jl_int64_type,
        [JLC_UINT8] = (jl_value_t *)jl_uint8_type,
        [JLC_UINT16] = (jl_value_t *)jl_uint16_type,
        [JLC_UINT32] = (jl_value_t *)jl_uint32_type,
        [JLC_UINT64] = (jl_value_t *)jl_uint64_type,
        [JLC_FLOAT32] = (jl_value_t *)jl_float32_type,
        [JLC_FLOAT64] = (jl_value_t *)jl_float64_type,
        [JLC_COMPLEXF32] = c32,
        [JLC_COMPLEXF64] = c64,
        [JLC_PTR] = (jl_value_t *)jl_voidpointer_type,
        [JLC_STRUCT] = NULL,
        [JLC_ANY] = (jl_value_t *)jl_any_type,
    };
    for (int i = 0; i < JLC_CTYPE_COUNT; i++) julia_types[i] = t[i];
    return JLC_OK;
}

const char *jlc_ctype_name(jlc_ctype code)
{
    return jlc__ctype_valid(code) ? table[code].name : "JLC_CTYPE_INVALID";
}

size_t jlc_ctype_size(jlc_ctype code) { return jlc__ctype_valid(code) ? table[code].size : 0; }

jl_value_t *jlc__ctype_julia(jlc_ctype code)
{
    return jlc__ctype_valid(code) ? julia_types[code] : NULL;
}

jlc_ctype jlc__ctype_of(jl_value_t *T)
{
    if (T == (jl_value_t *)jl_nothing_type) return JLC_VOID;
    if (!jl_isbits(T)) return JLC_ANY;
    /* Most frequent first. */
    if (T == (jl_value_t *)jl_float64_type) return JLC_FLOAT64;
    if (T == (jl_value_t *)jl_int64_type) return JLC_INT64;
    if (jl_is_cpointer_type(T)) return JLC_PTR;
    for (int c = JLC_BOOL; c <= JLC_COMPLEXF64; c++)
        if (T == julia_types[c]) return (jlc_ctype)c;
    return JLC_STRUCT;
}

const char *jlc__type_name(jl_value_t *T)
{
    if (jl_is_datatype(T)) return JLC__DATATYPE_NAME(T);
    if (jl_is_uniontype(T)) return "Union";
    return "(a type)";
}

jlc_status jlc_ctype_type(jlc_scope scope, jlc_ctype code, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    jl_value_t *T = jlc__ctype_julia(code);
    if (!T) return jlc__fail(JLC_ERR_ARG, "%s names no single Julia type", jlc_ctype_name(code));
    return jlc__push(sc, T, out);
}

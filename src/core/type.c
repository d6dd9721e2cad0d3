/* type.c — type queries (flags, size, parameters), field reflection and access, apply_type, new. */
#include "base.h"

#include <string.h>

jlc_status jlc_value_type(jlc_scope scope, jlc_value v, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *x;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(v, &x));
    return jlc__push(sc, jl_typeof(x), out);
}

jlc_status jlc_value_type_name(jlc_value v, const char **name)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    *name = jl_typeof_str(x);
    return JLC_OK;
}

static jlc_status call1(jlc_scope scope, jl_value_t *f, jlc_value v, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    return jlc__call_handles(sc, (jl_value_t *)f, 1, &v, out);
}

jlc_status jlc_value_string(jlc_scope scope, jlc_value v, jlc_value *out)
{
    return call1(scope, jlc__core.to_string, v, out);
}

jlc_status jlc_value_repr(jlc_scope scope, jlc_value v, jlc_value *out)
{
    return call1(scope, jlc__core.repr, v, out);
}

static jlc_status get_type(jlc_value h, jl_value_t **out)
{
    jl_value_t *t;
    JLC__CHECK(jlc__get(h, &t));
    if (!jl_is_type(t)) return jlc__fail(JLC_ERR_TYPE, "expected a type, got a %s", jl_typeof_str(t));
    *out = t;
    return JLC_OK;
}

jlc_status jlc_value_isa(jlc_value v, jlc_value type, bool *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x, *t;
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(get_type(type, &t));
    *out = jl_isa(x, t) != 0;
    return JLC_OK;
}

jlc_status jlc_type_is_subtype(jlc_value a, jlc_value b, bool *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *ta, *tb;
    JLC__CHECK(get_type(a, &ta));
    JLC__CHECK(get_type(b, &tb));
    *out = jl_subtype(ta, tb) != 0;
    return JLC_OK;
}

/* A concrete DataType, whose field layout is known. */
static jlc_status get_concrete(jlc_value h, jl_datatype_t **out)
{
    jl_value_t *t;
    JLC__CHECK(jlc__get(h, &t));
    if (!jl_is_datatype(t) || !jl_is_concrete_type(t))
        return jlc__fail(JLC_ERR_TYPE, "expected a concrete DataType, got %s",
                         jl_is_type(t) ? "an abstract or non-DataType type" : jl_typeof_str(t));
    *out = (jl_datatype_t *)t;
    return JLC_OK;
}

static jlc_status check_index(jl_datatype_t *t, size_t i)
{
    size_t n = jl_datatype_nfields(t);
    if (i >= n)
        return jlc__fail(JLC_ERR_BOUNDS, "field index %zu out of bounds: %s has %zu field(s)", i,
                         JLC__DATATYPE_NAME(t), n);
    return JLC_OK;
}

jlc_status jlc_type_nfields(jlc_value type, size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_datatype_t *t;
    JLC__CHECK(get_concrete(type, &t));
    *out = jl_datatype_nfields(t);
    return JLC_OK;
}

jlc_status jlc_type_field_name(jlc_value type, size_t i, const char **name)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    jl_datatype_t *t;
    JLC__CHECK(get_concrete(type, &t));
    JLC__CHECK(check_index(t, i));
    *name = jl_symbol_name(JLC__FIELD_NAME(t, i));
    return JLC_OK;
}

jlc_status jlc_type_field_type(jlc_scope scope, jlc_value type, size_t i, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_datatype_t *t;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_concrete(type, &t));
    JLC__CHECK(check_index(t, i));
    return jlc__push(sc, jl_field_type(t, i), out);
}

static jlc_status field_index(jl_datatype_t *t, const char *name, size_t *out)
{
    int i = jl_field_index(t, jl_symbol(name), 0);
    if (i < 0)
        return jlc__fail(JLC_ERR_NOT_FOUND, "type %s has no field `%s`", JLC__DATATYPE_NAME(t),
                         name);
    *out = (size_t)i;
    return JLC_OK;
}

jlc_status jlc_type_field_index(jlc_value type, const char *name, size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    JLC__NONNULL(out);
    jl_datatype_t *t;
    JLC__CHECK(get_concrete(type, &t));
    return field_index(t, name, out);
}

/* Field i of x into sc (x rooted by the caller's handle). */
static jlc_status field_at(jlc__scope *sc, jl_value_t *x, size_t i, jlc_value *out)
{
    JLC__CHECK(check_index((jl_datatype_t *)jl_typeof(x), i));
    /* Core.getfield boxes bits fields and throws UndefRefError for an
     * undefined reference field; jlc__apply turns that into a status. */
    jl_value_t *argv[3] = {jlc__core.getfield, x, NULL};
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    argv[2] = jl_box_int64((int64_t)i + 1);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r;
    JL_GC_PUSH1(&argv[2]);
    jlc_status st = jlc__apply(sc, argv, 3, &r);
    JL_GC_POP();
    if (st != JLC_OK) return st;
    return jlc__push(sc, r, out);
}

jlc_status jlc_field_get(jlc_scope scope, jlc_value v, size_t i, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *x;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(v, &x));
    return field_at(sc, x, i, out);
}

jlc_status jlc_field_get_by_name(jlc_scope scope, jlc_value v, const char *name, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *x;
    size_t i;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(field_index((jl_datatype_t *)jl_typeof(x), name, &i));
    return field_at(sc, x, i, out);
}

static jlc_status set_field_at(jl_value_t *x, size_t i, jl_value_t *y)
{
    jl_datatype_t *t = (jl_datatype_t *)jl_typeof(x);
    if (!JLC__IS_MUTABLE_TYPE(t))
        return jlc__fail(JLC_ERR_IMMUTABLE, "%s is immutable: its fields cannot be set",
                         JLC__DATATYPE_NAME(t));
    JLC__CHECK(check_index(t, i));
    if (JLC__FIELD_IS_CONST(t, i))
        return jlc__fail(JLC_ERR_IMMUTABLE, "field %zu of %s is const", i, JLC__DATATYPE_NAME(t));
    if (JLC__FIELD_IS_ATOMIC(t, i))
        return jlc__fail(JLC_ERR_IMMUTABLE,
                         "field %zu of %s is @atomic: set it from Julia with @atomic", i,
                         JLC__DATATYPE_NAME(t));
    jl_value_t *ft = jl_field_type(t, i);
    if (!jl_isa(y, ft))
        return jlc__fail(JLC_ERR_TYPE, "field %zu of %s needs a value of its declared type, got a %s",
                         i, JLC__DATATYPE_NAME(t), jl_typeof_str(y));
    /* Mutable, in bounds, right type: jl_set_nth_field cannot throw now, and
     * it applies the write barrier. */
    jl_set_nth_field(x, i, y);
    return JLC_OK;
}

jlc_status jlc_field_set(jlc_value v, size_t i, jlc_value val)
{
    JLC__ENTER();
    jl_value_t *x, *y;
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(jlc__get(val, &y));
    return set_field_at(x, i, y);
}

jlc_status jlc_field_set_by_name(jlc_value v, const char *name, jlc_value val)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    jl_value_t *x, *y;
    size_t i;
    JLC__CHECK(jlc__get(v, &x));
    JLC__CHECK(jlc__get(val, &y));
    JLC__CHECK(field_index((jl_datatype_t *)jl_typeof(x), name, &i));
    return set_field_at(x, i, y);
}

jlc_status jlc_type_apply(jlc_scope scope, jlc_value type, size_t n, const jlc_value *params,
                          jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (n && !params) return jlc__fail(JLC_ERR_ARG, "params is NULL but n > 0");
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    /* Core.apply_type(T, params...) reports bad parameters as exceptions. */
    jlc_value all[JLC_MAX_TYPE_PARAMS + 1];
    if (n > JLC_MAX_TYPE_PARAMS) return jlc__fail(JLC_ERR_ARG, "at most %d type parameters", JLC_MAX_TYPE_PARAMS);
    all[0] = type;
    if (n) memcpy(all + 1, params, n * sizeof *params);
    return jlc__call_handles(sc, jlc__core.apply_type, n + 1, all, out);
}

jlc_status jlc_struct_new(jlc_scope scope, jlc_value type, size_t n, const jlc_value *fields,
                   jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (n && !fields) return jlc__fail(JLC_ERR_ARG, "fields is NULL but n > 0");
    jlc__scope *sc;
    jl_datatype_t *t;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_concrete(type, &t));
    if (!jl_is_structtype(t) || jl_is_tuple_type(t) || jl_is_namedtuple_type(t))
        return jlc__fail(JLC_ERR_TYPE, "%s is not a struct type", JLC__DATATYPE_NAME(t));
    size_t nf = jl_datatype_nfields(t);
    if (n != nf)
        return jlc__fail(JLC_ERR_ARG, "%s has %zu field(s), %zu value(s) given",
                         JLC__DATATYPE_NAME(t), nf, n);
    jl_value_t *stackv[JLC_MAX_NEW_FIELDS];
    if (n > JLC_MAX_NEW_FIELDS) return jlc__fail(JLC_ERR_ARG, "at most %d fields", JLC_MAX_NEW_FIELDS);
    for (size_t i = 0; i < n; i++) {
        JLC__CHECK(jlc__get(fields[i], &stackv[i]));
        if (!jl_isa(stackv[i], jl_field_type(t, i)))
            return jlc__fail(JLC_ERR_TYPE, "field %zu (`%s`) of %s needs its declared type, got a %s",
                             i, jl_symbol_name(JLC__FIELD_NAME(t, i)), JLC__DATATYPE_NAME(t),
                             jl_typeof_str(stackv[i]));
    }
    JLC__GC_STRESS();
    /* Checked above, so jl_new_structv cannot throw; Ctrl-C is deferred. */
    JLC__DEFER_SIGINT_BEGIN();
    jl_value_t *r = jl_new_structv(t, stackv, (uint32_t)n);
    JLC__DEFER_SIGINT_END();
    return jlc__push(sc, r, out);
}

/* Any DataType, concrete or not (not a Union or UnionAll). */
static jlc_status get_datatype(jlc_value h, jl_datatype_t **out)
{
    jl_value_t *t;
    JLC__CHECK(jlc__get(h, &t));
    if (!jl_is_datatype(t)) {
        if (jl_is_unionall(t)) {
            jl_value_t *body = t;
            while (jl_is_unionall(body)) body = ((jl_unionall_t *)body)->body;
            return jlc__fail(JLC_ERR_TYPE,
                             "%s is a UnionAll, not a DataType: apply its parameters first (jlc_type_apply)",
                             jl_is_datatype(body) ? JLC__DATATYPE_NAME(body) : "the type");
        }
        return jlc__fail(JLC_ERR_TYPE, "expected a DataType, got %s",
                         jl_is_type(t) ? "a Union or another non-DataType type" : jl_typeof_str(t));
    }
    *out = (jl_datatype_t *)t;
    return JLC_OK;
}

jlc_status jlc_type_inspect(jlc_value type, jlc_type_info *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_datatype_t *t;
    JLC__CHECK(get_datatype(type, &t));
    jlc_type_info info;
    memset(&info, 0, sizeof info);
    info.is_concrete = jl_is_concrete_type((jl_value_t *)t);
    info.is_abstract = jl_is_abstracttype(t);
    info.is_mutable = JLC__IS_MUTABLE_TYPE(t) != 0;
    info.is_isbits = jl_isbits(t);
    info.nparams = jl_svec_len(t->parameters);
    if (info.is_concrete && t->layout) {
        info.size = jl_datatype_size(t);
        info.align = jl_datatype_align(t);
        info.nfields = jl_datatype_nfields(t);
    }
    *out = info;
    return JLC_OK;
}

jlc_status jlc_type_name(jlc_value type, const char **name)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    jl_datatype_t *t;
    JLC__CHECK(get_datatype(type, &t));
    *name = JLC__DATATYPE_NAME(t);
    return JLC_OK;
}

jlc_status jlc_type_supertype(jlc_scope scope, jlc_value type, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_datatype_t *t;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_datatype(type, &t));
    return jlc__push(sc, (jl_value_t *)t->super, out);
}

jlc_status jlc_type_param(jlc_scope scope, jlc_value type, size_t i, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_datatype_t *t;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_datatype(type, &t));
    size_t n = jl_svec_len(t->parameters);
    if (i >= n)
        return jlc__fail(JLC_ERR_BOUNDS, "parameter index %zu out of bounds: %s has %zu parameter(s)", i,
                         JLC__DATATYPE_NAME(t), n);
    return jlc__push(sc, jl_svecref(t->parameters, i), out);
}

jlc_status jlc_type_field_offset(jlc_value type, size_t i, size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_datatype_t *t;
    JLC__CHECK(get_concrete(type, &t));
    JLC__CHECK(check_index(t, i));
    *out = jl_field_offset(t, i);
    return JLC_OK;
}

/* test_type.c — types, isa/subtype, fields, apply_type, new. */
#include "test_util.h"

static void setup_types(void)
{
    jlct_eval("mutable struct JlctM; a::Int64; b::String; c::Any; end");
    jlct_eval("struct JlctP{T}; x::T; y::T; end");
}

static void typeof_isa_subtype(void **state)
{
    jlc_value v, t, real, number, str;
    bool yes;
    ASSERT_OK(jlc_float64_new(S, 1.0, &v));
    ASSERT_OK(jlc_value_type(S, v, &t));
    ASSERT_OK(jlc_global_lookup(S, "Real", &real));
    ASSERT_OK(jlc_global_lookup(S, "Number", &number));
    ASSERT_OK(jlc_global_lookup(S, "String", &str));
    jlc_value rep;
    ASSERT_OK(jlc_value_repr(S, t, &rep));
    ASSERT_JSTRING("Float64", rep);
    ASSERT_OK(jlc_value_isa(v, real, &yes)); assert_true(yes);
    ASSERT_OK(jlc_value_isa(v, str, &yes)); assert_false(yes);
    ASSERT_OK(jlc_type_is_subtype(t, number, &yes)); assert_true(yes);
    ASSERT_OK(jlc_type_is_subtype(number, t, &yes)); assert_false(yes);
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_value_isa(v, v, &yes));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_is_subtype(v, number, &yes));
    ASSERT_OK(jlc_value_string(S, v, &rep));
    ASSERT_JSTRING("1.0", rep);
}

static void field_reflection(void **state)
{
    setup_types();
    jlc_value T, ft, rep;
    size_t n, idx;
    const char *name;
    ASSERT_OK(jlc_global_lookup(S, "JlctM", &T));
    ASSERT_OK(jlc_type_nfields(T, &n));
    assert_int_equal(3, n);
    ASSERT_OK(jlc_type_field_name(T, 1, &name));
    assert_string_equal("b", name);
    ASSERT_OK(jlc_type_field_type(S, T, 1, &ft));
    ASSERT_OK(jlc_value_repr(S, ft, &rep));
    ASSERT_JSTRING("String", rep);
    ASSERT_OK(jlc_type_field_index(T, "c", &idx));
    assert_int_equal(2, idx);
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_type_field_index(T, "zz", &idx));
    assert_non_null(strstr(jlc_last_error(), "zz"));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_type_field_name(T, 3, &name));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_type_field_type(S, T, 99, &ft));
    /* abstract and non-types are refused */
    jlc_value abs;
    ASSERT_OK(jlc_global_lookup(S, "Real", &abs));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_nfields(abs, &n));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_nfields(rep, &n));
    assert_int_equal(3, n);
}

static void get_and_set_fields(void **state)
{
    setup_types();
    jlc_value T, fields[3], obj, f, v;
    ASSERT_OK(jlc_global_lookup(S, "JlctM", &T));
    ASSERT_OK(jlc_int64_new(S, 5, &fields[0]));
    ASSERT_OK(jlc_string_new_c(S, "five", &fields[1]));
    ASSERT_OK(jlc_nothing_new(S, &fields[2]));
    ASSERT_OK(jlc_struct_new(S, T, 3, fields, &obj));
    ASSERT_OK(jlc_field_get(S, obj, 0, &f));
    ASSERT_INT64(5, f);
    ASSERT_OK(jlc_field_get_by_name(S, obj, "b", &f));
    ASSERT_JSTRING("five", f);

    ASSERT_OK(jlc_int64_new(S, 6, &v));
    ASSERT_OK(jlc_field_set(obj, 0, v));
    ASSERT_OK(jlc_string_new_c(S, "six", &v));
    ASSERT_OK(jlc_field_set_by_name(obj, "b", v));
    ASSERT_OK(jlc_field_set_by_name(obj, "c", v)); /* ::Any takes anything */
    ASSERT_OK(jlc_gc_collect(true));
    ASSERT_OK(jlc_field_get(S, obj, 0, &f));
    ASSERT_INT64(6, f);
    ASSERT_OK(jlc_field_get(S, obj, 1, &f));
    ASSERT_JSTRING("six", f);
    ASSERT_OK(jlc_field_get(S, obj, 2, &f));
    ASSERT_JSTRING("six", f);
    /* Julia sees the writes */
    jlc_value show, rep;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "o -> o.a * 10 + length(o.b)", &show));
    ASSERT_OK(jlc_call(S, show, 1, &obj, &rep));
    ASSERT_INT64(63, rep);

    /* bad inputs: wrong type, wrong index, missing name; nothing changes */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_field_set(obj, 0, v));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_field_set(obj, 3, v));
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_field_get(S, obj, 3, &f));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_field_get_by_name(S, obj, "nope", &f));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_field_set_by_name(obj, "nope", v));
    ASSERT_OK(jlc_field_get(S, obj, 0, &f));
    ASSERT_INT64(6, f);
}

static void immutable_structs_refuse_writes(void **state)
{
    setup_types();
    jlc_value P, i32, PT, args[2], p, v, f;
    ASSERT_OK(jlc_global_lookup(S, "JlctP", &P));
    ASSERT_OK(jlc_global_lookup(S, "Int32", &i32));
    ASSERT_OK(jlc_type_apply(S, P, 1, &i32, &PT));
    jlc_value rep;
    ASSERT_OK(jlc_value_repr(S, PT, &rep));
    ASSERT_JSTRING("JlctP{Int32}", rep);
    ASSERT_OK(jlc_int32_new(S, 3, &args[0]));
    ASSERT_OK(jlc_int32_new(S, 4, &args[1]));
    ASSERT_OK(jlc_struct_new(S, PT, 2, args, &p));
    ASSERT_OK(jlc_int32_new(S, 9, &v));
    ASSERT_STATUS(JLC_ERR_IMMUTABLE, jlc_field_set(p, 0, v));
    ASSERT_STATUS(JLC_ERR_IMMUTABLE, jlc_field_set_by_name(p, "y", v));
    ASSERT_OK(jlc_field_get_by_name(S, p, "x", &f));
    int32_t x;
    ASSERT_OK(jlc_int32_get(f, &x));
    assert_int_equal(3, x);
    const char *tn;
    ASSERT_OK(jlc_value_type_name(f, &tn));
    assert_string_equal("Int32", tn);
    /* numbers are immutable too */
    ASSERT_STATUS(JLC_ERR_IMMUTABLE, jlc_field_set(v, 0, v));
}

static void apply_type_and_new(void **state)
{
    setup_types();
    jlc_value Arr, f64, one, VT, rep, P, PT, bad, vals[2], p;
    ASSERT_OK(jlc_global_lookup(S, "Array", &Arr));
    ASSERT_OK(jlc_global_lookup(S, "Float64", &f64));
    ASSERT_OK(jlc_int64_new(S, 1, &one));
    jlc_value params[2] = {f64, one};
    ASSERT_OK(jlc_type_apply(S, Arr, 2, params, &VT));
    ASSERT_OK(jlc_value_repr(S, VT, &rep));
    /* Julia 1.6 started printing the alias. */
    ASSERT_JSTRING(jlct_julia_at_least(1, 6) ? "Vector{Float64}" : "Array{Float64,1}", rep);
    bool same = false;
    ASSERT_OK(jlc_value_isa(jlct_eval("Float64[]"), VT, &same));
    assert_true(same);
    /* instantiate through the constructor: Vector{Float64}(undef, 3) */
    jlc_value undef, n, vec, len;
    ASSERT_OK(jlc_global_lookup(S, "undef", &undef));
    ASSERT_OK(jlc_int64_new(S, 3, &n));
    jlc_value cargs[2] = {undef, n};
    ASSERT_OK(jlc_call(S, VT, 2, cargs, &vec));
    ASSERT_OK(jlc_call(S, jlct_eval("length"), 1, &vec, &len));
    ASSERT_INT64(3, len);

    /* Julia rejects bad parameters: an exception, not a crash */
    ASSERT_OK(jlc_string_new_c(S, "notatype", &bad));
    jlc_value badp[2] = {f64, bad};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_type_apply(S, Arr, 2, badp, &VT));
    ASSERT_OK(jlc_global_lookup(S, "JlctP", &P));
    ASSERT_OK(jlc_type_apply(S, P, 1, &f64, &PT));
    ASSERT_OK(jlc_float64_new(S, 1.5, &vals[0]));
    ASSERT_OK(jlc_int64_new(S, 2, &vals[1]));
    /* jlc_struct_new converts nothing: an Int64 for a Float64 field is refused */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_new(S, PT, 2, vals, &p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_struct_new(S, PT, 1, vals, &p));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_new(S, P, 2, vals, &p)); /* not concrete */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_struct_new(S, f64, 0, NULL, &p)); /* primitive */
    /* ... while calling the type converts, as Julia does */
    ASSERT_OK(jlc_call(S, PT, 2, vals, &p));
    jlc_value y;
    ASSERT_OK(jlc_field_get(S, p, 1, &y));
    double d;
    ASSERT_OK(jlc_float64_get(y, &d));
    assert_true(d == 2.0);
}

static void undefined_field_is_exception(void **state)
{
    jlct_eval("mutable struct JlctU; x::Any; JlctU() = new(); end");
    jlc_value u = jlct_eval("JlctU()"), f;
    ASSERT_STATUS(JLC_EXCEPTION, jlc_field_get(S, u, 0, &f));
    jlc_value exc;
    const char *tn;
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_value_type_name(exc, &tn));
    assert_string_equal("UndefRefError", tn);
}

static void null_pointers(void **state)
{
    jlc_value v, t;
    bool b;
    size_t n;
    const char *s;
    ASSERT_OK(jlc_int64_new(S, 1, &v));
    ASSERT_OK(jlc_value_type(S, v, &t));
    size_t before = 0, after = 0;
    ASSERT_OK(jlc_scope_size(S, &before));
    assert_int_equal(2, before);
/* Refused with JLC_ERR_ARG, and nothing else changed: no handle was added. */
#define REFUSED(call)                              \
    do {                                           \
        ASSERT_STATUS(JLC_ERR_ARG, call);          \
        ASSERT_OK(jlc_scope_size(S, &after));      \
        assert_int_equal(before, after);           \
    } while (0)
    REFUSED(jlc_value_type(S, v, NULL));
    REFUSED(jlc_value_string(S, v, NULL));
    REFUSED(jlc_value_repr(S, v, NULL));
    REFUSED(jlc_value_isa(v, t, NULL));
    REFUSED(jlc_type_is_subtype(t, t, NULL));
    REFUSED(jlc_type_nfields(t, NULL));
    REFUSED(jlc_type_field_name(t, 0, NULL));
    REFUSED(jlc_type_field_type(S, t, 0, NULL));
    REFUSED(jlc_type_field_index(t, NULL, &n));
    REFUSED(jlc_type_field_index(t, "x", NULL));
    REFUSED(jlc_field_get(S, v, 0, NULL));
    REFUSED(jlc_field_get_by_name(S, v, NULL, &t));
    REFUSED(jlc_field_set_by_name(v, NULL, v));
    REFUSED(jlc_type_apply(S, t, 1, NULL, &v));
    REFUSED(jlc_type_apply(S, t, 0, NULL, NULL));
    REFUSED(jlc_struct_new(S, t, 1, NULL, &v));
    REFUSED(jlc_struct_new(S, t, 0, NULL, NULL));
    (void)b;
    (void)s;
#undef REFUSED
    ASSERT_INT64(1, v);
}

/* const fields (Julia 1.8+) and @atomic fields (1.7+) are not written by a
 * plain store; on releases without them, a normal mutable field is set. */
static void set_field_const_and_atomic(void **state)
{
    jlc_value x, v, f;
    int64_t got = 0;
    ASSERT_OK(jlc_int64_new(S, 5, &v));
    if (jlct_julia_at_least(1, 8)) {
        x = jlct_eval("mutable struct TcConst; const a::Int; b::Int; end; TcConst(1, 2)");
        ASSERT_STATUS(JLC_ERR_IMMUTABLE, jlc_field_set(x, 0, v));
        assert_non_null(strstr(jlc_last_error(), "const"));
        ASSERT_STATUS(JLC_ERR_IMMUTABLE, jlc_field_set_by_name(x, "a", v));
        ASSERT_OK(jlc_field_get(S, x, 0, &f));
        ASSERT_INT64(1, f);
        ASSERT_OK(jlc_field_set(x, 1, v)); /* the other field is mutable */
    } else {
        x = jlct_eval("mutable struct TcConst; a::Int; b::Int; end; TcConst(1, 2)");
        ASSERT_OK(jlc_field_set(x, 0, v));
    }
    ASSERT_OK(jlc_field_get(S, x, jlct_julia_at_least(1, 8) ? 1 : 0, &f));
    ASSERT_OK(jlc_int64_get(f, &got));
    assert_int_equal(5, got);
    if (jlct_julia_at_least(1, 7)) {
        x = jlct_eval("mutable struct TcAtomic; @atomic n::Int; end; TcAtomic(3)");
        ASSERT_STATUS(JLC_ERR_IMMUTABLE, jlc_field_set(x, 0, v));
        assert_non_null(strstr(jlc_last_error(), "@atomic"));
        ASSERT_OK(jlc_field_get(S, x, 0, &f));
        ASSERT_INT64(3, f);
    }
}

/* A type's size, alignment, offsets, flags, supertype, parameters and name,
 * each compared with what Julia itself says. */
static void type_inspection(void **state)
{
    jlct_eval("struct JlctLay; a::Int8; b::Float64; c::Int16; end");
    jlc_value T = jlct_eval("JlctLay"), x;
    jlc_type_info info;
    ASSERT_OK(jlc_type_inspect(T, &info));
    assert_int_equal(24, info.size);
    assert_int_equal(8, info.align);
    assert_int_equal(3, info.nfields);
    assert_int_equal(0, info.nparams);
    assert_true(info.is_concrete && info.is_isbits);
    assert_false(info.is_abstract || info.is_mutable);
    size_t off = 99;
    const size_t want_off[3] = {0, 8, 16};
    for (size_t i = 0; i < 3; i++) {
        ASSERT_OK(jlc_type_field_offset(T, i, &off));
        assert_int_equal(want_off[i], off);
    }
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "Int64[fieldoffset(JlctLay, i) for i in 1:3] == [0, 8, 16] && sizeof(JlctLay) == 24", &x));
    bool yes = false;
    ASSERT_OK(jlc_bool_get(x, &yes));
    assert_true(yes);
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_type_field_offset(T, 3, &off));

    ASSERT_OK(jlc_type_inspect(jlct_eval("JlctM"), &info));
    assert_true(info.is_mutable && info.is_concrete);
    assert_false(info.is_isbits);
    assert_int_equal(3, info.nfields);

    ASSERT_OK(jlc_type_inspect(jlct_eval("AbstractFloat"), &info));
    assert_true(info.is_abstract);
    assert_false(info.is_concrete);
    assert_int_equal(0, info.size);
    assert_int_equal(0, info.nfields);

    /* parameters (a type and a value), supertype, names */
    jlc_value V = jlct_eval("Array{Float64, 2}"), p, sup, str;
    ASSERT_OK(jlc_type_inspect(V, &info));
    assert_int_equal(2, info.nparams);
    ASSERT_OK(jlc_type_param(S, V, 0, &p));
    ASSERT_OK(jlc_value_identical(p, jlct_eval("Float64"), &yes));
    assert_true(yes);
    ASSERT_OK(jlc_type_param(S, V, 1, &p));
    ASSERT_INT64(2, p);
    ASSERT_STATUS(JLC_ERR_BOUNDS, jlc_type_param(S, V, 2, &p));
    jlc_value PF = jlct_eval("JlctP{Float64}");
    const char *name = NULL;
    ASSERT_OK(jlc_type_name(PF, &name));
    assert_string_equal("JlctP", name);
    ASSERT_OK(jlc_value_string(S, PF, &str));
    ASSERT_JSTRING("JlctP{Float64}", str);
    ASSERT_OK(jlc_type_supertype(S, jlct_eval("Float64"), &sup));
    ASSERT_OK(jlc_value_identical(sup, jlct_eval("AbstractFloat"), &yes));
    assert_true(yes);
    ASSERT_OK(jlc_type_supertype(S, jlct_eval("Any"), &sup));
    ASSERT_OK(jlc_value_identical(sup, jlct_eval("Any"), &yes));
    assert_true(yes);

    /* not DataTypes */
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_inspect(jlct_eval("JlctP"), &info));
    assert_non_null(strstr(jlc_last_error(), "UnionAll"));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_inspect(jlct_eval("Union{Int8, Float64}"), &info));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_name(jlct_eval("42"), &name));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_type_field_offset(jlct_eval("Real"), 0, &off));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_type_inspect(T, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(set_field_const_and_atomic),
        JLCT(typeof_isa_subtype),
        JLCT(field_reflection),
        JLCT(get_and_set_fields),
        JLCT(immutable_structs_refuse_writes),
        JLCT(apply_type_and_new),
        JLCT(undefined_field_is_exception),
        JLCT(null_pointers),
        JLCT(type_inspection),
    };
    return JLCT_RUN(tests);
}

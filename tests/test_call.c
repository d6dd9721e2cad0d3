/* test_call.c — calls, keyword calls, eval/include/using, exceptions. */
#include "test_util.h"

static jlc_value fn(const char *path)
{
    jlc_value f = JLC_NO_VALUE;
    jlc_status st = jlc_global_lookup(S, path, &f);
    if (st != JLC_OK) fail_msg("lookup %s: %s", path, jlc_last_error());
    return f;
}

static void positional_calls(void **state)
{
    jlc_value args[3], r;
    ASSERT_OK(jlc_float64_new(S, 1.5, &args[0]));
    ASSERT_OK(jlc_float64_new(S, 2.25, &args[1]));
    ASSERT_OK(jlc_call(S, fn("Base.+"), 2, args, &r));
    double d;
    ASSERT_OK(jlc_float64_get(r, &d));
    assert_true(d == 3.75);
    ASSERT_OK(jlc_call(S, fn("Base.time"), 0, NULL, &r));
    ASSERT_OK(jlc_float64_get(r, &d));
    assert_true(d > 1.6e9);
    /* many arguments: beyond the on-stack limit */
    jlc_value many[40];
    for (int i = 0; i < 40; i++) ASSERT_OK(jlc_int64_new(S, i + 1, &many[i]));
    ASSERT_OK(jlc_call(S, fn("Base.+"), 40, many, &r));
    ASSERT_INT64(820, r);
}

static void keyword_calls(void **state)
{
    jlc_value args[3], kwv[2], r;
    jlct_eval("jlct_ssum(xs...; scale = 1, offset = 0) = scale * sum(xs) + offset");
    for (int i = 0; i < 3; i++) ASSERT_OK(jlc_int64_new(S, i + 1, &args[i]));
    ASSERT_OK(jlc_int64_new(S, 10, &kwv[0]));
    ASSERT_OK(jlc_int64_new(S, 5, &kwv[1]));
    const char *names[] = {"scale", "offset"};
    jlc_value f = fn("jlct_ssum");
    ASSERT_OK(jlc_call_kw(S, f, 3, args, 2, names, kwv, &r));
    ASSERT_INT64(65, r);
    /* again (cached caller), other order, subset, none */
    const char *rev[] = {"offset", "scale"};
    ASSERT_OK(jlc_call_kw(S, f, 3, args, 2, rev, kwv, &r));
    ASSERT_INT64(6 * 5 + 10, r);
    ASSERT_OK(jlc_call_kw(S, f, 2, args, 1, names + 1, kwv, &r));
    ASSERT_INT64(3 + 10, r);
    ASSERT_OK(jlc_call_kw(S, f, 1, args, 0, NULL, NULL, &r));
    ASSERT_INT64(1, r);
    /* a builtin with keywords: sort(v; rev = true) */
    jlc_value v = jlct_eval("[3, 1, 2]"), t;
    ASSERT_OK(jlc_bool_new(S, true, &t));
    const char *revname[] = {"rev"};
    ASSERT_OK(jlc_call_kw(S, fn("sort"), 1, &v, 1, revname, &t, &r));
    jlc_value rep;
    ASSERT_OK(jlc_value_repr(S, r, &rep));
    ASSERT_JSTRING("[3, 2, 1]", rep);
    /* unknown keyword: a Julia MethodError, as in Julia */
    const char *bad[] = {"nope"};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call_kw(S, f, 1, args, 1, bad, kwv, &r));
    /* repeated keyword: refused before Julia sees it */
    const char *twice[] = {"scale", "scale"};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call_kw(S, f, 1, args, 2, twice, kwv, &r));
    const char *nullname[] = {NULL};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call_kw(S, f, 1, args, 1, nullname, kwv, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call_kw(S, f, 1, args, 1, NULL, kwv, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call_kw(S, f, 1, args, 1, names, NULL, &r));
}

static void eval_in_modules(void **state)
{
    jlc_value r, m;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "jlct_x = 20; jlct_x + 1", &r));
    ASSERT_INT64(21, r);
    ASSERT_OK(jlc_module_lookup(S, "Base.Math", &m));
    ASSERT_OK(jlc_eval(S, m, "@__MODULE__", &r));
    jlc_value rep;
    ASSERT_OK(jlc_value_repr(S, r, &rep));
    ASSERT_JSTRING("Base.Math", rep);
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "nothing", NULL)); /* result not wanted */
    jlc_value notmod;
    ASSERT_OK(jlc_int64_new(S, 1, &notmod));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_eval(S, notmod, "1", &r));
    /* a parse error is a Julia exception */
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "1 +* 2)", &r));
    const char *tn;
    jlc_value exc;
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_value_type_name(exc, &tn));
    assert_string_equal("ParseError", tn);
}

static void include_and_using(void **state)
{
    jlc_value r, p, args[2], T;
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_include(S, "/nonexistent/file.jl", &r));
    assert_non_null(strstr(jlc_last_error(), "/nonexistent/file.jl"));
    ASSERT_OK(jlc_include(S, JLCT_DATA_DIR "/funcs.jl", &r));
    ASSERT_JSTRING("loaded", r);
    ASSERT_OK(jlc_int64_new(S, 3, &args[0]));
    ASSERT_OK(jlc_int64_new(S, 4, &args[1]));
    ASSERT_OK(jlc_global_lookup(S, "Geometry.Point", &T));
    ASSERT_OK(jlc_call(S, T, 2, args, &p));
    ASSERT_OK(jlc_call(S, fn("Geometry.norm2"), 1, &p, &r));
    ASSERT_INT64(25, r);

    ASSERT_OK(jlc_using(S, "LinearAlgebra"));
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "dot([1, 2, 3], [4, 5, 6])", &r));
    ASSERT_INT64(32, r);
    ASSERT_OK(jlc_module_lookup(S, "LinearAlgebra", &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_using(S, "Linear Algebra; run(`ls`)"));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_using(S, "1abc"));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_using(S, "A..B"));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_using(S, "NoSuchPackageJlc"));
}

/* Checks an exception's type and that its text contains a fragment. */
static void expect_exception(const char *type, const char *fragment)
{
    jlc_value exc, text;
    const char *tn;
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_value_type_name(exc, &tn));
    assert_string_equal(type, tn);
    ASSERT_OK(jlc_exception_text(S, exc, false, &text));
    const char *s;
    ASSERT_OK(jlc_string_get(text, &s, NULL));
    if (!strstr(s, fragment)) fail_msg("exception text '%s' lacks '%s'", s, fragment);
    if (!strstr(jlc_last_error(), fragment) && !strstr(jlc_last_error(), type))
        fail_msg("last error '%s' lacks '%s'", jlc_last_error(), type);
}

/* The libunwind trap: each of these segfaults with Debian 12's libunwind
 * 1.6 loaded under Debian's Julia 1.5.3; with 1.3.2 loaded first, they come
 * back as statuses. */
static void exceptions_come_back_as_status(void **state)
{
    jlc_value r, args[2];
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "[1, 2][5]", &r));
    expect_exception("BoundsError", "BoundsError");
    ASSERT_OK(jlc_float64_new(S, -1.0, &args[0]));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(S, fn("sqrt"), 1, args, &r));
    expect_exception("DomainError", "sqrt");
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "Dict()[:a]", &r));
    expect_exception("KeyError", "key :a not found");
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "error(\"custom failure 17\")", &r));
    expect_exception("ErrorException", "custom failure 17");
    /* method error */
    ASSERT_OK(jlc_string_new_c(S, "a", &args[0]));
    ASSERT_OK(jlc_int64_new(S, 1, &args[1]));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(S, fn("+"), 2, args, &r));
    expect_exception("MethodError", "no method matching +");
    /* calling a non-function */
    jlc_value notfn;
    ASSERT_OK(jlc_int64_new(S, 5, &notfn));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_call(S, notfn, 1, args, &r));
    expect_exception("MethodError", "objects of type Int64 are not callable");
    /* push! on an array wrapping foreign memory: before Julia 1.11 a jl_error
     * from C inside Julia; from 1.11 on the array silently moves to new
     * Julia memory, leaving the wrapped bytes as they were. */
    if (!jlct_julia_at_least(1, 11)) {
        ASSERT_STATUS(JLC_EXCEPTION,
                      jlc_eval(S, JLC_NO_VALUE,
                               "let b = zeros(4); a = unsafe_wrap(Array, pointer(b), 4); push!(a, 1.0) end", &r));
        expect_exception("ErrorException", "cannot resize array with shared data");
    } else {
        jlc_value moved;
        bool yes = false;
        moved = jlct_eval("let b = zeros(4); a = unsafe_wrap(Array, pointer(b), 4); push!(a, 1.0); "
                          "GC.@preserve b (length(a) == 5 && pointer(a) != pointer(b) && "
                          "a[5] == 1.0 && all(iszero, b)) end");
        ASSERT_OK(jlc_bool_get(moved, &yes));
        assert_true(yes);
    }
    /* the runtime still works */
    ASSERT_INT64(4, jlct_eval("2 + 2"));
}

static void stack_overflow(void **state)
{
    jlc_value r;
    jlct_eval("jlct_rec(n) = jlct_rec(n + 1) + 1");
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "jlct_rec(0)", &r));
    expect_exception("StackOverflowError", "StackOverflowError");
    ASSERT_INT64(6, jlct_eval("sum(1:3)"));
    /* and a second time: the guard page was restored */
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "jlct_rec(0)", &r));
    ASSERT_INT64(6, jlct_eval("sum(1:3)"));
}

static void exception_text_with_backtrace(void **state)
{
    jlc_value r, exc, text;
    jlct_eval("jlct_inner() = error(\"deep\"); jlct_outer() = jlct_inner()");
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "jlct_outer()", &r));
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_exception_text(S, exc, true, &text));
    const char *s;
    ASSERT_OK(jlc_string_get(text, &s, NULL));
    assert_non_null(strstr(s, "deep"));
    assert_non_null(strstr(s, "Stacktrace"));
    assert_non_null(strstr(s, "jlct_inner"));
    assert_non_null(strstr(s, "jlct_outer"));
    /* an exception that is not the latest has no backtrace to add */
    jlc_value other = jlct_eval("ErrorException(\"made, not thrown\")");
    ASSERT_OK(jlc_exception_text(S, other, true, &text));
    ASSERT_JSTRING("made, not thrown", text);
}

static void exception_lifetime(void **state)
{
    jlc_scope inner;
    jlc_value r, exc;
    ASSERT_OK(jlc_scope_open(S, &inner));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(inner, JLC_NO_VALUE, "throw(ArgumentError(\"x\"))", &r));
    ASSERT_OK(jlc_exception_get(&exc));
    ASSERT_OK(jlc_scope_close(inner));
    /* rooted in the closed scope: gone */
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_exception_get(&exc));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_exception_text(S, exc, false, &r));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "throw(ArgumentError(\"y\"))", &r));
    jlc_exception_clear();
    assert_string_equal("", jlc_last_error());
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_exception_get(&exc));
}

/* ---- a scope cannot be closed under a running call ---- */

static jlc_scope inflight;

/* Called from Julia in the middle of a jlc call given `inflight`. */
static int64_t close_inflight(void) { return (int64_t)jlc_scope_close(inflight); }

/* Asserts what every case below must see: the close inside was refused, the
 * outer call succeeded with a valid result, the scope holds exactly the
 * handles made in it, and it closes normally afterwards. */
static void assert_inflight_refused(jlc_value r, size_t handles)
{
    int64_t inner = -1;
    size_t n = 0;
    ASSERT_OK(jlc_int64_get(r, &inner));
    assert_int_equal(JLC_ERR_STATE, inner);
    ASSERT_OK(jlc_scope_size(inflight, &n));
    assert_int_equal(handles, n);
    ASSERT_OK(jlc_scope_close(inflight));
    ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(r, &inner));
}

static void scope_close_refused_during_call(void **state)
{
    jlc_value p, f, r;
    ASSERT_OK(jlc_scope_open(S, &inflight));
    ASSERT_OK(jlc_voidptr_new(inflight, (void *)close_inflight, &p));
    ASSERT_OK(jlc_eval(inflight, JLC_NO_VALUE, "p -> ccall(p, Int64, ())", &f));
    ASSERT_OK(jlc_call(inflight, f, 1, &p, &r));
    assert_inflight_refused(r, 3);
}

static void scope_close_refused_during_call_kw(void **state)
{
    jlc_value p, f, r, k;
    const char *names[] = {"k"};
    ASSERT_OK(jlc_scope_open(S, &inflight));
    ASSERT_OK(jlc_voidptr_new(inflight, (void *)close_inflight, &p));
    ASSERT_OK(jlc_int64_new(inflight, 7, &k));
    ASSERT_OK(jlc_eval(inflight, JLC_NO_VALUE, "(p; k = 0) -> ccall(p, Int64, ()) + 0 * k", &f));
    ASSERT_OK(jlc_call_kw(inflight, f, 1, &p, 1, names, &k, &r));
    assert_inflight_refused(r, 4);
}

static void scope_close_refused_during_eval(void **state)
{
    jlc_value p, m, r;
    ASSERT_OK(jlc_scope_open(S, &inflight));
    ASSERT_OK(jlc_voidptr_new(inflight, (void *)close_inflight, &p));
    ASSERT_OK(jlc_module_lookup(inflight, "Main", &m));
    ASSERT_OK(jlc_global_set(inflight, m, "jlct_close_p", p));
    ASSERT_OK(jlc_eval(inflight, JLC_NO_VALUE, "ccall(jlct_close_p, Int64, ())", &r));
    assert_inflight_refused(r, 3);
}

/* ---- jlc_last_error names the exception's type ---- */

static void last_error_starts_with_type(void **state)
{
    jlc_value r;
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "error(\"boom\")", &r));
    assert_string_equal("ErrorException: boom", jlc_last_error());
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "[1, 2][5]", &r));
    assert_true(strncmp(jlc_last_error(), "BoundsError: ", 13) == 0);
    ASSERT_STATUS(JLC_EXCEPTION, jlc_eval(S, JLC_NO_VALUE, "sqrt(-1.0)", &r));
    assert_true(strncmp(jlc_last_error(), "DomainError", 11) == 0);
}

static void null_pointers(void **state)
{
    jlc_value f = fn("+"), r, a;
    ASSERT_OK(jlc_int64_new(S, 1, &a));
    size_t before, after;
    ASSERT_OK(jlc_scope_size(S, &before));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call(S, f, 1, &a, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call(S, f, 1, NULL, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call(S, JLC_NO_VALUE, 1, &a, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call_kw(S, f, 1, &a, 0, NULL, NULL, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_call_kw(S, f, 1, NULL, 0, NULL, NULL, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_eval(S, JLC_NO_VALUE, NULL, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_include(S, NULL, &r));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_using(S, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_exception_get(NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_exception_text(S, a, false, NULL));
    ASSERT_OK(jlc_scope_size(S, &after));
    assert_int_equal(before, after);
    ASSERT_INT64(2, jlct_eval("1 + 1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(positional_calls),
        JLCT(keyword_calls),
        JLCT(eval_in_modules),
        JLCT(include_and_using),
        JLCT(exceptions_come_back_as_status),
        JLCT(stack_overflow),
        JLCT(exception_text_with_backtrace),
        JLCT(exception_lifetime),
        JLCT(null_pointers),
        JLCT(scope_close_refused_during_call),
        JLCT(scope_close_refused_during_call_kw),
        JLCT(scope_close_refused_during_eval),
        JLCT(last_error_starts_with_type),
    };
    return JLCT_RUN(tests);
}

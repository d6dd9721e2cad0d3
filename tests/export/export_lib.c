/* export_lib.c — a C library exported to Julia with a jlc table
 * (include/jlc/export.h), loaded by the JLC package's tests
 * (julia/JLC/test/runtests.jl) and by docs/julia-calls-c.md's walk-through.
 * Besides the table of module MyLib, it has tables that a load must refuse,
 * each behind its own entry point. */
#include <jlc.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- plain numbers ---- */

static jlc_status add(double a, double b, double *out)
{
    *out = a + b;
    return JLC_OK;
}

static double hypot2(double a, double b) { return sqrt(a * a + b * b); }

static jlc_status checked_sqrt(double x, double *out)
{
    if (x < 0) return jlc_export_error("DomainError", "checked_sqrt: %g is negative", x);
    *out = sqrt(x);
    return JLC_OK;
}

static jlc_status checked_div(int64_t a, int64_t b, int64_t *out)
{
    if (b == 0) return jlc_export_error("ArgumentError", "checked_div: division of %lld by zero", (long long)a);
    *out = a / b;
    return JLC_OK;
}

static jlc_status custom_error(int64_t code)
{
    return jlc_export_error("MyLibFailure", "custom failure %lld", (long long)code);
}

static jlc_status is_even(int64_t n, bool *out)
{
    *out = n % 2 == 0;
    return JLC_OK;
}

static int64_t stored;
static jlc_status store(int64_t n)
{
    stored = n;
    return JLC_OK;
}
static int64_t load(void) { return stored; }

/* Arrays arrive as pointers (ccall converts a Vector{Float64}). */
static jlc_status sum_array(const double *p, int64_t n, double *out)
{
    double s = 0;
    for (int64_t i = 0; i < n; i++) s += p[i];
    *out = s;
    return JLC_OK;
}

static jlc_status scale_array(double *p, int64_t n, double k)
{
    for (int64_t i = 0; i < n; i++) p[i] *= k;
    return JLC_OK;
}

/* ---- Julia values as handles ---- */

/* Cleanup code that ran after a failure: proves no longjmp skipped it. */
static int64_t cleanups;
static int64_t cleanup_count(void) { return cleanups; }

/* f(x) through jlc; a Julia exception is re-raised to the Julia caller with
 * its backtrace, after this function's cleanup ran. */
static jlc_status apply(jlc_scope s, jlc_value f, jlc_value x, jlc_value *out)
{
    char *scratch = malloc(64); /* freed on every path */
    jlc_status st = jlc_call(s, f, 1, &x, out);
    free(scratch);
    if (st == JLC_EXCEPTION) {
        cleanups++;
        return jlc_export_rethrow();
    }
    return st;
}

/* The same, calling from a scope of its own that it closes before
 * returning: the re-raised exception outlives that scope. */
static jlc_status apply_inner(jlc_scope s, jlc_value f, jlc_value x, jlc_value *out)
{
    jlc_scope inner;
    jlc_status st = jlc_scope_open(s, &inner);
    if (st != JLC_OK) return st;
    jlc_value r;
    st = jlc_call(inner, f, 1, &x, &r);
    if (st == JLC_EXCEPTION) st = jlc_export_rethrow();
    if (st == JLC_OK) {
        int64_t v; /* the result leaves the inner scope as a new value of s */
        st = jlc_int64_get(r, &v);
        if (st == JLC_OK) st = jlc_int64_new(s, v, out);
    }
    jlc_scope_close(inner);
    return st;
}

/* A string made in C: "<prefix><n>". */
static jlc_status label(jlc_scope s, jlc_value prefix, int64_t n, jlc_value *out)
{
    char buf[128];
    size_t len = 0;
    char text[64];
    jlc_status st = jlc_string_copy(prefix, text, sizeof text, &len);
    if (st != JLC_OK) return st; /* JLC_ERR_TYPE for a non-String: a JlcError in Julia */
    int k = snprintf(buf, sizeof buf, "%s%lld", text, (long long)n);
    return jlc_string_new(s, buf, (size_t)k, out);
}

/* An exception value built in C and thrown to Julia. */
static jlc_status reject(jlc_scope s, jlc_value why)
{
    jlc_value T, e;
    jlc_status st = jlc_global_lookup(s, "ArgumentError", &T);
    if (st == JLC_OK) st = jlc_call(s, T, 1, &why, &e);
    if (st == JLC_OK) st = jlc_export_throw(e);
    return st;
}

/* Number of elements of any collection, through Julia's length. */
static jlc_status count(jlc_scope s, jlc_value x, int64_t *out)
{
    jlc_value len, r;
    jlc_status st = jlc_global_lookup(s, "length", &len);
    if (st == JLC_OK) st = jlc_call(s, len, 1, &x, &r);
    if (st == JLC_EXCEPTION) return jlc_export_rethrow();
    if (st == JLC_OK) st = jlc_int64_get(r, out);
    return st;
}

/* A failed jlc call returned as it is: the wrapper finds the exception
 * (its scope, the call's, is still open). */
static jlc_status passthrough(jlc_scope s, jlc_value f, jlc_value x, jlc_value *out)
{
    return jlc_call(s, f, 1, &x, out);
}

/* ---- an opaque type ---- */

typedef struct Counter {
    int64_t total;
} Counter;

static int64_t destroyed;
static void counter_destroy(void *p)
{
    destroyed++;
    free(p);
}

static jlc_status counter_new(int64_t start, Counter **out)
{
    Counter *c = malloc(sizeof *c);
    if (!c) return jlc_export_error("OutOfMemoryError", "no memory for a Counter");
    c->total = start;
    *out = c;
    return JLC_OK;
}

static jlc_status counter_add(Counter *c, int64_t n, int64_t *out)
{
    c->total += n;
    *out = c->total;
    return JLC_OK;
}

static int64_t counter_total(Counter *c) { return c->total; }
static int64_t destroyed_count(void) { return destroyed; }

/* ---- the table ---- */

static const int64_t answer = 42;
static const double third = 1.0 / 3.0;
static const bool flag = true;
static const uint8_t small = 200;

static const jlc_export_function functions[] = {
    {"add", JLC_EXPORT_FN(add), "double(double a, double b)", "    add(a, b)\n\na + b, in C.", 0},
    {"hypot2", JLC_EXPORT_FN(hypot2), "double(double, double)", "sqrt(a^2 + b^2); cannot fail.",
     JLC_EXPORT_NOFAIL},
    {"checked_sqrt", JLC_EXPORT_FN(checked_sqrt), "double(double)", "sqrt, DomainError below 0.", 0},
    {"checked_div", JLC_EXPORT_FN(checked_div), "int64_t(int64_t, int64_t)", NULL, 0},
    {"custom_error", JLC_EXPORT_FN(custom_error), "void(int64_t)", NULL, 0},
    {"is_even", JLC_EXPORT_FN(is_even), "bool(int64_t)", NULL, 0},
    {"store!", JLC_EXPORT_FN(store), "void(int64_t)", NULL, 0},
    {"load", JLC_EXPORT_FN(load), "int64_t(void)", NULL, JLC_EXPORT_NOFAIL},
    {"sum_array", JLC_EXPORT_FN(sum_array), "double(const double *, int64_t)", NULL, 0},
    {"scale_array!", JLC_EXPORT_FN(scale_array), "void(double *, int64_t, double)", NULL, 0},
    {"cleanup_count", JLC_EXPORT_FN(cleanup_count), "int64_t(void)", NULL, JLC_EXPORT_NOFAIL},
    {"apply", JLC_EXPORT_FN(apply), "jlc_value(jlc_scope, jlc_value f, jlc_value x)",
     "apply(f, x): f(x), called from C.", 0},
    {"apply_inner", JLC_EXPORT_FN(apply_inner), "jlc_value(jlc_scope, jlc_value, jlc_value)", NULL, 0},
    {"label", JLC_EXPORT_FN(label), "jlc_value(jlc_scope, jlc_value, int64_t)", NULL, 0},
    {"reject", JLC_EXPORT_FN(reject), "void(jlc_scope, jlc_value)", NULL, 0},
    {"count", JLC_EXPORT_FN(count), "int64_t(jlc_scope, jlc_value)", NULL, 0},
    {"passthrough", JLC_EXPORT_FN(passthrough), "jlc_value(jlc_scope, jlc_value, jlc_value)", NULL, 0},
    {"counter_new", JLC_EXPORT_FN(counter_new), "struct Counter *(int64_t)", "A new Counter.", 0},
    {"counter_add!", JLC_EXPORT_FN(counter_add), "int64_t(struct Counter *, int64_t)", NULL, 0},
    {"counter_total", JLC_EXPORT_FN(counter_total), "int64_t(struct Counter *)", NULL, JLC_EXPORT_NOFAIL},
    {"destroyed_count", JLC_EXPORT_FN(destroyed_count), "int64_t(void)", NULL, JLC_EXPORT_NOFAIL},
    {NULL, NULL, NULL, NULL, 0}};

static const jlc_export_constant constants[] = {
    {"ANSWER", "int64_t", &answer, "The answer."},
    {"THIRD", "double", &third, NULL},
    {"FLAG", "bool", &flag, NULL},
    {"SMALL", "uint8_t", &small, NULL},
    {"GREETING", "const char *", "hello from C", "A greeting."},
    {NULL, NULL, NULL, NULL}};

static const jlc_export_type types[] = {
    {"Counter", counter_destroy, "A running total kept in C."},
    {NULL, NULL, NULL}};

static const jlc_export_module mylib = {JLC_EXPORT_ABI, "MyLib: jlc's export example.", functions,
                                        constants, types};
JLC_EXPORT_MODULE(mylib)

/* ---- tables a load refuses (entry points named for the tests) ---- */

#define BAD_TABLE(entry, ...)                                                              \
    static const jlc_export_function entry##_fns[] = {__VA_ARGS__, {NULL, NULL, NULL, NULL, 0}}; \
    static const jlc_export_module entry##_mod = {JLC_EXPORT_ABI, NULL, entry##_fns, NULL, NULL}; \
    JLC_EXPORT_VISIBLE const jlc_export_module *entry(void) { return &entry##_mod; }

BAD_TABLE(bad_signature, {"f", JLC_EXPORT_FN(add), "double(double, ", NULL, 0})
BAD_TABLE(bad_duplicate, {"f", JLC_EXPORT_FN(add), "double(double, double)", NULL, 0},
          {"f", JLC_EXPORT_FN(hypot2), "double(double, double)", NULL, JLC_EXPORT_NOFAIL})
BAD_TABLE(bad_null, {"f", NULL, "double(double, double)", NULL, 0})
BAD_TABLE(bad_type, {"f", JLC_EXPORT_FN(add), "double(long, double)", NULL, 0})
BAD_TABLE(bad_noscope, {"f", JLC_EXPORT_FN(apply), "jlc_value(jlc_value, jlc_value)", NULL, 0})
BAD_TABLE(bad_opaque, {"f", JLC_EXPORT_FN(counter_total), "int64_t(struct Nope *)", NULL, JLC_EXPORT_NOFAIL})
BAD_TABLE(bad_name, {"not a name", JLC_EXPORT_FN(add), "double(double, double)", NULL, 0})

static const jlc_export_module bad_abi_mod = {JLC_EXPORT_ABI + 1, NULL, functions, NULL, NULL};
JLC_EXPORT_VISIBLE const jlc_export_module *bad_abi(void) { return &bad_abi_mod; }

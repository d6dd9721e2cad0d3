/* export_lib.c — a C library exported to Julia with a jlc table
 * (include/jlc/export.h), loaded by the JLC package's tests
 * (julia/JLC/test/runtests.jl) and by docs/julia-calls-c.md's walk-through.
 * Besides the table of module MyLib, it has tables that a load must refuse,
 * each behind its own entry point. */
#include <jlc.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- callbacks: C keeps a Julia function and calls it later ---- */

/* The one callback this library keeps ("double(double)"), as a C library
 * would keep it in its own state. */
static jlc_callback kept;
typedef jlc_status (*double_fn)(double, double *);

/* The C caller's view of the latest call: status and message. */
static int32_t cb_status;
static char cb_message[512];

static jlc_status cb_register(jlc_scope s, jlc_value f)
{
    jlc_callback cb;
    jlc_status st = jlc_callback_new(s, f, "double(double)", 0, &cb);
    if (st == JLC_EXCEPTION) return jlc_export_rethrow();
    if (st != JLC_OK) return st;
    if (kept._h) jlc_callback_free(kept); /* replaced: the old one is let go */
    kept = cb;
    return JLC_OK;
}

static jlc_status cb_unregister(void)
{
    return jlc_callback_free(kept); /* JLC_ERR_STALE the second time */
}

/* Calls the kept callback as any C code would: pointer asked for at each use,
 * status checked. Returns the status; the C caller keeps the message. */
static int32_t call_kept(double x, double *y)
{
    void *p;
    jlc_status st = jlc_callback_fn(kept, &p);
    if (st == JLC_OK) st = ((double_fn)p)(x, y);
    cb_status = (int32_t)st;
    snprintf(cb_message, sizeof cb_message, "%s", st == JLC_OK ? "" : jlc_last_error());
    return (int32_t)st;
}

/* For Julia: the status of one call (no exception: C handled it). */
static int32_t cb_fire_status(double x)
{
    double y = 0;
    return call_kept(x, &y);
}

/* For Julia: f(x), or the failure as a JlcError/CError. */
static jlc_status cb_fire(double x, double *out)
{
    int32_t st = call_kept(x, out);
    if (st == JLC_EXCEPTION) return jlc_export_error("CallbackError", "%s", cb_message);
    return (jlc_status)st; /* JLC_ERR_STALE after cb_unregister */
}

/* Sum of f(i) for i = 1..n, called from C in a loop. */
static jlc_status cb_sum(int64_t n, double *out)
{
    double s = 0, y;
    for (int64_t i = 1; i <= n; i++) {
        int32_t st = call_kept((double)i, &y);
        if (st == JLC_EXCEPTION) return jlc_export_error("CallbackError", "%s", cb_message);
        if (st != JLC_OK) return (jlc_status)st;
        s += y;
    }
    *out = s;
    return JLC_OK;
}

static jlc_status cb_message_get(jlc_scope s, jlc_value *out)
{
    return jlc_string_new(s, cb_message, strlen(cb_message), out);
}
static int32_t cb_last_status(void) { return cb_status; }
static int64_t cb_live(void) { return (int64_t)jlc_callback_count(); }

/* The kept function itself, back to Julia. */
static jlc_status cb_function(jlc_scope s, jlc_value *out) { return jlc_callback_function(s, kept, out); }

/* ---- a worker thread: computes in C, wakes Julia through an AsyncCondition ---- */

typedef struct Worker {
    pthread_t thread;
    void *wake;    /* the condition's uv_async_t handle */
    int64_t n;
    double result; /* written by the worker before done */
    int done;      /* atomic: 1 once result is final */
    int joined;    /* the thread was joined (worker_result or the destructor) */
    int go;        /* atomic: a gated worker starts computing when set */
    int32_t notify_status;
} Worker;

static int64_t workers_joined;

static void *worker_main(void *arg)
{
    Worker *w = arg;
    struct timespec ms = {0, 1000000};
    while (!__atomic_load_n(&w->go, __ATOMIC_ACQUIRE)) nanosleep(&ms, NULL);
    double s = 0; /* sum of 1/k^2: pi^2/6 in the limit */
    for (int64_t k = 1; k <= w->n; k++) s += 1.0 / ((double)k * (double)k);
    w->result = s;
    __atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
    /* A thread Julia does not know: only the wake-up, never a Julia call. */
    w->notify_status = (int32_t)jlc_condition_notify(w->wake);
    return NULL;
}

static void worker_destroy(void *p)
{
    Worker *w = p;
    if (!w->joined) pthread_join(w->thread, NULL); /* the sum is short: never a long wait */
    workers_joined++;
    free(w);
}

/* gated: the thread waits for worker_go before computing (so a test can
 * prove Julia keeps running other tasks while one waits). */
static jlc_status worker_start(void *wake, int64_t n, bool gated, Worker **out)
{
    if (n < 0) return jlc_export_error("ArgumentError", "worker_start: n = %lld is negative", (long long)n);
    Worker *w = calloc(1, sizeof *w);
    if (!w) return jlc_export_error("OutOfMemoryError", "no memory for a Worker");
    w->wake = wake;
    w->n = n;
    w->go = !gated;
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        free(w);
        return jlc_export_error(NULL, "worker_start: cannot start a thread");
    }
    *out = w;
    return JLC_OK;
}

static void worker_go(Worker *w) { __atomic_store_n(&w->go, 1, __ATOMIC_RELEASE); }

static bool worker_done(Worker *w) { return __atomic_load_n(&w->done, __ATOMIC_ACQUIRE) != 0; }

static jlc_status worker_result(Worker *w, double *out)
{
    if (!worker_done(w)) return jlc_export_error(NULL, "worker_result: the worker is still running");
    if (!w->joined) pthread_join(w->thread, NULL); /* done: the thread is at its last lines */
    w->joined = 1;
    *out = w->result;
    return JLC_OK;
}

static int32_t worker_notify_status(Worker *w) { return w->notify_status; }
static int64_t workers_joined_count(void) { return workers_joined; }

/* Bad wake-ups, from a C thread and from this one. */
static int32_t notify_null(void) { return (int32_t)jlc_condition_notify(NULL); }

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
    {"cb_register", JLC_EXPORT_FN(cb_register), "void(jlc_scope, jlc_value f)",
     "cb_register(f): C keeps f as a double(double) callback.", 0},
    {"cb_unregister", JLC_EXPORT_FN(cb_unregister), "void(void)", NULL, 0},
    {"cb_fire", JLC_EXPORT_FN(cb_fire), "double(double)", NULL, 0},
    {"cb_fire_status", JLC_EXPORT_FN(cb_fire_status), "int32_t(double)", NULL, JLC_EXPORT_NOFAIL},
    {"cb_sum", JLC_EXPORT_FN(cb_sum), "double(int64_t)", NULL, 0},
    {"cb_message", JLC_EXPORT_FN(cb_message_get), "jlc_value(jlc_scope)", NULL, 0},
    {"cb_last_status", JLC_EXPORT_FN(cb_last_status), "int32_t(void)", NULL, JLC_EXPORT_NOFAIL},
    {"cb_live", JLC_EXPORT_FN(cb_live), "int64_t(void)", NULL, JLC_EXPORT_NOFAIL},
    {"cb_function", JLC_EXPORT_FN(cb_function), "jlc_value(jlc_scope)", NULL, 0},
    {"worker_start", JLC_EXPORT_FN(worker_start), "struct Worker *(void *wake, int64_t n, bool gated)",
     "worker_start(cond.handle, n, gated): sums 1/k^2 for k = 1..n on a C thread, then wakes cond; "
     "a gated worker starts at worker_go.", 0},
    {"worker_go", JLC_EXPORT_FN(worker_go), "void(struct Worker *)", NULL, JLC_EXPORT_NOFAIL},
    {"worker_done", JLC_EXPORT_FN(worker_done), "bool(struct Worker *)", NULL, JLC_EXPORT_NOFAIL},
    {"worker_result", JLC_EXPORT_FN(worker_result), "double(struct Worker *)", NULL, 0},
    {"worker_notify_status", JLC_EXPORT_FN(worker_notify_status), "int32_t(struct Worker *)", NULL,
     JLC_EXPORT_NOFAIL},
    {"workers_joined", JLC_EXPORT_FN(workers_joined_count), "int64_t(void)", NULL, JLC_EXPORT_NOFAIL},
    {"notify_null", JLC_EXPORT_FN(notify_null), "int32_t(void)", NULL, JLC_EXPORT_NOFAIL},
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
    {"Worker", worker_destroy, "A C thread computing a sum; joined when freed."},
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

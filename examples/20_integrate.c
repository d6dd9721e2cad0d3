/* integrate.c — integrate Julia-defined functions from a C loop (Simpson's
 * rule), calling Julia four ways: a dynamic jlc_call per point, a checked
 * typed pointer, an unchecked typed pointer inside a protected region, and
 * one batched call. Prints each result and how long it took. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime, CLOCK_MONOTONIC in strict C11 */
#include "example.h"

#include <string.h>
#include <time.h>

enum { N = 200000 }; /* Simpson intervals (even) */
static const double A = 0.0, B = 3.0;

typedef jlc_status (*checked_fn)(double, double *);
typedef double (*unchecked_fn)(double);

/* jlc_cfunc_new() hands back the pointer as a void *. ISO C has no cast from
 * an object pointer to a function pointer (gcc -pedantic rejects one); POSIX
 * guarantees both have the same representation, so copy the bytes. */
_Static_assert(sizeof(void *) == sizeof(checked_fn), "function pointers fit in a void *");
static checked_fn as_checked(void *p)
{
    checked_fn f;
    memcpy(&f, &p, sizeof f);
    return f;
}
static unchecked_fn as_unchecked(void *p)
{
    unchecked_fn f;
    memcpy(&f, &p, sizeof f);
    return f;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double weight(int i) { return i == 0 || i == N ? 1.0 : i % 2 ? 4.0 : 2.0; }

/* 1. Dynamic: box x, call through jlc_call, unbox the result. */
static double by_dynamic_call(jlc_scope outer, jlc_value f)
{
    double h = (B - A) / N, sum = 0;
    jlc_scope sc;
    CHECK(jlc_scope_open(outer, &sc));
    for (int i = 0; i <= N; i++) {
        jlc_value x, y;
        double fy;
        CHECK(jlc_float64_new(sc, A + i * h, &x));
        CHECK(jlc_call(sc, f, 1, &x, &y));
        CHECK(jlc_float64_get(y, &fy));
        sum += weight(i) * fy;
        if (i % 1024 == 0) { /* handles live until their scope closes */
            CHECK(jlc_scope_close(sc));
            CHECK(jlc_scope_open(outer, &sc));
        }
    }
    CHECK(jlc_scope_close(sc));
    return sum * h / 3;
}

/* 2. Checked pointer: a status per call, exceptions come back as statuses. */
static double by_checked(checked_fn f)
{
    double h = (B - A) / N, sum = 0, fy;
    for (int i = 0; i <= N; i++) {
        CHECK(f(A + i * h, &fy));
        sum += weight(i) * fy;
    }
    return sum * h / 3;
}

/* 3. Unchecked pointer: the plain C signature. Run inside jlc_protect so an
 * exception cannot escape into C; nothing here needs cleanup if one does. */
typedef struct job {
    unchecked_fn f;
    double lo, hi, result;
} job;

static jlc_status unchecked_loop(void *ctx)
{
    job *j = ctx;
    double h = (j->hi - j->lo) / N, sum = 0;
    for (int i = 0; i <= N; i++) sum += weight(i) * j->f(j->lo + i * h);
    j->result = sum * h / 3;
    return JLC_OK;
}

/* 4. Batched: all N+1 points in one call into Julia. */
static double by_map(jlc_scope scope, jlc_value f, double *xs, double *ys)
{
    double h = (B - A) / N, sum = 0;
    for (int i = 0; i <= N; i++) xs[i] = A + i * h;
    const void *in[1] = {xs};
    CHECK(jlc_cfunc_map(scope, f, "double(double)", N + 1, in, ys));
    for (int i = 0; i <= N; i++) sum += weight(i) * ys[i];
    return sum * h / 3;
}

static void integrate(jlc_scope scope, const char *name, double *xs, double *ys)
{
    jlc_value f;
    void *checked, *unchecked;
    unsigned flags;
    CHECK(jlc_global_lookup(scope, name, &f));
    CHECK(jlc_cfunc_new(scope, f, "double(double)", JLC_CFUNC_CHECKED, &checked));
    CHECK(jlc_cfunc_new(scope, f, "double(double)", JLC_CFUNC_UNCHECKED, &unchecked));
    CHECK(jlc_cfunc_flags(checked, &flags));
    printf("\n%s over [%g, %g], %d intervals; checked pointer %s\n", name, A, B, N,
           (flags & JLC_CFUNC_NOTHROW) ? "proved nothrow: no exception handler, direct entry"
                                       : "may throw: runs under an exception handler");

    /* Warm up once so no timing includes compilation. */
    double t0, ms[4], res[4];
    job j = {as_unchecked(unchecked), A, B, 0};
    by_dynamic_call(scope, f);
    by_map(scope, f, xs, ys);

    t0 = now_ms(); res[0] = by_dynamic_call(scope, f); ms[0] = now_ms() - t0;
    t0 = now_ms(); res[1] = by_checked(as_checked(checked)); ms[1] = now_ms() - t0;
    t0 = now_ms(); CHECK(jlc_protect(scope, unchecked_loop, &j)); res[2] = j.result; ms[2] = now_ms() - t0;
    t0 = now_ms(); res[3] = by_map(scope, f, xs, ys); ms[3] = now_ms() - t0;
    const char *how[4] = {"dynamic jlc_call", "checked pointer", "unchecked pointer (jlc_protect)",
                          "batched jlc_cfunc_map"};
    for (int k = 0; k < 4; k++)
        printf("  %-32s %.12f  %8.2f ms  %7.1f ns/point\n", how[k], res[k], ms[k],
               ms[k] * 1e6 / (N + 1));
}

typedef struct at_inf {
    unchecked_fn f;
    double y;
    int finished;
} at_inf;

static jlc_status eval_at_inf(void *ctx)
{
    at_inf *a = ctx;
    a->y = a->f(1.0 / 0.0);
    a->finished = 1; /* not reached when f throws */
    return JLC_OK;
}

int main(void)
{
    CHECK(jlc_init(NULL));
    jlc_scope scope;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &scope));
    CHECK(jlc_eval(scope, JLC_NO_VALUE,
                   "gauss_wave(x::Float64) = exp(-x^2) * cos(3x)\n"
                   "cubic(x::Float64) = 1.0 + x * (0.5 + x * (0.25 - 0.125x))\n",
                   NULL));
    double *xs = malloc((N + 1) * sizeof *xs), *ys = malloc((N + 1) * sizeof *ys);
    if (!xs || !ys) return 1;

    integrate(scope, "gauss_wave", xs, ys);
    integrate(scope, "cubic", xs, ys); /* exact value: 4.96875 */

    /* A throw inside a typed call: cos(Inf) is a DomainError. */
    jlc_value f;
    void *checked, *unchecked;
    CHECK(jlc_global_lookup(scope, "gauss_wave", &f));
    CHECK(jlc_cfunc_new(scope, f, "double(double)", JLC_CFUNC_CHECKED, &checked));
    CHECK(jlc_cfunc_new(scope, f, "double(double)", JLC_CFUNC_UNCHECKED, &unchecked));
    double y = 0;
    jlc_status st = as_checked(checked)(1.0 / 0.0, &y); /* exp(-Inf)*cos(Inf): throws */
    printf("\nchecked pointer at x = Inf: %s\n  %s\n", jlc_status_name(st), jlc_last_error());
    at_inf job = {as_unchecked(unchecked), 0.0, 0};
    st = jlc_protect(scope, eval_at_inf, &job);
    printf("unchecked pointer inside jlc_protect at x = Inf: %s (the callback %s)\n  %s\n",
           jlc_status_name(st), job.finished ? "finished" : "was abandoned at the throw",
           jlc_last_error());
    printf("Julia still works: ");
    CHECK(as_checked(checked)(0.0, &y));
    printf("gauss_wave(0) = %g\n", y);

    free(xs);
    free(ys);
    CHECK(jlc_scope_close(scope));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

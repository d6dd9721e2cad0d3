/* 11_array_map.c — map a Julia function over a large C array in ONE call
 * (map!(f, out, in) on wrapped buffers), instead of one call per element:
 * the coarse-grained interop that keeps the boundary cost negligible.
 * The input stays C's (borrowed mode); the output buffer is handed over to
 * Julia (transferred mode) and freed by Julia's GC through our deallocator. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime, CLOCK_MONOTONIC in strict C11 */
#include "example.h"

#include <math.h>
#include <time.h>

enum { N = 5000000, PER_ELEMENT = 20000 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int freed;
static void free_output(void *data, void *ctx)
{
    /* Runs inside Julia's GC: plain C only. */
    freed++;
    printf("  (Julia's GC freed the %s buffer through our deallocator)\n", (const char *)ctx);
    free(data);
}

int main(void)
{
    double *in = malloc(N * sizeof *in), *out = malloc(N * sizeof *out);
    if (!in || !out) return 1;
    for (size_t i = 0; i < N; i++) in[i] = (double)i / N * 4.0 - 2.0;

    CHECK(jlc_init(NULL));
    jlc_scope S;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &S));
    jlc_value f, mapf, ai, ao, args[3], r;
    CHECK(jlc_eval(S, JLC_NO_VALUE, "f(x) = exp(-x^2) * cos(3x)", &f));
    CHECK(jlc_global_lookup(S, "map!", &mapf));

    size_t n = N;
    CHECK(jlc_array_wrap(S, in, JLC_FLOAT64, 1, &n, &ai));
    CHECK(jlc_array_adopt(S, out, JLC_FLOAT64, 1, &n, free_output, "output", &ao));
    /* `out` now belongs to Julia: C reads it only through a borrow below. */

    args[0] = f;
    args[1] = ao;
    args[2] = ai;
    CHECK(jlc_call(S, mapf, 3, args, &r)); /* compile once */
    double t0 = now();
    CHECK(jlc_call(S, mapf, 3, args, &r));
    double t_one = now() - t0;

    /* Read the result from the buffer (no copy) and check it in C. */
    const double *y;
    jlc_borrow b;
    CHECK(jlc_array_borrow(S, ao, JLC_FLOAT64, sizeof *y, &b, (const void **)&y));
    double worst = 0;
    for (size_t i = 0; i < N; i++) {
        double e = fabs(y[i] - exp(-in[i] * in[i]) * cos(3 * in[i]));
        if (e > worst) worst = e;
    }
    printf("f(x) = exp(-x^2) * cos(3x) over %d doubles in C memory, one call to map!\n", N);
    printf("  y[0] = %.6f, y[%d] = %.6f, y[%d] = %.6f\n", y[0], N / 2, y[N / 2], N - 1, y[N - 1]);
    printf("  max difference from the same formula in C: %.3g\n", worst);
    CHECK(jlc_borrow_release(b));

    /* For contrast: one jlc_call per element, on a slice. */
    jlc_scope inner;
    CHECK(jlc_scope_open(S, &inner));
    t0 = now();
    for (size_t i = 0; i < PER_ELEMENT; i++) {
        jlc_value xi, yi;
        double d;
        CHECK(jlc_float64_new(inner, in[i], &xi));
        CHECK(jlc_call(inner, f, 1, &xi, &yi));
        CHECK(jlc_float64_get(yi, &d));
        if ((i & 1023) == 1023) { /* keep the scope small */
            CHECK(jlc_scope_close(inner));
            CHECK(jlc_scope_open(S, &inner));
        }
    }
    double t_each = now() - t0;
    CHECK(jlc_scope_close(inner));
    printf("  one call for all:     %6.2f ns per element\n", t_one / N * 1e9);
    printf("  one call per element: %6.2f ns per element (%d elements)\n",
           t_each / PER_ELEMENT * 1e9, PER_ELEMENT);

    /* Closing the scope drops the last handle of the output array. */
    CHECK(jlc_scope_close(S));
    CHECK(jlc_gc_collect(true));
    if (!freed) CHECK(jlc_gc_collect(true));
    printf("output buffer freed: %s\n", freed == 1 ? "yes, once" : "not yet");
    CHECK(jlc_shutdown(0, NULL));
    free(in);
    return worst < 1e-12 && freed == 1 ? 0 : 1;
}

/* 10_array_linsolve.c — solve A x = b in Julia (LinearAlgebra) on a matrix
 * and vectors that live in C memory: nothing is copied in or out, and C reads
 * the solution straight from its own array. */
#include "example.h"

#include <math.h>

enum { N = 5 };

int main(void)
{
    /* C owns all three buffers. A is column-major, as Julia (and Fortran,
     * BLAS, LAPACK) store matrices: A[i + j*N] is row i, column j. */
    double A[N * N], b[N], x[N] = {0};
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) A[i + j * N] = i == j ? 4.0 : (i - j == 1 || j - i == 1) ? -1.0 : 0.0;
    for (int i = 0; i < N; i++) b[i] = i + 1.0;

    CHECK(jlc_init(NULL));
    jlc_scope S;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &S));
    CHECK(jlc_using(S, "LinearAlgebra"));

    /* Wrap the C buffers as Julia arrays (borrowed mode: they outlive every
     * use Julia makes of them, because nothing in Julia keeps them). */
    size_t dims_A[2] = {N, N}, dims_v = N;
    jlc_value Aj, bj, xj;
    CHECK(jlc_array_wrap(S, A, JLC_FLOAT64, 2, dims_A, &Aj));
    CHECK(jlc_array_wrap(S, b, JLC_FLOAT64, 1, &dims_v, &bj));
    CHECK(jlc_array_wrap(S, x, JLC_FLOAT64, 1, &dims_v, &xj));

    /* x = A \ b, written into x: ldiv!(x, lu(A), b). lu() factors a copy,
     * so A itself is left as C wrote it. */
    jlc_value lu, ldiv, F, args[3], r;
    CHECK(jlc_global_lookup(S, "LinearAlgebra.lu", &lu));
    CHECK(jlc_global_lookup(S, "LinearAlgebra.ldiv!", &ldiv));
    CHECK(jlc_call(S, lu, 1, &Aj, &F));
    args[0] = xj;
    args[1] = F;
    args[2] = bj;
    CHECK(jlc_call(S, ldiv, 3, args, &r));

    printf("A = tridiag(-1, 4, -1), %dx%d, b = 1..%d\n", N, N, N);
    printf("solution read from C memory:\n");
    double worst = 0;
    for (int i = 0; i < N; i++) {
        double ri = -b[i];
        for (int j = 0; j < N; j++) ri += A[i + j * N] * x[j];
        if (fabs(ri) > worst) worst = fabs(ri);
        printf("  x[%d] = %.12f\n", i, x[i]);
    }
    printf("max |A x - b| computed in C: %.3g\n", worst);

    /* While C borrows x mutably, nobody else may borrow it. */
    void *p;
    jlc_borrow bw, other;
    CHECK(jlc_array_borrow_mut(S, xj, JLC_FLOAT64, sizeof(double), &bw, &p));
    const void *cp;
    jlc_status st = jlc_array_borrow(S, xj, JLC_FLOAT64, sizeof(double), &other, &cp);
    printf("second borrow while x is mutably borrowed: %s\n", jlc_status_name(st));
    CHECK(jlc_borrow_release(bw));

    CHECK(jlc_scope_close(S));
    CHECK(jlc_shutdown(0, NULL));
    return worst < 1e-12 ? 0 : 1;
}

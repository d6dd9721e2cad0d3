/* 02_scopes.c — a nested scope does some work and hands its result to the
 * outer scope; everything else it made is released when it closes. */
#include "example.h"

/* Computes sum(abs2, 1:n) in its own scope and returns the result as a
 * handle of `outer`. */
static jlc_value sum_of_squares(jlc_scope outer, int64_t n)
{
    jlc_scope inner;
    jlc_value range, f, result, kept;
    CHECK(jlc_scope_open(outer, &inner));
    jlc_value args[2];
    CHECK(jlc_int64_new(inner, 1, &args[0]));
    CHECK(jlc_int64_new(inner, n, &args[1]));
    CHECK(jlc_global_lookup(inner, "Base.:", &f)); /* the range operator, 1:n */
    CHECK(jlc_call(inner, f, 2, args, &range));
    jlc_value sargs[2];
    CHECK(jlc_global_lookup(inner, "abs2", &sargs[0]));
    sargs[1] = range;
    CHECK(jlc_global_lookup(inner, "sum", &f));
    CHECK(jlc_call(inner, f, 2, sargs, &result));
    size_t made;
    CHECK(jlc_scope_size(inner, &made));
    CHECK(jlc_scope_keep(outer, result, &kept)); /* the one value that escapes */
    CHECK(jlc_scope_close(inner));
    printf("inner scope made %zu handles and kept 1\n", made);

    int64_t stale;
    jlc_status st = jlc_int64_get(result, &stale);
    printf("the inner handle after close: %s\n", jlc_status_name(st));
    return kept;
}

int main(void)
{
    CHECK(jlc_init(NULL));
    jlc_scope outer;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &outer));
    jlc_value v = sum_of_squares(outer, 10);
    int64_t x;
    CHECK(jlc_int64_get(v, &x));
    printf("sum(abs2, 1:10) = %lld, still alive in the outer scope\n", (long long)x);
    CHECK(jlc_scope_close(outer));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

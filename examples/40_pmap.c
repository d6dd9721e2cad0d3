/* 40_pmap.c — scale out: start two Julia worker processes, load a .jl file
 * on all of them, and let Distributed's pmap compute a C array into another
 * C array; then an exception on a worker, returned as a status. */
#include "example.h"

#define N 3000

int main(void)
{
    static int64_t in[N], steps[N];
    CHECK(jlc_init(NULL));
    jlc_scope s;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &s));

    int ids[2];
    CHECK(jlc_workers_add(s, 2, NULL, ids)); /* same Julia, what it needs */
    printf("workers %d and %d started\n", ids[0], ids[1]);
    CHECK(jlc_workers_include(s, "collatz.jl")); /* run from examples/ */

    for (int i = 0; i < N; i++) in[i] = i + 1;
    CHECK(jlc_workers_pmap(s, "collatz_steps", JLC_INT64, sizeof in[0], in, JLC_INT64,
                           sizeof steps[0], steps, N, 0)); /* 0: pmap batches */
    int best = 0;
    for (int i = 1; i < N; i++)
        if (steps[i] > steps[best]) best = i;
    printf("collatz_steps over 1..%d on the workers: longest is %lld (%lld steps)\n", N,
           (long long)in[best], (long long)steps[best]);

    in[10] = -5; /* the Julia function throws on a worker */
    jlc_status st = jlc_workers_pmap(s, "collatz_steps", JLC_INT64, sizeof in[0], in, JLC_INT64,
                                     sizeof steps[0], steps, N, 0);
    printf("with a bad input: %s\n  %s\n", jlc_status_name(st), jlc_last_error());

    size_t left;
    CHECK(jlc_workers_stop(s, 30, &left));
    printf("workers stopped (%zu left)\n", left);
    CHECK(jlc_scope_close(s));
    CHECK(jlc_shutdown(0, NULL));
    return st == JLC_EXCEPTION ? 0 : 1;
}

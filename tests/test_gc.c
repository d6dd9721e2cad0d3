/* test_gc.c — many values across nested scopes, interleaved with
 * allocation-heavy Julia calls and forced collections; every value must come
 * back intact. Run under GC stress (ctest's gcstress lane) a missing root
 * fails here loudly. */
#include "test_util.h"

#include <stdlib.h>

#define DEPTH 4
#define PER_LEVEL 300

typedef struct expect {
    jlc_value v;
    int kind; /* 0 int, 1 float, 2 string, 3 tuple (i, "s<i>") */
    int64_t i;
} expect;

static jlc_value churn_fn;

static void make_values(jlc_scope sc, expect *out, int base)
{
    for (int k = 0; k < PER_LEVEL; k++) {
        int64_t i = base + k;
        expect *e = &out[k];
        e->i = i;
        e->kind = k % 4;
        char buf[32];
        switch (e->kind) {
        case 0: ASSERT_OK(jlc_int64_new(sc, i * 1000003, &e->v)); break;
        case 1: ASSERT_OK(jlc_float64_new(sc, (double)i + 0.25, &e->v)); break;
        case 2:
            snprintf(buf, sizeof buf, "value-%lld", (long long)i);
            ASSERT_OK(jlc_string_new_c(sc, buf, &e->v));
            break;
        case 3: {
            jlc_value parts[2];
            snprintf(buf, sizeof buf, "s%lld", (long long)i);
            ASSERT_OK(jlc_int64_new(sc, i, &parts[0]));
            ASSERT_OK(jlc_string_new_c(sc, buf, &parts[1]));
            ASSERT_OK(jlc_tuple_new(sc, 2, parts, &e->v));
            break;
        }
        }
        if (k % 50 == 0) {
            /* allocation-heavy Julia work between the C allocations */
            jlc_value n, r;
            ASSERT_OK(jlc_int64_new(sc, 200 + k, &n));
            ASSERT_OK(jlc_call(sc, churn_fn, 1, &n, &r));
        }
    }
}

static void check_values(const expect *es, int n)
{
    for (int k = 0; k < n; k++) {
        const expect *e = &es[k];
        char buf[32];
        switch (e->kind) {
        case 0: ASSERT_INT64(e->i * 1000003, e->v); break;
        case 1: {
            double d;
            ASSERT_OK(jlc_float64_get(e->v, &d));
            assert_true(d == (double)e->i + 0.25);
            break;
        }
        case 2:
            snprintf(buf, sizeof buf, "value-%lld", (long long)e->i);
            ASSERT_JSTRING(buf, e->v);
            break;
        case 3: {
            jlc_value a, b;
            ASSERT_OK(jlc_field_get(S, e->v, 0, &a));
            ASSERT_OK(jlc_field_get(S, e->v, 1, &b));
            ASSERT_INT64(e->i, a);
            snprintf(buf, sizeof buf, "s%lld", (long long)e->i);
            ASSERT_JSTRING(buf, b);
            break;
        }
        }
    }
}

static void nested_scopes_survive_collections(void **state)
{
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE,
                       "n -> sum(length(string(x)) for x in [rand(n) for _ in 1:20])", &churn_fn));
    static expect levels[DEPTH][PER_LEVEL];
    static expect kept[DEPTH];
    jlc_scope scopes[DEPTH];
    jlc_scope parent = S;
    for (int d = 0; d < DEPTH; d++) {
        ASSERT_OK(jlc_scope_open(parent, &scopes[d]));
        make_values(scopes[d], levels[d], d * PER_LEVEL);
        /* move one value of each level to the outermost scope */
        kept[d] = levels[d][7];
        ASSERT_OK(jlc_scope_keep(S, levels[d][7].v, &kept[d].v));
        ASSERT_OK(jlc_gc_collect(d % 2 == 0));
        for (int e = 0; e <= d; e++) check_values(levels[e], PER_LEVEL);
        parent = scopes[d];
    }
    /* unwind, checking the survivors at each step */
    for (int d = DEPTH - 1; d >= 0; d--) {
        ASSERT_OK(jlc_scope_close(scopes[d]));
        ASSERT_OK(jlc_gc_collect(true));
        for (int e = 0; e < d; e++) check_values(levels[e], PER_LEVEL);
        check_values(kept, DEPTH);
        int64_t x;
        ASSERT_STATUS(JLC_ERR_STALE, jlc_int64_get(levels[d][0].v, &x));
    }
}

/* References alone keep values alive through churn and full collections. */
static void references_survive_collections(void **state)
{
    enum { N = 200 };
    jlc_ref refs[N];
    jlc_scope sc;
    ASSERT_OK(jlc_scope_open(S, &sc));
    for (int i = 0; i < N; i++) {
        jlc_value v;
        char code[64];
        snprintf(code, sizeof code, "collect(1:%d)", i + 1);
        ASSERT_OK(jlc_eval(sc, JLC_NO_VALUE, code, &v));
        ASSERT_OK(jlc_ref_new(v, &refs[i]));
    }
    ASSERT_OK(jlc_scope_close(sc));
    jlc_value r;
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE, "sum(sum(rand(1000)) for _ in 1:200)", &r));
    ASSERT_OK(jlc_gc_collect(true));
    jlc_value sum_fn;
    ASSERT_OK(jlc_global_lookup(S, "sum", &sum_fn));
    for (int i = 0; i < N; i++) {
        jlc_value v, s;
        ASSERT_OK(jlc_ref_get(S, refs[i], &v));
        ASSERT_OK(jlc_call(S, sum_fn, 1, &v, &s));
        ASSERT_INT64((int64_t)(i + 1) * (i + 2) / 2, s);
        ASSERT_OK(jlc_ref_free(refs[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(nested_scopes_survive_collections),
        JLCT(references_survive_collections),
    };
    return JLCT_RUN(tests);
}

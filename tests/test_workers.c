/* test_workers.c — scale-out on Julia's Distributed: two workers started,
 * code evaluated and a file included everywhere, pmaps over C buffers with
 * their values checked, an exception on a worker and a function missing on
 * the workers returned as statuses, the workers stopped, and a worker started
 * without jlc's private libunwind whose exception is a status, not a crash
 * of this process. Every bad input first, with its exact status. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static int ids[2];

static int contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

#define ASSERT_ERROR_HAS(needle)                                                          \
    do {                                                                                  \
        if (!contains(jlc_last_error(), (needle)))                                        \
            fail_msg("jlc_last_error() lacks \"%s\": %s", (needle), jlc_last_error());    \
    } while (0)

/* The type name of this thread's latest exception. */
static const char *exception_type(void)
{
    jlc_value e;
    const char *name = "";
    ASSERT_OK(jlc_exception_get(&e));
    ASSERT_OK(jlc_value_type_name(e, &name));
    return name;
}

static size_t count(void)
{
    size_t n = 99;
    ASSERT_OK(jlc_workers_count(&n));
    return n;
}

/* ---- before any worker: every bad input, its exact status ---- */

static void test_bad_inputs(void **state)
{
    (void)state;
    assert_int_equal(0, count());
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_count(NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_add(S, 0, NULL, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_add(S, JLC_WORKERS_MAX_ADD + 1, NULL, NULL));
    jlc_workers_options o;
    jlc_workers_options_default(&o);
    o.dir = "/no/such/dir";
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_add(S, 1, &o, NULL));
    jlc_workers_options_default(&o);
    o.library_dir = "/no/such/dir";
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_add(S, 1, &o, NULL));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_add(JLC_NO_SCOPE, 1, NULL, NULL));
    jlc_workers_options_default(NULL); /* harmless */

    double in[4] = {1, 2, 3, 4}, out[4] = {-1, -1, -1, -1};
    const double untouched[4] = {-1, -1, -1, -1};
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, NULL, JLC_FLOAT64, 8, in, JLC_FLOAT64, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_PTR, 8, in, JLC_FLOAT64, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, in, JLC_STRUCT, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_ANY, 8, in, JLC_FLOAT64, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", (jlc_ctype)99, 8, in, JLC_FLOAT64, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 4, in, JLC_FLOAT64, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, in, JLC_FLOAT32, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, NULL, JLC_FLOAT64, 8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8, NULL, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, (char *)in + 1, JLC_FLOAT64, 8,
                                                out, 3, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8, out,
                                                (size_t)PTRDIFF_MAX + 1, 1));
    bool flags[2] = {true, false};
    memset(&flags[1], 2, 1);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(S, "identity", JLC_BOOL, sizeof(bool), flags, JLC_BOOL,
                                                sizeof(bool), flags, 2, 1));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_workers_pmap(S, "jlct_no_such_fn", JLC_FLOAT64, 8, in, JLC_FLOAT64,
                                                      8, out, 4, 1));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_pmap(JLC_NO_SCOPE, "sqrt", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8,
                                                out, 4, 1));
    assert_memory_equal(untouched, out, sizeof out);
    /* n = 0 does nothing, NULL buffers allowed */
    ASSERT_OK(jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, NULL, JLC_FLOAT64, 8, NULL, 0, 0));

    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_eval(S, NULL));
    ASSERT_STATUS(JLC_EXCEPTION, jlc_workers_eval(S, "f(x = "));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_include(S, NULL));
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_workers_include(S, "/no/such/file.jl"));
    size_t left = 99;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_stop(S, 0, &left));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_stop(S, NAN, &left));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_stop(S, INFINITY, &left));
    assert_int_equal(99, left);
    ASSERT_OK(jlc_workers_stop(S, 5, &left)); /* no workers: at once */
    assert_int_equal(0, left);
    assert_int_equal(0, count());

    /* With no workers, pmap runs on the master (rule W5). */
    ASSERT_OK(jlc_workers_pmap(S, "sqrt", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8, out, 4, 1));
    for (int i = 0; i < 4; i++) assert_true(fabs(out[i] - sqrt(in[i])) < 1e-15);
}

static void test_library_dir(void **state)
{
    (void)state;
    const char *dir = NULL;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_workers_library_dir(NULL));
    ASSERT_OK(jlc_workers_library_dir(&dir));
    assert_non_null(dir);
    if (*dir) { /* this jlc runs with a private libunwind: workers get it */
        char path[4096];
        snprintf(path, sizeof path, "%s/libunwind.so.8", dir);
        assert_int_equal(0, access(path, R_OK));
    }
}

/* ---- two workers ---- */

static void test_start_two(void **state)
{
    (void)state;
    ASSERT_OK(jlc_workers_add(S, 2, NULL, ids));
    assert_true(ids[0] > 1 && ids[1] > 1 && ids[0] != ids[1]);
    assert_int_equal(2, count());
}

static void test_eval_and_pmap(void **state)
{
    (void)state;
    ASSERT_OK(jlc_workers_eval(S, "using Distributed\n"
                                  "jlct_sq(x) = x * x\n"
                                  "jlct_where(x) = Int64(myid())"));
    double in[8], out[8];
    for (int i = 0; i < 8; i++) in[i] = 0.5 * (i + 1), out[i] = -1;
    ASSERT_OK(jlc_workers_pmap(S, "jlct_sq", JLC_FLOAT64, sizeof(double), in, JLC_FLOAT64,
                               sizeof(double), out, 8, 1));
    for (int i = 0; i < 8; i++) assert_true(out[i] == in[i] * in[i]);

    /* Every element ran on a worker, not on the master. */
    int64_t who[8] = {0};
    ASSERT_OK(jlc_workers_pmap(S, "jlct_where", JLC_FLOAT64, sizeof(double), in, JLC_INT64,
                               sizeof(int64_t), who, 8, 1));
    for (int i = 0; i < 8; i++) assert_true(who[i] == ids[0] || who[i] == ids[1]);

    /* A dotted path and pmap's automatic batches. */
    ASSERT_OK(jlc_workers_pmap(S, "Main.jlct_sq", JLC_FLOAT64, sizeof(double), in, JLC_FLOAT64,
                               sizeof(double), out, 8, 0));
    for (int i = 0; i < 8; i++) assert_true(out[i] == in[i] * in[i]);
}

static void test_include_everywhere(void **state)
{
    (void)state;
    ASSERT_OK(jlc_workers_include(S, JLCT_DATA_DIR "/workers_funcs.jl"));
    int32_t in[5] = {-2, -1, 0, 3, 1000}, out[5] = {0};
    ASSERT_OK(jlc_workers_pmap(S, "jlct_cube", JLC_INT32, sizeof(int32_t), in, JLC_INT32,
                               sizeof(int32_t), out, 5, 2));
    for (int i = 0; i < 5; i++) assert_int_equal(in[i] * in[i] * in[i], out[i]);
    float fin[3] = {1.0f, 3.0f, -5.0f}, fout[3] = {0};
    ASSERT_OK(jlc_workers_pmap(S, "jlct_half", JLC_FLOAT32, sizeof(float), fin, JLC_FLOAT32,
                               sizeof(float), fout, 3, 1));
    assert_true(fout[0] == 0.5f && fout[1] == 1.5f && fout[2] == -2.5f);
}

static void test_exception_on_worker(void **state)
{
    (void)state;
    ASSERT_OK(jlc_workers_eval(S, "jlct_boom(x) = x < 0 ? error(\"negative input: $x\") : x"));
    double in[3] = {1, -2, 3}, out[3] = {-7, -7, -7};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_workers_pmap(S, "jlct_boom", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8,
                                                  out, 3, 1));
    ASSERT_ERROR_HAS("RemoteException: on worker ");
    ASSERT_ERROR_HAS("negative input: -2.0");
    assert_string_equal("RemoteException", exception_type());
    assert_true(out[0] == -7 && out[1] == -7 && out[2] == -7); /* untouched */
    assert_int_equal(2, count()); /* the workers survived */

    /* Code that throws on the workers only. */
    ASSERT_STATUS(JLC_EXCEPTION, jlc_workers_eval(S, "myid() == 1 || error(\"only on workers\")"));
    ASSERT_ERROR_HAS("RemoteException: on worker ");
    ASSERT_ERROR_HAS("only on workers");
    assert_string_equal("RemoteException", exception_type());
}

static void test_missing_on_workers_and_types(void **state)
{
    (void)state;
    double in[2] = {1, 2}, out[2] = {-7, -7};
    /* Defined on the master only: the workers cannot find it (rule W4). */
    jlct_eval("jlct_master_only(x) = x + 1");
    ASSERT_STATUS(JLC_EXCEPTION, jlc_workers_pmap(S, "jlct_master_only", JLC_FLOAT64, 8, in,
                                                  JLC_FLOAT64, 8, out, 2, 1));
    ASSERT_ERROR_HAS("RemoteException: on worker ");
    ASSERT_ERROR_HAS("not defined");
    assert_string_equal("RemoteException", exception_type());

    /* A result of another type than the buffer: no conversion. */
    ASSERT_OK(jlc_workers_eval(S, "jlct_int(x) = round(Int64, x)"));
    ASSERT_STATUS(JLC_ERR_TYPE, jlc_workers_pmap(S, "jlct_int", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8,
                                                 out, 2, 1));
    ASSERT_ERROR_HAS("result 0 of jlct_int is Int64");
    assert_true(out[0] == -7 && out[1] == -7);
    int64_t iout[2];
    ASSERT_OK(jlc_workers_pmap(S, "jlct_int", JLC_FLOAT64, 8, in, JLC_INT64, 8, iout, 2, 1));
    assert_true(iout[0] == 1 && iout[1] == 2);
}

static void test_stop(void **state)
{
    (void)state;
    size_t left = 99;
    ASSERT_OK(jlc_workers_stop(S, 30, &left));
    assert_int_equal(0, left);
    assert_int_equal(0, count());
}

/* ---- a worker without the private libunwind (rule W2) ---- */

static void test_worker_without_private_libunwind(void **state)
{
    (void)state;
    const char *need = NULL;
    ASSERT_OK(jlc_workers_library_dir(&need));
    /* Nothing inherited either: the worker runs with the system's libunwind. */
    unsetenv("LD_LIBRARY_PATH");
    jlc_workers_options o;
    jlc_workers_options_default(&o);
    o.library_dir = "";
    int id = 0;
    ASSERT_OK(jlc_workers_add(S, 1, &o, &id));
    assert_true(id > 1);
    ASSERT_OK(jlc_workers_eval(S, "jlct_boom(x) = x < 0 ? error(\"negative input: $x\") : x"));
    double in[1] = {-1}, out[1] = {-7};
    ASSERT_STATUS(JLC_EXCEPTION, jlc_workers_pmap(S, "jlct_boom", JLC_FLOAT64, 8, in, JLC_FLOAT64, 8,
                                                  out, 1, 1));
    if (*need) {
        /* Debian's Julia 1.5: the worker crashed on its exception; the
         * master got a status. */
        ASSERT_ERROR_HAS("ProcessExitedException: worker");
        assert_string_equal("ProcessExitedException", exception_type());
        assert_int_equal(0, count());
    } else {
        ASSERT_ERROR_HAS("negative input: -1.0");
        assert_string_equal("RemoteException", exception_type());
    }
    assert_true(out[0] == -7);
    /* This process is fine. */
    ASSERT_INT64(3, jlct_eval("1 + 2"));
    size_t left = 99;
    ASSERT_OK(jlc_workers_stop(S, 30, &left));
    assert_int_equal(0, left);
    assert_int_equal(0, count());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        JLCT(test_bad_inputs),
        JLCT(test_library_dir),
        JLCT(test_start_two),
        JLCT(test_eval_and_pmap),
        JLCT(test_include_everywhere),
        JLCT(test_exception_on_worker),
        JLCT(test_missing_on_workers_and_types),
        JLCT(test_stop),
        JLCT(test_worker_without_private_libunwind),
    };
    return JLCT_RUN(tests);
}

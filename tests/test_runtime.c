/* test_runtime.c — the runtime's life: before init, bad init options, init
 * with threads, second init, wrong thread, Julia threads, fork, shutdown.
 * The tests run in order in one process (Julia starts once per process). */
#include "test_util.h"

#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static void before_init(void **state)
{
    jlc_value v;
    jlc_scope sc;
    assert_false(jlc_is_ready());
    ASSERT_STATUS(JLC_ERR_STATE, jlc_scope_open(JLC_NO_SCOPE, &sc));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_int64_new(sc, 1, &v));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_gc_collect(false));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_shutdown(0, NULL));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_attach()); /* Julia is not running */
    assert_non_null(strstr(jlc_last_error(), "not running"));
    assert_non_null(strstr(jlc_julia_version(), "1."));
}

static void init_with_bad_paths(void **state)
{
    jlc_init_options o;
    jlc_init_options_default(&o);
    o.image_path = "/nonexistent/jlc/sys.so";
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_init(&o));
    assert_non_null(strstr(jlc_last_error(), "/nonexistent/jlc/sys.so"));
    o.image_path = "/"; /* a directory, not an image */
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_init(&o));
    jlc_init_options_default(&o);
    o.julia_bindir = "/nonexistent/jlc/bin";
    ASSERT_STATUS(JLC_ERR_NOT_FOUND, jlc_init(&o));
    assert_non_null(strstr(jlc_last_error(), "/nonexistent/jlc/bin"));
    jlc_init_options_default(&o);
    o.nthreads = -3;
    ASSERT_STATUS(JLC_ERR_ARG, jlc_init(&o));
    assert_false(jlc_is_ready()); /* the host survived, nothing started */
}

static void init_with_threads(void **state)
{
    jlc_init_options o;
    jlc_init_options_default(&o);
    o.nthreads = 2;
    o.debug = 1;
    assert_int_equal(0, jlc_thread_count());
    ASSERT_OK(jlc_init(&o));
    assert_int_equal(2, jlc_thread_count());
    assert_true(jlc_is_ready());
    ASSERT_OK(jlc_scope_open(JLC_NO_SCOPE, &S));
    ASSERT_JSTRING(jlc_julia_version(), jlct_eval("string(VERSION)"));
    ASSERT_INT64(2, jlct_eval("Threads.nthreads()"));
}

static void second_init(void **state)
{
    ASSERT_STATUS(JLC_ERR_STATE, jlc_init(NULL));
    assert_non_null(strstr(jlc_last_error(), "already"));
    ASSERT_OK(jlc_attach()); /* idempotent once running */
    ASSERT_INT64(3, jlct_eval("1 + 2"));
}

typedef struct { jlc_status open, make, eval; } thread_result;

static void *foreign_thread(void *arg)
{
    thread_result *r = arg;
    jlc_scope sc = JLC_NO_SCOPE;
    jlc_value v;
    r->open = jlc_scope_open(JLC_NO_SCOPE, &sc);
    r->make = jlc_int64_new(S, 1, &v);
    r->eval = jlc_eval(S, JLC_NO_VALUE, "1", &v);
    return NULL;
}

static void foreign_thread_is_refused(void **state)
{
    size_t before, after;
    ASSERT_OK(jlc_scope_size(S, &before));
    pthread_t t;
    thread_result r;
    assert_int_equal(0, pthread_create(&t, NULL, foreign_thread, &r));
    pthread_join(t, NULL);
    ASSERT_STATUS(JLC_ERR_THREAD, r.open);
    ASSERT_STATUS(JLC_ERR_THREAD, r.make);
    ASSERT_STATUS(JLC_ERR_THREAD, r.eval);
    ASSERT_OK(jlc_scope_size(S, &after));
    assert_int_equal(before, after);
    ASSERT_INT64(4, jlct_eval("2 + 2"));
}

/* Called by Julia (ccall) on whatever Julia thread runs the task. */
static int64_t from_julia(int64_t x)
{
    jlc_scope sc;
    jlc_value v, r, f;
    int64_t out = -1;
    if (jlc_scope_open(JLC_NO_SCOPE, &sc) != JLC_OK) return -100 - (int64_t)jlc_scope_open(JLC_NO_SCOPE, &sc);
    if (jlc_int64_new(sc, x, &v) == JLC_OK && jlc_global_lookup(sc, "Base.abs2", &f) == JLC_OK &&
        jlc_call(sc, f, 1, &v, &r) == JLC_OK)
        jlc_int64_get(r, &out);
    jlc_scope_close(sc);
    return out;
}

static void julia_threads_may_call(void **state)
{
    jlc_value p, f, res;
    ASSERT_OK(jlc_voidptr_new(S, (void *)from_julia, &p));
    /* :static gives each of the 2 threads half of the iterations, so both
     * threads provably call into C (a dynamic schedule might use one). */
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE,
                       "p -> begin r = Vector{Tuple{Int64,Int}}(undef, 64); "
                       "Threads.@threads :static for i in 1:64; "
                       "r[i] = (ccall(p, Int64, (Int64,), i), Threads.threadid()); end; "
                       "(sum(first.(r)), length(unique(last.(r)))) end",
                       &f));
    ASSERT_OK(jlc_call(S, f, 1, &p, &res));
    jlc_value total, nthreads;
    ASSERT_OK(jlc_field_get(S, res, 0, &total));
    ASSERT_OK(jlc_field_get(S, res, 1, &nthreads));
    ASSERT_INT64(64 * 65 * 129 / 6, total); /* sum of squares 1..64 */
    int64_t used = 0;
    ASSERT_OK(jlc_int64_get(nthreads, &used));
    assert_int_equal(2, used); /* jlc_init gave Julia 2 threads (checked above) */
}

/* Run on 2 Julia threads at once: first-time keyword calls (a new keyword
 * name every iteration, so each compiles a caller), lookups and scopes, with
 * values boxed on the heap (not Julia's cached small integers) and a String
 * kept into the parent scope, checked after the other thread's collections.
 * Returns the number of wrong results. */
static int64_t race_body(int64_t tid)
{
    int64_t wrong = 0;
    for (int i = 0; i < 40; i++) {
        jlc_scope sc, inner;
        jlc_value f, x, kv, str, r = JLC_NO_VALUE, kept = JLC_NO_VALUE;
        char name[32], text[48];
        int64_t got = 0, base = 1000000 * tid + i;
        if (jlc_scope_open(JLC_NO_SCOPE, &sc) != JLC_OK) return 1000;
        snprintf(name, sizeof name, "k%d_%d", (int)tid, i);
        const char *names[1] = {name};
        if (jlc_global_lookup(sc, "Main.jlct_kwsum", &f) != JLC_OK || jlc_int64_new(sc, base, &x) != JLC_OK ||
            jlc_int64_new(sc, tid, &kv) != JLC_OK ||
            jlc_call_kw(sc, f, 1, &x, 1, names, &kv, &r) != JLC_OK ||
            jlc_int64_get(r, &got) != JLC_OK || got != base + tid)
            wrong++;
        int n = snprintf(text, sizeof text, "thread %d iteration %d", (int)tid, i);
        if (jlc_scope_open(sc, &inner) != JLC_OK || jlc_string_new(inner, text, (size_t)n, &str) != JLC_OK ||
            jlc_scope_keep(sc, str, &kept) != JLC_OK || jlc_scope_close(inner) != JLC_OK)
            wrong++;
        if (jlc_global_lookup(sc, i % 2 ? "sum" : "Base.length", &f) != JLC_OK) wrong++;
        const char *back = NULL;
        size_t len = 0;
        if (jlc_string_get(kept, &back, &len) != JLC_OK || len != (size_t)n || memcmp(back, text, len) != 0 ||
            jlc_int64_get(r, &got) != JLC_OK || got != base + tid)
            wrong++;
        if (jlc_scope_close(sc) != JLC_OK) wrong++;
    }
    return wrong;
}

static void threads_race_first_time_calls(void **state)
{
    jlc_value p, f, res;
    jlct_eval("jlct_kwsum(x; kw...) = x + sum(values(kw))");
    ASSERT_OK(jlc_voidptr_new(S, (void *)race_body, &p));
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE,
                       "p -> begin w = zeros(Int64, 2); "
                       "Threads.@threads :static for t in 1:2; "
                       "w[t] = ccall(p, Int64, (Int64,), Threads.threadid()); end; w end",
                       &f));
    ASSERT_OK(jlc_call(S, f, 1, &p, &res));
    jlc_value w0, w1;
    ASSERT_OK(jlc_array_get_value(S, res, 0, &w0));
    ASSERT_OK(jlc_array_get_value(S, res, 1, &w1));
    ASSERT_INT64(0, w0);
    ASSERT_INT64(0, w1);
}

/* Uses the main thread's scope S: fine on the thread that opened it; in
 * debug mode a Julia thread doing so is refused rather than racing. */
static int64_t use_main_scope(void)
{
    jlc_value v;
    return (int64_t)jlc_int64_new(S, 5, &v);
}

static void debug_mode_checks_scope_threads(void **state)
{
    jlc_value p, f, res, rep;
    ASSERT_OK(jlc_voidptr_new(S, (void *)use_main_scope, &p));
    ASSERT_OK(jlc_eval(S, JLC_NO_VALUE,
                       "p -> begin st = zeros(Int64, 2); Threads.@threads for i in 1:2; "
                       "st[Threads.threadid()] = ccall(p, Int64, ()); end; st end", &f));
    ASSERT_OK(jlc_call(S, f, 1, &p, &res));
    ASSERT_OK(jlc_value_repr(S, res, &rep));
    char expected[32];
    snprintf(expected, sizeof expected, "[%d, %d]", JLC_OK, JLC_ERR_THREAD);
    ASSERT_JSTRING(expected, rep);
}

static void forked_child_is_refused(void **state)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        jlc_value v;
        jlc_scope sc;
        int ok = jlc_int64_new(S, 1, &v) == JLC_ERR_FORK && jlc_scope_open(JLC_NO_SCOPE, &sc) == JLC_ERR_FORK &&
                 jlc_init(NULL) == JLC_ERR_FORK && !jlc_is_ready();
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(pid, waitpid(pid, &status, 0));
    assert_true(WIFEXITED(status));
    assert_int_equal(0, WEXITSTATUS(status));
    ASSERT_INT64(5, jlct_eval("2 + 3")); /* the parent is unaffected */
}

#define EXIT_MARK "jlct_exit_hook.txt"

static void shutdown_reports_leaks(void **state)
{
    jlc_value v;
    jlc_ref kept;
    ASSERT_OK(jlc_int64_new(S, 12, &v));
    ASSERT_OK(jlc_ref_new(v, &kept)); /* never freed */
    jlc_scope open_child;
    ASSERT_OK(jlc_scope_open(S, &open_child)); /* left open: shutdown closes it */
    unlink(EXIT_MARK);
    jlct_eval("atexit(() -> write(\"" EXIT_MARK "\", \"exit hook ran\"))");
    size_t leaked = 99;
    ASSERT_OK(jlc_shutdown(0, &leaked));
    assert_int_equal(1, leaked);
    assert_false(jlc_is_ready());
    char buf[64] = {0};
    FILE *f = fopen(EXIT_MARK, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    unlink(EXIT_MARK);
    assert_string_equal("exit hook ran", buf);
}

static void after_shutdown(void **state)
{
    jlc_value v;
    jlc_scope sc;
    int64_t x = 3;
    ASSERT_STATUS(JLC_ERR_STATE, jlc_int64_new(S, 1, &v));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_int64_get(v, &x));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_scope_open(JLC_NO_SCOPE, &sc));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_eval(S, JLC_NO_VALUE, "1", &v));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_init(NULL));
    assert_non_null(strstr(jlc_last_error(), "shut down"));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_shutdown(0, NULL));
    ASSERT_STATUS(JLC_ERR_STATE, jlc_attach());
    assert_int_equal(3, x);
}

static void version_matches_header(void **state)
{
    /* the library and the header it was built with agree, and the macros
     * compare as documented */
    assert_int_equal(JLC_VERSION, jlc_version());
    assert_int_equal(JLC_VERSION_MAJOR * 10000 + JLC_VERSION_MINOR * 100 + JLC_VERSION_PATCH, jlc_version());
    assert_true(JLC_VERSION_AT_LEAST(0, 3, 0));
    assert_false(JLC_VERSION_AT_LEAST(JLC_VERSION_MAJOR, JLC_VERSION_MINOR + 1, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_matches_header),
        cmocka_unit_test(before_init),
        cmocka_unit_test(init_with_bad_paths),
        cmocka_unit_test(init_with_threads),
        cmocka_unit_test(second_init),
        cmocka_unit_test(foreign_thread_is_refused),
        cmocka_unit_test(julia_threads_may_call),
        cmocka_unit_test(threads_race_first_time_calls),
        cmocka_unit_test(debug_mode_checks_scope_threads),
        cmocka_unit_test(forked_child_is_refused),
        cmocka_unit_test(shutdown_reports_leaks),
        cmocka_unit_test(after_shutdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

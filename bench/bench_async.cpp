// bench_async.cpp — the async runtime: round-trip latency of an empty job and
// of a job making one small call (submit from the benchmark's thread, wait
// for the future), and a CPU-bound Julia function run twice: inline in two
// jobs (one after the other on the runtime thread) against one of the two
// through jlc_async_call (on Julia's second thread, in parallel).
#include <benchmark/benchmark.h>

#include <jlc.h>

#include <cstdio>
#include <cstdlib>

static jlc_status job_empty(jlc_scope, void *) { return JLC_OK; }

static jlc_status job_small_call(jlc_scope s, void *data)
{
    jlc_value plus, args[2], r;
    jlc_status st = jlc_global_lookup(s, "Base.+", &plus);
    if (st == JLC_OK) st = jlc_int64_new(s, 40, &args[0]);
    if (st == JLC_OK) st = jlc_int64_new(s, 2, &args[1]);
    if (st == JLC_OK) st = jlc_call(s, plus, 2, args, &r);
    if (st == JLC_OK) st = jlc_int64_get(r, static_cast<int64_t *>(data));
    return st;
}

static void round_trip(benchmark::State &s, jlc_job_fn fn)
{
    int64_t out = 0;
    for (auto _ : s) {
        jlc_future *f;
        jlc_status js = JLC_ERR_ARG;
        if (jlc_async_submit(fn, &out, 0, &f) != JLC_OK || jlc_future_wait(f, -1, &js) != JLC_OK ||
            js != JLC_OK) {
            s.SkipWithError(jlc_last_error());
            break;
        }
        jlc_future_release(f);
    }
}

static void async_empty_job(benchmark::State &s) { round_trip(s, job_empty); }
BENCHMARK(async_empty_job)->UseRealTime();

static void async_small_call_job(benchmark::State &s) { round_trip(s, job_small_call); }
BENCHMARK(async_small_call_job)->UseRealTime();

// ---- CPU-bound work: inline vs async call ----

static jlc_status job_work_inline(jlc_scope s, void *)
{
    jlc_value r;
    return jlc_eval(s, JLC_NO_VALUE, "jlcb_work()", &r);
}

static jlc_status job_work_async(jlc_scope s, void *)
{
    jlc_value f, r;
    jlc_status st = jlc_global_lookup(s, "Main.jlcb_work", &f);
    if (st == JLC_OK) st = jlc_async_call(s, f, 0, nullptr, &r);
    return st;
}

static void two_jobs(benchmark::State &s, jlc_job_fn first)
{
    for (auto _ : s) {
        jlc_future *a, *b;
        jlc_status ja = JLC_ERR_ARG, jb = JLC_ERR_ARG;
        if (jlc_async_submit(first, nullptr, 0, &a) != JLC_OK ||
            jlc_async_submit(job_work_inline, nullptr, 0, &b) != JLC_OK ||
            jlc_future_wait(a, -1, &ja) != JLC_OK || jlc_future_wait(b, -1, &jb) != JLC_OK ||
            ja != JLC_OK || jb != JLC_OK) {
            s.SkipWithError("job failed");
            break;
        }
        jlc_future_release(a);
        jlc_future_release(b);
    }
}

static void work_two_inline(benchmark::State &s) { two_jobs(s, job_work_inline); }
BENCHMARK(work_two_inline)->UseRealTime()->Unit(benchmark::kMillisecond);

static void work_one_async_one_inline(benchmark::State &s) { two_jobs(s, job_work_async); }
BENCHMARK(work_one_async_one_inline)->UseRealTime()->Unit(benchmark::kMillisecond);

static jlc_status job_define(jlc_scope s, void *)
{
    jlc_value r;
    return jlc_eval(s, JLC_NO_VALUE,
                    "function jlcb_work()\n"
                    "  x = 0.0\n"
                    "  for i in 1:20_000_000; x += sqrt(Float64(i)); end\n"
                    "  x\n"
                    "end; jlcb_work()",
                    &r);
}

int main(int argc, char **argv)
{
    jlc_init_options io;
    jlc_init_options_default(&io);
    io.nthreads = 2;
    jlc_async_options o;
    jlc_async_options_default(&o);
    o.init = &io;
    if (jlc_async_start(&o) != JLC_OK) {
        std::fprintf(stderr, "jlc_async_start: %s\n", jlc_last_error());
        return 1;
    }
    jlc_future *f;
    jlc_status js = JLC_ERR_ARG;
    if (jlc_async_submit(job_define, nullptr, 0, &f) != JLC_OK || jlc_future_wait(f, -1, &js) != JLC_OK ||
        js != JLC_OK) {
        std::fprintf(stderr, "setup: %s\n", jlc_future_message(f));
        return 1;
    }
    jlc_future_release(f);
    std::printf("Julia threads: %d\n", jlc_thread_count());
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return jlc_async_stop(JLC_ASYNC_FINISH, 0, nullptr) == JLC_OK ? 0 : 1;
}

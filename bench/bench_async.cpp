// bench_async.cpp — the async runtime: round-trip latency of an empty job and
// of a job making one small call (submit from the benchmark's thread, wait
// for the future), and a CPU-bound Julia function run twice: inline in two
// jobs (one after the other on the runtime thread) against one of the two
// through jlc_async_call (on Julia's second thread, in parallel). The floor
// for the round trips, measured in the same run: a plain C hand-off of an
// empty request to another thread and back, sleeping on condition variables
// (c_handoff_sleep) and spinning on atomics (c_handoff_spin). The runtime's
// spin before sleeping (jlc_async_options.spin_us) comes from the
// environment's JLC_BENCH_SPIN_US (unset: jlc's default; -1: never spin),
// Julia's thread count from JLC_BENCH_NTHREADS (unset: 2).
#include <benchmark/benchmark.h>

#include <jlc.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

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

// Throughput: producer threads (1 and 4) each keep a window of 32 small-call
// jobs in flight (submit 32, wait for them all); items/s is jobs per second.
static void async_throughput_small_call(benchmark::State &s)
{
    enum { WINDOW = 32 };
    int64_t out[WINDOW];
    jlc_future *fs[WINDOW];
    for (auto _ : s) {
        for (int i = 0; i < WINDOW; i++)
            if (jlc_async_submit(job_small_call, &out[i], 0, &fs[i]) != JLC_OK) {
                s.SkipWithError(jlc_last_error());
                return;
            }
        for (int i = 0; i < WINDOW; i++) {
            jlc_status js = JLC_ERR_ARG;
            if (jlc_future_wait(fs[i], -1, &js) != JLC_OK || js != JLC_OK || out[i] != 42) {
                s.SkipWithError("job failed");
                return;
            }
            jlc_future_release(fs[i]);
        }
    }
    s.SetItemsProcessed(s.iterations() * WINDOW);
}
BENCHMARK(async_throughput_small_call)->Threads(1)->Threads(4)->UseRealTime();

// ---- the floor: a C thread answering empty requests ----

struct handoff {
    std::mutex mu;
    std::condition_variable to_server, to_client;
    std::atomic<long> request{0}, answer{0};
};

static void c_handoff_sleep(benchmark::State &s)
{
    handoff h;
    std::thread server([&h] {
        for (long i = 1;; i++) {
            std::unique_lock<std::mutex> lk(h.mu);
            h.to_server.wait(lk, [&] { return h.request.load() != i - 1; });
            long r = h.request.load();
            if (r < 0) return;
            h.answer.store(r);
            h.to_client.notify_one();
        }
    });
    long i = 0;
    for (auto _ : s) {
        std::unique_lock<std::mutex> lk(h.mu);
        h.request.store(++i);
        h.to_server.notify_one();
        h.to_client.wait(lk, [&] { return h.answer.load() == i; });
    }
    {
        std::lock_guard<std::mutex> lk(h.mu);
        h.request.store(-1);
    }
    h.to_server.notify_one();
    server.join();
}
BENCHMARK(c_handoff_sleep)->UseRealTime();

static void c_handoff_spin(benchmark::State &s)
{
    handoff h;
    std::thread server([&h] {
        for (long i = 1;; i++) {
            long r;
            while ((r = h.request.load(std::memory_order_acquire)) == i - 1) {
            }
            if (r < 0) return;
            h.answer.store(r, std::memory_order_release);
        }
    });
    long i = 0;
    for (auto _ : s) {
        h.request.store(++i, std::memory_order_release);
        while (h.answer.load(std::memory_order_acquire) != i) {
        }
    }
    h.request.store(-1, std::memory_order_release);
    server.join();
}
BENCHMARK(c_handoff_spin)->UseRealTime();

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
    io.nthreads = 2; // JLC_BENCH_NTHREADS overrides (1: no thread for async calls)
    if (const char *nt = std::getenv("JLC_BENCH_NTHREADS")) io.nthreads = std::atoi(nt);
    jlc_async_options o;
    jlc_async_options_default(&o);
    o.init = &io;
    if (const char *spin = std::getenv("JLC_BENCH_SPIN_US")) o.spin_us = std::atoi(spin);
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
    std::printf("Julia threads: %d, spin_us: %d\n", jlc_thread_count(), o.spin_us);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    return jlc_async_stop(JLC_ASYNC_FINISH, 0, nullptr) == JLC_OK ? 0 : 1;
}

// bench_util.hpp — shared by the bench programs: Google Benchmark (Debian's
// libbenchmark-dev) with a reporter that, after the usual output, prints each
// jlc benchmark as a ratio against its raw julia.h (or plain C) baseline
// measured in the same run.
//
// Usage in a bench_*.cpp:
//   static void raw_x(benchmark::State &s) { ... }   BENCHMARK(raw_x);
//   static void jlc_x(benchmark::State &s) { ... }   BENCHMARK(jlc_x);
//   JLCB_RATIO(jlc_x, raw_x, 1.10);   // target: jlc_x <= 1.10 x raw_x (0 = none)
//   JLCB_MAIN()            or JLCB_MAIN_WITH(setup_fn) to define Julia code first
// Every benchmark runs JLCB_REPS repetitions; the table shows the ratio of
// medians (the target is judged on it), the spread (lowest..highest ratio any
// two repetitions give), and the ratio of the fastest repetitions, which is
// the steadiest figure on a shared machine.
//
// Instruction counts: benchmarks registered with jlcb::add_case(name, once)
// (at run time, from setup; `once` does one iteration) also run, when the
// program gets --jlcb_callgrind=N, as N plain iterations each with callgrind
// collecting only during the loop and dumping its counts under the name.
// bench/callgrind.sh runs a program that way and prints the same ratio table
// in instructions per iteration.
#pragma once

#include <benchmark/benchmark.h>

#include <jlc.h>

#include <valgrind/callgrind.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#ifndef JLCB_REPS
#define JLCB_REPS 9
#endif

namespace jlcb {

struct Ratio {
    std::string name, baseline;
    double target;
};

inline std::vector<Ratio> &ratios()
{
    static std::vector<Ratio> r;
    return r;
}

inline int add_ratio(const char *name, const char *baseline, double target)
{
    ratios().push_back({name, baseline, target});
    return 0;
}

struct Counted {
    std::string name;
    std::function<void(long)> loop; // n iterations
};

inline std::vector<Counted> &counted()
{
    static std::vector<Counted> c;
    return c;
}

// Registers a benchmark whose iteration is once() (a small copyable callable),
// both for Google Benchmark and for instruction counting.
template <class F> void add_case(const char *name, F once)
{
    benchmark::RegisterBenchmark(name, [once](benchmark::State &s) {
        F f = once;
        for (auto _ : s) f();
    });
    counted().push_back({name, [once](long n) {
                             F f = once;
                             for (long i = 0; i < n; i++) f();
                         }});
}

// --jlcb_callgrind=N: runs every counted case N times under callgrind's
// collection (after a warm-up outside it), then prints the ratio list for
// bench/callgrind.sh.
inline void run_counted(long n)
{
    for (Counted &c : counted()) {
        c.loop(n / 10 + 1); // warm-up: first-call paths, caches
        CALLGRIND_TOGGLE_COLLECT;
        c.loop(n);
        CALLGRIND_TOGGLE_COLLECT;
        std::string tag = "jlcb " + c.name; // alive until the request has run
        CALLGRIND_DUMP_STATS_AT(tag.c_str());
    }
    std::printf("jlcb-iterations %ld\n", n);
    for (const Ratio &r : ratios())
        std::printf("jlcb-ratio %s %s %g\n", r.name.c_str(), r.baseline.c_str(), r.target);
}

// Collects every repetition's ns/iteration per benchmark name.
class Reporter : public benchmark::ConsoleReporter {
  public:
    std::map<std::string, std::vector<double>> runs;
    void ReportRuns(const std::vector<Run> &reports) override
    {
        for (const Run &r : reports) {
            if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
            std::string name = r.benchmark_name();
            name = name.substr(0, name.find('/'));
            runs[name].push_back(r.GetAdjustedRealTime());
        }
        ConsoleReporter::ReportRuns(reports);
    }
};

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

inline void print_table(const Reporter &rep)
{
    std::printf("\n%-34s %-26s %10s %10s %8s %12s %8s %7s\n", "jlc benchmark", "baseline", "jlc ns",
                "base ns", "ratio", "ratio range", "min/min", "target");
    for (const Ratio &r : ratios()) {
        auto a = rep.runs.find(r.name), b = rep.runs.find(r.baseline);
        if (a == rep.runs.end() || b == rep.runs.end()) continue;
        double ma = median(a->second), mb = median(b->second);
        double lo = *std::min_element(a->second.begin(), a->second.end()) /
                    *std::max_element(b->second.begin(), b->second.end());
        double hi = *std::max_element(a->second.begin(), a->second.end()) /
                    *std::min_element(b->second.begin(), b->second.end());
        double mins = *std::min_element(a->second.begin(), a->second.end()) /
                      *std::min_element(b->second.begin(), b->second.end());
        char range[32], target[16] = "-";
        std::snprintf(range, sizeof range, "%.2f..%.2f", lo, hi);
        if (r.target > 0)
            std::snprintf(target, sizeof target, "%s%.2f", ma / mb <= r.target ? "ok " : "MISS ",
                          r.target);
        std::printf("%-34s %-26s %10.2f %10.2f %8.3f %12s %8.3f %7s\n", r.name.c_str(),
                    r.baseline.c_str(), ma, mb, ma / mb, range, mins, target);
    }
}

// Starts Julia, runs setup (may be null: Julia definitions the benchmarks
// need), runs every benchmark, prints the ratio table.
inline int main(int argc, char **argv, void (*setup)(void))
{
    jlc_status st = jlc_init(nullptr);
    if (st != JLC_OK) {
        std::fprintf(stderr, "jlc_init: %s: %s\n", jlc_status_name(st), jlc_last_error());
        return 1;
    }
    if (setup) setup();
    for (int i = 1; i < argc; i++)
        if (!std::strncmp(argv[i], "--jlcb_callgrind=", 17)) {
            run_counted(std::atol(argv[i] + 17));
            jlc_shutdown(0, nullptr);
            return 0;
        }
    std::vector<char *> args(argv, argv + argc);
    std::string reps = "--benchmark_repetitions=" + std::to_string(JLCB_REPS);
    args.push_back(const_cast<char *>(reps.c_str()));
    // Repetitions of all benchmarks in random order, so a jlc benchmark and
    // its baseline see the same drift in machine load (shared 2-core VMs).
    static char interleave[] = "--benchmark_enable_random_interleaving=true";
    args.push_back(interleave);
    int n = (int)args.size();
    benchmark::Initialize(&n, args.data());
    Reporter rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    print_table(rep);
    jlc_shutdown(0, nullptr);
    return 0;
}

// Aborts the benchmark on a failed jlc call (never expected).
#define JLCB_OK(call)                                                                    \
    do {                                                                                 \
        jlc_status st_ = (call);                                                         \
        if (st_ != JLC_OK) {                                                             \
            std::fprintf(stderr, "%s: %s: %s\n", #call, jlc_status_name(st_), jlc_last_error()); \
            std::abort();                                                                \
        }                                                                                \
    } while (0)

// A scope for benchmark loops that make one handle per iteration: tick()
// after each closes and reopens it every `every` handles, so memory stays
// flat and the close cost is amortised (1/every of it per iteration).
class Cycler {
  public:
    explicit Cycler(jlc_scope parent = JLC_NO_SCOPE, int every = 4096) : parent_(parent), every_(every)
    {
        JLCB_OK(jlc_scope_open(parent_, &scope_));
    }
    ~Cycler() { jlc_scope_close(scope_); }
    jlc_scope scope() const { return scope_; }
    void tick()
    {
        if (++n_ == every_) {
            jlc_scope_close(scope_);
            jlc_scope_open(parent_, &scope_);
            n_ = 0;
        }
    }

  private:
    jlc_scope parent_, scope_;
    int every_, n_ = 0;
};

} // namespace jlcb

#define JLCB_CAT2(a, b) a##b
#define JLCB_CAT(a, b) JLCB_CAT2(a, b)
#define JLCB_RATIO(name, baseline, target) \
    static int JLCB_CAT(jlcb_ratio_, __LINE__) = jlcb::add_ratio(#name, #baseline, target)
#define JLCB_MAIN() \
    int main(int argc, char **argv) { return jlcb::main(argc, argv, nullptr); }
#define JLCB_MAIN_WITH(setup) \
    int main(int argc, char **argv) { return jlcb::main(argc, argv, setup); }

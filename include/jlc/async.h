/**
 * \file
 * jlc/async.h — included by jlc.h; do not include directly.
 *
 * The async runtime: Julia runs on a dedicated runtime thread that jlc
 * starts; any thread of the process submits jobs (a C function run inside a
 * scope on the runtime thread) and gets a future to wait on, poll, watch
 * through a file descriptor or a callback, or cancel while the job is still
 * queued. Inside a job, jlc_async_call() runs a Julia call on Julia's thread
 * pool and lets the runtime thread run other jobs until it finishes. Guide:
 * docs/async.md.
 *
 * Rules for the whole async API:
 *  - jlc_async_start() replaces jlc_init(): the runtime thread calls Julia's
 *    initialisation and owns Julia from then on. Other threads use only the
 *    functions of this header (the rest of the API answers them
 *    JLC_ERR_THREAD, rule 5 of jlc.h); job functions, which run on the
 *    runtime thread, use the whole API. jlc_shutdown() is refused
 *    (JLC_ERR_STATE) while the runtime runs: jlc_async_stop() stops Julia.
 *  - Every job submitted with JLC_OK completes exactly once: with its
 *    function's status, or with JLC_ERR_CANCELLED (cancelled, or still
 *    queued when the runtime stopped with JLC_ASYNC_CANCEL).
 *  - A job's failure is its own: the status it returned and the text of
 *    jlc_last_error() at that moment are kept in its future; the runtime and
 *    other jobs carry on. A Julia exception never leaves a job (rule 3).
 *  - When a function that takes a callback or user data fails, it never
 *    calls the callback and does not keep the data: the caller keeps
 *    ownership.
 *  - The functions of this header may be called from any thread (unless a
 *    block says otherwise), before the runtime starts (they then return
 *    JLC_ERR_STATE) and after it stopped (futures stay readable until
 *    released).
 */
#ifndef JLC_ASYNC_H
#define JLC_ASYNC_H

#ifdef __cplusplus
extern "C" {
#endif

/** Options of jlc_async_start(); jlc_async_options_default() fills them. */
typedef struct jlc_async_options {
    /** Julia's options (jlc_init_options), or NULL for jlc_init's defaults.
     * Read during jlc_async_start() only. */
    const jlc_init_options *init;
    /** Jobs that may wait in the queue (0: 1024). A submit to a full queue
     * blocks or, with JLC_SUBMIT_NOWAIT, returns JLC_ERR_BUSY. */
    size_t queue_capacity;
    /** Jobs that may run at once on the runtime thread, counting those
     * waiting in jlc_async_call() (0: 256). Beyond it, queued jobs wait. */
    size_t max_running;
    /** Stack size of the runtime thread in bytes (0: 8 MiB, chosen by test on
     * Julia 1.5.3: with it, deep recursion on that thread is a
     * StackOverflowError; docs/async.md). Jobs run on Julia tasks with
     * Julia's own task stacks. */
    size_t stack_size;
    /** How long, in microseconds, an idle side busy-waits before it sleeps:
     * the runtime thread for the next job when none is queued or running,
     * and jlc_future_wait() for its job. A hand-off to a sleeping thread
     * costs a kernel wake-up (tens of microseconds on a virtual machine,
     * bench/README.md); spinning turns back-to-back submits into a
     * memory hand-off at the price of CPU time while idle. 0: 50 µs when
     * the process may use more than one CPU, else none; negative: never
     * spin. At most 10^6 (one second). */
    int spin_us;
} jlc_async_options;

/** Fills *opts with the defaults (init NULL, every size and spin_us 0 = its
 * default).
 * Never fails; NULL is ignored. Threads: any, any time. */
JLC_API void jlc_async_options_default(jlc_async_options *opts);

/** Starts the runtime: creates the runtime thread, which initialises Julia
 * (as jlc_init would) and then waits for jobs. Returns when Julia is ready or
 * failed to start.
 * Returns: JLC_OK; JLC_ERR_ARG (a size too large, spin_us above 10^6,
 * nthreads < 0);
 * JLC_ERR_STATE (Julia already started by jlc_init, by an earlier runtime, or
 * in this process before: Julia does not restart); JLC_ERR_NOMEM (no thread);
 * and what jlc_init returns (JLC_ERR_NOT_FOUND, JLC_EXCEPTION ...), with its
 * text in the caller's jlc_last_error(). Ownership: opts is read during the
 * call only. Threads: any thread; it need not be the main thread, and it
 * does not become a Julia thread. */
JLC_API jlc_status jlc_async_start(const jlc_async_options *opts);

/** What jlc_async_stop() does with jobs still queued. */
typedef enum jlc_async_stop_mode {
    JLC_ASYNC_FINISH = 0, /**< run every queued job, then stop */
    JLC_ASYNC_CANCEL = 1  /**< complete queued jobs with JLC_ERR_CANCELLED */
} jlc_async_stop_mode;

/** Stops the runtime: refuses new jobs (submits get JLC_ERR_STATE, blocked
 * submits wake with it), finishes or cancels the queued jobs as mode says,
 * waits for running jobs (a job that never returns makes this wait forever),
 * shuts Julia down (jlc_shutdown with exit_code) and joins the runtime
 * thread. Afterwards every future is complete.
 * Returns: JLC_OK; JLC_ERR_ARG (bad mode); JLC_ERR_STATE (not running,
 * being stopped by another thread, or a thread adopted with
 * jlc_thread_enter() other than the caller has not left: nothing was
 * changed, the runtime keeps running); JLC_ERR_THREAD (called from the
 * runtime thread: a job cannot stop the runtime it runs on). leaked_refs
 * (optional) gets the number of jlc_ref never freed. Threads: any but the
 * runtime thread; an adopted thread waits GC-safe. */
JLC_API jlc_status jlc_async_stop(jlc_async_stop_mode mode, int exit_code, size_t *leaked_refs);

/** True on the runtime thread (in job functions and in Julia code it runs).
 * Never fails. Threads: any, any time. */
JLC_API bool jlc_async_on_runtime_thread(void);

/** Counters of the runtime since it started; they stay readable after it
 * stopped. At rest (nothing queued or running) submitted = completed +
 * cancelled. */
typedef struct jlc_async_counts {
    uint64_t submitted; /**< jobs accepted (submit returned JLC_OK) */
    uint64_t rejected;  /**< submits refused because the queue was full (JLC_ERR_BUSY) */
    uint64_t completed; /**< jobs whose function ran and returned (any status) */
    uint64_t cancelled; /**< jobs completed with JLC_ERR_CANCELLED without running */
} jlc_async_counts;

/** Copies the counters into *out (zero before the first start).
 * Returns: JLC_OK; JLC_ERR_ARG (out NULL). Threads: any, any time. */
JLC_API jlc_status jlc_async_counts_get(jlc_async_counts *out);

/** A job: runs on the runtime thread inside a Julia task, with a fresh
 * top-level scope that closes when it returns (values made in it die then;
 * keep a result as C data in *data, or as a jlc_ref). The job may use the
 * whole API and jlc_async_call(). Its return value becomes the future's
 * status; a job that fails should return the status of the failing call so
 * that jlc_last_error() still describes it. */
typedef jlc_status (*jlc_job_fn)(jlc_scope scope, void *data);

/** A future: the handle of one submitted job. Opaque; owned by the caller
 * from submit until jlc_future_release(). */
typedef struct jlc_future jlc_future;

/** jlc_async_submit() flag: do not block on a full queue (JLC_ERR_BUSY). */
#define JLC_SUBMIT_NOWAIT 1u

/** Queues fn(scope, data) to run on the runtime thread and writes its future
 * to *out. Without JLC_SUBMIT_NOWAIT a full queue blocks the caller until
 * there is room (GC-safe on a Julia thread).
 * Returns: JLC_OK; JLC_ERR_ARG (fn or out NULL, unknown flag);
 * JLC_ERR_STATE (runtime not running or stopping, also when it stops while
 * the caller is blocked); JLC_ERR_BUSY (queue full, JLC_SUBMIT_NOWAIT);
 * JLC_ERR_THREAD (a blocking submit from the runtime thread, which would
 * deadlock if the queue were full: use JLC_SUBMIT_NOWAIT there);
 * JLC_ERR_NOMEM. Ownership: data stays the caller's; jlc only passes it to
 * fn. On any failure fn is never called and nothing is kept. Lifetime:
 * *out until jlc_future_release(), independent of the runtime. */
JLC_API jlc_status jlc_async_submit(jlc_job_fn fn, void *data, unsigned flags, jlc_future **out);

/** Waits until the job completed, at most timeout_ms milliseconds (< 0:
 * without limit; 0: do not wait), then writes its status to *job_status
 * (optional). It busy-waits up to jlc_async_options.spin_us before it
 * sleeps (not for timeouts of 0 or 1 ms). GC-safe on a Julia thread.
 * Returns: JLC_OK (completed); JLC_ERR_TIMEOUT (not yet); JLC_ERR_ARG (f
 * NULL); JLC_ERR_THREAD (a wait with timeout_ms != 0 on the runtime thread,
 * which would stop the runtime from running the job). Completion of the job
 * happens-before a JLC_OK return: what the job wrote to its data is
 * visible. */
JLC_API jlc_status jlc_future_wait(jlc_future *f, int64_t timeout_ms, jlc_status *job_status);

/** Writes whether the job completed to *done and, if so, its status to
 * *job_status (optional). Never blocks.
 * Returns: JLC_OK; JLC_ERR_ARG (f or done NULL). */
JLC_API jlc_status jlc_future_poll(jlc_future *f, bool *done, jlc_status *job_status);

/** The text of the job's failure (jlc_last_error() on the runtime thread when
 * the job returned a non-OK status; "Type: message" for a Julia exception; a
 * fixed text for a cancelled job); "" while running or after success, and
 * for NULL. Never NULL. Lifetime: until jlc_future_release(f). */
JLC_API const char *jlc_future_message(const jlc_future *f);

/** Cancels the job if it has not started: it then completes with
 * JLC_ERR_CANCELLED (callback and descriptor fire as for any completion).
 * Returns: JLC_OK (cancelled now); JLC_ERR_STATE (already running or
 * completed: nothing changed); JLC_ERR_ARG (f NULL). */
JLC_API jlc_status jlc_future_cancel(jlc_future *f);

/** Completion callback: cb(f, job_status, ctx) is called exactly once, when
 * the job completes, on the thread that completes it (the runtime thread, or
 * the thread that cancels or stops), or at once on the caller's thread if it
 * already completed. The callback must not block, must not release f and may
 * use only the functions of this header (a submit from the runtime thread
 * must use JLC_SUBMIT_NOWAIT).
 * Returns: JLC_OK; JLC_ERR_ARG (f or cb NULL); JLC_ERR_STATE (a callback
 * was already set: one per future). Ownership: ctx stays the caller's. */
JLC_API jlc_status jlc_future_on_done(jlc_future *f, void (*cb)(jlc_future *f, jlc_status job_status, void *ctx),
                                      void *ctx);

/** A file descriptor (Linux eventfd) that becomes readable when the job
 * completes (at once if it already did), for poll/epoll/select or an event
 * loop (libuv, asyncio). Only wait for readability on it; do not read, write
 * or close it.
 * Returns: JLC_OK; JLC_ERR_ARG (f or fd NULL); JLC_ERR_NOMEM (no descriptor
 * left, text from errno). Lifetime: the descriptor is made on the first call,
 * the same one is returned after, and it is closed by jlc_future_release(f).
 */
JLC_API jlc_status jlc_future_fd(jlc_future *f, int *fd);

/** Releases the caller's hold on f. A job still queued or running goes on
 * (its data must stay valid until it completes: keep the future, or use a
 * callback, to know when). NULL is a no-op. Never fails. Threads: any, but
 * not from f's own completion callback. */
JLC_API void jlc_future_release(jlc_future *f);

/** Calls f(args...) on Julia's thread pool (Threads.\@spawn) and waits for it
 * without blocking the thread: while it runs, the runtime thread runs other
 * jobs (other Julia tasks of the calling thread). The result goes to *out
 * (optional) in scope. With more than one Julia thread
 * (jlc_init_options.nthreads) the call runs in parallel with the runtime
 * thread; with one it runs on the runtime thread between other jobs.
 * Returns: JLC_OK; JLC_EXCEPTION (f threw: the exception it threw, not
 * Julia's TaskFailedException wrapper, is rooted in scope and described);
 * JLC_ERR_NOMEM (more than 1024 arguments); [entry], [handles]. Allocates.
 * Threads: a Julia thread (in a job: the runtime thread); inside a job the
 * other jobs run only while this call waits. */
JLC_API jlc_status jlc_async_call(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                                  jlc_value *out);

#ifdef __cplusplus
}
#endif

#endif /* JLC_ASYNC_H */

/**
 * \file
 * jlc/workers.h — included by jlc.h; do not include directly.
 *
 * Scale-out on Julia's own engine (the Distributed standard library): start
 * Julia worker processes, load code on all of them, run a pmap of a Julia
 * function over a C buffer with the results written into another C buffer,
 * and stop the workers. Guide: docs/scale-out.md. Rules for this section:
 *
 *  W1. The calling process is Julia's process 1 (the master); workers are
 *      new processes running the same Julia (the julia executable of the
 *      master's bindir, with its system image) that talk to the master over
 *      sockets. Everything a worker computes crosses as serialized copies:
 *      nothing is shared with C memory.
 *  W2. Workers need what the master's Julia needs. Debian's Julia 1.5 needs
 *      the private libunwind jlc runs with (README, "the libunwind trap"):
 *      jlc puts its directory first on every worker's LD_LIBRARY_PATH
 *      (jlc_workers_library_dir). A worker without it dies at its first
 *      exception; the master then gets JLC_EXCEPTION (ProcessExitedException),
 *      never a crash.
 *  W3. A Julia exception on a worker comes back as JLC_EXCEPTION. The
 *      exception (jlc_exception_get) is what names the failing worker:
 *      a RemoteException (a worker threw; jlc_last_error() gives
 *      "RemoteException: on worker N: <the worker's exception>"), or a
 *      ProcessExitedException (a worker died). jlc unwraps the task and
 *      composite wrappers that some releases add around them.
 *  W4. Functions run on workers by name: pmap sends the name, and the
 *      function must be defined under that name on every worker (load it
 *      with jlc_workers_eval or jlc_workers_include first).
 *  W5. With no workers, Julia's pmap runs every element on the master.
 *  W6. Calls block the calling thread until Julia answers; while they wait,
 *      the master runs its own Julia tasks (worker output, messages). They
 *      take the [entry] threads of rule 5; one at a time per process is the
 *      safe use (Distributed's own state is not meant for concurrent
 *      cluster changes).
 */
#ifndef JLC_WORKERS_H
#define JLC_WORKERS_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

/** Options of jlc_workers_add(); jlc_workers_options_default() fills in the
 * defaults (every field NULL). */
typedef struct jlc_workers_options {
    /** Extra command-line flags of each worker's julia, split as a POSIX
     * shell splits words ("--threads=2 -O1"); NULL: none. jlc always runs
     * the master's julia with its system image and `--worker`. */
    const char *exeflags;
    /** Directory put first on the workers' LD_LIBRARY_PATH. NULL: the one
     * jlc_workers_library_dir() gives (jlc's private libunwind, if this jlc
     * has one). "": none, even when this Julia needs it (rule W2: such
     * workers die at their first exception; for tests). */
    const char *library_dir;
    /** Working directory of the workers; NULL: the master's current one. */
    const char *dir;
} jlc_workers_options;

/** Fills *opts with the defaults (all NULL). opts may be NULL (nothing
 * happens). Never fails. Threads: any, any time. */
JLC_API void jlc_workers_options_default(jlc_workers_options *opts);

/** Most workers one jlc_workers_add() starts. */
#define JLC_WORKERS_MAX_ADD 1024

/** The directory jlc puts first on its workers' LD_LIBRARY_PATH by default
 * (rule W2): for a jlc built for Debian's Julia 1.5, the directory of its
 * private libunwind — `<dir of libjlc>/jlc` when installed, otherwise the
 * directory of the libunwind.so.8 this process has loaded; "" for a jlc that
 * needs none (official Julia binaries bundle their own). Remote workers
 * (docs/scale-out.md) need the same library at the same place.
 * Returns: JLC_OK; JLC_ERR_NOT_FOUND (this jlc needs a private libunwind and
 * it is in neither place); JLC_ERR_ARG (out NULL). Lifetime: *out is a
 * static string, valid for the process. Threads: any, any time (no Julia
 * call). */
JLC_API jlc_status jlc_workers_library_dir(const char **out);

/** Starts n local worker processes (Distributed.addprocs) running the
 * master's Julia, with the options of *opts (NULL: defaults), and waits
 * until they are connected. ids (may be NULL) receives their n process ids.
 * Allocates; takes a few seconds (each worker starts a Julia; the first call
 * also compiles Distributed's code in the master).
 * Returns: JLC_OK; JLC_ERR_ARG (n is 0 or above JLC_WORKERS_MAX_ADD;
 * opts->dir or opts->library_dir not a directory); JLC_ERR_NOT_FOUND (as
 * jlc_workers_library_dir, with library_dir NULL); JLC_EXCEPTION (a worker
 * did not start or connect, e.g. a bad exeflags: Julia's error, rooted in
 * scope; the workers that did start stay); JLC_ERR_NOMEM; [entry];
 * [handles]. */
JLC_API jlc_status jlc_workers_add(jlc_scope scope, size_t n, const jlc_workers_options *opts,
                                   int *ids);

/** Number of worker processes connected to this master (0 when none).
 * Returns: JLC_OK; JLC_EXCEPTION (Julia failed to load Distributed:
 * described, not kept); [entry]; JLC_ERR_ARG (out NULL). */
JLC_API jlc_status jlc_workers_count(size_t *out);

/** Parses `code` on the master, then evaluates its top-level expressions in
 * order in Main of every process (the master and each worker), as
 * Distributed's everywhere macro does; the processes run concurrently. Use it to
 * define the functions a pmap calls (rule W4). Allocates.
 * Returns: JLC_OK; JLC_EXCEPTION (a parse error, before any process ran
 * anything; or some process threw: rule W3 — with several failures the
 * first is kept); JLC_ERR_NOMEM; [entry]; [handles]. */
JLC_API jlc_status jlc_workers_eval(jlc_scope scope, const char *code);

/** Reads the file at `path` on the master and includes its text into Main
 * of every process (include_string with the absolute path as the file name,
 * so backtraces name it): workers need not see the file. Allocates.
 * Returns: JLC_OK; JLC_ERR_NOT_FOUND (the file cannot be read);
 * JLC_EXCEPTION (some process threw: rule W3, the worker's exception being
 * a LoadError as Julia's include reports it); JLC_ERR_NOMEM; [entry];
 * [handles]. */
JLC_API jlc_status jlc_workers_include(jlc_scope scope, const char *path);

/** out[i] = f(in[i]) for i in 0..n-1, computed by Distributed.pmap on the
 * workers, where f is the function named by the dotted path `fname` (looked
 * up on the master as jlc_global_lookup does; sent to workers by name, rule
 * W4). Element types are scalar codes JLC_BOOL .. JLC_COMPLEXF64 (not
 * JLC_PTR, JLC_STRUCT, JLC_ANY), each with its elsize = sizeof the C
 * element (checked as array rule C). The input buffer is read in place (no
 * copy on the master) while the call runs; every result must have exactly
 * the Julia type of out_code (Float64 for JLC_FLOAT64: no conversion), and
 * `out` is written only after all n results arrived and were checked: on
 * any failure it is untouched. batch_size is pmap's (elements sent per
 * message); 0 picks n / (4 × workers), rounded up: about four messages per
 * worker. n = 0 does nothing (in and out may then be NULL). Allocates.
 * Returns: JLC_OK; JLC_ERR_ARG (fname, in or out NULL with n > 0; a code
 * that is not a scalar code; a misaligned buffer; a JLC_BOOL input byte
 * other than 0 or 1; n or batch_size above PTRDIFF_MAX);
 * JLC_ERR_TYPE (an elsize differs from the code's size; a result of another
 * type: jlc_last_error() names its index and type); JLC_ERR_NOT_FOUND
 * (fname is not defined on the master); JLC_EXCEPTION (f threw on a
 * worker, f is not defined on a worker, or a worker died: rule W3);
 * JLC_ERR_NOMEM; [entry]; [handles]. Ownership: in and out stay the
 * caller's. */
JLC_API jlc_status jlc_workers_pmap(jlc_scope scope, const char *fname, jlc_ctype in_code,
                                    size_t in_elsize, const void *in, jlc_ctype out_code,
                                    size_t out_elsize, void *out, size_t n, size_t batch_size);

/** Stops every worker (Distributed.rmprocs) and waits up to timeout_s
 * seconds for them to exit. *remaining (may be NULL) receives the number
 * still running afterwards. With no workers it returns at once. Allocates.
 * Returns: JLC_OK; JLC_ERR_TIMEOUT (some workers still ran after timeout_s:
 * *remaining says how many); JLC_ERR_ARG (timeout_s not a positive number);
 * JLC_EXCEPTION (Julia failed to stop them); [entry]; [handles]. */
JLC_API jlc_status jlc_workers_stop(jlc_scope scope, double timeout_s, size_t *remaining);

#ifdef __cplusplus
}
#endif
#endif

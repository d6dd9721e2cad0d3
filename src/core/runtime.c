/*
 * runtime.c — starting Julia (jlc_init) or joining a running one
 * (jlc_attach), stopping (jlc_shutdown), and the runtime queries.
 */
#include "base.h"
#include "host.h"
#include "seam.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef JLC_DEFAULT_BINDIR
#define JLC_DEFAULT_BINDIR ""
#endif
#ifndef JLC_DEFAULT_IMAGE
#define JLC_DEFAULT_IMAGE ""
#endif

extern JLC__HIDDEN unsigned jlc__gc_stress_full_every;
extern JLC__HIDDEN unsigned jlc__gc_stress_every;

/* Set when jlc joined a Julia that someone else started (jlc_attach). */
static int attached;

bool jlc_is_ready(void) { return jlc__state_get() == JLC__READY; }

const char *jlc_julia_version(void)
{
    return jlc__state_get() == JLC__UNINIT ? JULIA_VERSION_STRING : jl_ver_string();
}

jlc_status jlc_gc_collect(bool full)
{
    JLC__ENTER();
    /* A collection is a safepoint: defer a pending Ctrl-C past it. */
    JLC__DEFER_SIGINT_BEGIN();
    jl_gc_collect(full ? JL_GC_FULL : JL_GC_INCREMENTAL);
    JLC__DEFER_SIGINT_END();
    return JLC_OK;
}

void jlc_init_options_default(jlc_init_options *opts)
{
    if (!opts) return;
    memset(opts, 0, sizeof *opts);
    opts->julia_signals = 1;
}

static void after_fork_child(void)
{
    int s = JLC__READY;
    __atomic_compare_exchange_n(&jlc__state, &s, JLC__FORKED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static int env_int(const char *name, int fallback)
{
    const char *s = getenv(name);
    return s && *s ? atoi(s) : fallback;
}

static jlc_status check_dir(const char *path, const char *what)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return jlc__fail(JLC_ERR_NOT_FOUND, "%s '%s' is not a directory", what, path);
    return JLC_OK;
}

static jlc_status check_file(const char *path, const char *what)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, R_OK) != 0)
        return jlc__fail(JLC_ERR_NOT_FOUND, "%s '%s' is not a readable file", what, path);
    return JLC_OK;
}

/* The parts of the shared layer that need Julia running, in dependency
 * order; then the support module. */
static jlc_status start_layer(void)
{
    jlc__roots_init();
    jlc__scopes_init();
    JLC__CHECK(jlc__exc_init());
    JLC__CHECK(jlc__ctypes_init());
    JLC__CHECK(jlc__borrows_init());
    return jlc__support_load();
}

static void read_debug_options(const jlc_init_options *o)
{
    jlc__gc_stress = (o && o->gc_stress) || env_int("JLC_GC_STRESS", 0) > 0;
    jlc__debug = (o && o->debug) || env_int("JLC_DEBUG", 0) > 0;
    int every = o && o->gc_stress_full_every ? o->gc_stress_full_every
                                             : env_int("JLC_GC_STRESS_FULL_EVERY", 256);
    jlc__gc_stress_full_every = every > 0 ? (unsigned)every : 256;
    /* Environment only, for long stress runs: a collection at every Nth
     * allocating call instead of every one. */
    int nth = env_int("JLC_GC_STRESS_EVERY", 1);
    jlc__gc_stress_every = nth > 0 ? (unsigned)nth : 1;
}

/* The Julia threads jlc_init would start: nthreads, else JULIA_NUM_THREADS
 * ("N", "N,M" on 1.9+ with M interactive threads, or "auto"), else 1. */
static long threads_requested(const jlc_init_options *o)
{
    if (o->nthreads > 0) return o->nthreads;
    const char *e = getenv("JULIA_NUM_THREADS");
    if (!e || !*e) return 1;
    if (strncmp(e, "auto", 4) == 0) return sysconf(_SC_NPROCESSORS_ONLN);
    char *end;
    long n = strtol(e, &end, 10);
    if (*end == ',') n += strtol(end + 1, NULL, 10);
    return n;
}

static void become_ready(void)
{
    static int atfork_done;
    if (!atfork_done) atfork_done = pthread_atfork(NULL, NULL, after_fork_child) == 0;
    jlc__thread_ok = 1;
    __atomic_store_n(&jlc__state, JLC__READY, __ATOMIC_RELEASE);
    jlc__clear_error();
}

/* Why jlc_init/jlc_attach cannot start from state s. */
static jlc_status refuse(int s)
{
    switch (s) {
    case JLC__STARTING: return jlc__fail(JLC_ERR_STATE, "jlc is being initialised by another thread");
    case JLC__READY: return jlc__fail(JLC_ERR_STATE, "jlc is already initialised");
    case JLC__SHUTDOWN:
        return jlc__fail(JLC_ERR_STATE, "jlc was shut down; Julia cannot restart in one process");
    default: return jlc__enter_slow(); /* forked */
    }
}

int jlc__async_owns;

jlc_status jlc_init(const jlc_init_options *opts) { return jlc__runtime_init(opts); }

jlc_status jlc__runtime_init(const jlc_init_options *opts)
{
    jlc_init_options o;
    if (opts)
        o = *opts;
    else
        jlc_init_options_default(&o);
    if (o.nthreads < 0) return jlc__fail(JLC_ERR_ARG, "nthreads is negative");
    /* GC safepoints stop the other threads through Julia's SIGSEGV handler:
     * without it a collection with two threads crashes the process. */
    long nthreads = threads_requested(&o);
    if (!o.julia_signals && nthreads > 1)
        return jlc__fail(JLC_ERR_ARG,
                         "%ld Julia threads (%s) need Julia's signal handlers (GC safepoints stop "
                         "threads through SIGSEGV): set julia_signals = 1, or use one thread",
                         nthreads, o.nthreads > 0 ? "nthreads" : "JULIA_NUM_THREADS");

    /* Exactly one thread gets past this point. */
    int s = JLC__UNINIT;
    if (!__atomic_compare_exchange_n(&jlc__state, &s, JLC__STARTING, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return refuse(s);

    if (jl_is_initialized()) {
        /* Julia was started by someone else: join it. */
        __atomic_store_n(&jlc__state, JLC__UNINIT, __ATOMIC_RELEASE);
        return jlc_attach();
    }

    const char *bindir = o.julia_bindir;
    if (!bindir) bindir = getenv("JLC_JULIA_BINDIR");
    if (!bindir || !*bindir) bindir = JLC_DEFAULT_BINDIR;
    const char *image = o.image_path;
    if (!image) image = getenv("JLC_IMAGE");
    if (!image || !*image) image = JLC_DEFAULT_IMAGE;

    /* Julia calls exit() when it cannot start; check what we can first. */
    jlc_status st = JLC_OK;
    if (!*bindir)
        st = jlc__fail(JLC_ERR_NOT_FOUND, "no Julia bindir given and none built in");
    if (st == JLC_OK) st = check_dir(bindir, "Julia bindir");
    if (st == JLC_OK && *image) st = check_file(image, "Julia system image");
    /* A host that loaded jlc with RTLD_LOCAL (ctypes' default): Julia would
     * exit when it cannot find its own names (host.c). */
    if (st == JLC_OK) st = jlc__host_julia_global();
    if (st != JLC_OK) {
        __atomic_store_n(&jlc__state, JLC__UNINIT, __ATOMIC_RELEASE);
        return st;
    }

    if (o.nthreads > 0) JLC__SET_NTHREADS(o.nthreads);
    jl_options.handle_signals =
        o.julia_signals ? JL_OPTIONS_HANDLE_SIGNALS_ON : JL_OPTIONS_HANDLE_SIGNALS_OFF;

    /* Without Julia's handlers, the host keeps its own signal state: Julia
     * 1.5 blocks SIGINT, SIGTERM, SIGQUIT, SIGABRT and SIGUSR1 on this
     * thread, takes SIGUSR2 and sets an alternate stack whatever the option
     * says (docs/runtime.md). Static: only one thread gets here. */
    static jlc__host_signals host_signals;
    if (!o.julia_signals) jlc__host_signals_save(&host_signals);
    jl_init_with_image(bindir, *image ? image : NULL);
    if (!o.julia_signals) jlc__host_signals_restore(&host_signals);
    read_debug_options(&o);
    st = start_layer();
    if (st != JLC_OK) {
        __atomic_store_n(&jlc__state, JLC__SHUTDOWN, __ATOMIC_RELEASE);
        return st;
    }
    become_ready();
    return JLC_OK;
}

jlc_status jlc_attach(void)
{
    /* The thread check comes first: a foreign thread is refused whatever the
     * state. */
    if (!jl_is_initialized()) {
        int s = jlc__state_get();
        return s == JLC__UNINIT ? jlc__fail(JLC_ERR_STATE, "Julia is not running") : refuse(s);
    }
    if (!JLC__ON_JULIA_THREAD())
        return jlc__fail(JLC_ERR_THREAD, "jlc_attach must run on a Julia thread");
    int s = JLC__UNINIT;
    if (!__atomic_compare_exchange_n(&jlc__state, &s, JLC__STARTING, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        if (s == JLC__READY) {
            jlc__thread_ok = 1;
            return JLC_OK; /* idempotent */
        }
        return refuse(s);
    }
    read_debug_options(NULL);
    jlc_status st = start_layer();
    if (st != JLC_OK) {
        __atomic_store_n(&jlc__state, JLC__SHUTDOWN, __ATOMIC_RELEASE);
        return st;
    }
    attached = 1;
    become_ready();
    return JLC_OK;
}

jlc_status jlc_shutdown(int exit_code, size_t *leaked_refs)
{
    JLC__ENTER();
    if (__atomic_load_n(&jlc__async_owns, __ATOMIC_ACQUIRE))
        return jlc__fail(JLC_ERR_STATE, "the async runtime owns Julia: stop it with jlc_async_stop");
    jlc__thread *t = jlc__self_ptr;
    if (t && t->adopted)
        return jlc__fail(JLC_ERR_THREAD, "a thread jlc adopted (jlc_thread_enter) cannot shut Julia "
                                         "down; the thread that called jlc_init does");
    return jlc__runtime_shutdown(exit_code, leaked_refs);
}

jlc_status jlc__runtime_shutdown(int exit_code, size_t *leaked_refs)
{
    if (attached)
        return jlc__fail(JLC_ERR_STATE, "jlc joined a Julia session it did not start (jlc_attach): "
                                        "that session's owner stops Julia, not jlc_shutdown");
    /* An adopted thread still entered may be blocked in C while GC-unsafe:
     * the collections of the exit hooks would wait for it forever. */
    JLC__CHECK(jlc__adopt_close());
    int s = JLC__READY;
    if (!__atomic_compare_exchange_n(&jlc__state, &s, JLC__SHUTDOWN, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return refuse(s);
    jlc__scopes_shutdown(leaked_refs);
    jl_atexit_hook(exit_code);
    return JLC_OK;
}

int jlc_thread_count(void) { return (int)JLC__THREAD_COUNT(); }

/*
 * runtime.c — starting and stopping Julia, the thread/fork/state checks of
 * every entry point, GC stress, and loading jlc's Julia support module.
 */
#include "internal.h"

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

volatile int jlc__state = JLC__UNINIT;
_Thread_local int jlc__thread_ok __attribute__((tls_model("initial-exec")));
int jlc__gc_stress;
int jlc__debug;
_Thread_local char jlc__thread_marker;
static unsigned gc_stress_full_every = 256;
static unsigned gc_stress_count;

jlc__support jlc__sup;
extern const char jlc__support_source[]; /* generated from the files of src/support */

/* ---- entry checks ---- */

jlc_status jlc__enter_slow(void)
{
    switch (jlc__state) {
    case JLC__UNINIT: return jlc__fail(JLC_ERR_STATE, "jlc is not initialised (call jlc_init first)");
    case JLC__SHUTDOWN: return jlc__fail(JLC_ERR_STATE, "jlc was shut down");
    case JLC__FORKED:
        return jlc__fail(JLC_ERR_FORK, "this process was forked after Julia started; Julia is not fork-safe");
    default: break;
    }
    /* Only positive answers are cached: a foreign thread may be adopted by
     * Julia later. */
    if (JLC__ON_JULIA_THREAD()) {
        jlc__thread_ok = 1;
        return JLC_OK;
    }
    return jlc__fail(JLC_ERR_THREAD, "this thread is not a Julia thread; use the async runtime");
}

bool jlc_is_ready(void) { return jlc__state == JLC__READY; }

const char *jlc_julia_version(void)
{
    return jlc__state == JLC__UNINIT ? JULIA_VERSION_STRING : jl_ver_string();
}

/* ---- GC stress ---- */

void jlc__gc_stress_tick(void)
{
    if (++gc_stress_count % gc_stress_full_every == 0)
        jl_gc_collect(JL_GC_FULL);
    else
        jl_gc_collect(JL_GC_INCREMENTAL);
}

jlc_status jlc_gc_collect(bool full)
{
    JLC__ENTER();
    jl_gc_collect(full ? JL_GC_FULL : JL_GC_INCREMENTAL);
    return JLC_OK;
}

/* ---- init / shutdown ---- */

void jlc_init_options_default(jlc_init_options *opts)
{
    if (!opts) return;
    memset(opts, 0, sizeof *opts);
    opts->julia_signals = 1;
}

static void after_fork_child(void)
{
    if (jlc__state == JLC__READY) jlc__state = JLC__FORKED;
}

static int env_int(const char *name, int fallback)
{
    const char *s = getenv(name);
    return s && *s ? atoi(s) : fallback;
}

/* Loads the files of src/support into a module of its own (not bound in Main)
 * and caches its functions. */
static jlc_status load_support(void)
{
    jl_value_t *loader = jl_eval_string(
        "(src) -> begin m = Module(:JlcSupport, true); "
        "Base.include_string(m, src, \"jlc_support\"); m end");
    if (!loader)
        return jlc__fail(JLC_EXCEPTION, "jlc: cannot create the support loader");
    jl_value_t *src = NULL, *mod = NULL;
    JL_GC_PUSH3(&loader, &src, &mod);
    src = jl_cstr_to_string(jlc__support_source);
    mod = jl_call1(loader, src);
    JL_GC_POP();
    if (!mod || !jl_is_module(mod))
        return jlc__fail(JLC_EXCEPTION, "jlc: loading the support module failed");
    jl_module_t *m = (jl_module_t *)mod;
    /* Bound nowhere, so the root scanner (scope.c) keeps it alive; its
     * functions are its globals and live as long as it does. */
    jlc__sup.module = m;
#define JLC__SUP(field, name)                                           \
    do {                                                                \
        jlc__sup.field = (void *)jl_get_global(m, jl_symbol(name));             \
        if (!jlc__sup.field)                                            \
            return jlc__fail(JLC_EXCEPTION, "jlc: support function %s missing", name); \
    } while (0)
    JLC__SUP(kwcaller, "kwcaller");
    JLC__SUP(evalstr, "evalstr");
    JLC__SUP(includefile, "includefile");
    JLC__SUP(usepkg, "usepkg");
    JLC__SUP(exception_text, "exception_text");
    JLC__SUP(find_module, "find_module");
    JLC__SUP(to_string, "to_string");
    JLC__SUP(repr, "to_repr");
    JLC__SUP(tuple, "make_tuple");
    JLC__SUP(set_global, "set_global");
#undef JLC__SUP
    jlc__sup.getfield = jl_get_global(jl_core_module, jl_symbol("getfield"));
    jlc__sup.apply_type = jl_get_global(jl_core_module, jl_symbol("apply_type"));
    if (!jlc__sup.getfield || !jlc__sup.apply_type)
        return jlc__fail(JLC_EXCEPTION, "jlc: Core builtins missing");
    return JLC_OK;
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

jlc_status jlc_init(const jlc_init_options *opts)
{
    if (jlc__state == JLC__FORKED) return jlc__enter_slow();
    if (jlc__state == JLC__READY) return jlc__fail(JLC_ERR_STATE, "jlc is already initialised");
    if (jlc__state == JLC__SHUTDOWN)
        return jlc__fail(JLC_ERR_STATE, "jlc was shut down; Julia cannot restart in one process");
    if (jl_is_initialized()) return jlc_attach();

    jlc_init_options o;
    if (opts)
        o = *opts;
    else
        jlc_init_options_default(&o);

    const char *bindir = o.julia_bindir;
    if (!bindir) bindir = getenv("JLC_JULIA_BINDIR");
    if (!bindir || !*bindir) bindir = JLC_DEFAULT_BINDIR;
    const char *image = o.image_path;
    if (!image) image = getenv("JLC_IMAGE");
    if (!image || !*image) image = JLC_DEFAULT_IMAGE;

    /* Julia calls exit() when it cannot start; check what we can first. */
    if (!*bindir) return jlc__fail(JLC_ERR_NOT_FOUND, "no Julia bindir given and none built in");
    JLC__CHECK(check_dir(bindir, "Julia bindir"));
    if (*image) JLC__CHECK(check_file(image, "Julia system image"));
    if (o.nthreads < 0) return jlc__fail(JLC_ERR_ARG, "nthreads is negative");

    if (o.nthreads > 0) jl_options.nthreads = o.nthreads;
    jl_options.handle_signals =
        o.julia_signals ? JL_OPTIONS_HANDLE_SIGNALS_ON : JL_OPTIONS_HANDLE_SIGNALS_OFF;

    jl_init_with_image(bindir, *image ? image : NULL);
    jlc__scopes_init();

    jlc_status st = load_support();
    if (st != JLC_OK) {
        jlc__state = JLC__SHUTDOWN;
        return st;
    }

    jlc__gc_stress = o.gc_stress || env_int("JLC_GC_STRESS", 0) > 0;
    jlc__debug = o.debug || env_int("JLC_DEBUG", 0) > 0;
    int every = o.gc_stress_full_every ? o.gc_stress_full_every
                                       : env_int("JLC_GC_STRESS_FULL_EVERY", 256);
    gc_stress_full_every = every > 0 ? (unsigned)every : 256;

    static int atfork_done;
    if (!atfork_done) atfork_done = pthread_atfork(NULL, NULL, after_fork_child) == 0;
    jlc__thread_ok = 1;
    jlc__state = JLC__READY;
    jlc__clear_error();
    return JLC_OK;
}

jl_value_t *jlc__support_fn(const char *name)
{
    if (!jlc__sup.module) return NULL;
    return jl_get_global(jlc__sup.module, jl_symbol(name));
}

jlc_status jlc_attach(void)
{
    if (jlc__state == JLC__READY) return JLC_OK;
    if (jlc__state != JLC__UNINIT) return jlc__enter_slow();
    if (!jl_is_initialized()) return jlc__fail(JLC_ERR_STATE, "Julia is not running");
    if (!JLC__ON_JULIA_THREAD())
        return jlc__fail(JLC_ERR_THREAD, "jlc_attach must run on a Julia thread");
    jlc__scopes_init();
    JLC__CHECK(load_support());
    jlc__thread_ok = 1;
    jlc__state = JLC__READY;
    return JLC_OK;
}

jlc_status jlc_shutdown(int exit_code, size_t *leaked_refs)
{
    JLC__ENTER();
    jlc__scopes_shutdown(leaked_refs);
    jlc__state = JLC__SHUTDOWN;
    jl_atexit_hook(exit_code);
    return JLC_OK;
}

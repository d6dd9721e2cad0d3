/* start.c — the workers area's set-up, the library directory workers need
 * (rule W2 of include/jlc/workers.h), starting, counting and stopping
 * workers, and the description of their exceptions (rule W3). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr, dl_iterate_phdr */
#endif
#include "workers.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the area: WorkersSupport, loaded on first use ---- */

jlc__wk_fns jlc__wk;

static jlc_status wk_init(jlc__scope *sc)
{
    (void)sc;
#define NEED(field, name) JLC__CHECK(jlc__support_need("workers", name, &jlc__wk.field))
    NEED(start, "start");
    NEED(count, "count_workers");
    NEED(stop, "stop");
    NEED(eval, "eval_everywhere");
    NEED(include, "include_everywhere");
    NEED(pmap, "pmap_into");
    NEED(describe, "describe");
#undef NEED
    return JLC_OK;
}

jlc__area jlc__wk_area = {0, "workers", wk_init};

jlc_status jlc__wk_apply(jlc__scope *sc, jl_value_t **argv, uint32_t n, jl_value_t **result)
{
    jlc_status st = jlc__apply(sc, argv, n, result);
    if (st != JLC_EXCEPTION) return st;
    jlc__thread *t = jlc__self();
    jl_value_t *exc;
    if (!t || jlc__get(t->exc, &exc) != JLC_OK) return st;
    /* exc is rooted in sc, describe by the support module. If describing
     * fails, the type alone is better than the text of that failure. */
    jl_value_t *dv[2] = {jlc__wk.describe, exc}, *text = NULL;
    const char *tn = jl_typeof_str(exc);
    if (jlc__apply_unscoped_result(dv, 2, &text) != JLC_OK || !jl_is_string(text))
        return jlc__fail(JLC_EXCEPTION, "%s", tn);
    /* "Type: message", with the type once ("ArgumentError: ..." as is). */
    const char *msg = jl_string_data(text);
    size_t k = strlen(tn);
    if (strncmp(msg, tn, k) == 0 && msg[k] == ':') return jlc__fail(JLC_EXCEPTION, "%s", msg);
    return jlc__fail(JLC_EXCEPTION, "%s: %s", tn, msg);
}

/* ---- the library directory workers need (rule W2) ---- */

/* Whether this jlc runs with a private libunwind (Debian's Julia 1.5) is
 * known at build time; where it is, only at run time. The build-tree path is
 * not compiled in, so an installed libjlc never names the build tree: in the
 * build tree, the copy this process loaded (libjlc names it ahead of
 * libjulia, so it is the only libunwind.so.8 loaded) is the answer. */
static char libdir[PATH_MAX];
static jlc_status libdir_status;
static pthread_once_t libdir_once = PTHREAD_ONCE_INIT;

#ifdef JLC_PRIVATE_UNWIND
static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Copies the directory part of path into libdir (returns 0 if too long). */
static int set_dir_of(const char *path, size_t len)
{
    const char *slash = memrchr(path, '/', len);
    if (!slash || (size_t)(slash - path) >= sizeof libdir) return 0;
    memcpy(libdir, path, (size_t)(slash - path));
    libdir[slash - path] = '\0';
    return 1;
}

static int find_loaded(struct dl_phdr_info *info, size_t size, void *ctx)
{
    (void)size;
    (void)ctx;
    static const char soname[] = "/libunwind.so.8";
    const char *name = info->dlpi_name;
    size_t n = name ? strlen(name) : 0, k = sizeof soname - 1;
    if (n > k && strcmp(name + n - k, soname) == 0) return set_dir_of(name, n);
    return 0;
}
#endif

static void find_libdir(void)
{
    libdir[0] = '\0';
    libdir_status = JLC_OK;
#ifdef JLC_PRIVATE_UNWIND
    /* Installed: <libdir>/libjlc.so and <libdir>/jlc/libunwind.so.8. */
    Dl_info info;
    char path[PATH_MAX];
    if (dladdr((const void *)&jlc_workers_library_dir, &info) && info.dli_fname) {
        const char *lib = info.dli_fname;
        const char *slash = strrchr(lib, '/');
        int len = slash ? (int)(slash - lib) : 0;
        if (slash && snprintf(path, sizeof path, "%.*s/jlc/libunwind.so.8", len, lib) <
                         (int)sizeof path && is_file(path) && set_dir_of(path, strlen(path)))
            return;
    }
    /* The build tree, or a program that links libjlc.a with the flags of
     * jlc-static.pc: the libunwind.so.8 loaded in this process. */
    if (dl_iterate_phdr(find_loaded, NULL)) return;
    libdir[0] = '\0';
    libdir_status = JLC_ERR_NOT_FOUND;
#endif
}

static jlc_status library_dir(const char **out)
{
    pthread_once(&libdir_once, find_libdir);
    if (libdir_status != JLC_OK)
        return jlc__fail(libdir_status,
                         "jlc's private libunwind (needed by workers of this Julia) is neither "
                         "next to libjlc (<libdir>/jlc/libunwind.so.8) nor loaded in this process");
    *out = libdir;
    return JLC_OK;
}

jlc_status jlc_workers_library_dir(const char **out)
{
    JLC__NONNULL(out);
    return library_dir(out);
}

/* ---- options ---- */

void jlc_workers_options_default(jlc_workers_options *opts)
{
    if (opts) memset(opts, 0, sizeof *opts);
}

static jlc_status check_dir(const char *what, const char *dir)
{
    struct stat sb;
    if (dir && *dir && !(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return jlc__fail(JLC_ERR_ARG, "%s '%s' is not a directory", what, dir);
    return JLC_OK;
}

/* ---- starting, counting, stopping ---- */

jlc_status jlc_workers_add(jlc_scope scope, size_t n, const jlc_workers_options *opts, int *ids)
{
    JLC__ENTER();
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (n == 0 || n > JLC_WORKERS_MAX_ADD)
        return jlc__fail(JLC_ERR_ARG, "n = %zu workers: give 1 to %d", n, JLC_WORKERS_MAX_ADD);
    jlc_workers_options o;
    jlc_workers_options_default(&o);
    if (opts) o = *opts;
    JLC__CHECK(check_dir("opts->dir", o.dir));
    JLC__CHECK(check_dir("opts->library_dir", o.library_dir));
    const char *lib = o.library_dir;
    if (!lib) JLC__CHECK(library_dir(&lib));
    WK_INIT();

    const char *strs[3] = {o.exeflags ? o.exeflags : "", lib, o.dir ? o.dir : ""};
    jl_value_t **argv;
    JLC__GC_STRESS();
    JL_GC_PUSHARGS(argv, 6);
    argv[0] = jlc__wk.start;
    jlc_status st = JLC_OK;
    for (int i = 0; i < 3 && st == JLC_OK; i++)
        st = jlc__string_new(sc, strs[i], strlen(strs[i]), &argv[2 + i]);
    if (st == JLC_OK) {
        JLC__DEFER_SIGINT_BEGIN();
        argv[1] = jl_box_int64((int64_t)n);
        argv[5] = jl_box_voidpointer(ids);
        JLC__DEFER_SIGINT_END();
        jl_value_t *r;
        st = jlc__wk_apply(sc, argv, 6, &r);
    }
    JL_GC_POP();
    return st;
}

jlc_status jlc_workers_count(size_t *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    WK_INIT();
    jl_value_t *argv[1] = {jlc__wk.count}, *r;
    JLC__CHECK(jlc__apply_unscoped_result(argv, 1, &r));
    if (!jl_is_int64(r) || jl_unbox_int64(r) < 0)
        return jlc__fail(JLC_ERR_STATE, "jlc: count_workers returned a %s", jl_typeof_str(r));
    *out = (size_t)jl_unbox_int64(r);
    return JLC_OK;
}

jlc_status jlc_workers_stop(jlc_scope scope, double timeout_s, size_t *remaining)
{
    JLC__ENTER();
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (!(timeout_s > 0) || isinf(timeout_s))
        return jlc__fail(JLC_ERR_ARG, "timeout_s = %g: give a positive number of seconds", timeout_s);
    WK_INIT();
    jl_value_t **argv;
    JLC__GC_STRESS();
    JL_GC_PUSHARGS(argv, 2);
    argv[0] = jlc__wk.stop;
    JLC__DEFER_SIGINT_BEGIN();
    argv[1] = jl_box_float64(timeout_s);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r = NULL;
    jlc_status st = jlc__wk_apply(sc, argv, 2, &r);
    JL_GC_POP();
    if (st != JLC_OK) return st;
    if (!jl_is_int64(r) || jl_unbox_int64(r) < 0)
        return jlc__fail(JLC_ERR_STATE, "jlc: stop returned a %s", jl_typeof_str(r));
    size_t left = (size_t)jl_unbox_int64(r);
    if (remaining) *remaining = left;
    if (left)
        return jlc__fail(JLC_ERR_TIMEOUT, "%zu worker(s) still running %g s after rmprocs", left,
                         timeout_s);
    return JLC_OK;
}

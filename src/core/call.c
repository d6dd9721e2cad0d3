/*
 * call.c — calling Julia (positional and keyword) and eval/include/using.
 * Every call goes through jlc__apply (base/exc.c): one handler, backtrace kept.
 */
#include "base.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Inlined into jlc_call, the hot path: one function frame above jl_apply. */
#define call_fn jlc__call_handles
#define resolve jlc__resolve
#define apply_push jlc__apply_push
#define JLC__STACK_ARGS JLC__CALL_STACK_ARGS

jlc_status jlc_call(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                    jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (JLC__UNLIKELY(nargs && !args)) return jlc__fail(JLC_ERR_ARG, "args is NULL but nargs > 0");
    jlc__scope *sc;
    jl_value_t *fn;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    return call_fn(sc, fn, nargs, args, out);
}

/* Keyword callers by name list, so the common case (the same names again)
 * skips the Julia-side lookup. Entries are never removed; the functions are
 * rooted by the support module's cache. */
typedef struct kw_entry {
    size_t nargs, nkw;
    char *names; /* names joined by '\0' */
    size_t len;
    jl_value_t *caller;
} kw_entry;
static kw_entry kw_cache[64];
static size_t kw_cache_len;
static pthread_mutex_t kw_lock = PTHREAD_MUTEX_INITIALIZER;

static jl_value_t *kw_cache_find(size_t nargs, size_t nkw, const char *const *names)
{
    /* Entries are append-only and published by a release store of the
     * length, so readers need no lock. */
    size_t len = __atomic_load_n(&kw_cache_len, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < len; i++) {
        const kw_entry *e = &kw_cache[i];
        if (e->nkw != nkw || e->nargs != nargs) continue;
        const char *p = e->names;
        size_t k = 0;
        for (; k < nkw; k++) {
            if (strcmp(p, names[k]) != 0) break;
            p += strlen(p) + 1;
        }
        if (k == nkw) return e->caller;
    }
    return NULL;
}

static void kw_cache_add(size_t nargs, size_t nkw, const char *const *names, jl_value_t *caller)
{
    size_t len = 0;
    for (size_t k = 0; k < nkw; k++) len += strlen(names[k]) + 1;
    char *buf = malloc(len ? len : 1);
    if (!buf) return; /* the cache is an optimisation only */
    char *p = buf;
    for (size_t k = 0; k < nkw; k++) {
        size_t n = strlen(names[k]) + 1;
        memcpy(p, names[k], n);
        p += n;
    }
    pthread_mutex_lock(&kw_lock); /* writers only */
    size_t n = kw_cache_len;
    if (n < sizeof kw_cache / sizeof kw_cache[0]) {
        kw_cache[n] = (kw_entry){nargs, nkw, buf, len, caller};
        __atomic_store_n(&kw_cache_len, n + 1, __ATOMIC_RELEASE);
    } else {
        free(buf);
    }
    pthread_mutex_unlock(&kw_lock);
}

/* The generated caller for nargs positional arguments and these keyword
 * names (see kwcaller in src/support/core.jl). */
static jlc_status kw_caller(jlc__scope *sc, size_t nargs, size_t nkw, const char *const *names,
                            jl_value_t **out)
{
    if ((*out = kw_cache_find(nargs, nkw, names)) != NULL) return JLC_OK;
    if (nkw > JLC_MAX_KEYWORDS) return jlc__fail(JLC_ERR_ARG, "at most %d keyword arguments", JLC_MAX_KEYWORDS);
    jl_value_t *argv[JLC_MAX_KEYWORDS + 2];
    argv[0] = jlc__core.kwcaller;
    for (size_t k = 0; k < nkw; k++) {
        for (size_t j = 0; j < k; j++)
            if (strcmp(names[j], names[k]) == 0)
                return jlc__fail(JLC_ERR_ARG, "keyword `%s` given twice", names[k]);
        argv[2 + k] = (jl_value_t *)jl_symbol(names[k]); /* symbols are never freed */
    }
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    argv[1] = jl_box_int64((int64_t)nargs);
    JLC__DEFER_SIGINT_END();
    JL_GC_PUSH1(&argv[1]);
    jlc_status st = jlc__apply(sc, argv, (uint32_t)(nkw + 2), out);
    JL_GC_POP();
    JLC__CHECK(st);
    kw_cache_add(nargs, nkw, names, *out);
    return JLC_OK;
}

jlc_status jlc_call_kw(jlc_scope scope, jlc_value f, size_t nargs, const jlc_value *args,
                       size_t nkw, const char *const *kwnames, const jlc_value *kwvals,
                       jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (nargs && !args) return jlc__fail(JLC_ERR_ARG, "args is NULL but nargs > 0");
    if (nkw && (!kwnames || !kwvals))
        return jlc__fail(JLC_ERR_ARG, "kwnames or kwvals is NULL but nkw > 0");
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    for (size_t i = 0; i < nkw; i++)
        if (!kwnames[i] || !kwnames[i][0])
            return jlc__fail(JLC_ERR_ARG, "kwnames[%zu] is NULL or empty", i);

    /* argv = caller, f, values..., positional... */
    jl_value_t *caller;
    JLC__CHECK(kw_caller(sc, nargs, nkw, kwnames, &caller));
    size_t n = 2 + nkw + nargs;
    if (n >= UINT32_MAX) return jlc__fail(JLC_ERR_ARG, "too many arguments");
    jl_value_t *stackv[2 + 8 + JLC__STACK_ARGS];
    jl_value_t **argv = stackv;
    if (n > sizeof stackv / sizeof stackv[0] && !(argv = malloc(n * sizeof *argv)))
        return jlc__fail(JLC_ERR_NOMEM, "cannot allocate %zu arguments", n);
    argv[0] = caller;
    jlc_status st = jlc__get(f, &argv[1]);
    if (st == JLC_OK) st = resolve(argv + 2, kwvals, nkw);
    if (st == JLC_OK) st = resolve(argv + 2 + nkw, args, nargs);
    if (st == JLC_OK) st = apply_push(sc, argv, n, out);
    if (argv != stackv) free(argv);
    return st;
}

/* Calls a support function on one freshly made String argument. */
static jlc_status call_with_string(jlc__scope *sc, jl_value_t *fn, jl_value_t *first,
                                   const char *text, jlc_value *out)
{
    jl_value_t *argv[3] = {(jl_value_t *)fn, first, NULL};
    size_t n = first ? 3 : 2;
    JLC__GC_STRESS();
    jl_value_t *str;
    JLC__CHECK(jlc__string_new(sc, text, strlen(text), &str));
    argv[n - 1] = str;
    JL_GC_PUSH1(&str);
    jlc_status st = apply_push(sc, argv, n, out);
    JL_GC_POP();
    return st;
}

jlc_status jlc_eval(jlc_scope scope, jlc_value module, const char *code, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(code);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    jl_value_t *m = (jl_value_t *)jl_main_module;
    if (module._h != 0) {
        JLC__CHECK(jlc__get(module, &m));
        if (!jl_is_module(m)) return jlc__fail(JLC_ERR_TYPE, "eval target is not a Module");
    }
    return call_with_string(sc, jlc__core.evalstr, m, code, out);
}

jlc_status jlc_include(jlc_scope scope, const char *path, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (access(path, R_OK) != 0) return jlc__fail(JLC_ERR_NOT_FOUND, "cannot read file '%s'", path);
    return call_with_string(sc, jlc__core.includefile, NULL, path, out);
}

static int valid_package_name(const char *s)
{
    int start = 1;
    for (; *s; s++) {
        char ch = *s;
        int alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
        int digit = ch >= '0' && ch <= '9';
        if (ch == '.' && !start) {
            start = 1;
            continue;
        }
        if (!(alpha || (digit && !start))) return 0;
        start = 0;
    }
    return !start;
}

jlc_status jlc_using(jlc_scope scope, const char *package)
{
    JLC__ENTER();
    JLC__NONNULL(package);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (!valid_package_name(package))
        return jlc__fail(JLC_ERR_ARG, "'%s' is not a package name", package);
    return call_with_string(sc, jlc__core.usepkg, NULL, package, NULL);
}

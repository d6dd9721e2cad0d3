/*
 * call.c — calling Julia (positional and keyword), eval/include/using, and
 * the capture and rendering of Julia exceptions.
 *
 * A call runs jl_apply under one JL_TRY of ours instead of jl_call, which
 * would add its own try and throw the backtrace away: the cost is the same
 * single handler, and the catch block can keep the backtrace.
 */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Latest caught exception of this thread and its raw exception stack, as
 * handles of the scope the failing call was given (so they go stale with it). */
static _Thread_local jlc_value last_exc, last_raw;

#define JLC__STACK_ARGS 16

void jlc__catch(jlc__scope *sc)
{
    jl_value_t *exc = jl_current_exception();
    last_exc._h = last_raw._h = 0;
    if (jlc__push(sc, exc, &last_exc) != JLC_OK) return;
    jl_value_t *raw = jl_get_excstack(jl_current_task, 1, 1);
    if (jlc__push(sc, raw, &last_raw) != JLC_OK) last_raw._h = 0;
}

/* Fills jlc_last_error() with "Type: message" once the stack has unwound. */
static void describe_exception(jlc__scope *sc)
{
    jl_value_t *exc = NULL;
    if (jlc__get(last_exc, &exc) != JLC_OK) return;
    jlc__fail(JLC_EXCEPTION, "%s", jl_typeof_str(exc));
    jl_value_t *argv[4] = {(jl_value_t *)jlc__sup.exception_text, exc, jl_nothing, jl_false};
    jl_value_t *volatile text = NULL;
    size_t *world = JLC__WORLD_AGE_PTR();
    size_t age = *world;
    *world = jl_get_world_counter();
    JL_TRY { text = jl_apply(argv, 4); }
    JL_CATCH { text = NULL; }
    *world = age;
    (void)sc;
    if (text && jl_is_string(text)) jlc__fail(JLC_EXCEPTION, "%s", jl_string_data(text));
}

jlc_status jlc__exception_status(jlc__scope *sc)
{
    describe_exception(sc);
    return JLC_EXCEPTION;
}

void jlc__set_exception(jlc__scope *sc, jl_value_t *exc, jl_value_t *raw)
{
    last_exc._h = last_raw._h = 0;
    if (jlc__push(sc, exc, &last_exc) != JLC_OK) return;
    if (!raw || jlc__push(sc, raw, &last_raw) != JLC_OK) last_raw._h = 0;
}

jlc_status jlc__apply(jlc__scope *sc, jl_value_t **argv, uint32_t n, jl_value_t **result)
{
    JLC__GC_STRESS();
    jl_value_t *volatile r = NULL;
    volatile int threw = 0;
    size_t *world = JLC__WORLD_AGE_PTR();
    size_t age = *world;
    *world = jl_get_world_counter();
    JL_TRY { r = jl_apply(argv, n); }
    JL_CATCH {
        threw = 1;
        jlc__catch(sc);
    }
    *world = age;
    if (JLC__UNLIKELY(threw)) {
        describe_exception(sc);
        return JLC_EXCEPTION;
    }
    *result = r;
    return JLC_OK;
}

/* Resolves n handles into argv; stops at the first bad one. */
static inline __attribute__((always_inline)) jlc_status resolve(jl_value_t **argv, const jlc_value *hs, size_t n)
{
    for (size_t i = 0; i < n; i++) JLC__CHECK(jlc__get(hs[i], &argv[i]));
    return JLC_OK;
}

/* Applies argv under a scope and pushes the result into it (out may be NULL). */
static inline __attribute__((always_inline)) jlc_status apply_push(jlc__scope *sc, jl_value_t **argv, size_t n, jlc_value *out)
{
    jl_value_t *r;
    JLC__CHECK(jlc__apply(sc, argv, (uint32_t)n, &r));
    if (!out) return JLC_OK;
    return jlc__push(sc, r, out);
}

/* Inlined into jlc_call, the hot path: one function frame above jl_apply. */
static inline __attribute__((always_inline)) jlc_status call_fn(jlc__scope *sc, jl_value_t *f,
                                                                size_t nargs, const jlc_value *args,
                                                                jlc_value *out)
{
    jl_value_t *stackv[JLC__STACK_ARGS + 1];
    jl_value_t **argv = stackv;
    if (JLC__UNLIKELY(nargs > JLC__STACK_ARGS)) {
        if (nargs >= UINT32_MAX || !(argv = malloc((nargs + 1) * sizeof *argv)))
            return jlc__fail(JLC_ERR_NOMEM, "cannot allocate %zu arguments", nargs);
    }
    argv[0] = f;
    jlc_status st = resolve(argv + 1, args, nargs);
    if (st == JLC_OK) st = apply_push(sc, argv, nargs + 1, out);
    if (argv != stackv) free(argv);
    return st;
}

jlc_status jlc__call_fn(jlc__scope *sc, jl_value_t *f, size_t nargs, const jlc_value *args,
                        jlc_value *out)
{
    return call_fn(sc, f, nargs, args, out);
}

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
 * names (see kwcaller in src/support/00_core.jl). */
static jlc_status kw_caller(jlc__scope *sc, size_t nargs, size_t nkw, const char *const *names,
                            jl_value_t **out)
{
    if ((*out = kw_cache_find(nargs, nkw, names)) != NULL) return JLC_OK;
    if (nkw > 64) return jlc__fail(JLC_ERR_ARG, "at most 64 keyword arguments");
    jl_value_t *argv[66];
    argv[0] = jlc__sup.kwcaller;
    for (size_t k = 0; k < nkw; k++) {
        for (size_t j = 0; j < k; j++)
            if (strcmp(names[j], names[k]) == 0)
                return jlc__fail(JLC_ERR_ARG, "keyword `%s` given twice", names[k]);
        argv[2 + k] = (jl_value_t *)jl_symbol(names[k]); /* symbols are never freed */
    }
    JLC__GC_STRESS();
    argv[1] = jl_box_int64((int64_t)nargs);
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
static jlc_status call_with_string(jlc__scope *sc, jl_function_t *fn, jl_value_t *first,
                                   const char *text, jlc_value *out)
{
    jl_value_t *argv[3] = {(jl_value_t *)fn, first, NULL};
    size_t n = first ? 3 : 2;
    JLC__GC_STRESS();
    jl_value_t *str = jl_cstr_to_string(text);
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
    return call_with_string(sc, jlc__sup.evalstr, m, code, out);
}

jlc_status jlc_include(jlc_scope scope, const char *path, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (access(path, R_OK) != 0) return jlc__fail(JLC_ERR_NOT_FOUND, "cannot read file '%s'", path);
    return call_with_string(sc, jlc__sup.includefile, NULL, path, out);
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
    return call_with_string(sc, jlc__sup.usepkg, NULL, package, NULL);
}

/* ---- exceptions ---- */

jlc_status jlc_exception(jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *exc;
    if (last_exc._h == 0 || jlc__get(last_exc, &exc) != JLC_OK)
        return jlc__fail(JLC_ERR_NOT_FOUND, "no Julia exception caught on this thread (or its scope closed)");
    *out = last_exc;
    return JLC_OK;
}

jlc_status jlc_exception_text(jlc_scope scope, jlc_value exc, bool with_backtrace, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *e, *last = NULL, *raw = NULL;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(exc, &e));
    /* The backtrace is only known for the exception jlc caught last. */
    if (with_backtrace && jlc__get(last_exc, &last) == JLC_OK && last == e &&
        jlc__get(last_raw, &raw) == JLC_OK) {
    } else {
        raw = jl_nothing;
    }
    jl_value_t *argv[4] = {(jl_value_t *)jlc__sup.exception_text, e, raw,
                           with_backtrace ? jl_true : jl_false};
    return apply_push(sc, argv, 4, out);
}

void jlc_exception_clear(void)
{
    last_exc._h = last_raw._h = 0;
    jlc__clear_error();
}

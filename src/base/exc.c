/*
 * exc.c — Julia exceptions: jlc's handler around every call into Julia, the
 * latest exception of each thread (kept in its thread state, as handles of
 * the failing call's scope), rendering with showerror, exceptions parked by
 * Julia-side wrappers, and protected regions (jlc_protect).
 *
 * A call runs jl_apply under one JL_TRY of ours instead of jl_call, which
 * would add its own try and throw the backtrace away: the cost is the same
 * single handler, and the catch block can keep the backtrace.
 */
#include "exc.h"
#include "roots.h"
#include "support.h"

#include <string.h>

/* ---- the latest exception ---- */

void jlc__catch(jlc__scope *sc)
{
    jlc__thread *t = jlc__self();
    if (!t) return;
    jl_value_t *exc = JLC__CURRENT_EXCEPTION();
    t->exc._h = t->exc_raw._h = 0;
    if (jlc__push(sc, exc, &t->exc) != JLC_OK) return;
    jl_value_t *raw = JLC__EXCSTACK();
    if (jlc__push(sc, raw, &t->exc_raw) != JLC_OK) t->exc_raw._h = 0;
}

void jlc__set_exception(jlc__scope *sc, jl_value_t *exc, jl_value_t *raw)
{
    jlc__thread *t = jlc__self();
    if (!t) return;
    t->exc._h = t->exc_raw._h = 0;
    if (jlc__push(sc, exc, &t->exc) != JLC_OK) return;
    if (!raw || jlc__push(sc, raw, &t->exc_raw) != JLC_OK) t->exc_raw._h = 0;
}

/* Runs exception_text(exc, raw, with_bt) in the latest world under a handler;
 * NULL if that throws too. */
static jl_value_t *render(jl_value_t *exc, jl_value_t *raw, int with_bt)
{
    jl_value_t *argv[4] = {jlc__core.exception_text, exc, raw ? raw : jl_nothing,
                           with_bt ? jl_true : jl_false};
    jl_value_t *volatile text = NULL;
    size_t *world = JLC__WORLD_AGE_PTR();
    size_t age = *world;
    *world = jl_get_world_counter();
    JL_TRY { text = jl_apply(argv, 4); }
    JL_CATCH { text = NULL; }
    *world = age;
    return text;
}

jlc_status jlc__exception_status(jlc__scope *sc)
{
    (void)sc;
    jlc__thread *t = jlc__self();
    jl_value_t *exc = NULL;
    if (!t || jlc__get(t->exc, &exc) != JLC_OK)
        return jlc__fail(JLC_EXCEPTION, "a Julia exception was thrown (it could not be kept)");
    /* Always "Type: message": the type first, even if showerror fails, and
     * not twice when showerror starts with it ("BoundsError: attempt ..."). */
    const char *tn = jl_typeof_str(exc);
    jlc__fail(JLC_EXCEPTION, "%s", tn);
    jl_value_t *text = render(exc, NULL, 0);
    if (text && jl_is_string(text)) {
        const char *msg = jl_string_data(text);
        size_t n = strlen(tn);
        if (strncmp(msg, tn, n) == 0 && (msg[n] == ':' || msg[n] == ' ' || msg[n] == '\0'))
            jlc__fail(JLC_EXCEPTION, "%s", msg);
        else
            jlc__fail(JLC_EXCEPTION, "%s: %s", tn, msg);
    }
    return JLC_EXCEPTION;
}

/* ---- exceptions parked by Julia code ---- */

static void mark_parked(jlc__thread *t, void *ctx)
{
    (void)ctx;
    jlc__mark(t->pending_exc);
    jlc__mark(t->pending_raw);
}

static void mark_threads(int full)
{
    (void)full;
    /* Threads are stopped for the collection; the list only grows, under a
     * lock no thread holds across a safepoint. */
    jlc__threads_each(mark_parked, NULL);
}

jlc_status jlc__exc_init(void) { return jlc__roots_add(mark_threads); }

void jlc__exception_park(jl_value_t *exc, jl_value_t *raw)
{
    jlc__thread *t = jlc__self();
    if (!t) return;
    t->pending_exc = exc;
    t->pending_raw = raw;
}

int jlc__exception_claim(jlc__scope *sc)
{
    jlc__thread *t = jlc__self();
    if (!t || !t->pending_exc) return 0;
    jl_value_t *exc = t->pending_exc, *raw = t->pending_raw;
    /* Both stay marked through the thread state until pushed. */
    jlc__set_exception(sc, exc, raw);
    t->pending_exc = t->pending_raw = NULL;
    return 1;
}

/* ---- calls under jlc's handler ---- */

jlc_status jlc__apply(jlc__scope *sc, jl_value_t **argv, uint32_t n, jl_value_t **result)
{
    JLC__GC_STRESS();
    jl_value_t *volatile r = NULL;
    volatile int threw = 0;
    size_t *world = JLC__WORLD_AGE_PTR();
    size_t age = *world;
    *world = jl_get_world_counter();
    jlc__scope_busy(sc);
    JL_TRY { r = jl_apply(argv, n); }
    JL_CATCH {
        threw = 1;
        jlc__catch(sc);
    }
    jlc__scope_idle(sc);
    *world = age;
    if (JLC__UNLIKELY(threw)) return jlc__exception_status(sc);
    *result = r;
    return JLC_OK;
}

jlc_status jlc__apply_unscoped(jl_value_t **argv, uint32_t n)
{
    jl_value_t *r;
    return jlc__apply_unscoped_result(argv, n, &r);
}

jlc_status jlc__apply_unscoped_result(jl_value_t **argv, uint32_t n, jl_value_t **result)
{
    JLC__GC_STRESS();
    volatile int threw = 0;
    jl_value_t *volatile exc = NULL;
    jl_value_t *volatile r = NULL;
    size_t *world = JLC__WORLD_AGE_PTR();
    size_t age = *world;
    *world = jl_get_world_counter();
    JL_TRY { r = jl_apply(argv, n); }
    JL_CATCH {
        threw = 1;
        exc = JLC__CURRENT_EXCEPTION();
    }
    *world = age;
    if (JLC__UNLIKELY(threw))
        return jlc__fail(JLC_EXCEPTION, "%s (the exception was not kept: this call has no scope)",
                         exc ? jl_typeof_str(exc) : "a Julia exception");
    *result = r;
    return JLC_OK;
}

int jlc__run_protected(jlc__scope *sc, jlc_status (*fn)(void *), void *ctx, jlc_status *result)
{
    volatile int threw = 0;
    volatile jlc_status st = JLC_OK;
    jlc__scope_busy(sc);
    JL_TRY { st = fn(ctx); }
    JL_CATCH {
        threw = 1;
        jlc__catch(sc);
    }
    jlc__scope_idle(sc);
    *result = threw ? JLC_OK : st;
    return threw;
}

/* ---- public API ---- */

jlc_status jlc_protect(jlc_scope scope, jlc_status (*fn)(void *ctx), void *ctx)
{
    JLC__ENTER();
    JLC__NONNULL(fn);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    jlc_status st;
    if (jlc__run_protected(sc, fn, ctx, &st)) return jlc__exception_status(sc);
    return st;
}

jlc_status jlc_exception_get(jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__thread *t = jlc__self();
    jl_value_t *exc;
    if (!t || t->exc._h == 0 || jlc__get(t->exc, &exc) != JLC_OK)
        return jlc__fail(JLC_ERR_NOT_FOUND,
                         "no Julia exception caught on this thread (or its scope closed)");
    *out = t->exc;
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
    jlc__thread *t = jlc__self();
    /* The backtrace is only known for the exception jlc caught last. */
    if (!(with_backtrace && t && jlc__get(t->exc, &last) == JLC_OK && last == e &&
          jlc__get(t->exc_raw, &raw) == JLC_OK))
        raw = jl_nothing;
    jl_value_t *argv[4] = {jlc__core.exception_text, e, raw, with_backtrace ? jl_true : jl_false};
    jl_value_t *r;
    JLC__CHECK(jlc__apply(sc, argv, 4, &r));
    return jlc__push(sc, r, out);
}

void jlc_exception_clear(void)
{
    jlc__thread *t = jlc__self();
    if (t) {
        t->exc._h = t->exc_raw._h = 0;
        t->pending_exc = t->pending_raw = NULL;
    }
    jlc__clear_error();
}

/* ---- allocations outside a Julia call ---- */

/* Above this, an allocation runs under jlc's handler (malloc may fail and
 * Julia then throws OutOfMemoryError); below, only Ctrl-C is deferred. */
#define GUARD_BYTES ((size_t)1 << 20)

typedef struct string_job {
    const char *bytes;
    size_t len;
    jl_value_t *result;
} string_job;

static jlc_status make_string(void *ctx)
{
    string_job *j = ctx;
    j->result = jl_pchar_to_string(j->bytes, j->len);
    return JLC_OK;
}

jlc_status jlc__string_new(jlc__scope *sc, const char *bytes, size_t len, jl_value_t **out)
{
    if (JLC__UNLIKELY(len > (size_t)PTRDIFF_MAX - 64))
        return jlc__fail(JLC_ERR_NOMEM, "a String of %zu bytes cannot be allocated", len);
    string_job j = {bytes, len, NULL};
    if (JLC__LIKELY(len < GUARD_BYTES)) {
        JLC__DEFER_SIGINT_BEGIN();
        make_string(&j);
        JLC__DEFER_SIGINT_END();
        *out = j.result;
        return JLC_OK;
    }
    /* Out of memory leaves nothing behind (no exception handle in sc);
     * anything else (an interrupt) is a normal JLC_EXCEPTION. */
    volatile int oom = 0, threw = 0;
    JL_TRY { make_string(&j); }
    JL_CATCH {
        threw = 1;
        if (JLC__CURRENT_EXCEPTION() == jl_memory_exception)
            oom = 1;
        else
            jlc__catch(sc);
    }
    if (oom) return jlc__fail(JLC_ERR_NOMEM, "out of memory for a String of %zu bytes", len);
    if (threw) return jlc__exception_status(sc);
    *out = j.result;
    return JLC_OK;
}

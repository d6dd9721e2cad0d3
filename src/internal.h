/*
 * internal.h — shared by the files of src/. Nothing here is public; every
 * name starts with jlc__ and is hidden from the shared library's exports.
 */
#ifndef JLC_INTERNAL_H
#define JLC_INTERNAL_H

#include "jlc.h"
#include "compat.h"

#include <stdarg.h>
#include <stdint.h>

#define JLC__HIDDEN __attribute__((visibility("hidden")))
#define JLC__LIKELY(x) __builtin_expect(!!(x), 1)
#define JLC__UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- runtime state (runtime.c) ---- */

enum { JLC__UNINIT = 0, JLC__READY = 1, JLC__SHUTDOWN = 2, JLC__FORKED = 3 };
extern JLC__HIDDEN volatile int jlc__state;
/* 1 on a thread that has passed the thread check since init; caches the
 * slow check so the hot path is one thread-local load. initial-exec: the
 * default model for a shared library calls __tls_get_addr on every entry
 * (measured: the cheapest call went from ~9 to ~5 ns); 4 bytes of static
 * TLS are available even when the library is dlopen()ed. */
extern JLC__HIDDEN _Thread_local int jlc__thread_ok __attribute__((tls_model("initial-exec")));
JLC__HIDDEN jlc_status jlc__enter_slow(void);

/* Every public entry point starts with this: state, fork and thread checks. */
#define JLC__ENTER()                                                            \
    do {                                                                        \
        if (JLC__UNLIKELY(!(jlc__thread_ok & (jlc__state == JLC__READY)))) {    \
            jlc_status st__ = jlc__enter_slow();                                \
            if (st__ != JLC_OK) return st__;                                    \
        }                                                                       \
    } while (0)

/* GC stress: a collection at every allocating entry point. */
extern JLC__HIDDEN int jlc__gc_stress;
JLC__HIDDEN void jlc__gc_stress_tick(void);
#define JLC__GC_STRESS()                                       \
    do {                                                       \
        if (JLC__UNLIKELY(jlc__gc_stress)) jlc__gc_stress_tick(); \
    } while (0)

/* ---- errors (error.c) ---- */

/* Records the text of a failure for jlc_last_error() and returns st. */
JLC__HIDDEN jlc_status jlc__fail(jlc_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
JLC__HIDDEN void jlc__clear_error(void);

/* ---- scopes, handles, references (scope.c) ---- */

#define JLC__CHUNK_BITS 6
#define JLC__CHUNK_SLOTS (1u << JLC__CHUNK_BITS)
#define JLC__MAX_CHUNKS (1u << 18)
#define JLC__MAX_SCOPES (1u << 16)

typedef struct jlc__chunk {
    uint32_t gen;   /* bumped each time the chunk is released */
    uint32_t fill;  /* slots in use */
    uint32_t index; /* position in the chunk table */
    struct jlc__chunk *next;
    jl_value_t *slots[JLC__CHUNK_SLOTS];
} jlc__chunk;

typedef struct jlc__scope {
    uint32_t gen; /* bumped at close */
    uint32_t index;
    uint32_t open;
    uint32_t nchildren;
    struct jlc__scope *parent;
    jlc__chunk *chunks; /* newest first; only the head has free slots */
    struct jlc__scope *next_free;
    const void *owner; /* opening thread's marker; checked in debug mode */
} jlc__scope;

extern JLC__HIDDEN jlc__chunk *jlc__chunks[JLC__MAX_CHUNKS];
extern JLC__HIDDEN uint32_t jlc__nchunks;
extern JLC__HIDDEN jlc__scope *jlc__scopes[JLC__MAX_SCOPES];

/* Debug mode (runtime.c) and a per-thread address that identifies a thread
 * more cheaply than pthread_self(). */
extern JLC__HIDDEN int jlc__debug;
extern JLC__HIDDEN _Thread_local char jlc__thread_marker;

JLC__HIDDEN jlc_status jlc__push_slow(jlc__scope *sc, jl_value_t *v, jlc_value *out);
JLC__HIDDEN void jlc__scopes_init(void);
JLC__HIDDEN void jlc__scopes_shutdown(size_t *leaked_refs);

static inline jlc_status jlc__scope_get(jlc_scope s, jlc__scope **out)
{
    uint32_t idx = (uint32_t)s._h, gen = (uint32_t)(s._h >> 32);
    if (JLC__UNLIKELY(s._h == 0)) return jlc__fail(JLC_ERR_ARG, "zeroed scope handle");
    jlc__scope *sc = idx < JLC__MAX_SCOPES ? jlc__scopes[idx] : NULL;
    if (JLC__UNLIKELY(!sc || sc->gen != gen || !sc->open))
        return jlc__fail(JLC_ERR_STALE, "stale scope handle (scope closed or never opened)");
    if (JLC__UNLIKELY(jlc__debug) && sc->owner != &jlc__thread_marker)
        return jlc__fail(JLC_ERR_THREAD, "debug: scope used on a thread other than the one that opened it");
    *out = sc;
    return JLC_OK;
}

/* Roots v in sc and writes its handle: the hot path of every value maker. */
static inline jlc_status jlc__push(jlc__scope *sc, jl_value_t *v, jlc_value *out)
{
    jlc__chunk *c = sc->chunks;
    if (JLC__LIKELY(c && c->fill < JLC__CHUNK_SLOTS)) {
        uint32_t slot = c->fill++;
        c->slots[slot] = v;
        out->_h = ((uint64_t)c->gen << 32) | ((uint64_t)c->index << JLC__CHUNK_BITS) | slot;
        return JLC_OK;
    }
    return jlc__push_slow(sc, v, out);
}

static inline jlc_status jlc__get(jlc_value h, jl_value_t **out)
{
    uint32_t lo = (uint32_t)h._h, gen = (uint32_t)(h._h >> 32);
    uint32_t ci = lo >> JLC__CHUNK_BITS, slot = lo & (JLC__CHUNK_SLOTS - 1);
    if (JLC__UNLIKELY(h._h == 0)) return jlc__fail(JLC_ERR_ARG, "zeroed value handle");
    jlc__chunk *c = ci < JLC__MAX_CHUNKS ? jlc__chunks[ci] : NULL;
    if (JLC__UNLIKELY(!c || c->gen != gen || slot >= c->fill))
        return jlc__fail(JLC_ERR_STALE, "stale value handle (its scope was closed)");
    *out = c->slots[slot];
    return JLC_OK;
}

/* Shorthands for the argument checks every entry point makes. */
#define JLC__CHECK(expr)                          \
    do {                                          \
        jlc_status st__ = (expr);                 \
        if (JLC__UNLIKELY(st__ != JLC_OK)) return st__; \
    } while (0)
#define JLC__NONNULL(p)                                                          \
    do {                                                                         \
        if (JLC__UNLIKELY((p) == NULL)) return jlc__fail(JLC_ERR_ARG, "%s is NULL", #p); \
    } while (0)

/* ---- calls (call.c) ---- */

/* Applies argv[0] to argv[1..n-1] under jlc's exception handler; the result
 * (or the exception) is rooted in sc. argv must be rooted by the caller. */
JLC__HIDDEN jlc_status jlc__apply(jlc__scope *sc, jl_value_t **argv, uint32_t n, jl_value_t **result);
/* f(args...) with handle arguments; the result is pushed into sc. */
JLC__HIDDEN jlc_status jlc__call_fn(jlc__scope *sc, jl_value_t *f, size_t nargs,
                                    const jlc_value *args, jlc_value *out);
/* Records a caught exception (inside a JL_CATCH block). */
JLC__HIDDEN void jlc__catch(jlc__scope *sc);
/* After a JL_CATCH block that called jlc__catch(sc), outside it: describes
 * the exception for jlc_last_error() and returns JLC_EXCEPTION. */
JLC__HIDDEN jlc_status jlc__exception_status(jlc__scope *sc);
/* Makes exc (caught elsewhere, e.g. by Julia code) this thread's latest
 * exception, rooted in sc; raw is its exception stack as jl_get_excstack(task,
 * 1, 1) returns it (for the backtrace), or NULL. Both must be rooted by the caller. */
JLC__HIDDEN void jlc__set_exception(jlc__scope *sc, jl_value_t *exc, jl_value_t *raw);

/* ---- Julia support module (runtime.c) ---- */

typedef struct jlc__support {
    jl_module_t *module;
    jl_value_t *kwcaller;
    jl_function_t *evalstr, *includefile, *usepkg, *exception_text, *find_module,
        *to_string, *repr, *tuple, *set_global;
    jl_value_t *getfield, *apply_type; /* Core builtins */
} jlc__support;
extern JLC__HIDDEN jlc__support jlc__sup;

/* A function of the support module by name, for areas that keep their own
 * Julia helpers in src/support/<area>.jl: look it up once (after init) and
 * cache it. Returns NULL if missing. Rooted by the support module. */
JLC__HIDDEN jl_value_t *jlc__support_fn(const char *name);

#endif

/*
 * common.h — what every file of src/ starts from: the public header, the
 * version layer, visibility and branch hints, failure recording and the
 * argument-check shorthands. Nothing here is public; every name starts with
 * jlc__ and is hidden from the shared library's exports.
 */
#ifndef JLC_BASE_COMMON_H
#define JLC_BASE_COMMON_H

#include "jlc.h"
#include "compat.h"

#include <stdarg.h>
#include <stdint.h>

#define JLC__HIDDEN __attribute__((visibility("hidden")))
#define JLC__LIKELY(x) __builtin_expect(!!(x), 1)
#define JLC__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define JLC__INLINE static inline __attribute__((always_inline))
#define JLC__COLD __attribute__((noinline, cold))

/* Records the text of a failure for jlc_last_error() and returns st
 * (error.c). The text lives in the calling thread's state. */
JLC__HIDDEN jlc_status jlc__fail(jlc_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
JLC__HIDDEN void jlc__clear_error(void);

/* Shorthands for the argument checks every entry point makes. */
#define JLC__CHECK(expr)                                \
    do {                                                \
        jlc_status st__ = (expr);                       \
        if (JLC__UNLIKELY(st__ != JLC_OK)) return st__; \
    } while (0)
#define JLC__NONNULL(p)                                                                  \
    do {                                                                                 \
        if (JLC__UNLIKELY((p) == NULL)) return jlc__fail(JLC_ERR_ARG, "%s is NULL", #p); \
    } while (0)

/* A CPU hint inside spin loops; portable to any 64-bit Linux. */
#if defined(__x86_64__) || defined(__i386__)
#define JLC__PAUSE() __builtin_ia32_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define JLC__PAUSE() __asm__ __volatile__("yield")
#else
#define JLC__PAUSE() __asm__ __volatile__("" ::: "memory")
#endif

#endif

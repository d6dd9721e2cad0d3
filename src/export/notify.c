/*
 * notify.c — wake-ups from any thread (include/jlc/callback.h,
 * jlc_condition_notify): libuv's uv_async_send on the handle of a Julia
 * `Base.AsyncCondition`, found among the process's global symbols.
 *
 * libjulia exports uv_async_send on every supported release (1.5: from
 * libjulia itself; 1.6 and later: from libjulia-internal, which Julia's
 * loader opens with RTLD_GLOBAL), so jlc looks it up with dlsym instead of
 * linking against it (libjulia.so of 1.6+ does not define it). The lookup
 * happens once, on the first wake-up; a racing second lookup finds the same
 * address. Nothing here calls Julia or touches a Julia value: the sending
 * thread may be one Julia does not know.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_DEFAULT */
#endif
#include "base.h"

#include <dlfcn.h>
#include <string.h>

typedef int (*uv_async_send_fn)(void *handle);

static uv_async_send_fn send_fn;

static uv_async_send_fn find_send(void)
{
    uv_async_send_fn f = __atomic_load_n(&send_fn, __ATOMIC_ACQUIRE);
    if (JLC__LIKELY(f != NULL)) return f;
    void *p = dlsym(RTLD_DEFAULT, "uv_async_send");
    if (!p) return NULL;
    /* ISO C has no cast from void * to a function pointer; POSIX makes
     * dlsym's result convertible, and this copy says so without a warning. */
    memcpy(&f, &p, sizeof f);
    __atomic_store_n(&send_fn, f, __ATOMIC_RELEASE);
    return f;
}

jlc_status jlc_condition_notify(void *handle)
{
    /* Not JLC__ENTER: any thread may send, only the runtime state matters. */
    int state = jlc__state_get();
    if (JLC__UNLIKELY(state != JLC__READY)) {
        if (state == JLC__FORKED)
            return jlc__fail(JLC_ERR_FORK, "this process was forked after Julia started");
        return jlc__fail(JLC_ERR_STATE, "jlc_condition_notify: Julia is not running");
    }
    JLC__NONNULL(handle);
    uv_async_send_fn f = find_send();
    if (JLC__UNLIKELY(!f))
        return jlc__fail(JLC_ERR_NOT_FOUND,
                         "jlc_condition_notify: uv_async_send is not a global symbol of this process");
    int rc = f(handle);
    if (JLC__UNLIKELY(rc != 0))
        return jlc__fail(JLC_ERR_UNSUPPORTED, "jlc_condition_notify: uv_async_send failed (%d)", rc);
    return JLC_OK;
}

/*
 * host.c — what jlc_init does for the host process around Julia's start:
 * makes libjulia's names global when the host loaded jlc with RTLD_LOCAL,
 * and, with julia_signals = 0, gives the calling thread back the signal
 * handlers, signal mask and alternate signal stack it had before.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr, RTLD_NOLOAD */
#endif
#include "host.h"

#include <dlfcn.h>
#include <string.h>

/* Whether JLC__GLOBAL_PROBE resolves through the global scope, the way
 * Julia looks it up (a handle of the main program searches the global
 * scope only, whoever asks). */
static int probe_global(void)
{
    void *self = dlopen(NULL, RTLD_NOW);
    if (!self) return 0;
    dlerror();
    int found = dlsym(self, JLC__GLOBAL_PROBE) != NULL;
    dlclose(self);
    return found;
}

jlc_status jlc__host_julia_global(void)
{
    if (probe_global()) return JLC_OK; /* linked by the program, or loaded RTLD_GLOBAL */
    Dl_info info;
    if (!dladdr(JLC__LIBJULIA_ANCHOR, &info) || !info.dli_fname)
        return jlc__fail(JLC_ERR_NOT_FOUND,
                         "cannot find the library that defines Julia's own names (dladdr "
                         "failed); load libjulia with RTLD_GLOBAL before jlc_init");
    /* RTLD_NOLOAD: only promote the copy already loaded, never load another.
     * The handle is not closed: libjulia stays loaded for the process's life
     * anyway, and closing would only drop the count this call added. */
    if (!dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL)) {
        const char *why = dlerror();
        return jlc__fail(JLC_ERR_NOT_FOUND,
                         "cannot make %s's names global (%s); load it with RTLD_GLOBAL before "
                         "jlc_init",
                         info.dli_fname, why ? why : "dlopen failed");
    }
    if (!probe_global())
        return jlc__fail(JLC_ERR_NOT_FOUND,
                         "%s is global but " JLC__GLOBAL_PROBE " is still not visible; load "
                         "libjulia with RTLD_GLOBAL before jlc_init",
                         info.dli_fname);
    return JLC_OK;
}

void jlc__host_signals_save(jlc__host_signals *saved)
{
    memset(saved, 0, sizeof *saved);
    pthread_sigmask(SIG_BLOCK, NULL, &saved->mask);
    sigaltstack(NULL, &saved->altstack);
    /* The standard signals; real-time ones are the host's (glibc reserves
     * the first two for itself) and Julia does not touch them. */
    for (int sig = 1; sig < SIGRTMIN && sig < JLC__HOST_NSIG; sig++)
        saved->have[sig] = sigaction(sig, NULL, &saved->act[sig]) == 0;
}

static int same_action(const struct sigaction *a, const struct sigaction *b)
{
    /* sa_handler and sa_sigaction share storage; the flags say which. */
    return a->sa_handler == b->sa_handler && a->sa_flags == b->sa_flags;
}

void jlc__host_signals_restore(const jlc__host_signals *saved)
{
    for (int sig = 1; sig < SIGRTMIN && sig < JLC__HOST_NSIG; sig++) {
        struct sigaction now;
        if (!saved->have[sig] || sigaction(sig, NULL, &now) != 0) continue;
        if (!same_action(&now, &saved->act[sig])) sigaction(sig, &saved->act[sig], NULL);
    }
    /* Julia gave this thread an alternate stack for its own handlers, which
     * are not installed now; the host's (or none) comes back. */
    stack_t alt = saved->altstack;
    if (alt.ss_flags & SS_DISABLE) {
        memset(&alt, 0, sizeof alt);
        alt.ss_flags = SS_DISABLE;
    } else {
        alt.ss_flags = 0;
    }
    sigaltstack(&alt, NULL);
    pthread_sigmask(SIG_SETMASK, &saved->mask, NULL);
}

/*
 * host.h — the host process's state that jlc_init guards around Julia's
 * start (host.c): libjulia's names in the global scope, and the calling
 * thread's signal handlers, mask and alternate stack.
 */
#ifndef JLC_CORE_HOST_H
#define JLC_CORE_HOST_H

#include "base.h"

#include <pthread.h>
#include <signal.h>

/* Makes libjulia's names visible in the process's global scope, where Julia
 * looks some of them up (compat.h, JLC__GLOBAL_PROBE), when the host loaded
 * jlc (and with it libjulia) with RTLD_LOCAL. Nothing is loaded that was not
 * loaded already. Returns: JLC_OK; JLC_ERR_NOT_FOUND (the dynamic loader
 * refused; jlc_last_error() says why and what the host can do). Must run
 * before Julia starts: a failure then would make Julia exit the process. */
JLC__HIDDEN jlc_status jlc__host_julia_global(void);

#define JLC__HOST_NSIG NSIG

typedef struct jlc__host_signals {
    sigset_t mask;
    stack_t altstack;
    struct sigaction act[JLC__HOST_NSIG];
    unsigned char have[JLC__HOST_NSIG];
} jlc__host_signals;

/* Saves the calling thread's mask and alternate stack and the process's
 * handlers of the standard signals. */
JLC__HIDDEN void jlc__host_signals_save(jlc__host_signals *saved);

/* Puts back every handler that differs from the saved one, the alternate
 * stack and the mask. */
JLC__HIDDEN void jlc__host_signals_restore(const jlc__host_signals *saved);

#endif

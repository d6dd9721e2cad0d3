/*
 * compat.h — every difference between Julia releases that the C side must
 * know lives here. Everything else in src/ uses libjulia's exported
 * functions and the macros of the julia.h it is compiled against.
 */
#ifndef JLC_COMPAT_H
#define JLC_COMPAT_H

#include <julia.h>
#include <julia_gcext.h>

#define JLC__JULIA_AT_LEAST(maj, min) \
    (JULIA_VERSION_MAJOR > (maj) || (JULIA_VERSION_MAJOR == (maj) && JULIA_VERSION_MINOR >= (min)))

/* Thread-local state of the calling Julia thread and its world age. Julia
 * 1.7 moved world_age from the thread state to the task. */
/* JLC__WORLD_AGE_PTR() is computed once per call: without the executable's
 * fast TLS (JULIA_DEFINE_FAST_TLS) each thread-state lookup is an indirect
 * call. */
#if JLC__JULIA_AT_LEAST(1, 7)
#define JLC__PTLS() (jl_current_task->ptls)
#define JLC__WORLD_AGE_PTR() (&jl_current_task->world_age)
#else
#define JLC__PTLS() (jl_get_ptls_states())
#define JLC__WORLD_AGE_PTR() (&jl_get_ptls_states()->world_age)
#endif

/* Non-NULL on threads Julia knows (its own threads and the one that called
 * jl_init); NULL on foreign threads, in every release since 1.5. Exported
 * by libjulia everywhere, declared in julia.h only from 1.9 on. */
#if !JLC__JULIA_AT_LEAST(1, 9)
JL_DLLEXPORT jl_value_t *jl_get_current_task(void);
#endif
#define JLC__ON_JULIA_THREAD() (jl_get_current_task() != NULL)

/* The current task's exception stack as a Vector{Any} of (exception,
 * backtrace data, backtrace values) triples; exported but undeclared. The
 * format is decoded on the Julia side (support/jlc_support.jl). */
JL_DLLEXPORT jl_value_t *jl_get_excstack(jl_task_t *task, int include_bt, int max_entries);

/* Julia 1.9 renamed the mutability flag's home; jl_is_mutable() hides it. */
#define JLC__IS_MUTABLE_TYPE(t) (jl_is_mutable(t))

#endif

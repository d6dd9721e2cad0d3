/*
 * compat.h — every difference between Julia releases (1.5 to 1.12) that the
 * C side of jlc must know. Nothing else in src/ touches a libjulia name,
 * macro or struct field whose form differs between releases: it uses the
 * JLC__ macros below. docs/versions.md lists, per release, what differs and
 * how each difference is handled here or in src/support/.
 */
#ifndef JLC_BASE_COMPAT_H
#define JLC_BASE_COMPAT_H

#include <julia.h>
#include <julia_gcext.h>

#define JLC__JULIA_AT_LEAST(maj, min) \
    (JULIA_VERSION_MAJOR > (maj) || (JULIA_VERSION_MAJOR == (maj) && JULIA_VERSION_MINOR >= (min)))

/* ---- thread state and world age ---- */

/* Thread-local state of the calling Julia thread and its world age. Julia
 * 1.7 moved world_age from the thread state to the task. JLC__WORLD_AGE_PTR()
 * is computed once per call: without the executable's fast TLS
 * (JULIA_DEFINE_FAST_TLS) each thread-state lookup is an indirect call. */
#if JLC__JULIA_AT_LEAST(1, 7)
#define JLC__PTLS() (jl_current_task->ptls)
#define JLC__WORLD_AGE_PTR() (&jl_current_task->world_age)
#else
#define JLC__PTLS() (jl_get_ptls_states())
#define JLC__WORLD_AGE_PTR() (&jl_get_ptls_states()->world_age)
#endif

/* Non-NULL on threads Julia knows (its own threads and the one that called
 * jl_init); NULL on foreign threads, in every release since 1.5. Exported by
 * libjulia everywhere, declared in julia.h only from 1.9 on. */
#if !JLC__JULIA_AT_LEAST(1, 9)
JL_DLLEXPORT jl_value_t *jl_get_current_task(void);
#endif
#define JLC__ON_JULIA_THREAD() (jl_get_current_task() != NULL)

/* Signal deferral (Ctrl-C): the thread state's defer_signal counter, read
 * by Julia's safepoint handler, in every release. Leaving does not run the
 * sigint safepoint (JL_SIGATOMIC_END would, and throw outside a handler): a
 * deferred interrupt is raised at the next safepoint of Julia code. */
#define JLC__SIGATOMIC_ENTER()                    \
    do {                                          \
        jl_ptls_t ptls__ = JLC__PTLS();           \
        ptls__->defer_signal++;                   \
        __atomic_signal_fence(__ATOMIC_SEQ_CST);  \
    } while (0)
#define JLC__SIGATOMIC_LEAVE()                    \
    do {                                          \
        __atomic_signal_fence(__ATOMIC_SEQ_CST);  \
        JLC__PTLS()->defer_signal--;              \
    } while (0)

/* ---- exceptions ---- */

/* The exception being handled, inside JL_CATCH: 1.11 passes the task. */
#if JLC__JULIA_AT_LEAST(1, 11)
#define JLC__CURRENT_EXCEPTION() (jl_current_exception(jl_current_task))
#else
#define JLC__CURRENT_EXCEPTION() (jl_current_exception())
#endif

/* The current task's exception stack as a Vector{Any} of (exception,
 * backtrace data, backtrace values) triples; exported by every release but
 * declared by none. The format is decoded on the Julia side
 * (src/support/core.jl, exception_text). */
JL_DLLEXPORT jl_value_t *jl_get_excstack(jl_task_t *task, int include_bt, int max_entries);
#define JLC__EXCSTACK() (jl_get_excstack(jl_current_task, 1, 1))

/* Throws exc with a backtrace recorded earlier (the bt_data words of an
 * exception stack entry, raw[2] of JLC__EXCSTACK()), instead of the stack
 * of the throw: the exception a C function re-raises keeps the backtrace of
 * where Julia threw it. jl_throw records a new backtrace; jl_sig_throw (the
 * path of errors found in signal handlers, exported by every release 1.5 to
 * 1.12) throws the thread state's sig_exception with the backtrace already in
 * bt_data/bt_size. Those three thread-state fields have the same names from
 * 1.5 to 1.12 (read in the headers of 1.5.3, 1.10 and 1.11; tested on 1.5).
 * Nothing may allocate between filling them and the throw. */
#define JLC__THROW_WITH_BACKTRACE(exc, words, nwords)                                  \
    do {                                                                               \
        jl_ptls_t ptls__ = JLC__PTLS();                                                \
        size_t n__ = (nwords) < JL_MAX_BT_SIZE ? (nwords) : JL_MAX_BT_SIZE;            \
        memcpy(ptls__->bt_data, (words), n__ * sizeof(void *));                       \
        ptls__->bt_size = n__;                                                         \
        ptls__->sig_exception = (exc);                                                 \
        jl_sig_throw();                                                                \
    } while (0)

/* ---- GC ---- */

/* Marks one object from a root-scanner callback (same form 1.5 to 1.12). */
#define JLC__GC_MARK(v) ((void)jl_gc_mark_queue_obj(JLC__PTLS(), (jl_value_t *)(v)))

/* ---- types and fields ---- */

/* Short name of a DataType ("Float64", "Point"). */
#define JLC__DATATYPE_NAME(t) (jl_symbol_name(((jl_datatype_t *)(t))->name->name))
/* Name of a module. */
#define JLC__MODULE_NAME(m) (jl_symbol_name(((jl_module_t *)(m))->name))

/* Julia 1.9 moved the mutability flag to the type name; jl_is_mutable()
 * hides it in every release. */
#define JLC__IS_MUTABLE_TYPE(t) (jl_is_mutable(t))

/* Name of field i: julia.h dropped jl_field_name in 1.10; the names svec is
 * reached the same way everywhere through jl_field_names(). */
#define JLC__FIELD_NAME(t, i) ((jl_sym_t *)jl_svecref(jl_field_names((jl_datatype_t *)(t)), (i)))

/* const fields of mutable structs (1.8+) and @atomic fields (1.7+): a plain
 * store (jl_set_nth_field) checks neither, so jlc refuses both. */
#if JLC__JULIA_AT_LEAST(1, 8)
#define JLC__FIELD_IS_CONST(t, i) (jl_field_isconst((jl_datatype_t *)(t), (int)(i)))
#else
#define JLC__FIELD_IS_CONST(t, i) (0)
#endif
#if JLC__JULIA_AT_LEAST(1, 7)
#define JLC__FIELD_IS_ATOMIC(t, i) (jl_field_isatomic((jl_datatype_t *)(t), (int)(i)))
#else
#define JLC__FIELD_IS_ATOMIC(t, i) (0)
#endif

/* ---- struct layouts (src/struct) ---- */

/* What a mapped struct's check reads of a concrete DataType. The forms
 * below are the same from 1.5 to 1.12 (julia.h keeps jl_datatype_size,
 * jl_datatype_align, jl_field_offset/size/isptr and the layout's npointers,
 * though 1.10 moved the size into the layout); they are named here so that a
 * release that changes them changes one place. A DataType without a layout
 * (abstract, or one whose layout Julia could not compute) has none of these. */
#define JLC__TYPE_HAS_LAYOUT(t) (((jl_datatype_t *)(t))->layout != NULL)
#define JLC__TYPE_SIZE(t) ((size_t)jl_datatype_size(t))
#define JLC__TYPE_ALIGN(t) ((size_t)jl_datatype_align(t))
/* GC pointers stored inline anywhere in the type (0: plain bits, possibly
 * with inline bits unions). */
#define JLC__TYPE_NPOINTERS(t) ((size_t)((jl_datatype_t *)(t))->layout->npointers)
#define JLC__FIELD_OFFSET(t, i) ((size_t)jl_field_offset((jl_datatype_t *)(t), (int)(i)))
/* Bytes of field i: sizeof(void *) for a reference; for an inline bits union
 * the largest member's size plus the selector byte, which is the field's last
 * byte (datatype.c, jl_compute_field_offsets, 1.5 to 1.12: "fsz += 1;
 * selector byte"; checked on 1.5 by reading memory, tests/test_struct.c). */
#define JLC__FIELD_SIZE(t, i) ((size_t)jl_field_size((jl_datatype_t *)(t), (int)(i)))
#define JLC__FIELD_ISPTR(t, i) (jl_field_isptr((jl_datatype_t *)(t), (int)(i)))

/* ---- arrays ---- */

/* The layout of an Array, for src/array only. Julia 1.11 rebuilt Array on
 * Memory: {ref = {ptr_or_offset, mem}, dimsize[]}, the element size and
 * boxing come from the memory type's layout, and jl_arrayref/jl_arrayset are
 * gone. Before 1.11: {data, length, flags, elsize, ..., dims inline}.
 *
 * JLC__ARRAY_OTHER_IN_C is 1 when C may read, assign and test elements that
 * are neither plain bits nor boxed (inline structs holding references, bits
 * unions) with libjulia calls; 0 when src/array must go through Julia
 * (getindex / setindex! / isassigned in support/array.jl). */
static inline jl_value_t *jlc__lay_eltype(jl_value_t *a) { return jl_tparam0(jl_typeof(a)); }
static inline size_t jlc__lay_rank(jl_value_t *a) { return (size_t)jl_array_ndims(a); }
static inline size_t jlc__lay_dim(jl_value_t *a, size_t k) { return jl_array_dim(a, k); }
static inline size_t jlc__lay_length(jl_value_t *a) { return jl_array_len(a); }
/* Plain bits stored inline (decided by the element type alone). */
static inline int jlc__lay_isbits(jl_value_t *a) { return jl_isbits(jlc__lay_eltype(a)); }
/* The element stride Julia uses for an isbits type T. */
static inline size_t jlc__lay_type_elsize(jl_value_t *T)
{
    size_t size = jl_datatype_size(T), align = jl_datatype_align(T);
    return align > 1 ? (size + align - 1) / align * align : size;
}
static inline size_t jlc__lay_type_align(jl_value_t *T) { return jl_datatype_align(T); }
#if JLC__JULIA_AT_LEAST(1, 11)
#define JLC__ARRAY_OTHER_IN_C 0
static inline char *jlc__lay_data(jl_value_t *a) { return (char *)jl_array_data_(a); }
static inline const jl_datatype_layout_t *jlc__lay_memlayout(jl_value_t *a)
{
    return ((jl_datatype_t *)jl_typetagof(((jl_array_t *)a)->ref.mem))->layout;
}
/* Bytes from one element to the next. */
static inline size_t jlc__lay_elsize(jl_value_t *a) { return jlc__lay_memlayout(a)->size; }
/* Elements are pointers to Julia values. */
static inline int jlc__lay_boxed(jl_value_t *a) { return jlc__lay_memlayout(a)->flags.arrayelem_isboxed; }
/* What keeps the data bytes alive: the Memory (an Array may move to a new
 * Memory on push!, the old bytes live while their Memory does). */
static inline jl_value_t *jlc__lay_data_owner(jl_value_t *a) { return (jl_value_t *)((jl_array_t *)a)->ref.mem; }
static inline jl_value_t *jlc__lay_ptr_load(jl_value_t *a, size_t i) { return jl_array_ptr_ref(a, i); }
/* Stores a boxed element with the write barrier (on the memory's owner). */
static inline void jlc__lay_ptr_store(jl_value_t *a, size_t i, jl_value_t *x) { jl_array_ptr_set(a, i, x); }
#else
#define JLC__ARRAY_OTHER_IN_C 1
static inline char *jlc__lay_data(jl_value_t *a) { return (char *)jl_array_data(a); }
static inline size_t jlc__lay_elsize(jl_value_t *a) { return ((jl_array_t *)a)->elsize; }
static inline int jlc__lay_boxed(jl_value_t *a) { return ((jl_array_t *)a)->flags.ptrarray; }
/* The array itself: Julia frees or reallocates its data only with it (or on
 * a resize, which borrows forbid). */
static inline jl_value_t *jlc__lay_data_owner(jl_value_t *a) { return a; }
static inline jl_value_t *jlc__lay_ptr_load(jl_value_t *a, size_t i) { return ((jl_value_t **)jl_array_data(a))[i]; }
static inline void jlc__lay_ptr_store(jl_value_t *a, size_t i, jl_value_t *x) { jl_array_ptr_set(a, i, x); }
/* Inline elements holding references, or bits unions. */
static inline int jlc__lay_isassigned(jl_value_t *a, size_t i) { return jl_array_isassigned((jl_array_t *)a, i); }
/* Boxes element i (allocates). Must be assigned: it cannot throw then. */
static inline jl_value_t *jlc__lay_ref_other(jl_value_t *a, size_t i) { return jl_arrayref((jl_array_t *)a, i); }
/* Stores x (already checked to be an eltype, so it cannot throw), with the
 * write barrier and the union type tags. */
static inline void jlc__lay_set_other(jl_value_t *a, size_t i, jl_value_t *x) { jl_arrayset((jl_array_t *)a, x, i); }
#endif

/* ---- entering compiled code directly (typed calls, src/cfunc/entry.c) ---- */

/* How the compiled specialised ("specsig") code of a Julia method with bits
 * arguments may be called from C without @cfunction's entry:
 *  - JLC__ENTRY_PLAIN (1.5): it is a plain C function; the thread state
 *    holds the world age.
 *  - JLC__ENTRY_SWIFT (1.10, 1.11): it uses LLVM's swiftcc with the task's GC
 *    stack pointer (&task->gcstack) as a swiftself parameter, r13 on x86-64
 *    (JuliaLang/julia#50093); the task holds the world age.
 *  - JLC__ENTRY_NONE: every other release and platform (1.6-1.9 fetch the GC
 *    stack inside the callee, 1.12 changed code instances again): always the
 *    @cfunction entry.
 * jlc's entries (src/cfunc/entry.c) are x86-64 Linux code. */
#define JLC__ENTRY_NONE 0
#define JLC__ENTRY_PLAIN 1
#define JLC__ENTRY_SWIFT 2
#if !defined(__x86_64__) || !defined(__linux__)
#define JLC__ENTRY_ABI JLC__ENTRY_NONE
#elif JLC__JULIA_AT_LEAST(1, 5) && !JLC__JULIA_AT_LEAST(1, 6)
#define JLC__ENTRY_ABI JLC__ENTRY_PLAIN
#elif JLC__JULIA_AT_LEAST(1, 10) && !JLC__JULIA_AT_LEAST(1, 12)
#define JLC__ENTRY_ABI JLC__ENTRY_SWIFT
#else
#define JLC__ENTRY_ABI JLC__ENTRY_NONE
#endif

/* What the entries read, as @cfunction's entry does: where the world age
 * lives, relative to the "state" reached from the thread's jl_tls_states_t
 * (fixed for a thread's life): on 1.10/1.11 the current task
 * (ptls->current_task, updated with the TLS GC stack pointer at every task
 * switch; the GC stack pointer is &task->gcstack), on 1.5 the ptls itself.
 * A code instance's max_world. And on 1.10/1.11, where every compiled
 * function polls a safepoint on entry (where a pending Ctrl-C is thrown), the
 * thread's signal-deferral counter (sig_atomic_t, an int on Linux). */
#if JLC__ENTRY_ABI == JLC__ENTRY_SWIFT
#define JLC__OFF_PTLS_TASK offsetof(jl_tls_states_t, current_task)
#define JLC__OFF_PTLS_DEFER offsetof(jl_tls_states_t, defer_signal)
#define JLC__OFF_STATE_GCSTACK offsetof(jl_task_t, gcstack)
#define JLC__OFF_STATE_WORLD offsetof(jl_task_t, world_age)
#define JLC__OFF_CI_MAX_WORLD offsetof(jl_code_instance_t, max_world)
#elif JLC__ENTRY_ABI == JLC__ENTRY_PLAIN
#define JLC__OFF_STATE_WORLD offsetof(jl_tls_states_t, world_age)
#define JLC__OFF_CI_MAX_WORLD offsetof(jl_code_instance_t, max_world)
#endif

/* ---- libjulia's names in the process's global scope ---- */

/* Julia looks some of its own names up through the process's global scope
 * (dlopen(NULL)), not through libjulia's handle: on 1.5, Base.Threads
 * resolves cglobal(:jl_n_threads) while Julia starts, and every ccall or
 * cglobal of a jl_ name without a library does the same later. A host that
 * loaded jlc with RTLD_LOCAL (Python's ctypes.CDLL does by default) leaves
 * libjulia out of that scope, and Julia then exits the process. From 1.6 on
 * libjulia is a small loader that exports the same data names (jl_n_threads,
 * jl_options) and loads libjulia-internal with RTLD_GLOBAL itself; making the
 * library that defines jl_init_with_image global covers every release.
 * JLC__GLOBAL_PROBE is the name whose absence from the global scope
 * reproduces the failure (the first one 1.5 looks up). */
#define JLC__LIBJULIA_ANCHOR ((const void *)&jl_init_with_image)
#define JLC__GLOBAL_PROBE "jl_n_threads"

/* ---- start-up options ---- */

/* Julia threads to start with. 1.9 added thread pools: jl_init_threading
 * reads nthreads_per_pool and crashes when it is NULL. jlc asks for n
 * threads in the default pool and none in the interactive pool. */
#if JLC__JULIA_AT_LEAST(1, 9)
#define JLC__SET_NTHREADS(n) jlc__compat_set_nthreads(n)
static inline void jlc__compat_set_nthreads(int n)
{
    static int16_t per_pool[2];
    per_pool[0] = (int16_t)n; /* default pool */
    per_pool[1] = 0;          /* interactive pool */
    jl_options.nthreads = n;
    jl_options.nthreadpools = 2;
    jl_options.nthreads_per_pool = per_pool;
}
#else
#define JLC__SET_NTHREADS(n) (jl_options.nthreads = (n))
#endif

/* Julia threads running (0 before Julia starts); 1.9 made the count atomic. */
#if JLC__JULIA_AT_LEAST(1, 9)
#define JLC__THREAD_COUNT() jl_atomic_load_acquire(&jl_n_threads)
#else
extern int jl_n_threads; /* exported by libjulia, not declared by julia.h */
#define JLC__THREAD_COUNT() jl_n_threads
#endif

/* A GC-safe region around a blocking wait on a Julia thread, so the wait
 * never stalls a collection another thread started. Same form 1.5 ... 1.12
 * (julia_threads.h); state is the int8_t the enter returns. */
#define JLC__GC_SAFE_ENTER() (jl_gc_safe_enter(JLC__PTLS()))
#define JLC__GC_SAFE_LEAVE(state) jl_gc_safe_leave(JLC__PTLS(), (state))

/* ---- adopting foreign threads (src/base/adopt.c) ---- */

/* Julia 1.9 added jl_adopt_thread(): a thread Julia does not know gets a
 * thread state (tid, GC heap) and a root task, and returns GC-unsafe, like a
 * thread running Julia code; the thread stays Julia's until it exits, when
 * Julia's own thread-exit destructor retires it (jl_delete_thread, read in
 * 1.10's threading.c). Before 1.9 nothing in libjulia does this.
 * JLC__GC_UNSAFE_ENTER makes a thread that is GC-safe (JLC__GC_SAFE_ENTER,
 * nothing to restore) GC-unsafe again; it stops at a safepoint while a
 * collection runs. Same macros 1.9 ... 1.12 (julia_threads.h). */
#if JLC__JULIA_AT_LEAST(1, 9)
#define JLC__CAN_ADOPT 1
#define JLC__ADOPT_THREAD() ((void)jl_adopt_thread())
#else
#define JLC__CAN_ADOPT 0
#endif
#define JLC__GC_UNSAFE_ENTER() ((void)jl_gc_unsafe_enter(JLC__PTLS()))

#endif

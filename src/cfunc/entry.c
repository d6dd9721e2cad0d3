/* entry.c — entering Julia's compiled code directly: jlc's x86-64 replacement for @cfunction's entry (Julia 1.5, 1.10, 1.11). */
#include "entry.h"

#include <pthread.h>

#if JLC__ENTRY_ABI != JLC__ENTRY_NONE
/*
 * Why: an @cfunction pointer starts by looking up Julia's thread state: on
 * 1.10 an indirect call to Julia's TLS getter, on 1.5 jl_get_ptls_states(),
 * each reading a general-dynamic TLS variable of libjulia unless the
 * executable defined JULIA_DEFINE_FAST_TLS. That is most of what a typed call
 * costs. jlc keeps the thread's jl_tls_states_t (fixed for the life of a
 * thread) in its own initial-exec TLS slot, one load away.
 *
 * Each pointer handed out is a 16-byte stub of a fixed pool in this library's
 * text: it loads its slot's address into r11 (scratch in the SysV ABI, never a
 * parameter) and jumps to one of two routines, which leave the parameter
 * registers alone:
 *
 *  entry_world (wrappers that may throw, allocate or dispatch; what
 *  @cfunction's entry does): world = jl_world_counter; if the code instance
 *  was invalidated since (world > its max_world), take the slot's @cfunction
 *  pointer, which calls the current code; otherwise save the world age (task's
 *  on 1.10, thread's on 1.5), set it to world, call the specialised code
 *  (1.10: with r13 = &task->gcstack) and restore the world age.
 *
 *  entry_plain (1.10: proved wrappers, which cannot throw, allocate or
 *  dispatch, so read no world age; each compares the world counter with the
 *  one its proof was made in and otherwise calls its slow path through an
 *  @cfunction pointer): r13 = &ptls->current_task->gcstack; call, with
 *  Ctrl-C deferred (ptls->defer_signal), because 1.10 and 1.11 poll a GC
 *  safepoint on entry to every compiled function and would throw a pending
 *  InterruptException there, out of a call that has no handler; a deferred
 *  interrupt is raised at the next safepoint of Julia code, as for jlc's own
 *  allocations. On 1.5 (no entry safepoints) a proved wrapper's specialised
 *  code is handed out itself.
 *
 * r13 and rbx are callee-saved for our caller, so the routines save them;
 * swiftcc preserves r13 too (it is in LLVM's callee-saved set for swiftcc
 * without swifterror). Parameters passed on the stack would move under the
 * saved registers, so only signatures whose parameters all travel in
 * registers get a stub. On a thread whose ptls jlc has not cached yet, the
 * routines save the parameter registers, ask jlc__entry_adopt() (C) for it,
 * and retry; on a thread Julia does not know they take the @cfunction
 * pointer (which adopts the thread on 1.10, as Julia's own entry does).
 * Exceptions thrown through a stub longjmp past it, as past @cfunction's
 * entry: the handler restores r13, rbx and the world age. CFI directives
 * describe every frame, so Julia's backtraces unwind through the stubs.
 */

#define POOL 1024 /* stubs per routine */

typedef struct slot {
    void *target;   /* 0: specialised code */
    void *fallback; /* 8: the @cfunction pointer of the same wrapper */
    void *ci;       /* 16: its code instance (entry_world only) */
    void *pad;
} slot;

JLC__HIDDEN slot jlc__entry_slots[2 * POOL]; /* [0, POOL): world; [POOL, 2 POOL): plain */
JLC__HIDDEN const size_t *jlc__entry_world_counter;
JLC__HIDDEN _Thread_local void *jlc__entry_ptls __attribute__((tls_model("initial-exec")));
extern JLC__HIDDEN char jlc__entry_stubs_world[], jlc__entry_stubs_plain[];
JLC__HIDDEN void *jlc__entry_adopt(void);

static int used[2];
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

/* Called from the routines (all parameter registers saved) on a thread whose
 * ptls is not cached: caches and returns it, or NULL on a thread Julia does
 * not know. */
void *jlc__entry_adopt(void)
{
    if (!JLC__ON_JULIA_THREAD()) return NULL;
    jlc__entry_ptls = JLC__PTLS();
    return jlc__entry_ptls;
}

/* The struct offsets, as assembler symbols for the code below: extended asm
 * (the only way to pass offsetof values) is allowed inside functions only, and
 * the code needs its own CFI, which cannot nest inside a function's. This
 * function is never called. jlc__off_r13 is what r13 points at, relative to
 * the state (task or ptls) holding the world age. */
__attribute__((used)) static void define_offsets(void)
{
#if JLC__ENTRY_ABI == JLC__ENTRY_SWIFT
    __asm__(".set jlc__off_task, %c0\n"
            ".set jlc__off_r13, %c1\n"
            ".set jlc__off_defer, %c2\n" ::"i"(JLC__OFF_PTLS_TASK),
            "i"(JLC__OFF_STATE_GCSTACK), "i"(JLC__OFF_PTLS_DEFER));
    _Static_assert(sizeof(((jl_tls_states_t *)0)->defer_signal) == 4, "defer_signal is an int");
#else
    __asm__(".set jlc__off_r13, 0\n");
#endif
    __asm__(".set jlc__off_wage, %c0\n"
            ".set jlc__off_maxw, %c1\n" ::"i"(JLC__OFF_STATE_WORLD),
            "i"(JLC__OFF_CI_MAX_WORLD));
}

#define JLC__STR2(x) #x
#define JLC__STR(x) JLC__STR2(x)

/* rax = ptls on entry; leaves the state holding the world age in rax. */
#if JLC__ENTRY_ABI == JLC__ENTRY_SWIFT
#define LOAD_STATE "   movq jlc__off_task(%rax), %rax\n"
#else
#define LOAD_STATE ""
#endif

#define STUBS(name, routine)                                    \
    "   .globl " name "\n"                                      \
    "   .hidden " name "\n"                                     \
    "   .type " name ", @function\n"                            \
    "   .balign 16\n" name ":\n"                                \
    "   .cfi_startproc\n"                                       \
    "   .rept " JLC__STR(POOL) "\n"                             \
    "   leaq jlc__entry_slots+jlc__entry_i*32(%rip), %r11\n"    \
    "   jmp " routine "\n"                                      \
    "   .balign 16, 0xcc\n"                                     \
    "   .set jlc__entry_i, jlc__entry_i+1\n"                    \
    "   .endr\n"                                                \
    "   .cfi_endproc\n"                                         \
    "   .size " name ", .-" name "\n"

/* rax = ptls or 0: on 0, retry `routine` through jlc__entry_adopt_retry. */
#define PTLS_OR_ADOPT(routine)                                  \
    "   movq jlc__entry_ptls@gottpoff(%rip), %rax\n"            \
    "   movq %fs:(%rax), %rax\n"                                \
    "   testq %rax, %rax\n"                                     \
    "   jnz 1f\n"                                               \
    "   leaq " routine "(%rip), %rax\n"                         \
    "   jmp jlc__entry_adopt_retry\n"                           \
    "1:\n"

__asm__(".pushsection .text\n"
        "   .set jlc__entry_i, 0\n"
        STUBS("jlc__entry_stubs_world", "jlc__entry_world")
        STUBS("jlc__entry_stubs_plain", "jlc__entry_plain")

        /* ---- entry_world ---- */
        "   .balign 16\n"
        "   .type jlc__entry_world, @function\n"
        "jlc__entry_world:\n"
        "   .cfi_startproc\n"
        "   movq 16(%r11), %rax\n"                     /* code instance */
        "   movq jlc__entry_world_counter(%rip), %r10\n"
        "   movq (%r10), %r10\n"                       /* world (x86 loads are acquire) */
        "   cmpq jlc__off_maxw(%rax), %r10\n"
        "   jbe 2f\n"
        "   jmpq *8(%r11)\n"                           /* invalidated: @cfunction */
        "2:\n"
        PTLS_OR_ADOPT("jlc__entry_world")
        LOAD_STATE
        "   pushq %r13\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   .cfi_rel_offset %r13, 0\n"
        "   pushq %rbx\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   .cfi_rel_offset %rbx, 0\n"
        "   subq $8, %rsp\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   leaq jlc__off_r13(%rax), %r13\n"
        "   movq jlc__off_wage(%rax), %rbx\n"
        "   movq %r10, jlc__off_wage(%rax)\n"
        "   callq *(%r11)\n"
        "   movq %rbx, jlc__off_wage-jlc__off_r13(%r13)\n" /* r13 survives: callee-saved */
        "   addq $8, %rsp\n"
        "   .cfi_adjust_cfa_offset -8\n"
        "   popq %rbx\n"
        "   .cfi_adjust_cfa_offset -8\n"
        "   .cfi_restore %rbx\n"
        "   popq %r13\n"
        "   .cfi_adjust_cfa_offset -8\n"
        "   .cfi_restore %r13\n"
        "   retq\n"
        "   .cfi_endproc\n"
        "   .size jlc__entry_world, .-jlc__entry_world\n"

        /* ---- entry_plain (1.10/1.11; unused on 1.5) ---- */
        "   .balign 16\n"
        "   .type jlc__entry_plain, @function\n"
        "jlc__entry_plain:\n"
        "   .cfi_startproc\n"
#if JLC__ENTRY_ABI == JLC__ENTRY_SWIFT
        PTLS_OR_ADOPT("jlc__entry_plain")
        "   pushq %r13\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   .cfi_rel_offset %r13, 0\n"
        "   pushq %rbx\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   .cfi_rel_offset %rbx, 0\n"
        "   subq $8, %rsp\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   movq %rax, %rbx\n"                     /* ptls */
        "   addl $1, jlc__off_defer(%rbx)\n"
        LOAD_STATE
        "   leaq jlc__off_r13(%rax), %r13\n"
        "   callq *(%r11)\n"
        "   subl $1, jlc__off_defer(%rbx)\n"
        "   addq $8, %rsp\n"
        "   .cfi_adjust_cfa_offset -8\n"
        "   popq %rbx\n"
        "   .cfi_adjust_cfa_offset -8\n"
        "   .cfi_restore %rbx\n"
        "   popq %r13\n"
        "   .cfi_adjust_cfa_offset -8\n"
        "   .cfi_restore %r13\n"
        "   retq\n"
#else
        "   ud2\n"
#endif
        "   .cfi_endproc\n"
        "   .size jlc__entry_plain, .-jlc__entry_plain\n"

        /* ---- first call on a thread: r11 = slot, rax = routine to retry ---- */
        "   .balign 16\n"
        "   .type jlc__entry_adopt_retry, @function\n"
        "jlc__entry_adopt_retry:\n"
        "   .cfi_startproc\n"
        "   pushq %r11\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   pushq %rax\n"
        "   .cfi_adjust_cfa_offset 8\n"
        "   subq $184, %rsp\n" /* 6 GPRs + 8 XMMs = 176, +8 to align */
        "   .cfi_adjust_cfa_offset 184\n"
        "   movq %rdi, 0(%rsp)\n"
        "   movq %rsi, 8(%rsp)\n"
        "   movq %rdx, 16(%rsp)\n"
        "   movq %rcx, 24(%rsp)\n"
        "   movq %r8, 32(%rsp)\n"
        "   movq %r9, 40(%rsp)\n"
        "   movdqu %xmm0, 48(%rsp)\n"
        "   movdqu %xmm1, 64(%rsp)\n"
        "   movdqu %xmm2, 80(%rsp)\n"
        "   movdqu %xmm3, 96(%rsp)\n"
        "   movdqu %xmm4, 112(%rsp)\n"
        "   movdqu %xmm5, 128(%rsp)\n"
        "   movdqu %xmm6, 144(%rsp)\n"
        "   movdqu %xmm7, 160(%rsp)\n"
        "   callq jlc__entry_adopt\n"
        "   movq 0(%rsp), %rdi\n"
        "   movq 8(%rsp), %rsi\n"
        "   movq 16(%rsp), %rdx\n"
        "   movq 24(%rsp), %rcx\n"
        "   movq 32(%rsp), %r8\n"
        "   movq 40(%rsp), %r9\n"
        "   movdqu 48(%rsp), %xmm0\n"
        "   movdqu 64(%rsp), %xmm1\n"
        "   movdqu 80(%rsp), %xmm2\n"
        "   movdqu 96(%rsp), %xmm3\n"
        "   movdqu 112(%rsp), %xmm4\n"
        "   movdqu 128(%rsp), %xmm5\n"
        "   movdqu 144(%rsp), %xmm6\n"
        "   movdqu 160(%rsp), %xmm7\n"
        "   testq %rax, %rax\n"
        "   movq 184(%rsp), %rax\n" /* the routine */
        "   movq 192(%rsp), %r11\n" /* the slot */
        "   leaq 200(%rsp), %rsp\n" /* (keeps the flags of the test) */
        "   .cfi_adjust_cfa_offset -200\n"
        "   jz 3f\n"
        "   jmpq *%rax\n"   /* ptls cached: retry */
        "3: jmpq *8(%r11)\n" /* not a Julia thread: @cfunction */
        "   .cfi_endproc\n"
        "   .size jlc__entry_adopt_retry, .-jlc__entry_adopt_retry\n"
        ".popsection\n");

void jlc__entry_init(const size_t *world_counter) { jlc__entry_world_counter = world_counter; }

/* Whether every parameter of the C function travels in a register (SysV
 * x86-64: six integer-class, eight vector-class). */
static int fits_registers(const jlc__sig *sig, int checked)
{
    int ints = 0, vecs = 0;
    for (uint32_t i = 1; i <= sig->nargs; i++) {
        uint16_t c = sig->codes[i];
        if (c == JLC_FLOAT32 || c == JLC_FLOAT64)
            vecs++;
        else
            ints++;
    }
    if (checked && sig->codes[0] != JLC_VOID) ints++; /* out */
    return ints <= 6 && vecs <= 8;
}

void *jlc__entry_make(const jlc__sig *sig, int checked, const jlc__compiled *c)
{
    if (!c->specptr) return NULL;
#if JLC__ENTRY_ABI == JLC__ENTRY_PLAIN
    if (c->proved) return c->specptr; /* a plain C function that needs no entry work */
#endif
    if (!jlc__entry_world_counter || !fits_registers(sig, checked)) return NULL;
    if (!c->proved && !c->ci) return NULL;
    int plain = c->proved ? 1 : 0;
    pthread_mutex_lock(&pool_lock);
    int i = used[plain] < POOL ? used[plain]++ : -1;
    pthread_mutex_unlock(&pool_lock);
    if (i < 0) return NULL; /* pool exhausted: @cfunction's entry */
    slot *s = &jlc__entry_slots[plain * POOL + i];
    s->fallback = c->cfunction;
    s->ci = c->ci;
    /* Published before the pointer is returned; a stub is only called after. */
    __atomic_store_n(&s->target, c->specptr, __ATOMIC_RELEASE);
    return (plain ? jlc__entry_stubs_plain : jlc__entry_stubs_world) + 16 * i;
}

#else

void jlc__entry_init(const size_t *world_counter) { (void)world_counter; }

void *jlc__entry_make(const jlc__sig *sig, int checked, const jlc__compiled *c)
{
    (void)sig;
    (void)checked;
    (void)c;
    return NULL;
}

#endif

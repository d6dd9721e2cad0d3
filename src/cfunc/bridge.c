/* bridge.c — the Julia side of typed calls: area initialisation and making wrappers through JlcSupport.CfuncSupport. */
#include "bridge.h"
#include "entry.h"

#include <stdio.h>

static struct {
    jl_value_t *init, *make;
} fns;

/* Called by a checked wrapper's catch path: the message for jlc_last_error(). */
static void note_exception(const char *text) { jlc__fail(JLC_EXCEPTION, "%s", text); }

static jlc_status area_init(jlc__scope *sc)
{
    JLC__CHECK(jlc__support_need("cfunc", "init", &fns.init));
    JLC__CHECK(jlc__support_need("cfunc", "make", &fns.make));
    jl_value_t *argv[4] = {fns.init, NULL, NULL, NULL};
    JL_GC_PUSH3(&argv[1], &argv[2], &argv[3]);
    argv[1] = jl_box_voidpointer((void *)note_exception);
    argv[2] = jl_box_voidpointer((void *)jlc__exception_park);
    argv[3] = jl_box_int64(JLC_EXCEPTION);
    jl_value_t *r = NULL;
    jlc_status st = jlc__apply(sc, argv, 4, &r);
    JL_GC_POP();
    if (st == JLC_OK && jl_is_cpointer(r)) jlc__entry_init((const size_t *)jl_unbox_voidpointer(r));
    return st;
}

static jlc__area area = {0, "typed calls", area_init};

/* The C-level Julia type of every slot (Float64, Ptr{Float64}, Ptr{Point})
 * into ct, and the type the Julia function receives into jt (the struct for
 * a pointer whose value is loaded; otherwise the same). Both rooted by the
 * caller. */
static jlc_status slot_types(jlc__scope *sc, const jlc__sig *sig, jl_value_t **ct, jl_value_t **jt)
{
    for (uint32_t i = 0; i <= sig->nargs; i++) {
        jl_value_t *base = jlc__sig_julia_base(sig, i);
        int pass = jlc__sig_pass(sig, i);
        ct[i] = jt[i] = base;
        if (pass == JLC__PASS_VALUE) continue;
        jl_value_t *argv[3] = {jlc__core.apply_type, (jl_value_t *)jl_pointer_type, base};
        JLC__CHECK(jlc__apply(sc, argv, 3, &ct[i]));
        jt[i] = pass == JLC__PASS_LOAD ? base : ct[i];
    }
    return JLC_OK;
}

static jl_value_t *svec_of(jl_value_t **v, uint32_t n)
{
    jl_svec_t *s = jl_alloc_svec(n);
    for (uint32_t i = 0; i < n; i++) jl_svecset(s, i, v[i]);
    return (jl_value_t *)s;
}

jlc_status jlc__bridge_make(jlc__scope *sc, jl_value_t *f, const jlc__sig *sig, unsigned kind,
                            jlc__made *out)
{
    JLC__CHECK(jlc__area_ready(&area, sc));
    uint32_t n = sig->nargs + 1;
    uint64_t res[5] = {0, 0, 0, 0, 0};
    jl_value_t **roots; /* ct[0..n-1], jt[0..n-1], then make's arguments */
    JL_GC_PUSHARGS(roots, 2 * JLC__SIG_SLOTS + 8);
    JLC__GC_STRESS();
    jl_value_t **ct = roots, **jt = roots + JLC__SIG_SLOTS, **argv = roots + 2 * JLC__SIG_SLOTS;
    jlc_status st = slot_types(sc, sig, ct, jt);
    jl_value_t *r = NULL;
    if (st == JLC_OK) {
        argv[0] = fns.make;
        argv[1] = f;
        argv[2] = svec_of(ct, n);
        argv[3] = svec_of(jt, n);
        argv[4] = jl_box_bool(kind & JLC_CFUNC_UNCHECKED);
        argv[5] = jl_box_bool(!(kind & JLC_CFUNC_NO_ELISION));
        argv[6] = jl_box_bool(kind == JLC__KIND_MAP);
        argv[7] = jl_box_voidpointer(res);
        st = jlc__apply(sc, argv, 8, &r);
    }
    JL_GC_POP();
    if (st != JLC_OK) return st;
    if (r != jl_nothing) {
        char text[200];
        jlc__sig_render(sig, text, sizeof text);
        jlc_status kst = res[1] == 1 ? JLC_ERR_NOT_FOUND : res[1] == 2 ? JLC_ERR_TYPE : JLC_ERR_UNSUPPORTED;
        return jlc__fail(kst, "%s (for the C signature %s)",
                         jl_is_string(r) ? jl_string_data(r) : "cannot make the typed call", text);
    }
    jlc__compiled c = {(void *)(uintptr_t)res[0], (void *)(uintptr_t)res[3],
                       (void *)(uintptr_t)res[4], res[2] != 0};
    void *direct = kind == JLC__KIND_MAP ? NULL : jlc__entry_make(sig, !(kind & JLC_CFUNC_UNCHECKED), &c);
    out->ptr = direct ? direct : c.cfunction;
    out->nothrow = c.proved;
    out->direct = direct != NULL;
    return JLC_OK;
}

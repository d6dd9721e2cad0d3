/* bridge.c — the typed-call area's Julia side: lazy set-up (the C type table
 * and the C hooks handed to support/cfunc.jl) and making new pointers there
 * with @cfunction. */
#include "typed.h"

#include <stdio.h>
#include <stdlib.h>

static struct {
    jl_value_t *init, *make;
} cf;

/* Called by a checked wrapper's catch path: the message for jlc_last_error(). */
static void note_exception(const char *text) { jlc__fail(JLC_EXCEPTION, "%s", text); }

static jlc_status cfunc_init(jlc__scope *sc)
{
    JLC__CHECK(jlc__support_need("cfunc", "cfunc_init", &cf.init));
    JLC__CHECK(jlc__support_need("cfunc", "cfunc_make", &cf.make));
    jl_value_t *argv[6] = {cf.init, NULL, NULL, NULL, NULL, NULL};
    JL_GC_PUSH5(&argv[1], &argv[2], &argv[3], &argv[4], &argv[5]);
    JLC__DEFER_SIGINT_BEGIN();
    argv[1] = jl_box_voidpointer((void *)note_exception);
    argv[2] = jl_box_voidpointer((void *)jlc__exception_park);
    argv[3] = jl_box_int64(JLC_EXCEPTION);
    /* The one table of C scalar types (base/ctype.c), indexed by code. */
    jl_svec_t *types = jl_alloc_svec(JLC_CTYPE_COUNT);
    argv[4] = (jl_value_t *)types;
    for (int i = 0; i < JLC_CTYPE_COUNT; i++) {
        jl_value_t *t = jlc__ctype_julia((jlc_ctype)i);
        jl_svecset(types, i, t ? t : jl_nothing);
    }
    argv[5] = jl_box_int64(JLC_STRUCT);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r;
    jlc_status st = jlc__apply(sc, argv, 6, &r);
    JL_GC_POP();
    return st;
}

static jlc__area area = {0, "typed calls", cfunc_init};

/* The pointer for (f, sig, kind): from the table, or made by Julia. */
jlc_status jlc__cfunc_pointer(jlc__scope *sc, jl_value_t *f, const csig *sig, unsigned kind,
                              void **out)
{
    centry *e = jlc__cfunc_table_find(f, kind, sig);
    if (e) {
        *out = e->ptr;
        return JLC_OK;
    }
    JLC__CHECK(jlc__area_ready(&area, sc));
    uint64_t res[3] = {0, 0, 0};
    jl_value_t *argv[7] = {cf.make, f, NULL, NULL, NULL, NULL, NULL};
    JL_GC_PUSH5(&argv[2], &argv[3], &argv[4], &argv[5], &argv[6]);
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    argv[2] = jl_box_voidpointer((void *)sig->codes);
    argv[3] = jl_box_int64(sig->nargs);
    jl_svec_t *sv = jl_alloc_svec(sig->nargs + 1); /* filled with NULL: set before any allocation */
    for (uint32_t i = 0; i <= sig->nargs; i++)
        jl_svecset(sv, i, sig->stypes[i] ? sig->stypes[i] : jl_nothing);
    argv[4] = (jl_value_t *)sv;
    argv[5] = jl_box_int64(kind);
    argv[6] = jl_box_voidpointer(res);
    JLC__DEFER_SIGINT_END();
    jl_value_t *r = NULL;
    jlc_status st = jlc__apply(sc, argv, 7, &r);
    JL_GC_POP();
    if (st != JLC_OK) return st;
    if (r != jl_nothing) {
        char text[200];
        jlc__sig_render(sig, text, sizeof text);
        jlc_status kst = res[1] == 1 ? JLC_ERR_NOT_FOUND : res[1] == 2 ? JLC_ERR_TYPE : JLC_ERR_UNSUPPORTED;
        return jlc__fail(kst, "%s (for the C signature %s)",
                         jl_is_string(r) ? jl_string_data(r) : "cannot make the typed call", text);
    }
    centry *n = calloc(1, sizeof *n);
    if (!n) return jlc__fail(JLC_ERR_NOMEM, "cannot allocate a typed-call table entry");
    n->f = f;
    n->kind = kind;
    n->sig = *sig;
    n->ptr = (void *)(uintptr_t)res[0];
    n->info = (kind & 3u) | (res[2] ? (unsigned)JLC_CFUNC_NOTHROW : 0u);
    e = jlc__cfunc_table_insert(n);
    if (e != n) free(n);
    *out = e->ptr;
    return JLC_OK;
}

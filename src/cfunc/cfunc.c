/*
 * cfunc.c — typed calls: Julia functions as C function pointers, the
 * protected region, and batched calls.
 *
 * The wrappers are made on the Julia side (support/cfunc.jl) with
 * @cfunction; this file parses signatures, keeps a C table of the pointers
 * made (so a repeated request costs a hash lookup, not a Julia call), and
 * runs the protected region and the batched call under a C handler.
 *
 * The table is guarded by a mutex that is never held while Julia runs: a
 * thread blocked on a C mutex cannot reach a GC safepoint, so holding one
 * across a Julia call could deadlock a multi-threaded Julia. Two threads may
 * therefore both build the same pointer; the first inserted wins.
 */
#include "base.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- signatures ---- */

#define NSLOTS (JLC_CFUNC_MAX_ARGS + 1)
#define MAP_KIND 4u

typedef struct csig {
    uint32_t nargs;
    uint16_t codes[NSLOTS];     /* [0] is the return type */
    jl_value_t *stypes[NSLOTS]; /* Julia struct type of a JLC_STRUCT code, else NULL */
} csig;

static int base_of(uint16_t code) { return code & 0xff; }

static const char *const base_names[] = {"void",    "bool",     "int8_t",   "int16_t",
                                         "int32_t", "int64_t",  "uint8_t",  "uint16_t",
                                         "uint32_t", "uint64_t", "float",    "double"};

/* One type as C text, e.g. "const struct Point *". */
static void render_type(const csig *sig, uint32_t i, char *buf, size_t cap)
{
    uint16_t c = sig->codes[i];
    const char *star = (c & JLC_TYPE_PTR) ? " *" : "";
    if (base_of(c) == JLC_STRUCT) {
        jl_value_t *t = sig->stypes[i];
        const char *tn = t && jl_is_datatype(t) ? JLC__DATATYPE_NAME(t) : "?";
        snprintf(buf, cap, "%sstruct %s%s", (c & JLC_TYPE_CONST) ? "const " : "", tn, star);
    } else {
        snprintf(buf, cap, "%s%s", base_names[base_of(c)], star);
    }
}

/* The signature as C text, e.g. "double(const struct Point *, int64_t)". */
static void render(const csig *sig, char *buf, size_t cap)
{
    char t[160];
    size_t len = 0;
    render_type(sig, 0, t, sizeof t);
    len += (size_t)snprintf(buf, cap, "%s(%s", t, sig->nargs ? "" : "void");
    for (uint32_t i = 1; i <= sig->nargs && len < cap; i++) {
        render_type(sig, i, t, sizeof t);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i > 1 ? ", " : "", t);
    }
    if (len < cap) snprintf(buf + len, cap - len, ")");
}

/* ---- the signature parser ---- */

typedef struct parser {
    const char *text, *p;
    const char *sname[NSLOTS]; /* struct names as written, for lookup after parsing */
    size_t slen[NSLOTS];
} parser;

static void skip_ws(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static int is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/* Reads an identifier (dots allowed inside when dotted); 0 if there is none. */
static size_t ident(parser *ps, int dotted, const char **start)
{
    skip_ws(ps);
    const char *s = ps->p;
    if (!is_ident_start(*s)) return 0;
    const char *e = s;
    while (is_ident_char(*e) || (dotted && *e == '.' && is_ident_start(e[1]))) e++;
    *start = s;
    ps->p = e;
    return (size_t)(e - s);
}

static int word_is(const char *s, size_t n, const char *w) { return strlen(w) == n && !memcmp(s, w, n); }

/* Peeks whether the next identifier is w, consuming it if so. */
static int accept_word(parser *ps, const char *w)
{
    const char *save = ps->p, *s;
    size_t n = ident(ps, 0, &s);
    if (n && word_is(s, n, w)) return 1;
    ps->p = save;
    return 0;
}

static long off(const parser *ps, const char *at) { return (long)(at - ps->text); }

static jlc_status perr(const parser *ps, jlc_status st, const char *at, const char *what)
{
    return jlc__fail(st, "signature \"%s\": %s at offset %ld", ps->text, what, off(ps, at));
}

static int base_code(const char *s, size_t n)
{
    static const struct { const char *name; int code; } names[] = {
        {"void", JLC_VOID},       {"bool", JLC_BOOL},       {"_Bool", JLC_BOOL},
        {"int8_t", JLC_INT8},     {"int16_t", JLC_INT16},   {"int32_t", JLC_INT32},
        {"int64_t", JLC_INT64},   {"uint8_t", JLC_UINT8},   {"uint16_t", JLC_UINT16},
        {"uint32_t", JLC_UINT32}, {"uint64_t", JLC_UINT64}, {"float", JLC_FLOAT32},
        {"double", JLC_FLOAT64},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (word_is(s, n, names[i].name)) return names[i].code;
    return -1;
}

/* C types jlc knows but does not pass, with the reason. */
static const char *unsupported_reason(const char *s, size_t n)
{
    static const char *const varying[] = {"int", "long", "short", "unsigned", "signed", "size_t",
                                          "ssize_t", "intptr_t", "uintptr_t", "ptrdiff_t"};
    for (size_t i = 0; i < sizeof varying / sizeof varying[0]; i++)
        if (word_is(s, n, varying[i]))
            return "its size differs between platforms or is not fixed by the C standard; use "
                   "int32_t, int64_t, uint64_t...";
    if (word_is(s, n, "char")) return "use int8_t or uint8_t for bytes, or void * for strings";
    if (word_is(s, n, "union") || word_is(s, n, "enum"))
        return "pass unions as void * and enums as the fixed-size integer they hold";
    if (word_is(s, n, "volatile") || word_is(s, n, "restrict")) return "qualifier not supported";
    return NULL;
}

/* One type at ps->p into sig slot i. allow_byval: struct by value (map only). */
static jlc_status parse_type(parser *ps, csig *sig, uint32_t i, int allow_byval)
{
    skip_ws(ps);
    const char *at = ps->p, *s;
    int is_const = accept_word(ps, "const");
    size_t n = ident(ps, 0, &s);
    if (!n) return perr(ps, JLC_ERR_ARG, ps->p, "expected a type");
    int code;
    if (word_is(s, n, "struct")) {
        const char *name;
        size_t nl = ident(ps, 1, &name);
        if (!nl) return perr(ps, JLC_ERR_ARG, ps->p, "expected a struct name after 'struct'");
        ps->sname[i] = name;
        ps->slen[i] = nl;
        code = JLC_STRUCT;
    } else if ((code = base_code(s, n)) < 0) {
        const char *why = unsupported_reason(s, n);
        char what[200];
        if (why)
            snprintf(what, sizeof what, "C type '%.*s' is not supported (%s)", (int)n, s, why);
        else
            snprintf(what, sizeof what, "unknown type '%.*s'", (int)n, s);
        return perr(ps, JLC_ERR_UNSUPPORTED, s, what);
    }
    if (accept_word(ps, "const")) is_const = 1;
    int stars = 0;
    const char *star_at = NULL;
    for (;;) {
        skip_ws(ps);
        if (*ps->p == '*') {
            if (!star_at || stars == 1) star_at = ps->p;
            stars++;
            ps->p++;
            accept_word(ps, "const");
            continue;
        }
        break;
    }
    if (stars > 1)
        return perr(ps, JLC_ERR_UNSUPPORTED, star_at,
                    "pointers to pointers are not supported (use void *)");
    uint16_t c = (uint16_t)code;
    if (stars) {
        c |= JLC_TYPE_PTR;
        if (code == JLC_STRUCT && is_const && i > 0) c |= JLC_TYPE_CONST;
    } else if (code == JLC_VOID && i > 0) {
        return perr(ps, JLC_ERR_ARG, at, "'void' is not a parameter type (use 'void *', or '(void)' alone)");
    } else if (code == JLC_STRUCT && !allow_byval) {
        return perr(ps, JLC_ERR_UNSUPPORTED, at,
                    "structs by value are not supported (pass a pointer: 'const struct Name *')");
    }
    sig->codes[i] = c;
    return JLC_OK;
}

static jlc_status parse_sig(parser *ps, const char *text, csig *sig, int allow_byval)
{
    memset(ps, 0, sizeof *ps);
    memset(sig, 0, sizeof *sig);
    ps->text = ps->p = text;
    JLC__CHECK(parse_type(ps, sig, 0, allow_byval));
    skip_ws(ps);
    if (*ps->p != '(') return perr(ps, JLC_ERR_ARG, ps->p, "expected '(' after the return type");
    ps->p++;
    skip_ws(ps);
    const char *save = ps->p;
    if (accept_word(ps, "void")) {
        skip_ws(ps);
        if (*ps->p != ')') ps->p = save; /* "void *" and friends: a real parameter */
    }
    skip_ws(ps);
    if (*ps->p == ')') {
        ps->p++;
    } else {
        for (;;) {
            skip_ws(ps);
            if (!strncmp(ps->p, "...", 3))
                return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, "variadic functions are not supported");
            if (sig->nargs == JLC_CFUNC_MAX_ARGS) {
                char what[64];
                snprintf(what, sizeof what, "more than %d parameters", JLC_CFUNC_MAX_ARGS);
                return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, what);
            }
            JLC__CHECK(parse_type(ps, sig, ++sig->nargs, allow_byval));
            const char *name;
            size_t nl = ident(ps, 0, &name);
            if (nl && (base_code(name, nl) >= 0 || word_is(name, nl, "struct") ||
                       word_is(name, nl, "const")))
                return perr(ps, JLC_ERR_ARG, name, "expected ',' or ')' (a parameter has two types?)");
            skip_ws(ps);
            if (*ps->p == '[')
                return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, "array parameters are not supported (use T *)");
            if (*ps->p == '(')
                return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, "function pointer parameters are not supported (use void *)");
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p == ')') {
                ps->p++;
                break;
            }
            return perr(ps, JLC_ERR_ARG, ps->p, *ps->p ? "expected ',' or ')'" : "missing ')'");
        }
    }
    skip_ws(ps);
    if (*ps->p) return perr(ps, JLC_ERR_ARG, ps->p, "unexpected text after ')'");
    return JLC_OK;
}

/* Resolves the struct names of a parsed signature to Julia values. */
static jlc_status resolve_structs(jlc__scope *sc, parser *ps, csig *sig)
{
    for (uint32_t i = 0; i <= sig->nargs; i++) {
        if (base_of(sig->codes[i]) != JLC_STRUCT) continue;
        char name[256];
        if (ps->slen[i] >= sizeof name)
            return perr(ps, JLC_ERR_ARG, ps->sname[i], "struct name too long");
        memcpy(name, ps->sname[i], ps->slen[i]);
        name[ps->slen[i]] = '\0';
        /* Rooted by the binding it was found in. */
        jlc_status st = jlc__lookup(sc, name, &sig->stypes[i]);
        if (st != JLC_OK)
            return jlc__fail(st == JLC_EXCEPTION ? st : JLC_ERR_NOT_FOUND,
                             "signature \"%s\": struct type '%s' not found (offset %ld)", ps->text,
                             name, off(ps, ps->sname[i]));
        if (!jl_is_datatype(sig->stypes[i]))
            return jlc__fail(JLC_ERR_TYPE, "signature \"%s\": '%s' is not a concrete struct type (offset %ld)",
                             ps->text, name, off(ps, ps->sname[i]));
    }
    return JLC_OK;
}

/* ---- the pointer table ---- */

typedef struct centry {
    struct centry *next;
    jl_value_t *f;
    unsigned kind; /* JLC_CFUNC_UNCHECKED / NO_ELISION bits, MAP_KIND */
    csig sig;
    void *ptr;
    unsigned info; /* what jlc_cfunc_flags reports */
} centry;

#define NBUCKETS 512
static centry *buckets[NBUCKETS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t key_hash(jl_value_t *f, unsigned kind, const csig *sig)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
    MIX((uintptr_t)f);
    MIX(kind);
    MIX(sig->nargs);
    for (uint32_t i = 0; i <= sig->nargs; i++) {
        MIX(sig->codes[i]);
        MIX((uintptr_t)sig->stypes[i]);
    }
#undef MIX
    return (size_t)(h ^ (h >> 29)) % NBUCKETS;
}

static int key_eq(const centry *e, jl_value_t *f, unsigned kind, const csig *sig)
{
    if (e->f != f || e->kind != kind || e->sig.nargs != sig->nargs) return 0;
    for (uint32_t i = 0; i <= sig->nargs; i++)
        if (e->sig.codes[i] != sig->codes[i] || e->sig.stypes[i] != sig->stypes[i]) return 0;
    return 1;
}

static centry *table_find(jl_value_t *f, unsigned kind, const csig *sig)
{
    size_t b = key_hash(f, kind, sig);
    pthread_mutex_lock(&table_lock);
    centry *e = buckets[b];
    while (e && !key_eq(e, f, kind, sig)) e = e->next;
    pthread_mutex_unlock(&table_lock);
    return e;
}

/* Inserts unless an equal key arrived first; returns the entry in the table. */
static centry *table_insert(centry *n)
{
    size_t b = key_hash(n->f, n->kind, &n->sig);
    pthread_mutex_lock(&table_lock);
    centry *e = buckets[b];
    while (e && !key_eq(e, n->f, n->kind, &n->sig)) e = e->next;
    if (!e) {
        n->next = buckets[b];
        buckets[b] = n;
        e = n;
    }
    pthread_mutex_unlock(&table_lock);
    return e;
}

/* ---- the Julia side ---- */

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
    jl_value_t *r;
    jlc_status st = jlc__apply(sc, argv, 6, &r);
    JL_GC_POP();
    return st;
}

static jlc__area area = {0, "typed calls", cfunc_init};

/* The pointer for (f, sig, kind): from the table, or made by Julia. */
static jlc_status get_pointer(jlc__scope *sc, jl_value_t *f, const csig *sig, unsigned kind,
                              void **out)
{
    centry *e = table_find(f, kind, sig);
    if (e) {
        *out = e->ptr;
        return JLC_OK;
    }
    JLC__CHECK(jlc__area_ready(&area, sc));
    uint64_t res[3] = {0, 0, 0};
    jl_value_t *argv[7] = {cf.make, f, NULL, NULL, NULL, NULL, NULL};
    JL_GC_PUSH5(&argv[2], &argv[3], &argv[4], &argv[5], &argv[6]);
    JLC__GC_STRESS();
    argv[2] = jl_box_voidpointer((void *)sig->codes);
    argv[3] = jl_box_int64(sig->nargs);
    jl_svec_t *sv = jl_alloc_svec(sig->nargs + 1); /* filled with NULL: set before any allocation */
    for (uint32_t i = 0; i <= sig->nargs; i++)
        jl_svecset(sv, i, sig->stypes[i] ? sig->stypes[i] : jl_nothing);
    argv[4] = (jl_value_t *)sv;
    argv[5] = jl_box_int64(kind);
    argv[6] = jl_box_voidpointer(res);
    jl_value_t *r = NULL;
    jlc_status st = jlc__apply(sc, argv, 7, &r);
    JL_GC_POP();
    if (st != JLC_OK) return st;
    if (r != jl_nothing) {
        char text[200];
        render(sig, text, sizeof text);
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
    e = table_insert(n);
    if (e != n) free(n);
    *out = e->ptr;
    return JLC_OK;
}

static jlc_status check_flags(unsigned flags, unsigned *kind)
{
    if (flags & ~(unsigned)(JLC_CFUNC_UNCHECKED | JLC_CFUNC_NO_ELISION))
        return jlc__fail(JLC_ERR_ARG, "unknown typed-call flags 0x%x", flags);
    *kind = flags;
    return JLC_OK;
}

/* ---- public API ---- */

jlc_status jlc_cfunc_new(jlc_scope scope, jlc_value f, const char *signature, unsigned flags,
                         void **out)
{
    JLC__ENTER();
    JLC__NONNULL(signature);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *fn;
    unsigned kind;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    JLC__CHECK(check_flags(flags, &kind));
    parser ps;
    csig sig;
    JLC__CHECK(parse_sig(&ps, signature, &sig, 0));
    JLC__CHECK(resolve_structs(sc, &ps, &sig));
    return get_pointer(sc, fn, &sig, kind, out);
}

jlc_status jlc_cfunc_new_typed(jlc_scope scope, jlc_value f, int ret, size_t nargs,
                               const int *args, const jlc_value *struct_types, unsigned flags,
                               void **out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    if (nargs && !args) return jlc__fail(JLC_ERR_ARG, "args is NULL but nargs > 0");
    if (nargs > JLC_CFUNC_MAX_ARGS)
        return jlc__fail(JLC_ERR_UNSUPPORTED, "%zu parameters: at most %d are supported", nargs,
                         JLC_CFUNC_MAX_ARGS);
    jlc__scope *sc;
    jl_value_t *fn;
    unsigned kind;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    JLC__CHECK(check_flags(flags, &kind));
    csig sig;
    memset(&sig, 0, sizeof sig);
    sig.nargs = (uint32_t)nargs;
    size_t nstruct = 0;
    for (size_t i = 0; i <= nargs; i++) {
        int c = i == 0 ? ret : args[i - 1];
        const char *what = i == 0 ? "return type" : "parameter";
        if (c < 0 || (c & ~(JLC_TYPE_PTR | JLC_TYPE_CONST | 0xff)) ||
            ((c & 0xff) > JLC_FLOAT64 && (c & 0xff) != JLC_STRUCT))
            return jlc__fail(JLC_ERR_ARG, "invalid type code 0x%x for the %s (position %zu)", c, what, i);
        if (i > 0 && c == JLC_VOID)
            return jlc__fail(JLC_ERR_ARG, "JLC_VOID is not a parameter type (position %zu)", i);
        if ((c & 0xff) == JLC_STRUCT) {
            if (!(c & JLC_TYPE_PTR))
                return jlc__fail(JLC_ERR_UNSUPPORTED,
                                 "structs by value are not supported (position %zu): use JLC_TYPE_PTR", i);
            if (!struct_types)
                return jlc__fail(JLC_ERR_ARG, "struct_types is NULL but position %zu is a struct", i);
            JLC__CHECK(jlc__get(struct_types[nstruct++], &sig.stypes[i]));
        }
        if (!((c & 0xff) == JLC_STRUCT && (c & JLC_TYPE_PTR) && i > 0)) c &= ~JLC_TYPE_CONST;
        sig.codes[i] = (uint16_t)c;
    }
    return get_pointer(sc, fn, &sig, kind, out);
}

jlc_status jlc_cfunc_flags(const void *fn, unsigned *out)
{
    JLC__ENTER();
    JLC__NONNULL(fn);
    JLC__NONNULL(out);
    pthread_mutex_lock(&table_lock);
    centry *found = NULL;
    for (size_t b = 0; b < NBUCKETS && !found; b++)
        for (centry *e = buckets[b]; e; e = e->next)
            if (e->ptr == fn && !(e->kind & MAP_KIND)) {
                found = e;
                break;
            }
    unsigned info = found ? found->info : 0;
    pthread_mutex_unlock(&table_lock);
    if (!found) return jlc__fail(JLC_ERR_NOT_FOUND, "%p is not a typed-call pointer made by jlc", fn);
    *out = info;
    return JLC_OK;
}

jlc_status jlc_cfunc_exception(jlc_scope scope, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    if (!jlc__exception_claim(sc))
        return jlc__fail(JLC_ERR_NOT_FOUND, "no checked typed call has failed on this thread");
    *out = jlc__self()->exc;
    return JLC_OK;
}

typedef void (*map_kernel)(int64_t n, const void *const *in, void *out);

typedef struct map_call {
    map_kernel k;
    int64_t n;
    const void *const *in;
    void *out;
} map_call;

static jlc_status run_kernel(void *ctx)
{
    map_call *m = ctx;
    m->k(m->n, m->in, m->out);
    return JLC_OK;
}

jlc_status jlc_cfunc_map(jlc_scope scope, jlc_value f, const char *signature, size_t n,
                         const void *const *in, void *out)
{
    JLC__ENTER();
    JLC__NONNULL(signature);
    jlc__scope *sc;
    jl_value_t *fn;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__get(f, &fn));
    parser ps;
    csig sig;
    JLC__CHECK(parse_sig(&ps, signature, &sig, 1));
    JLC__CHECK(resolve_structs(sc, &ps, &sig));
    void *kp;
    JLC__CHECK(get_pointer(sc, fn, &sig, MAP_KIND, &kp));
    if (n == 0) return JLC_OK;
    if (n > (size_t)INT64_MAX) return jlc__fail(JLC_ERR_ARG, "n is too large");
    if (sig.nargs && !in) return jlc__fail(JLC_ERR_ARG, "in is NULL");
    for (uint32_t i = 0; i < sig.nargs; i++)
        if (!in[i]) return jlc__fail(JLC_ERR_ARG, "in[%u] is NULL", i);
    if (sig.codes[0] != JLC_VOID && !out)
        return jlc__fail(JLC_ERR_ARG, "out is NULL but the function returns a value");
    JLC__GC_STRESS();
    map_call m = {(map_kernel)kp, (int64_t)n, in, out};
    jlc_status st;
    if (jlc__run_protected(sc, run_kernel, &m, &st)) return jlc__exception_status(sc);
    return st;
}

/* sig.c — C signatures of typed calls: the text parser, type codes, struct lookup, rendering. */
#include "sig.h"

#include <stdio.h>
#include <string.h>

/* ---- rendering ---- */

static const char *const base_names[] = {"void",     "bool",     "int8_t",  "int16_t",
                                         "int32_t",  "int64_t",  "uint8_t", "uint16_t",
                                         "uint32_t", "uint64_t", "float",   "double"};

/* One type as C text, e.g. "const struct Point *". */
static void render_type(const jlc__sig *sig, uint32_t i, char *buf, size_t cap)
{
    uint16_t c = sig->codes[i];
    const char *star = (c & JLC_TYPE_PTR) ? " *" : "";
    if (jlc__sig_base(c) == JLC_ANY || jlc__sig_base(c) == JLC__CODE_SCOPE) {
        snprintf(buf, cap, "%s", jlc__sig_base(c) == JLC_ANY ? "jlc_value" : "jlc_scope");
    } else if (jlc__sig_base(c) == JLC_STRUCT) {
        jl_value_t *t = sig->stypes[i];
        snprintf(buf, cap, "%sstruct %s%s", (c & JLC_TYPE_CONST) ? "const " : "",
                 t ? jlc__type_name(t) : "?", star);
    } else {
        snprintf(buf, cap, "%s%s", base_names[jlc__sig_base(c)], star);
    }
}

void jlc__sig_render(const jlc__sig *sig, char *buf, size_t cap)
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

int jlc__sig_pass(const jlc__sig *sig, uint32_t i)
{
    uint16_t c = sig->codes[i];
    if (!(c & JLC_TYPE_PTR)) return JLC__PASS_VALUE;
    return jlc__sig_base(c) == JLC_STRUCT && (c & JLC_TYPE_CONST) ? JLC__PASS_LOAD : JLC__PASS_PTR;
}

jl_value_t *jlc__sig_julia_base(const jlc__sig *sig, uint32_t i)
{
    int base = jlc__sig_base(sig->codes[i]);
    return base == JLC_STRUCT ? sig->stypes[i] : jlc__ctype_julia((jlc_ctype)base);
}

/* ---- the text parser ---- */

typedef struct parser {
    const char *text, *p;
    jlc__sig_names *names;
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

static long offset_of(const char *text, const char *at) { return (long)(at - text); }

static jlc_status perr(const parser *ps, jlc_status st, const char *at, const char *what)
{
    return jlc__fail(st, "signature \"%s\": %s at offset %ld", ps->text, what, offset_of(ps->text, at));
}

static int base_code(const char *s, size_t n)
{
    static const struct {
        const char *name;
        int code;
    } names[] = {
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

/* One type at ps->p into sig slot i; flags as jlc__sig_parse. */
static jlc_status parse_type(parser *ps, jlc__sig *sig, uint32_t i, int flags)
{
    int allow_byval = flags & JLC__SIG_BYVAL;
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
        ps->names->at[i] = name;
        ps->names->len[i] = nl;
        code = JLC_STRUCT;
    } else if ((flags & JLC__SIG_HANDLES) && (word_is(s, n, "jlc_value") || word_is(s, n, "jlc_scope"))) {
        code = word_is(s, n, "jlc_value") ? JLC_ANY : JLC__CODE_SCOPE;
        if (code == JLC__CODE_SCOPE && i != 1)
            return perr(ps, JLC_ERR_ARG, s, "'jlc_scope' may only be the first parameter");
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
        if (*ps->p != '*') break;
        if (!star_at || stars == 1) star_at = ps->p;
        stars++;
        ps->p++;
        accept_word(ps, "const");
    }
    if (stars > 1)
        return perr(ps, JLC_ERR_UNSUPPORTED, star_at,
                    "pointers to pointers are not supported (use void *)");
    uint16_t c = (uint16_t)code;
    if (stars && (code == JLC_ANY || code == JLC__CODE_SCOPE))
        return perr(ps, JLC_ERR_UNSUPPORTED, star_at, "pointers to handles are not supported");
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

static jlc_status parse_params(parser *ps, jlc__sig *sig, int flags)
{
    for (;;) {
        skip_ws(ps);
        if (!strncmp(ps->p, "...", 3))
            return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, "variadic functions are not supported");
        if (sig->nargs == JLC_CFUNC_MAX_ARGS) {
            char what[64];
            snprintf(what, sizeof what, "more than %d parameters", JLC_CFUNC_MAX_ARGS);
            return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, what);
        }
        JLC__CHECK(parse_type(ps, sig, ++sig->nargs, flags));
        const char *name;
        size_t nl = ident(ps, 0, &name);
        if (nl && (base_code(name, nl) >= 0 || word_is(name, nl, "struct") || word_is(name, nl, "const")))
            return perr(ps, JLC_ERR_ARG, name, "expected ',' or ')' (a parameter has two types?)");
        skip_ws(ps);
        if (*ps->p == '[')
            return perr(ps, JLC_ERR_UNSUPPORTED, ps->p, "array parameters are not supported (use T *)");
        if (*ps->p == '(')
            return perr(ps, JLC_ERR_UNSUPPORTED, ps->p,
                        "function pointer parameters are not supported (use void *)");
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == ')') {
            ps->p++;
            return JLC_OK;
        }
        return perr(ps, JLC_ERR_ARG, ps->p, *ps->p ? "expected ',' or ')'" : "missing ')'");
    }
}

jlc_status jlc__sig_parse(const char *text, int flags, jlc__sig *sig, jlc__sig_names *names)
{
    parser ps = {text, text, names};
    memset(sig, 0, sizeof *sig);
    memset(names, 0, sizeof *names);
    names->text = text;
    JLC__CHECK(parse_type(&ps, sig, 0, flags));
    skip_ws(&ps);
    if (*ps.p != '(') return perr(&ps, JLC_ERR_ARG, ps.p, "expected '(' after the return type");
    ps.p++;
    skip_ws(&ps);
    const char *save = ps.p;
    if (accept_word(&ps, "void")) {
        skip_ws(&ps);
        if (*ps.p != ')') ps.p = save; /* "void *" and friends: a real parameter */
    }
    skip_ws(&ps);
    if (*ps.p == ')')
        ps.p++;
    else
        JLC__CHECK(parse_params(&ps, sig, flags));
    skip_ws(&ps);
    if (*ps.p) return perr(&ps, JLC_ERR_ARG, ps.p, "unexpected text after ')'");
    return JLC_OK;
}

/* ---- struct types ---- */

/* Checks that t, given for slot i, can pass through C. `what` names it. */
static jlc_status check_struct(jl_value_t *t, const char *what)
{
    if (!jl_is_datatype(t)) return jlc__fail(JLC_ERR_TYPE, "%s is not a concrete struct type", what);
    if (!jl_isbits(t))
        return jlc__fail(JLC_ERR_UNSUPPORTED,
                         "%s: struct type %s is not an isbits type (only plain-data structs can "
                         "pass through C)", what, jlc__type_name(t));
    return JLC_OK;
}

jlc_status jlc__sig_resolve(jlc__scope *sc, const jlc__sig_names *names, jlc__sig *sig)
{
    for (uint32_t i = 0; i <= sig->nargs; i++) {
        if (jlc__sig_base(sig->codes[i]) != JLC_STRUCT) continue;
        char name[256], what[400];
        long at = offset_of(names->text, names->at[i]);
        if (names->len[i] >= sizeof name)
            return jlc__fail(JLC_ERR_ARG, "signature \"%s\": struct name too long at offset %ld",
                             names->text, at);
        memcpy(name, names->at[i], names->len[i]);
        name[names->len[i]] = '\0';
        /* Rooted by the binding it was found in. */
        jlc_status st = jlc__lookup(sc, name, &sig->stypes[i]);
        if (st != JLC_OK)
            return jlc__fail(st == JLC_EXCEPTION ? st : JLC_ERR_NOT_FOUND,
                             "signature \"%s\": struct type '%s' not found (offset %ld)", names->text,
                             name, at);
        snprintf(what, sizeof what, "signature \"%s\": '%s' (offset %ld)", names->text, name, at);
        JLC__CHECK(check_struct(sig->stypes[i], what));
    }
    return JLC_OK;
}

/* ---- type codes ---- */

jlc_status jlc__sig_from_codes(int ret, size_t nargs, const int *args, const jlc_value *struct_types,
                               jlc__sig *sig)
{
    if (nargs && !args) return jlc__fail(JLC_ERR_ARG, "args is NULL but nargs > 0");
    if (nargs > JLC_CFUNC_MAX_ARGS)
        return jlc__fail(JLC_ERR_UNSUPPORTED, "%zu parameters: at most %d are supported", nargs,
                         JLC_CFUNC_MAX_ARGS);
    memset(sig, 0, sizeof *sig);
    sig->nargs = (uint32_t)nargs;
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
            JLC__CHECK(jlc__get(struct_types[nstruct++], &sig->stypes[i]));
            char where[64];
            snprintf(where, sizeof where, "struct type at position %zu", i);
            JLC__CHECK(check_struct(sig->stypes[i], where));
        }
        if (!((c & 0xff) == JLC_STRUCT && (c & JLC_TYPE_PTR) && i > 0)) c &= ~JLC_TYPE_CONST;
        sig->codes[i] = (uint16_t)c;
    }
    return JLC_OK;
}

/* sig.c — C signatures: the parser of "R(A1, A2, ...)" text, struct names
 * resolved to Julia types, and rendering back to C text for messages. */
#include "typed.h"

#include <stdio.h>
#include <string.h>

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

void jlc__sig_render(const csig *sig, char *buf, size_t cap)
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

/* ---- the parser ---- */

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

jlc_status jlc__sig_parse(parser *ps, const char *text, csig *sig, int allow_byval)
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

jlc_status jlc__sig_resolve_structs(jlc__scope *sc, parser *ps, csig *sig)
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

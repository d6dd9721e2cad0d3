/*
 * export.c — C libraries exported to Julia (include/jlc/export.h): checking
 * and describing a library's table for the JLC package (julia/JLC), and the
 * errors an exported function raises, handed to the package's wrapper, which
 * throws them after the C function has returned.
 *
 * Signatures use the typed-call parser (src/cfunc/sig.h) with the handle
 * words of exports admitted: one syntax, one parser (docs/design.md says why
 * this area reaches into another). The pending error of a thread lives in
 * its state (src/base/state.h): a Julia value in pending_exc/pending_raw
 * (the same slots a failed checked typed call parks its exception in, so an
 * unclaimed one is re-raised too), or a type name and message.
 */
#include "base.h"
#include "../cfunc/sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- checking the table ---- */

static int is_name(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '!'))
            return 0;
    return 1;
}

/* Every name of the table, in order: functions, constants, types. */
typedef struct names {
    const char *v[1024];
    size_t n;
} names;

static jlc_status add_name(names *ns, const char *kind, size_t i, const char *name)
{
    if (!name) return jlc__fail(JLC_ERR_ARG, "export table: %s %zu has no name", kind, i);
    if (!is_name(name))
        return jlc__fail(JLC_ERR_ARG, "export table: %s %zu: \"%s\" is not a Julia identifier", kind, i,
                         name);
    for (size_t k = 0; k < ns->n; k++)
        if (strcmp(ns->v[k], name) == 0)
            return jlc__fail(JLC_ERR_ARG, "export table: %s \"%s\": the name is used twice", kind, name);
    if (ns->n == sizeof ns->v / sizeof ns->v[0])
        return jlc__fail(JLC_ERR_UNSUPPORTED, "export table: more than %zu names",
                         sizeof ns->v / sizeof ns->v[0]);
    ns->v[ns->n++] = name;
    return JLC_OK;
}

static const jlc_export_type *find_type(const jlc_export_module *m, const char *name, size_t len)
{
    for (const jlc_export_type *t = m->types; t && t->name; t++)
        if (strlen(t->name) == len && memcmp(t->name, name, len) == 0) return t;
    return NULL;
}

/* Parses and checks one function's signature. */
static jlc_status check_function(const jlc_export_module *m, const jlc_export_function *f, jlc__sig *sig,
                                 jlc__sig_names *nm)
{
    if (!f->fn) return jlc__fail(JLC_ERR_ARG, "export table: function \"%s\" has a NULL pointer", f->name);
    if (!f->signature)
        return jlc__fail(JLC_ERR_ARG, "export table: function \"%s\" has no signature", f->name);
    if (f->flags & ~(unsigned)JLC_EXPORT_NOFAIL)
        return jlc__fail(JLC_ERR_ARG, "export table: function \"%s\": unknown flags 0x%x", f->name, f->flags);
    jlc_status st = jlc__sig_parse(f->signature, JLC__SIG_HANDLES, sig, nm);
    if (st != JLC_OK) {
        char why[JLC__ERROR_CAP];
        snprintf(why, sizeof why, "%s", jlc_last_error());
        return jlc__fail(st, "export table: function \"%s\": %s", f->name, why);
    }
    int scope = sig->nargs >= 1 && jlc__sig_base(sig->codes[1]) == JLC__CODE_SCOPE, handles = 0;
    for (uint32_t i = 0; i <= sig->nargs; i++) {
        int base = jlc__sig_base(sig->codes[i]);
        handles |= base == JLC_ANY;
        if (base == JLC_STRUCT && !find_type(m, nm->at[i], nm->len[i]))
            return jlc__fail(JLC_ERR_NOT_FOUND,
                             "export table: function \"%s\": 'struct %.*s' is not a type of the table",
                             f->name, (int)nm->len[i], nm->at[i]);
    }
    if (handles && !scope)
        return jlc__fail(JLC_ERR_ARG,
                         "export table: function \"%s\": a jlc_value needs 'jlc_scope' as the first "
                         "parameter",
                         f->name);
    if (scope && (f->flags & JLC_EXPORT_NOFAIL))
        return jlc__fail(JLC_ERR_ARG, "export table: function \"%s\": JLC_EXPORT_NOFAIL takes no jlc_scope",
                         f->name);
    return JLC_OK;
}

/* The code of a constant's type: a scalar code, or JLC_PTR for a string. */
static jlc_status constant_code(const jlc_export_constant *c, int *code)
{
    if (!c->type || !c->value)
        return jlc__fail(JLC_ERR_ARG, "export table: constant \"%s\" has no %s", c->name,
                         c->type ? "value" : "type");
    if (strcmp(c->type, "const char *") == 0 || strcmp(c->type, "const char*") == 0) {
        *code = JLC_PTR;
        return JLC_OK;
    }
    char text[96];
    if (snprintf(text, sizeof text, "%s(void)", c->type) >= (int)sizeof text)
        return jlc__fail(JLC_ERR_ARG, "export table: constant \"%s\": type too long", c->name);
    jlc__sig sig;
    jlc__sig_names nm;
    int base = -1;
    if (jlc__sig_parse(text, 0, &sig, &nm) == JLC_OK && !(sig.codes[0] & JLC_TYPE_PTR))
        base = jlc__sig_base(sig.codes[0]);
    if (base < JLC_BOOL || base > JLC_FLOAT64)
        return jlc__fail(JLC_ERR_UNSUPPORTED,
                         "export table: constant \"%s\": type \"%s\" is not a scalar or \"const char *\"",
                         c->name, c->type);
    *code = base;
    return JLC_OK;
}

static jlc_status check_entries(const jlc_export_module *m, names *ns);

static jlc_status check_table(const jlc_export_module *m)
{
    if (m->abi != JLC_EXPORT_ABI)
        return jlc__fail(JLC_ERR_ARG, "export table: abi %u, this jlc reads %d (rebuild the library)", m->abi,
                         JLC_EXPORT_ABI);
    names *ns = malloc(sizeof *ns); /* 8 KiB: not on the caller's stack, not in static TLS */
    if (!ns) return jlc__fail(JLC_ERR_NOMEM, "export table: cannot allocate the name list");
    ns->n = 0;
    jlc_status st = check_entries(m, ns);
    free(ns);
    return st;
}

static jlc_status check_entries(const jlc_export_module *m, names *ns)
{
    size_t i = 0;
    for (const jlc_export_function *f = m->functions; f && (f->name || f->fn || f->signature); f++, i++) {
        JLC__CHECK(add_name(ns, "function", i, f->name));
        jlc__sig sig;
        jlc__sig_names nm;
        JLC__CHECK(check_function(m, f, &sig, &nm));
    }
    i = 0;
    for (const jlc_export_constant *c = m->constants; c && (c->name || c->value); c++, i++) {
        JLC__CHECK(add_name(ns, "constant", i, c->name));
        int code;
        JLC__CHECK(constant_code(c, &code));
    }
    i = 0;
    for (const jlc_export_type *t = m->types; t && (t->name || t->destroy); t++, i++)
        JLC__CHECK(add_name(ns, "type", i, t->name));
    return JLC_OK;
}

/* ---- describing it (under a protected region: every allocation may throw) ---- */

typedef struct describe_job {
    const jlc_export_module *m;
    jlc__scope *sc;
    jlc_value out;
} describe_job;

static jl_value_t *str_or_nothing(const char *s) { return s ? jl_cstr_to_string(s) : jl_nothing; }

/* Roots v in the job's scope (the description is built bottom-up). */
static jl_value_t *keep(describe_job *j, jl_value_t *v)
{
    jlc_value h;
    if (jlc__push(j->sc, v, &h) != JLC_OK) jl_error("jlc: out of handles while describing an export table");
    return v;
}

/* A slot's description: a Julia type, or the opaque type's name (Symbol). */
static jl_value_t *slot_desc(describe_job *j, const jlc__sig *sig, const jlc__sig_names *nm, uint32_t i)
{
    int base = jlc__sig_base(sig->codes[i]);
    if (base == JLC_STRUCT) {
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)nm->len[i], nm->at[i]);
        return (jl_value_t *)jl_symbol(name);
    }
    jl_value_t *t = base == JLC_ANY ? (jl_value_t *)jl_any_type : jlc__ctype_julia((jlc_ctype)base);
    if (sig->codes[i] & JLC_TYPE_PTR) t = keep(j, jl_apply_type1((jl_value_t *)jl_pointer_type, t));
    return t;
}

static jl_value_t *describe_function(describe_job *j, const jlc_export_function *f)
{
    jlc__sig sig;
    jlc__sig_names nm;
    if (check_function(j->m, f, &sig, &nm) != JLC_OK) jl_error("jlc: export table changed while read");
    int scope = sig.nargs >= 1 && jlc__sig_base(sig.codes[1]) == JLC__CODE_SCOPE;
    uint32_t first = scope ? 2 : 1;
    jl_svec_t *args = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(sig.nargs + 1 - first));
    for (uint32_t i = first; i <= sig.nargs; i++) jl_svecset(args, i - first, slot_desc(j, &sig, &nm, i));
    char text[400];
    jlc__sig_render(&sig, text, sizeof text);
    jl_svec_t *e = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(8));
    jl_svecset(e, 0, (jl_value_t *)jl_symbol(f->name));
    jl_svecset(e, 1, keep(j, jl_box_voidpointer((void *)f->fn)));
    jl_svecset(e, 2, keep(j, str_or_nothing(f->doc)));
    jl_svecset(e, 3, jl_box_bool(f->flags & JLC_EXPORT_NOFAIL));
    jl_svecset(e, 4, jl_box_bool(scope));
    jl_svecset(e, 5, keep(j, jl_cstr_to_string(text)));
    jl_svecset(e, 6, slot_desc(j, &sig, &nm, 0));
    jl_svecset(e, 7, (jl_value_t *)args);
    return (jl_value_t *)e;
}

static jl_value_t *constant_value(const jlc_export_constant *c, int code)
{
    const void *p = c->value;
    switch (code) {
    case JLC_PTR: return jl_cstr_to_string((const char *)p);
    case JLC_BOOL: return jl_box_bool(*(const bool *)p);
    case JLC_INT8: return jl_box_int8(*(const int8_t *)p);
    case JLC_INT16: return jl_box_int16(*(const int16_t *)p);
    case JLC_INT32: return jl_box_int32(*(const int32_t *)p);
    case JLC_INT64: return jl_box_int64(*(const int64_t *)p);
    case JLC_UINT8: return jl_box_uint8(*(const uint8_t *)p);
    case JLC_UINT16: return jl_box_uint16(*(const uint16_t *)p);
    case JLC_UINT32: return jl_box_uint32(*(const uint32_t *)p);
    case JLC_UINT64: return jl_box_uint64(*(const uint64_t *)p);
    case JLC_FLOAT32: return jl_box_float32(*(const float *)p);
    default: return jl_box_float64(*(const double *)p);
    }
}

static jl_value_t *triple(describe_job *j, const char *name, jl_value_t *v, const char *doc)
{
    jl_svec_t *e = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(3));
    jl_svecset(e, 0, (jl_value_t *)jl_symbol(name));
    jl_svecset(e, 1, v);
    jl_svecset(e, 2, keep(j, str_or_nothing(doc)));
    return (jl_value_t *)e;
}

static size_t count_fns(const jlc_export_module *m)
{
    size_t n = 0;
    for (const jlc_export_function *f = m->functions; f && f->name; f++) n++;
    return n;
}

static jlc_status describe(void *ctx)
{
    describe_job *j = ctx;
    const jlc_export_module *m = j->m;
    size_t nc = 0, nt = 0, nf = count_fns(m);
    for (const jlc_export_constant *c = m->constants; c && c->name; c++) nc++;
    for (const jlc_export_type *t = m->types; t && t->name; t++) nt++;
    jl_svec_t *top = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(4));
    jl_svec_t *fs = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(nf));
    jl_svec_t *cs = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(nc));
    jl_svec_t *ts = (jl_svec_t *)keep(j, (jl_value_t *)jl_alloc_svec(nt));
    jl_svecset(top, 0, keep(j, str_or_nothing(m->doc)));
    jl_svecset(top, 1, (jl_value_t *)fs);
    jl_svecset(top, 2, (jl_value_t *)cs);
    jl_svecset(top, 3, (jl_value_t *)ts);
    for (size_t i = 0; i < nf; i++) jl_svecset(fs, i, describe_function(j, &m->functions[i]));
    for (size_t i = 0; i < nc; i++) {
        const jlc_export_constant *c = &m->constants[i];
        int code = 0;
        if (constant_code(c, &code) != JLC_OK) jl_error("jlc: export table changed while read");
        jl_svecset(cs, i, triple(j, c->name, keep(j, constant_value(c, code)), c->doc));
    }
    for (size_t i = 0; i < nt; i++) {
        const jlc_export_type *t = &m->types[i];
        jl_svecset(ts, i, triple(j, t->name, keep(j, jl_box_voidpointer((void *)t->destroy)), t->doc));
    }
    return jlc__push(j->sc, (jl_value_t *)top, &j->out);
}

jlc_status jlc_export_describe(jlc_scope scope, const jlc_export_module *m, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(m);
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(check_table(m));
    JLC__GC_STRESS();
    describe_job j = {m, sc, {0}};
    jlc_status st;
    if (jlc__run_protected(sc, describe, &j, &st)) return jlc__exception_status(sc);
    if (st == JLC_OK) *out = j.out;
    return st;
}

/* ---- errors raised by exported functions ---- */

static void clear_pending(jlc__thread *t)
{
    t->pending_exc = t->pending_raw = NULL;
    t->pending_error = 0;
}

jlc_status jlc_export_throw(jlc_value exc)
{
    JLC__ENTER();
    jl_value_t *e, *last = NULL, *raw = NULL;
    JLC__CHECK(jlc__get(exc, &e));
    jlc__thread *t = jlc__self();
    if (!t) return jlc__fail(JLC_ERR_NOMEM, "cannot allocate jlc's thread state");
    /* The backtrace goes with the exception jlc caught last. */
    if (!(jlc__get(t->exc, &last) == JLC_OK && last == e && jlc__get(t->exc_raw, &raw) == JLC_OK))
        raw = NULL;
    clear_pending(t);
    jlc__exception_park(e, raw); /* marked through the thread state until taken */
    return jlc__fail(JLC_EXCEPTION, "%s (raised for the Julia caller)", jl_typeof_str(e));
}

jlc_status jlc_export_rethrow(void)
{
    JLC__ENTER();
    jlc__thread *t = jlc__self();
    jl_value_t *e;
    if (!t || jlc__get(t->exc, &e) != JLC_OK)
        return jlc__fail(JLC_ERR_NOT_FOUND, "no Julia exception to re-raise (none caught, or its scope closed)");
    return jlc_export_throw(t->exc);
}

jlc_status jlc_export_error(const char *type, const char *fmt, ...)
{
    JLC__ENTER();
    jlc__thread *t = jlc__self();
    if (!t) return jlc__fail(JLC_ERR_NOMEM, "cannot allocate jlc's thread state");
    clear_pending(t);
    snprintf(t->pending_type, sizeof t->pending_type, "%s", type ? type : "ErrorException");
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(t->pending_msg, sizeof t->pending_msg, fmt, ap);
        va_end(ap);
    } else {
        t->pending_msg[0] = '\0';
    }
    t->pending_error = 1;
    return jlc__fail(JLC_EXCEPTION, "%s: %s", t->pending_type, t->pending_msg);
}

/* Throws exc with the backtrace in raw (an exception stack as JLC__EXCSTACK
 * returns it) when there is one. Called from Julia (ccall): nothing but
 * jlc's own frame is unwound. */
static void throw_value(jl_value_t *exc, jl_value_t *raw)
{
    if (raw && jl_is_array(raw) && jlc__lay_length(raw) >= 3) {
        jl_value_t *words = jlc__lay_ptr_load(raw, 1);
        if (words && jl_is_array(words))
            JLC__THROW_WITH_BACKTRACE(exc, jlc__lay_data(words), jlc__lay_length(words));
    }
    jl_throw(exc);
}

int jlc_export_raise(jlc_status st, char *type, size_t type_cap, char *msg, size_t msg_cap)
{
    jlc__thread *t = jlc__self();
    if (st != JLC_EXCEPTION) {
        /* A jlc error, as the header says: a JlcError, whatever is pending.
         * An exception still parked here (a checked callback that failed
         * and that C handled itself) is dropped, not thrown in its place. */
        if (t) {
            clear_pending(t);
            t->pending_error = 0;
        }
        if (type && type_cap) snprintf(type, type_cap, "%s", jlc_status_name(st));
        if (msg && msg_cap) snprintf(msg, msg_cap, "%s", jlc_last_error());
        return 2;
    }
    if (t && t->pending_exc) {
        jl_value_t *e = t->pending_exc, *raw = t->pending_raw;
        clear_pending(t);
        throw_value(e, raw); /* no allocation between clearing and the throw */
    }
    if (t && t->pending_error) {
        t->pending_error = 0;
        if (type && type_cap) snprintf(type, type_cap, "%s", t->pending_type);
        if (msg && msg_cap) snprintf(msg, msg_cap, "%s", t->pending_msg);
        return 1;
    }
    jl_value_t *e = NULL, *raw = NULL;
    if (st == JLC_EXCEPTION && t && jlc__get(t->exc, &e) == JLC_OK) {
        if (jlc__get(t->exc_raw, &raw) != JLC_OK) raw = NULL;
        throw_value(e, raw);
    }
    if (type && type_cap) snprintf(type, type_cap, "%s", jlc_status_name(st));
    if (msg && msg_cap) snprintf(msg, msg_cap, "%s", jlc_last_error());
    return 2;
}

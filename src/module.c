/* module.c — modules by path, globals, and lookups by dotted name. */
#include "internal.h"

#include <string.h>

/* Runs a libjulia lookup that may throw (binding resolution can) and turns a
 * throw into a NULL result. */
static jl_value_t *get_global_protected(jl_module_t *m, jl_sym_t *name)
{
    jl_value_t *volatile r = NULL;
    JL_TRY { r = jl_get_global(m, name); }
    JL_CATCH { r = NULL; }
    return r;
}

/* First component of a path: Main, Base, Core, a module bound in Main, or a
 * loaded package. Returns NULL if none. */
static jl_value_t *root_module(jlc__scope *sc, const char *name, size_t len)
{
    if (len == 4 && !memcmp(name, "Main", 4)) return (jl_value_t *)jl_main_module;
    if (len == 4 && !memcmp(name, "Base", 4)) return (jl_value_t *)jl_base_module;
    if (len == 4 && !memcmp(name, "Core", 4)) return (jl_value_t *)jl_core_module;
    jl_value_t *argv[2] = {(jl_value_t *)jlc__sup.find_module,
                           (jl_value_t *)jl_symbol_n(name, len)};
    jl_value_t *m = NULL;
    if (jlc__apply(sc, argv, 2, &m) != JLC_OK || !jl_is_module(m)) return NULL;
    return m;
}

/* Walks "A.B.c": the first part via root_module or else as a global of Main,
 * the rest as globals of the module before. */
static jlc_status walk(jlc__scope *sc, const char *path, jl_value_t **out)
{
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (len == 0) return jlc__fail(JLC_ERR_ARG, "empty name in path '%s'", path);
    jl_value_t *cur = root_module(sc, path, len);
    if (!cur) cur = get_global_protected(jl_main_module, jl_symbol_n(path, len));
    if (!cur) return jlc__fail(JLC_ERR_NOT_FOUND, "`%.*s` not found in Main or loaded modules", (int)len, path);
    while (dot) {
        const char *part = dot + 1;
        dot = strchr(part, '.');
        len = dot ? (size_t)(dot - part) : strlen(part);
        if (len == 0) return jlc__fail(JLC_ERR_ARG, "empty name in path '%s'", path);
        if (!jl_is_module(cur))
            return jlc__fail(JLC_ERR_TYPE, "`%.*s` is not a module", (int)(part - 1 - path), path);
        jl_value_t *next = get_global_protected((jl_module_t *)cur, jl_symbol_n(part, len));
        if (!next)
            return jlc__fail(JLC_ERR_NOT_FOUND, "`%.*s` not found in module %s", (int)len, part,
                             jl_symbol_name(((jl_module_t *)cur)->name));
        cur = next;
    }
    *out = cur;
    return JLC_OK;
}

jlc_status jlc_module(jlc_scope scope, const char *path, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *m;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(walk(sc, path, &m));
    if (!jl_is_module(m)) return jlc__fail(JLC_ERR_TYPE, "`%s` is a %s, not a module", path, jl_typeof_str(m));
    return jlc__push(sc, m, out);
}

jlc_status jlc_lookup(jlc_scope scope, const char *path, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *v;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(walk(sc, path, &v));
    return jlc__push(sc, v, out);
}

static jlc_status get_module(jlc_value h, jl_module_t **out)
{
    jl_value_t *m;
    JLC__CHECK(jlc__get(h, &m));
    if (!jl_is_module(m)) return jlc__fail(JLC_ERR_TYPE, "expected a Module, got a %s", jl_typeof_str(m));
    *out = (jl_module_t *)m;
    return JLC_OK;
}

jlc_status jlc_global(jlc_scope scope, jlc_value module, const char *name, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_module_t *m;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_module(module, &m));
    jl_value_t *v = get_global_protected(m, jl_symbol(name));
    if (!v)
        return jlc__fail(JLC_ERR_NOT_FOUND, "global `%s` not found in module %s", name,
                         jl_symbol_name(m->name));
    return jlc__push(sc, v, out);
}

jlc_status jlc_set_global(jlc_scope scope, jlc_value module, const char *name, jlc_value v)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    jlc__scope *sc;
    jl_module_t *m;
    jl_value_t *x;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_module(module, &m));
    JLC__CHECK(jlc__get(v, &x));
    /* Done in Julia (support set_global): assignment rules for constants
     * and imported bindings differ between releases, and it throws. */
    jl_value_t *argv[4] = {(jl_value_t *)jlc__sup.set_global, (jl_value_t *)m,
                           (jl_value_t *)jl_symbol(name), x};
    jl_value_t *r;
    return jlc__apply(sc, argv, 4, &r);
}

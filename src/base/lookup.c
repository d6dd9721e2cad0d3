/*
 * lookup.c — values by dotted path and module globals (see lookup.h). Common
 * cases resolve in C (Main, Base, Core, globals of Main including names Main
 * imports from Base); only a package not bound in Main needs the Julia-side
 * search over loaded modules.
 */
#include "lookup.h"
#include "exc.h"
#include "support.h"

#include <string.h>

jl_value_t *jlc__global(jl_module_t *m, jl_sym_t *name)
{
    jl_value_t *volatile r = NULL;
    size_t *world = JLC__WORLD_AGE_PTR();
    size_t age = *world;
    *world = jl_get_world_counter();
    /* Binding resolution can throw (an ambiguous import). */
    JL_TRY { r = jl_get_global(m, name); }
    JL_CATCH { r = NULL; }
    *world = age;
    return r;
}

/* A loaded package by name, through the support module (not bound in Main). */
static jl_value_t *package(jlc__scope *sc, const char *name, size_t len)
{
    jl_value_t *argv[2] = {jlc__core.find_module, (jl_value_t *)jl_symbol_n(name, len)};
    jl_value_t *m = NULL;
    if (jlc__apply(sc, argv, 2, &m) != JLC_OK || !jl_is_module(m)) return NULL;
    return m;
}

static jl_value_t *first_part(jlc__scope *sc, const char *name, size_t len)
{
    if (len == 4 && !memcmp(name, "Main", 4)) return (jl_value_t *)jl_main_module;
    if (len == 4 && !memcmp(name, "Base", 4)) return (jl_value_t *)jl_base_module;
    if (len == 4 && !memcmp(name, "Core", 4)) return (jl_value_t *)jl_core_module;
    jl_value_t *v = jlc__global(jl_main_module, jl_symbol_n(name, len));
    return v ? v : package(sc, name, len);
}

jlc_status jlc__lookup(jlc__scope *sc, const char *path, jl_value_t **out)
{
    const char *dot = strchr(path, '.');
    size_t len = dot ? (size_t)(dot - path) : strlen(path);
    if (len == 0) return jlc__fail(JLC_ERR_ARG, "empty name in path '%s'", path);
    jl_value_t *cur = first_part(sc, path, len);
    if (!cur)
        return jlc__fail(JLC_ERR_NOT_FOUND, "`%.*s` not found in Main or loaded modules", (int)len,
                         path);
    while (dot) {
        const char *part = dot + 1;
        dot = strchr(part, '.');
        len = dot ? (size_t)(dot - part) : strlen(part);
        if (len == 0) return jlc__fail(JLC_ERR_ARG, "empty name in path '%s'", path);
        if (!jl_is_module(cur))
            return jlc__fail(JLC_ERR_TYPE, "`%.*s` is not a module", (int)(part - 1 - path), path);
        jl_value_t *next = jlc__global((jl_module_t *)cur, jl_symbol_n(part, len));
        if (!next)
            return jlc__fail(JLC_ERR_NOT_FOUND, "`%.*s` not found in module %s", (int)len, part,
                             JLC__MODULE_NAME(cur));
        cur = next;
    }
    *out = cur;
    return JLC_OK;
}

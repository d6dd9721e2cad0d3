/* module.c — modules by path, globals, and lookups by dotted name. */
#include "base.h"

#include <string.h>

jlc_status jlc_module_lookup(jlc_scope scope, const char *path, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *m;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__lookup(sc, path, &m));
    if (!jl_is_module(m)) return jlc__fail(JLC_ERR_TYPE, "`%s` is a %s, not a module", path, jl_typeof_str(m));
    return jlc__push(sc, m, out);
}

jlc_status jlc_global_lookup(jlc_scope scope, const char *path, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(path);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_value_t *v;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(jlc__lookup(sc, path, &v));
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

jlc_status jlc_global_get(jlc_scope scope, jlc_value module, const char *name, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(name);
    JLC__NONNULL(out);
    jlc__scope *sc;
    jl_module_t *m;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    JLC__CHECK(get_module(module, &m));
    jl_value_t *v = jlc__global(m, jl_symbol(name));
    if (!v)
        return jlc__fail(JLC_ERR_NOT_FOUND, "global `%s` not found in module %s", name,
                         JLC__MODULE_NAME(m));
    return jlc__push(sc, v, out);
}

jlc_status jlc_global_set(jlc_scope scope, jlc_value module, const char *name, jlc_value v)
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
    jl_value_t *argv[4] = {jlc__core.set_global, (jl_value_t *)m,
                           (jl_value_t *)jl_symbol(name), x};
    jl_value_t *r;
    return jlc__apply(sc, argv, 4, &r);
}

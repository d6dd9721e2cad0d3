/* table.c — the C table of typed-call pointers made so far, so a repeated
 * request costs a hash lookup, not a Julia call. Two threads may both build
 * the same pointer; the first inserted wins. */
#include "typed.h"

#include <pthread.h>


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

centry *jlc__cfunc_table_find(jl_value_t *f, unsigned kind, const csig *sig)
{
    size_t b = key_hash(f, kind, sig);
    pthread_mutex_lock(&table_lock);
    centry *e = buckets[b];
    while (e && !key_eq(e, f, kind, sig)) e = e->next;
    pthread_mutex_unlock(&table_lock);
    return e;
}

centry *jlc__cfunc_table_insert(centry *n)
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

int jlc__cfunc_table_info(const void *fn, unsigned *info)
{
    pthread_mutex_lock(&table_lock);
    centry *found = NULL;
    for (size_t b = 0; b < NBUCKETS && !found; b++)
        for (centry *e = buckets[b]; e; e = e->next)
            if (e->ptr == fn && !(e->kind & MAP_KIND)) {
                found = e;
                break;
            }
    if (found) *info = found->info;
    pthread_mutex_unlock(&table_lock);
    return found != NULL;
}

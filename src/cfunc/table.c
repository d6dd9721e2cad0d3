/* table.c — the table of typed-call pointers made so far: a hash table under a mutex never held while Julia runs. */
#include "table.h"

#include <pthread.h>

/* The mutex is never held across a Julia call: a thread blocked on a C mutex
 * cannot reach a GC safepoint, so holding one while Julia runs could deadlock
 * a multi-threaded Julia. Two threads may therefore both build the same
 * pointer; the first inserted wins. Entries live until exit. */

#define NBUCKETS 512
static jlc__centry *buckets[NBUCKETS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t key_hash(jl_value_t *f, unsigned kind, const jlc__sig *sig)
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

static int key_eq(const jlc__centry *e, jl_value_t *f, unsigned kind, const jlc__sig *sig)
{
    if (e->f != f || e->kind != kind || e->sig.nargs != sig->nargs) return 0;
    for (uint32_t i = 0; i <= sig->nargs; i++)
        if (e->sig.codes[i] != sig->codes[i] || e->sig.stypes[i] != sig->stypes[i]) return 0;
    return 1;
}

static jlc__centry *find_locked(size_t b, jl_value_t *f, unsigned kind, const jlc__sig *sig)
{
    jlc__centry *e = buckets[b];
    while (e && !key_eq(e, f, kind, sig)) e = e->next;
    return e;
}

jlc__centry *jlc__table_find(jl_value_t *f, unsigned kind, const jlc__sig *sig)
{
    size_t b = key_hash(f, kind, sig);
    pthread_mutex_lock(&table_lock);
    jlc__centry *e = find_locked(b, f, kind, sig);
    pthread_mutex_unlock(&table_lock);
    return e;
}

jlc__centry *jlc__table_insert(jlc__centry *n)
{
    size_t b = key_hash(n->f, n->kind, &n->sig);
    pthread_mutex_lock(&table_lock);
    jlc__centry *e = find_locked(b, n->f, n->kind, &n->sig);
    if (!e) {
        n->next = buckets[b];
        buckets[b] = n;
        e = n;
    }
    pthread_mutex_unlock(&table_lock);
    return e;
}

int jlc__table_info(const void *ptr, unsigned *info)
{
    int found = 0;
    pthread_mutex_lock(&table_lock);
    for (size_t b = 0; b < NBUCKETS && !found; b++)
        for (jlc__centry *e = buckets[b]; e; e = e->next)
            if (e->ptr == ptr && !(e->kind & JLC__KIND_MAP)) {
                *info = e->info;
                found = 1;
                break;
            }
    pthread_mutex_unlock(&table_lock);
    return found;
}

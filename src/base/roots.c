/*
 * roots.c — the one GC root scanner jlc registers with Julia, and the table
 * of markers that parts of jlc add to it.
 */
#include "roots.h"

static jlc__marker markers[JLC__MAX_MARKERS];
static int nmarkers;
static int installed;

jlc_status jlc__roots_add(jlc__marker fn)
{
    int n = __atomic_load_n(&nmarkers, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++)
        if (markers[i] == fn) return JLC_OK;
    if (n >= JLC__MAX_MARKERS) return jlc__fail(JLC_ERR_NOMEM, "jlc: root marker table full");
    markers[n] = fn;
    __atomic_store_n(&nmarkers, n + 1, __ATOMIC_RELEASE);
    return JLC_OK;
}

void jlc__mark(jl_value_t *v)
{
    if (v) JLC__GC_MARK(v);
}

static void scan(int full)
{
    int n = __atomic_load_n(&nmarkers, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++) markers[i](full);
}

void jlc__roots_init(void)
{
    if (!__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) jl_gc_set_cb_root_scanner(scan, 1);
}

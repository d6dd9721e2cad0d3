/* attach_lib.c — a C library that Julia loads and calls (ccall); it uses
 * jlc on the values Julia passes. Driven by attach_test.jl. */
#include <jlc.h>

/* sum(length, v) computed through jlc; a negative status on failure. */
int64_t jlct_total_length(void *v_raw)
{
    jlc_status st = jlc_attach();
    if (st != JLC_OK) return -(int64_t)st;
    jlc_scope s;
    jlc_value v, f, args[2], r;
    int64_t total = -1;
    if ((st = jlc_scope_open(JLC_NO_SCOPE, &s)) != JLC_OK) return -(int64_t)st;
    if ((st = jlc_value_from_raw(s, v_raw, &v)) == JLC_OK && (st = jlc_global_lookup(s, "sum", &f)) == JLC_OK &&
        (st = jlc_global_lookup(s, "length", &args[0])) == JLC_OK) {
        args[1] = v;
        if ((st = jlc_call(s, f, 2, args, &r)) == JLC_OK) st = jlc_int64_get(r, &total);
    }
    jlc_scope_close(s);
    return st == JLC_OK ? total : -(int64_t)st;
}

/* Calls f(x) and reports the status; a Julia exception inside stays inside. */
int32_t jlct_call_status(void *f_raw, void *x_raw)
{
    jlc_status st = jlc_attach();
    if (st != JLC_OK) return st;
    jlc_scope s;
    jlc_value f, x, r;
    jlc_scope_open(JLC_NO_SCOPE, &s);
    jlc_value_from_raw(s, f_raw, &f);
    jlc_value_from_raw(s, x_raw, &x);
    st = jlc_call(s, f, 1, &x, &r);
    jlc_scope_close(s);
    return st;
}

/* jlc_shutdown in a session jlc joined: must be refused (JLC_ERR_STATE),
 * leaving Julia and jlc running. */
int32_t jlct_try_shutdown(void)
{
    jlc_status st = jlc_attach();
    if (st != JLC_OK) return -(int32_t)st;
    size_t leaked = 0;
    return jlc_shutdown(0, &leaked);
}

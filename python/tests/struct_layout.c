/*
 * struct_layout.c — the layout of every C struct that python/jlc/_capi.py
 * mirrors with ctypes, one line each: the struct's size, then each field's
 * offset and size in declaration order:
 *
 *     jlc_async_options 40
 *     jlc_async_options.init 0 8
 *
 * test_capi.py compares these with the ctypes mirrors, and the field names
 * with the ones it reads from the headers. A mirror that differs from C is
 * memory corruption, not an error: jlc_async_options_default() writes the
 * whole C struct into the Python-sized buffer. Keep this list in step with
 * _capi.py (the test fails when either side has a struct or field the other
 * lacks).
 */
#include <jlc.h>

#include <stddef.h>
#include <stdio.h>

#define STRUCT(T) printf("%s %zu\n", #T, sizeof(T))
#define FIELD(T, f) printf("%s.%s %zu %zu\n", #T, #f, offsetof(T, f), sizeof(((T *)0)->f))

int main(void)
{
    STRUCT(jlc_scope);
    FIELD(jlc_scope, _h);
    STRUCT(jlc_value);
    FIELD(jlc_value, _h);
    STRUCT(jlc_ref);
    FIELD(jlc_ref, _h);
    STRUCT(jlc_borrow);
    FIELD(jlc_borrow, _h);

    STRUCT(jlc_init_options);
    FIELD(jlc_init_options, julia_bindir);
    FIELD(jlc_init_options, image_path);
    FIELD(jlc_init_options, nthreads);
    FIELD(jlc_init_options, julia_signals);
    FIELD(jlc_init_options, gc_stress);
    FIELD(jlc_init_options, gc_stress_full_every);
    FIELD(jlc_init_options, debug);

    STRUCT(jlc_async_options);
    FIELD(jlc_async_options, init);
    FIELD(jlc_async_options, queue_capacity);
    FIELD(jlc_async_options, max_running);
    FIELD(jlc_async_options, stack_size);
    FIELD(jlc_async_options, spin_us);

    STRUCT(jlc_array_info);
    FIELD(jlc_array_info, eltype);
    FIELD(jlc_array_info, elsize);
    FIELD(jlc_array_info, rank);
    FIELD(jlc_array_info, length);
    FIELD(jlc_array_info, isbits);
    FIELD(jlc_array_info, boxed);
    return 0;
}

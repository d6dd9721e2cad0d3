/* 06_callback.c — hand Julia a C function pointer; Julia calls it with
 * ccall, here once per element of a map. */
#include "example.h"

#include <string.h>

/* The C function Julia will call: a polynomial. */
static double poly(double x) { return 3 * x * x - 2 * x + 1; }

int main(void)
{
    CHECK(jlc_init(NULL));
    jlc_scope s;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &s));

    /* Julia takes the address as a Ptr{Cvoid}. ISO C has no cast from a
     * function pointer to void * (gcc -pedantic rejects one); POSIX guarantees
     * both have the same representation, so copy the bytes. */
    double (*fn)(double) = poly;
    void *addr;
    _Static_assert(sizeof addr == sizeof fn, "function pointers fit in a void *");
    memcpy(&addr, &fn, sizeof addr);
    jlc_value fptr, apply, res, text;
    CHECK(jlc_voidptr_new(s, addr, &fptr));
    CHECK(jlc_eval(s, JLC_NO_VALUE,
                   "fp -> map(x -> ccall(fp, Float64, (Float64,), x), [0.0, 1.0, 2.0, 3.0])", &apply));
    CHECK(jlc_call(s, apply, 1, &fptr, &res));
    CHECK(jlc_value_repr(s, res, &text));
    const char *str;
    CHECK(jlc_string_get(text, &str, NULL));
    printf("Julia called the C function poly(x) = 3x^2 - 2x + 1 on 0:3: %s\n", str);

    CHECK(jlc_scope_close(s));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

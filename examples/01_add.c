/* 01_add.c — start Julia, add two numbers with Base.:+, cast the result back. */
#include "example.h"

int main(void)
{
    CHECK(jlc_init(NULL));
    printf("Julia %s is running\n", jlc_julia_version());

    jlc_scope scope;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &scope));

    jlc_value plus, args[2], sum;
    CHECK(jlc_global_lookup(scope, "Base.+", &plus));
    CHECK(jlc_float64_new(scope, 1.25, &args[0]));
    CHECK(jlc_int64_new(scope, 2, &args[1]));
    CHECK(jlc_call(scope, plus, 2, args, &sum));

    double result;
    CHECK(jlc_float64_get(sum, &result));
    const char *type;
    CHECK(jlc_value_type_name(sum, &type));
    printf("1.25 + 2 = %g (a %s in Julia)\n", result, type);

    /* A checked cast refuses what does not fit: 3.25 is not an integer. */
    int64_t as_int;
    jlc_status st = jlc_int64_get(sum, &as_int);
    printf("as int64_t: %s (%s)\n", jlc_status_name(st), jlc_last_error());

    CHECK(jlc_scope_close(scope));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

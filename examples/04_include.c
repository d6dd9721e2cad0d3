/* 04_include.c — include a .jl file and call a function it defines. */
#include "example.h"

int main(void)
{
    CHECK(jlc_init(NULL));
    jlc_scope s;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &s));

    CHECK(jlc_include(s, "stats.jl", NULL)); /* run from examples/ */
    jlc_value describe, data, res, mean, sd;
    CHECK(jlc_global_lookup(s, "Stats.describe", &describe));
    CHECK(jlc_eval(s, JLC_NO_VALUE, "[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]", &data));
    CHECK(jlc_call(s, describe, 1, &data, &res));
    CHECK(jlc_field_get_by_name(s, res, "mean", &mean));
    CHECK(jlc_field_get_by_name(s, res, "std", &sd));
    double m, sdv;
    CHECK(jlc_float64_get(mean, &m));
    CHECK(jlc_float64_get(sd, &sdv));
    printf("Stats.describe from stats.jl: mean = %g, std = %.4f\n", m, sdv);

    CHECK(jlc_scope_close(s));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

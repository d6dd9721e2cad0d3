/* 03_keywords.c — call Julia functions with keyword arguments. */
#include "example.h"

int main(void)
{
    CHECK(jlc_init(NULL));
    jlc_scope s;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &s));

    /* round(pi; digits = 3) */
    jlc_value round_fn, pi, digits, r;
    CHECK(jlc_global_lookup(s, "round", &round_fn));
    CHECK(jlc_eval(s, JLC_NO_VALUE, "Float64(pi)", &pi));
    CHECK(jlc_int64_new(s, 3, &digits));
    const char *names[] = {"digits"};
    CHECK(jlc_call_kw(s, round_fn, 1, &pi, 1, names, &digits, &r));
    double d;
    CHECK(jlc_float64_get(r, &d));
    printf("round(pi; digits = 3) = %g\n", d);

    /* join(["a", "b", "c"], ", "), then sort with rev = true and by = length */
    jlc_value words, sort_fn, rev, by, sorted, text;
    CHECK(jlc_eval(s, JLC_NO_VALUE, "[\"kiwi\", \"fig\", \"banana\"]", &words));
    CHECK(jlc_global_lookup(s, "sort", &sort_fn));
    CHECK(jlc_bool_new(s, true, &rev));
    CHECK(jlc_global_lookup(s, "length", &by));
    const char *kw[] = {"rev", "by"};
    jlc_value kv[] = {rev, by};
    CHECK(jlc_call_kw(s, sort_fn, 1, &words, 2, kw, kv, &sorted));
    CHECK(jlc_value_repr(s, sorted, &text));
    const char *str;
    CHECK(jlc_string_get(text, &str, NULL));
    printf("sort(words; rev = true, by = length) = %s\n", str);

    CHECK(jlc_scope_close(s));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

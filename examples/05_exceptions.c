/* 05_exceptions.c — a Julia exception comes back as JLC_EXCEPTION; print its
 * type, message and backtrace. The program carries on afterwards. */
#include "example.h"

static void show(jlc_scope s, const char *code)
{
    jlc_value r, exc, text;
    jlc_status st = jlc_eval(s, JLC_NO_VALUE, code, &r);
    printf("\n%s  ->  %s\n", code, jlc_status_name(st));
    if (st != JLC_EXCEPTION) return;
    const char *type, *msg;
    CHECK(jlc_exception_get(&exc));
    CHECK(jlc_value_type_name(exc, &type));
    CHECK(jlc_exception_text(s, exc, false, &text));
    CHECK(jlc_string_get(text, &msg, NULL));
    printf("  type:    %s\n  message: %s\n", type, msg);
}

int main(void)
{
    CHECK(jlc_init(NULL));
    jlc_scope s;
    CHECK(jlc_scope_open(JLC_NO_SCOPE, &s));

    show(s, "[1, 2, 3][5]");
    show(s, "sqrt(-1.0)");
    show(s, "parse(Int, \"12x\")");

    /* with the backtrace, as Julia's REPL shows it */
    jlc_value r, exc, text;
    CHECK(jlc_eval(s, JLC_NO_VALUE, "validate(x) = x > 0 || error(\"x must be positive, got $x\")", &r));
    if (jlc_eval(s, JLC_NO_VALUE, "validate(-4)", &r) == JLC_EXCEPTION) {
        CHECK(jlc_exception_get(&exc));
        CHECK(jlc_exception_text(s, exc, true, &text));
        const char *full;
        CHECK(jlc_string_get(text, &full, NULL));
        printf("\nvalidate(-4) with backtrace:\n%.400s\n", full);
    }

    CHECK(jlc_eval(s, JLC_NO_VALUE, "1 + 1", &r));
    int64_t two;
    CHECK(jlc_int64_get(r, &two));
    printf("\nand Julia still works: 1 + 1 = %lld\n", (long long)two);
    CHECK(jlc_scope_close(s));
    CHECK(jlc_shutdown(0, NULL));
    return 0;
}

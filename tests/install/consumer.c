/* consumer.c — a program built against an installed jlc, the way users do. */
#include <jlc.h>
#include <stdio.h>

int main(void)
{
    jlc_scope s;
    jlc_value v;
    int64_t x = 0;
    if (jlc_init(NULL) != JLC_OK || jlc_scope_open(JLC_NO_SCOPE, &s) != JLC_OK ||
        jlc_eval(s, JLC_NO_VALUE, "6 * 7", &v) != JLC_OK || jlc_int64_get(v, &x) != JLC_OK) {
        fprintf(stderr, "consumer: %s\n", jlc_last_error());
        return 1;
    }
    /* the libunwind trap must stay closed for installed consumers too */
    if (jlc_eval(s, JLC_NO_VALUE, "[1, 2][5]", &v) != JLC_EXCEPTION) return 2;
    printf("6 * 7 = %lld, caught %.40s\n", (long long)x, jlc_last_error());
    jlc_scope_close(s);
    jlc_shutdown(0, NULL);
    return x == 42 ? 0 : 3;
}

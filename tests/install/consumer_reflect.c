/* consumer_reflect.c — an installed jlc's jlc_reflect() at work: the C
 * struct comes from consumer_types.jl, written at build time by the
 * installed jlc-reflect; the value crosses both ways. */
#include <jlc.h>
#include <stdio.h>

#include "consumer_types.h"

int main(void)
{
    jlc_scope s;
    jlc_value v, r;
    Sample in = {3, 0.5}, out = {0, 0};
    if (jlc_init(NULL) != JLC_OK || jlc_scope_open(JLC_NO_SCOPE, &s) != JLC_OK ||
        jlc_include(s, CONSUMER_DIR "/consumer_types.jl", &r) != JLC_OK ||
        jlc_struct_register(s, &Sample_layout, NULL) != JLC_OK ||
        jlc_struct_box(s, &Sample_layout, &in, sizeof in, &v) != JLC_OK ||
        jlc_eval(s, JLC_NO_VALUE, "twice(Sample(3, 0.5))", &r) != JLC_OK ||
        jlc_struct_unbox(r, &Sample_layout, &out, sizeof out) != JLC_OK) {
        fprintf(stderr, "consumer_reflect: %s\n", jlc_last_error());
        return 1;
    }
    printf("twice(Sample(3, 0.5)) = Sample(%d, %g) in C\n", (int)out.n, out.w);
    jlc_scope_close(s);
    jlc_shutdown(0, NULL);
    return out.n == 6 && out.w == 1.0 ? 0 : 3;
}

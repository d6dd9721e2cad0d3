/* init_time.c — the start-up cost of jlc_init against jl_init_with_image:
 * `init_time jlc` or `init_time raw` starts Julia once, runs one evaluation
 * and prints the seconds each took. Each run is a fresh process (Julia
 * starts once per process); scripts/bench-init.sh repeats them. */
#include <jlc.h>
#include <julia.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: init_time jlc|raw\n");
        return 2;
    }
    /* The Julia jlc was built against (found by CMake). */
    const char *bindir = JLC_BENCH_BINDIR, *image = JLC_BENCH_IMAGE;
    double t0 = now(), t1, t2;
    if (strcmp(argv[1], "raw") == 0) {
        jl_init_with_image(bindir, image);
        t1 = now();
        jl_eval_string("1 + 1");
        t2 = now();
        jl_atexit_hook(0);
    } else {
        jlc_init_options o;
        jlc_init_options_default(&o);
        o.julia_bindir = bindir;
        o.image_path = image;
        if (jlc_init(&o) != JLC_OK) {
            fprintf(stderr, "%s\n", jlc_last_error());
            return 1;
        }
        t1 = now();
        jlc_scope s;
        jlc_value v;
        jlc_scope_open(JLC_NO_SCOPE, &s);
        jlc_eval(s, JLC_NO_VALUE, "1 + 1", &v);
        t2 = now();
        jlc_scope_close(s);
        jlc_shutdown(0, NULL);
    }
    printf("%s init %.3f eval %.3f\n", argv[1], t1 - t0, t2 - t1);
    return 0;
}

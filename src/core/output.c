/* output.c — Julia's standard output streams: flushing and redirection. */
#include "base.h"

#include <fcntl.h>
#include <stdio.h>

/* Calls a support function (looked up at init) with no scope. */
static jlc_status call_support(jl_value_t *fn, jl_value_t *a, jl_value_t *b)
{
    jl_value_t *argv[3] = {fn, a, b};
    uint32_t n = a ? (b ? 3 : 2) : 1;
    JL_GC_PUSH3(&argv[0], &argv[1], &argv[2]);
    jlc_status st = jlc__apply_unscoped(argv, n);
    JL_GC_POP();
    return st;
}

jlc_status jlc_flush(void)
{
    JLC__ENTER();
    fflush(stdout);
    fflush(stderr);
    return call_support(jlc__core.flushio, NULL, NULL);
}

jlc_status jlc_output_redirect(jlc_stream stream, int fd)
{
    JLC__ENTER();
    if (stream != JLC_STDOUT && stream != JLC_STDERR)
        return jlc__fail(JLC_ERR_ARG, "stream %d is neither JLC_STDOUT nor JLC_STDERR", (int)stream);
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl == -1) return jlc__fail(JLC_ERR_ARG, "fd %d is not an open file descriptor", fd);
        if ((fl & O_ACCMODE) == O_RDONLY) return jlc__fail(JLC_ERR_ARG, "fd %d is open for reading only", fd);
    } else {
        fd = -1;
    }
    jl_value_t *which = jl_box_int64((int64_t)stream);
    jl_value_t *fdv = NULL;
    JL_GC_PUSH2(&which, &fdv);
    fdv = jl_box_int64(fd);
    jlc_status st = call_support(jlc__core.redirect_std, which, fdv);
    JL_GC_POP();
    return st;
}

/* test_output.c — Julia's standard streams: jlc_flush keeps C's and Julia's
 * output in order on a pipe; jlc_output_redirect points Julia's stdout and
 * stderr at a descriptor and back, leaving the process's own alone. */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads what is in the pipe now (non-blocking) into buf; returns its length. */
static size_t drain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    return n;
}

static void redirect_stdout_and_back(void **state)
{
    int p[2];
    assert_int_equal(0, pipe(p));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char buf[256];

    ASSERT_OK(jlc_output_redirect(JLC_STDOUT, p[1]));
    jlct_eval("print(\"from Julia \", 6 * 7); println(stdout, '!')");
    ASSERT_OK(jlc_flush());
    drain(p[0], buf, sizeof buf);
    assert_string_equal("from Julia 42!\n", buf);

    /* the process's fd 1 is not the pipe: a C write to it does not arrive */
    fflush(stdout);
    assert_int_equal(3, write(1, "c.\n", 3));
    assert_int_equal(0, drain(p[0], buf, sizeof buf));

    ASSERT_OK(jlc_output_redirect(JLC_STDOUT, -1));
    jlct_eval("print(\"\")");
    ASSERT_OK(jlc_flush());
    assert_int_equal(0, drain(p[0], buf, sizeof buf));
    ASSERT_OK(jlc_output_redirect(JLC_STDOUT, -1)); /* not redirected: a no-op */
    close(p[0]);
    close(p[1]);
}

static void redirect_stderr(void **state)
{
    int p[2];
    assert_int_equal(0, pipe(p));
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    char buf[256];
    ASSERT_OK(jlc_output_redirect(JLC_STDERR, p[1]));
    jlct_eval("print(stderr, \"to stderr\"); print(stdout, \"\")");
    ASSERT_OK(jlc_flush());
    drain(p[0], buf, sizeof buf);
    assert_string_equal("to stderr", buf);
    ASSERT_OK(jlc_output_redirect(JLC_STDERR, -1));
    close(p[0]);
    close(p[1]);
}

static void redirect_refuses(void **state)
{
    int p[2];
    assert_int_equal(0, pipe(p));
    ASSERT_STATUS(JLC_ERR_ARG, jlc_output_redirect(JLC_STDOUT, p[0])); /* read end */
    close(p[0]);
    close(p[1]);
    ASSERT_STATUS(JLC_ERR_ARG, jlc_output_redirect(JLC_STDOUT, p[1])); /* closed */
    ASSERT_STATUS(JLC_ERR_ARG, jlc_output_redirect((jlc_stream)3, 1));
    assert_non_null(strstr(jlc_last_error(), "neither"));
}

/* The same program started again with stdout on a pipe (a fork of this
 * process could not use Julia: rule 5) writes C, Julia, C, Julia lines,
 * calling jlc_flush at each switch; the parent reads them in that order. */
static int order_child(void)
{
    jlc_scope s;
    jlc_value v;
    if (jlc_init(NULL) != JLC_OK || jlc_scope_open(JLC_NO_SCOPE, &s) != JLC_OK) return 2;
    for (int i = 0; i < 3; i++) {
        printf("C %d\n", i);
        if (jlc_flush() != JLC_OK) return 3;
        char code[64];
        snprintf(code, sizeof code, "println(\"Julia \", %d)", i);
        if (jlc_eval(s, JLC_NO_VALUE, code, &v) != JLC_OK) return 4;
        if (jlc_flush() != JLC_OK) return 5;
    }
    jlc_scope_close(s);
    return 0;
}

static void flush_keeps_order_on_a_pipe(void **state)
{
    int p[2];
    assert_int_equal(0, pipe(p));
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execl("/proc/self/exe", "test_output", "--order-child", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char buf[512];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)r;
    buf[n] = '\0';
    close(p[0]);
    int wst = 0;
    assert_int_equal(pid, waitpid(pid, &wst, 0));
    assert_true(WIFEXITED(wst));
    assert_int_equal(0, WEXITSTATUS(wst));
    assert_string_equal("C 0\nJulia 0\nC 1\nJulia 1\nC 2\nJulia 2\n", buf);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--order-child") == 0) return order_child();
    const struct CMUnitTest tests[] = {
        JLCT(redirect_stdout_and_back),
        JLCT(redirect_stderr),
        JLCT(redirect_refuses),
        JLCT(flush_keeps_order_on_a_pipe),
    };
    return JLCT_RUN(tests);
}

/* crash.c — a test program that crashes on purpose (a write through a bad
 * pointer after jlc_init), with the same harness as the real tests. Run by
 * check.sh, which asserts that the crash ends the program at once. */
#include "../test_util.h"

static void segfault(void **state)
{
    (void)state;
    volatile int *bad = (volatile int *)(uintptr_t)16;
    *bad = 1;
    fail_msg("still running after the fault");
}

int main(void)
{
    const struct CMUnitTest tests[] = {JLCT(segfault)};
    return JLCT_RUN(tests);
}

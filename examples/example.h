/* example.h — the one helper every example uses: stop with a clear message
 * when a jlc call fails. Real programs would handle the status instead. */
#ifndef JLC_EXAMPLE_H
#define JLC_EXAMPLE_H
#include <jlc.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                             \
    do {                                                                        \
        jlc_status st_ = (call);                                                \
        if (st_ != JLC_OK) {                                                    \
            fprintf(stderr, "%s failed: %s: %s\n", #call, jlc_status_name(st_), \
                    jlc_last_error());                                          \
            exit(1);                                                            \
        }                                                                       \
    } while (0)
#endif

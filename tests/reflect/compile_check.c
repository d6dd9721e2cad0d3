/* compile_check.c — reflect_types.h (written by jlc-reflect at build time)
 * compiles, its static assertions hold, and its union accessors check the
 * selector; no Julia runs. Built as C11 here and as C++11 through
 * compile_check.cpp, so the header serves both languages. */
#include "reflect_types.h"

#include <stdio.h>

#define EXPECT(cond)                                                         \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                        \
        }                                                                    \
    } while (0)

int main(void)
{
    RUnion u;
    memset(&u, 0, sizeof u);
    RUnion_u_set_Int32(&u, -77);
    int32_t i = 0;
    double d = 0;
    EXPECT(RUnion_u_is_Int32(&u) && RUnion_u_get_Int32(&u, &i) && i == -77);
    EXPECT(!RUnion_u_get_Float64(&u, &d)); /* the wrong member is refused */
    RUnion_u_set_Float64(&u, 6.5);
    EXPECT(RUnion_u_get_Float64(&u, &d) && d == 6.5 && !RUnion_u_is_Int32(&u));
    RUnion_maybe_set_Nothing(&u);
    EXPECT(RUnion_maybe_is_Nothing(&u));
    /* The selector sits right after the payload (rule S4). */
    EXPECT(offsetof(RUnion, u_selector) == offsetof(RUnion, u) + sizeof u.u);

    /* Descriptors agree with the C layout. */
    EXPECT(RNested_layout.size == sizeof(RNested));
    EXPECT(RNested_layout.nfields == 6 && RNested_layout.fields[3].offset == offsetof(RNested, pts));
    EXPECT(RScalars_layout.fields[14].size == 4 && strcmp(RScalars_layout.fields[14].type, "Char") == 0);
    EXPECT(RRef_layout.fields[1].kind == JLC_FIELD_REF);
    EXPECT(RUnion_layout.fields[1].kind == JLC_FIELD_UNION && RUnion_layout.fields[1].nunion == 2);
    EXPECT(RMutable_layout.is_mutable && !RNested_layout.is_mutable);
    /* Zero-size types: a 1-byte marker in C, size 0 in the descriptor. */
    EXPECT(sizeof(REmpty) == 1 && REmpty_layout.size == 0 && REmpty_layout.nfields == 0);
    EXPECT(sizeof(RWithEmpty) == 4 && RWithEmpty_layout.nfields == 3);
    /* Pointers to mapped structs are typed. */
    RPtrs p;
    RPoint_Float64 pt = {1.0, 2.0};
    p.s = &pt;
    EXPECT(p.s->y == 2.0);
    printf("reflect_types.h: %zu-byte RScalars, %zu-byte RNested, %zu-byte RUnion\n",
           sizeof(RScalars), sizeof(RNested), sizeof(RUnion));
    return 0;
}

/* jlc/array.h — included by jlc.h; do not include directly. */
#ifndef JLC_ARRAY_H
#define JLC_ARRAY_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif

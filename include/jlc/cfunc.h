/* jlc/cfunc.h — included by jlc.h; do not include directly. */
#ifndef JLC_CFUNC_H
#define JLC_CFUNC_H
#include "../jlc.h"
#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif

/*
 * base.h — the shared internal layer, in one include: areas (src/core,
 * src/array, src/cfunc, ...) include this and nothing else of src/base.
 */
#ifndef JLC_BASE_H
#define JLC_BASE_H

#include "common.h"
#include "state.h"
#include "scope.h"
#include "roots.h"
#include "exc.h"
#include "ctype.h"
#include "support.h"
#include "borrow.h"
#include "lookup.h"

#endif

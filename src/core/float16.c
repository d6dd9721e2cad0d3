/* float16.c — IEEE binary16 (Julia's Float16): conversions and values. */
#include "base.h"

#include <string.h>

uint16_t jlc_float16_from_float(float x)
{
    uint32_t f;
    memcpy(&f, &x, sizeof f);
    uint16_t sign = (uint16_t)((f >> 16) & 0x8000);
    uint32_t exp = (f >> 23) & 0xFF;
    uint32_t man = f & 0x7FFFFF;
    if (exp == 0xFF) /* Inf stays Inf; NaN stays NaN (quiet, top payload bits kept) */
        return (uint16_t)(sign | 0x7C00 | (man ? 0x200 | (man >> 13) : 0));
    int32_t e = (int32_t)exp - 127 + 15; /* binary16 biased exponent */
    if (e >= 31) return (uint16_t)(sign | 0x7C00); /* overflow: Inf */
    uint32_t m, shift;
    if (e <= 0) { /* a subnormal binary16, or zero */
        if (e < -10) return sign;         /* below half the smallest subnormal */
        m = man | 0x800000;              /* the implicit bit */
        shift = (uint32_t)(14 - e);       /* 24-bit significand to 10 - (1 - e) bits */
    } else {
        m = man;
        shift = 13;
    }
    uint32_t kept = m >> shift;
    uint32_t rest = m & ((1u << shift) - 1);
    uint32_t half = 1u << (shift - 1);
    if (rest > half || (rest == half && (kept & 1))) kept++; /* nearest, ties to even */
    if (e <= 0) return (uint16_t)(sign | kept);               /* may round up into normals */
    /* a carry out of the significand bumps the exponent (and may reach Inf) */
    return (uint16_t)(sign | (((uint32_t)e << 10) + kept));
}

float jlc_float16_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1F;
    uint32_t man = h & 0x3FF;
    uint32_t f;
    if (exp == 0x1F) {
        f = sign | 0x7F800000 | (man << 13);
    } else if (exp == 0) {
        if (man == 0) {
            f = sign;
        } else { /* subnormal: normalise */
            int32_t e = -1;
            do {
                man <<= 1;
                e++;
            } while (!(man & 0x400));
            f = sign | ((uint32_t)(127 - 15 - e) << 23) | ((man & 0x3FF) << 13);
        }
    } else {
        f = sign | ((exp - 15 + 127) << 23) | (man << 13);
    }
    float x;
    memcpy(&x, &f, sizeof x);
    return x;
}

jlc_status jlc_float16_new(jlc_scope scope, float x, jlc_value *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jlc__scope *sc;
    JLC__CHECK(jlc__scope_get(scope, &sc));
    uint16_t bits = jlc_float16_from_float(x);
    JLC__GC_STRESS();
    JLC__DEFER_SIGINT_BEGIN();
    jl_value_t *v = jl_new_bits((jl_value_t *)jl_float16_type, &bits);
    JLC__DEFER_SIGINT_END();
    return jlc__push(sc, v, out);
}

jlc_status jlc_float16_get(jlc_value v, float *out)
{
    JLC__ENTER();
    JLC__NONNULL(out);
    jl_value_t *x;
    JLC__CHECK(jlc__get(v, &x));
    if (jl_typeof(x) != (jl_value_t *)jl_float16_type)
        return jlc__fail(JLC_ERR_TYPE, "expected a Float16, got a %s", jl_typeof_str(x));
    uint16_t bits;
    memcpy(&bits, x, sizeof bits);
    *out = jlc_float16_to_float(bits);
    return JLC_OK;
}

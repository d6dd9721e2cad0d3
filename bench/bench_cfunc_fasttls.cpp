// bench_cfunc_fasttls.cpp — bench_cfunc.cpp again, in an executable that
// registers a static-TLS getter for Julia's thread state with
// JULIA_DEFINE_FAST_TLS (embedding API; jlc itself, a library, cannot do
// this). Shows how much of the typed-call cost is the general-dynamic TLS
// lookup libjulia makes on every @cfunction entry and try/catch. Not a
// different jlc: the same library and pointers.
#include <julia.h>

// The macro took parentheses before Julia 1.7.
#if JULIA_VERSION_MAJOR == 1 && JULIA_VERSION_MINOR < 7
JULIA_DEFINE_FAST_TLS()
#else
JULIA_DEFINE_FAST_TLS
#endif

#include "bench_cfunc.cpp"

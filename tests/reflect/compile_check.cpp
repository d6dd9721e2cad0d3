// compile_check.cpp — the same checks as compile_check.c, compiled as C++11:
// the header's static assertions and accessors must hold in C++ too.
#include "compile_check.c"

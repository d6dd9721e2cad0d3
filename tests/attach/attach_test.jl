# Run by ctest: julia attach_test.jl <path to libjlct_attach.so>
using Libdl
lib = dlopen(ARGS[1])
const total_length = dlsym(lib, :jlct_total_length)
const call_status = dlsym(lib, :jlct_call_status)
n = ccall(total_length, Int64, (Any,), ["ab", "cde", ""])
n == 5 || error("total length: expected 5, got $n")
ok = ccall(call_status, Int32, (Any, Any), sqrt, 4.0)
ok == 0 || error("status of sqrt(4.0): $ok")
st = ccall(call_status, Int32, (Any, Any), sqrt, -1.0)
st == 1 || error("sqrt(-1.0) should give JLC_EXCEPTION (1), got $st")
# Julia carries on after the exception stayed in C
n = ccall(total_length, Int64, (Any,), ["four"])
n == 4 || error("after exception: expected 4, got $n")
# jlc_shutdown is refused in a session jlc joined (JLC_ERR_STATE = 9) ...
const try_shutdown = dlsym(lib, :jlct_try_shutdown)
st = ccall(try_shutdown, Int32, ())
st == 9 || error("jlc_shutdown after jlc_attach: expected JLC_ERR_STATE (9), got $st")
# ... and both Julia and jlc carry on
n = ccall(total_length, Int64, (Any,), ["xy", "z"])
n == 3 || error("after the refused shutdown: expected 3, got $n")
println("attach: 6 checks passed")

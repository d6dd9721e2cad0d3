# Loaded on every process by test_workers.c (jlc_workers_include).
jlct_cube(x::Int32) = x * x * x
jlct_half(x::Float32) = x / 2f0

# The JLC package against tests/export/export_lib.c (built by CMake as
# libjlct_export.so). Run by ctest (test julia_jlc_package):
#   julia --project=julia/JLC julia/JLC/test/runtests.jl <path to libjlct_export.so>
# or with the library in JLC_TEST_LIB.
using Test
using JLC

const LIB = isempty(ARGS) ? get(ENV, "JLC_TEST_LIB", "") : ARGS[1]
isfile(LIB) || error("runtests.jl: give the path of libjlct_export.so (argument or JLC_TEST_LIB)")

@jlc_module MyLib LIB

# jlc status codes the C side reports as numbers (include/jlc.h)
const JLC_OK = Int32(0)
status_name(st) = unsafe_string(ccall(JLC.api_of(JLC.LIBS[abspath(LIB)]).status_name, Cstring, (Cint,), st))

# Named functions (not closures): one compiled pointer each, reused.
cb_square(x::Float64) = x * x
cb_reenter(x::Float64) = MyLib.apply(y -> 2y, x) + MyLib.add(x, 1.0)  # Julia -> C -> Julia -> C
cb_throws(x::Float64) = x > 2 ? throw(DomainError(x, "too big for the callback")) : x
cb_int(x::Float64) = round(Int, x)          # returns Int: converts to double
cb_bad(x::String) = x                       # no method for Float64


@testset "JLC" begin

@testset "export: module, methods, docstrings, constants" begin
    @test MyLib isa Module
    @test nameof(MyLib) === :MyLib
    @test MyLib.add(1.25, 2.0) === 3.25
    @test MyLib.add(1, 2) === 3.0                    # Real arguments convert as ccall converts
    @test MyLib.hypot2(3.0, 4.0) === 5.0             # JLC_EXPORT_NOFAIL: a bare ccall
    @test MyLib.checked_div(7, 2) === Int64(3)
    @test MyLib.is_even(4) === true
    @test MyLib.is_even(5) === false
    @test MyLib.store!(17) === nothing
    @test MyLib.load() === Int64(17)
    v = [1.0, 2.0, 3.5]
    @test MyLib.sum_array(v, length(v)) === 6.5
    @test MyLib.scale_array!(v, length(v), 2.0) === nothing
    @test v == [2.0, 4.0, 7.0]
    # one typed method per entry
    @test length(methods(MyLib.add)) == 1
    @test length(methods(MyLib.checked_sqrt)) == 1
    # docstrings: the table's text and the C signature
    d = string(@doc MyLib.add)
    @test occursin("a + b, in C.", d)
    @test occursin("double(double, double)", d)
    @test occursin("cannot fail", string(@doc MyLib.hypot2))
    @test occursin("jlc's export example", string(@doc MyLib))
    @test occursin("The answer.", string(@doc MyLib.ANSWER))
    # constants
    @test MyLib.ANSWER === Int64(42)
    @test MyLib.THIRD === 1.0 / 3.0
    @test MyLib.FLAG === true
    @test MyLib.SMALL === UInt8(200)
    @test MyLib.GREETING == "hello from C"
    @test isconst(MyLib, :ANSWER)
    # loading the same library twice gives a second, working module
    M2 = JLC.load_module(:Again, LIB)
    @test M2.add(1.0, 1.0) === 2.0
end

@testset "wrong argument types are MethodErrors" begin
    @test_throws MethodError MyLib.add("1", 2.0)
    @test_throws MethodError MyLib.add(1.0)
    @test_throws MethodError MyLib.is_even(2.5)
    @test_throws MethodError MyLib.counter_total(3)
    @test_throws MethodError MyLib.sum_array("abc", 3)
    @test_throws MethodError MyLib.checked_div(2.5, 1)     # Integer parameters
    @test_throws InexactError MyLib.checked_div(big(2)^70, 1)  # as ccall's own conversion
end

@testset "errors raised in C become Julia exceptions" begin
    e = try MyLib.checked_sqrt(-4.0); nothing catch err; err end
    @test e isa DomainError
    @test occursin("checked_sqrt: -4 is negative", sprint(showerror, e))
    @test MyLib.checked_sqrt(9.0) === 3.0            # and the next call works
    e = try MyLib.checked_div(1, 0); nothing catch err; err end
    @test e isa ArgumentError
    @test e.msg == "checked_div: division of 1 by zero"
    e = try MyLib.custom_error(7); nothing catch err; err end
    @test e isa JLC.CError
    @test e.type == "MyLibFailure" && e.msg == "custom failure 7"
    # a jlc error returned as a status: JlcError with the status name
    e = try MyLib.label(12, 3); nothing catch err; err end
    @test e isa JlcError
    @test e.status === :JLC_ERR_TYPE
    # an exception value made in C
    e = try MyLib.reject("no thanks"); nothing catch err; err end
    @test e isa ArgumentError && e.msg == "no thanks"
end

@testset "handles: Julia values in, Julia values out" begin
    @test MyLib.apply(x -> x * 2, 21) === 42
    @test MyLib.apply(uppercase, "abc") == "ABC"
    big = collect(1:1000)
    r = MyLib.apply(x -> x .+ 1, big)
    @test r == collect(2:1001)
    @test MyLib.label("n=", 5) == "n=5"
    @test MyLib.count((1, 2, 3)) === Int64(3)
    @test MyLib.count("four") === Int64(4)
    @test MyLib.apply_inner(x -> x + 1, 41) === Int64(42)
    # results survive collections right after the call
    for i in 1:200
        s = MyLib.label("k", i)
        GC.gc(false)
        @test s == "k$i"
    end
    GC.gc()
    @test MyLib.apply(identity, :sym) === :sym
end

@testset "re-raise: same exception, C cleanup ran, backtrace kept" begin
    before = MyLib.cleanup_count()
    thrower(x) = throw(DomainError(x, "thrown in Julia"))
    e = nothing
    bt = nothing
    try
        MyLib.apply(thrower, 5)
    catch err
        e = err
        bt = catch_backtrace()
    end
    @test e isa DomainError && e.val == 5 && e.msg == "thrown in Julia"
    @test MyLib.cleanup_count() == before + 1
    # the backtrace is the one of the original throw: it has thrower in it
    frames = stacktrace(bt)
    @test any(f -> f.func === :thrower, frames)
    # the same object comes back
    obj = ErrorException("identity")
    e2 = try MyLib.apply(x -> throw(obj), 1); nothing catch err; err end
    @test e2 === obj
    # re-raised from a scope the C function closed before returning
    e3 = try MyLib.apply_inner(x -> error("inner"), 1); nothing catch err; err end
    @test e3 isa ErrorException && e3.msg == "inner"
    # a JLC_EXCEPTION returned as it is (no jlc_export_rethrow)
    e4 = try MyLib.passthrough(x -> throw(KeyError(x)), :k); nothing catch err; err end
    @test e4 isa KeyError && e4.key === :k
    # an exception in count's length call (rethrow path of a scalar return)
    e5 = try MyLib.count(nothing); nothing catch err; err end
    @test e5 isa MethodError && e5.f === length
end

@testset "a C function that throws on every call, in a loop" begin
    # each failing call with handles opens and closes a scope: 70_000 is more
    # than jlc's scope records (65536), so a leaked scope would fail here
    n = 0
    for i in 1:70_000
        try
            MyLib.apply(error, "x")
        catch
            n += 1
        end
    end
    @test n == 70_000
    m = 0
    for i in 1:20_000
        try
            MyLib.checked_sqrt(-1.0)
        catch err
            m += err isa DomainError
        end
    end
    @test m == 20_000
    @test MyLib.apply(x -> x + 1, 1) === 2
    @test MyLib.label("ok", 1) == "ok1"
end

@testset "opaque types with a destructor" begin
    c = MyLib.counter_new(10)
    @test c isa MyLib.Counter
    @test c isa JLC.Opaque
    @test MyLib.counter_add!(c, 5) === Int64(15)
    @test MyLib.counter_total(c) === Int64(15)
    @test occursin("running total", string(@doc MyLib.Counter))
    before = MyLib.destroyed_count()
    finalize(c)                                      # freed now, exactly once
    @test MyLib.destroyed_count() == before + 1
    e = try MyLib.counter_total(c); nothing catch err; err end
    @test e isa JlcError && e.status === :JLC_ERR_STALE
    finalize(c)
    @test MyLib.destroyed_count() == before + 1
    # objects Julia collects are freed by the GC, each once
    before = MyLib.destroyed_count()
    let
        for i in 1:100
            MyLib.counter_new(i)
        end
    end
    GC.gc(); GC.gc()
    @test MyLib.destroyed_count() - before >= 90   # unreachable ones; a few may still be on the stack
end

@testset "callbacks: C keeps a Julia function and calls it later" begin
    live0 = MyLib.cb_live()
    @test MyLib.cb_register(cb_square) === nothing
    @test MyLib.cb_live() == live0 + 1
    # later: separate calls from Julia into C, which calls the kept function
    @test MyLib.cb_fire(3.0) === 9.0
    @test MyLib.cb_fire_status(1.5) === JLC_OK
    @test MyLib.cb_sum(10) === sum(Float64(i)^2 for i in 1:10)     # 385.0, C's loop
    @test MyLib.cb_function() === cb_square
    # survives collections: jlc keeps the function, C keeps only the handle
    GC.gc(); GC.gc()
    @test MyLib.cb_fire(-4.0) === 16.0
    # replacing it frees the old one; the count stays
    MyLib.cb_register(cb_int)
    @test MyLib.cb_live() == live0 + 1
    @test MyLib.cb_fire(2.6) === 3.0
end

@testset "callbacks: re-entry into Julia from a callback" begin
    MyLib.cb_register(cb_reenter)
    @test MyLib.cb_fire(3.0) === 10.0                 # apply: 6, add: 4
    @test MyLib.cb_sum(4) === sum(3.0i + 1 for i in 1:4)
    # a closure works too (it compiles a pointer of its own)
    k = 5.0
    MyLib.cb_register(x -> k * x + MyLib.cb_live())
    @test MyLib.cb_fire(2.0) === 10.0 + MyLib.cb_live()
end

@testset "callbacks: a throwing callback is reported to its C caller" begin
    MyLib.cb_register(cb_throws)
    @test MyLib.cb_fire(1.0) === 1.0
    st = MyLib.cb_fire_status(3.0)
    @test status_name(st) == "JLC_EXCEPTION"
    @test MyLib.cb_last_status() == st
    msg = MyLib.cb_message()
    @test occursin("DomainError", msg) && occursin("too big for the callback", msg)
    # the Julia caller of the C function sees what C made of it
    e = try MyLib.cb_fire(5.0); nothing catch err; err end
    @test e isa JLC.CError && e.type == "CallbackError" && occursin("too big for the callback", e.msg)
    # in C's loop: stops at the first failure (i = 3), reported the same way
    e = try MyLib.cb_sum(10); nothing catch err; err end
    @test e isa JLC.CError && occursin("DomainError", e.msg)
    # and the callback still works afterwards, many failures later
    for i in 1:2000
        MyLib.cb_fire_status(9.0)
    end
    @test MyLib.cb_fire(2.0) === 2.0
end

@testset "callbacks: a freed callback is a status, not a crash" begin
    MyLib.cb_register(cb_square)
    live = MyLib.cb_live()
    @test MyLib.cb_unregister() === nothing
    @test MyLib.cb_live() == live - 1
    st = MyLib.cb_fire_status(2.0)
    @test status_name(st) == "JLC_ERR_STALE"
    @test occursin("stale callback", MyLib.cb_message())
    e = try MyLib.cb_fire(2.0); nothing catch err; err end
    @test e isa JlcError && e.status === :JLC_ERR_STALE
    e = try MyLib.cb_function(); nothing catch err; err end
    @test e isa JlcError && e.status === :JLC_ERR_STALE
    e = try MyLib.cb_unregister(); nothing catch err; err end    # a second free
    @test e isa JlcError && e.status === :JLC_ERR_STALE
    # a new callback reuses the slot; the old handle stays stale
    MyLib.cb_register(cb_square)
    @test MyLib.cb_fire(3.0) === 9.0
    MyLib.cb_unregister()
    # a function without a method for the signature is refused at registration
    e = try MyLib.cb_register(cb_bad); nothing catch err; err end
    @test e isa JlcError && e.status === :JLC_ERR_NOT_FOUND
    @test status_name(MyLib.cb_fire_status(1.0)) == "JLC_ERR_STALE"
end

@testset "worker threads: C computes, wakes Julia through an AsyncCondition" begin
    expected(n) = (s = 0.0; for k in 1:n; s += 1.0 / (Float64(k) * Float64(k)); end; s)
    n = 20_000_000
    cond = Base.AsyncCondition()
    w = MyLib.worker_start(cond.handle, n, true)    # gated: computes at worker_go
    @test w isa MyLib.Worker
    # Julia waits in a task, without blocking its scheduler: another task
    # keeps running meanwhile, and it is the one that lets the worker go
    waiter = @async begin
        while !MyLib.worker_done(w)
            wait(cond)
        end
        MyLib.worker_result(w)
    end
    ticks = Ref(0)
    ticker = @async begin
        while ticks[] < 5
            ticks[] += 1
            sleep(0.001)
        end
        @test !istaskdone(waiter)       # still waiting after 5 ticks
        MyLib.worker_go(w)
    end
    r = fetch(waiter)
    wait(ticker)
    @test r === expected(n)
    @test MyLib.worker_notify_status(w) == JLC_OK
    @test ticks[] == 5
    close(cond)
    # several workers at once, each with its own condition
    conds = [Base.AsyncCondition() for i in 1:4]
    ws = [MyLib.worker_start(conds[i].handle, 100_000 * i, false) for i in 1:4]
    rs = asyncmap(1:4) do i
        while !MyLib.worker_done(ws[i])
            wait(conds[i])
        end
        MyLib.worker_result(ws[i])
    end
    @test rs == [expected(100_000 * i) for i in 1:4]
    foreach(close, conds)
    # the destructor joins the thread, exactly once per worker
    before = MyLib.workers_joined()
    finalize(w); foreach(finalize, ws)
    @test MyLib.workers_joined() == before + 5
    # bad input: a NULL handle is a status; a result asked for too early is an error
    @test status_name(MyLib.notify_null()) == "JLC_ERR_ARG"
    e = try MyLib.worker_start(C_NULL, -1, false); nothing catch err; err end
    @test e isa ArgumentError
end

@testset "bad tables are refused at load, naming the entry" begin
    function refused(entry)
        try
            JLC.load_module(:Bad, LIB; entry = entry)
            return nothing
        catch err
            return err
        end
    end
    e = refused(:bad_signature)
    @test e isa JlcError && e.status === :JLC_ERR_ARG && occursin("function \"f\"", e.msg)
    e = refused(:bad_duplicate)
    @test e isa JlcError && e.status === :JLC_ERR_ARG && occursin("used twice", e.msg)
    e = refused(:bad_null)
    @test e isa JlcError && e.status === :JLC_ERR_ARG && occursin("NULL pointer", e.msg)
    e = refused(:bad_type)
    @test e isa JlcError && e.status === :JLC_ERR_UNSUPPORTED && occursin("long", e.msg)
    e = refused(:bad_noscope)
    @test e isa JlcError && e.status === :JLC_ERR_ARG && occursin("jlc_scope", e.msg)
    e = refused(:bad_opaque)
    @test e isa JlcError && e.status === :JLC_ERR_NOT_FOUND && occursin("Nope", e.msg)
    e = refused(:bad_name)
    @test e isa JlcError && e.status === :JLC_ERR_ARG && occursin("not a Julia identifier", e.msg)
    e = refused(:bad_abi)
    @test e isa JlcError && e.status === :JLC_ERR_ARG && occursin("abi", e.msg)
    # and the good module still works
    @test MyLib.add(2.0, 2.0) === 4.0
end

end # testset JLC

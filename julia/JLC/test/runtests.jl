# The JLC package against tests/export/export_lib.c (built by CMake as
# libjlct_export.so). Run by ctest (test julia_jlc_package):
#   julia --project=julia/JLC julia/JLC/test/runtests.jl <path to libjlct_export.so>
# or with the library in JLC_TEST_LIB.
using Test
using JLC

const LIB = isempty(ARGS) ? get(ENV, "JLC_TEST_LIB", "") : ARGS[1]
isfile(LIB) || error("runtests.jl: give the path of libjlct_export.so (argument or JLC_TEST_LIB)")

@jlc_module MyLib LIB

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

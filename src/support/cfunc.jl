# Typed calls' Julia side (submodule JlcSupport.CfuncSupport, used by src/cfunc):
#
# For a callable f and a C signature, cfunc_make evaluates specialised
# wrapper functions into this module, with f and every type spliced in as
# literals (no runtime closures), and returns `@cfunction` pointers to them.
# Wrappers are bound as globals of this module, which jlc roots until
# shutdown, so the pointers stay valid that long. Everything here is named
# cfunc_* because all areas share the module.
#
# Type codes (mirrors include/jlc/cfunc.h): low byte = base type, 0x100 =
# pointer to it, 0x200 = const (with pointer-to-struct: pass the struct's
# value to f, loaded by the wrapper).

# Julia type per code, from the one C table (src/base/ctype.c), set by cfunc_init.
const CFUNC_BASE = Any[]
const CFUNC_STRUCT = Ref(-1)
const CFUNC_PTR = 0x100
const CFUNC_CONST = 0x200

const CFUNC_LOCK = ReentrantLock()
# Keeps every function and struct type a pointer was made for alive (the
# wrappers hold them as literals too).
const CFUNC_REGISTRY = Any[]
const CFUNC_COUNTER = Ref(0)
# C hook that copies a failure's text into jlc_last_error() of the thread.
const CFUNC_NOTE = Ref{Ptr{Cvoid}}(C_NULL)
const CFUNC_EXC_STATUS = Ref{Int32}(1)
# C hook (jlc__exception_park) that parks a caught exception and its raw
# exception stack in the calling thread's jlc state, for jlc_cfunc_exception().
const CFUNC_PARK = Ref{Ptr{Cvoid}}(C_NULL)
const exception_text = parentmodule(@__MODULE__).CoreSupport.exception_text
# Julia's world counter, read by nothrow-elided wrappers on every call; C_NULL
# if this Julia does not export it (then a ccall reads it).
const CFUNC_WORLD = try
    cglobal(:jl_world_counter, UInt)
catch
    Ptr{UInt}(C_NULL)
end

# Idempotent: two threads may both run it before either marks the area ready.
function cfunc_init(note::Ptr{Cvoid}, park::Ptr{Cvoid}, exc_status::Int,
                    types::Core.SimpleVector, struct_code::Int)
    lock(CFUNC_LOCK)
    try
        empty!(CFUNC_BASE)
        append!(CFUNC_BASE, collect(Any, types))
        CFUNC_STRUCT[] = struct_code
        CFUNC_NOTE[] = note
        CFUNC_PARK[] = park
        CFUNC_EXC_STATUS[] = Int32(exc_status)
    finally
        unlock(CFUNC_LOCK)
    end
    return nothing
end

cfunc_world() = CFUNC_WORLD == C_NULL ? Base.get_world_counter() : unsafe_load(CFUNC_WORLD)
cfunc_world_expr() = CFUNC_WORLD == C_NULL ? :(ccall(:jl_get_world_counter, UInt, ())) :
                     :(unsafe_load($CFUNC_WORLD))

# Called (not inlined) from the catch block of a checked wrapper: keeps the
# exception for jlc_cfunc_exception(), describes it for jlc_last_error(),
# returns JLC_EXCEPTION. Runs only on the failure path.
@noinline function cfunc_caught()
    raw = ccall(:jl_get_excstack, Any, (Any, Cint, Cint), current_task(), true, 1)
    ccall(CFUNC_PARK[], Cvoid, (Any, Any), raw[1], raw)
    if CFUNC_NOTE[] != C_NULL
        text = try
            exception_text(raw[1], nothing, false)
        catch
            string(typeof(raw[1]))
        end
        GC.@preserve text ccall(CFUNC_NOTE[], Cvoid, (Ptr{UInt8},), pointer(text))
    end
    return CFUNC_EXC_STATUS[]
end

# ---- nothrow analysis ----
#
# A checked wrapper needs a try/catch only if the call can throw. This proves,
# conservatively, that it cannot: every statement of the optimised code of the
# call (and, recursively, of every method it invokes) must be one of a small
# set that raises no Julia exception and does not allocate: listed intrinsics
# with well-typed arguments, a few builtins, control flow, isbits `new`, and
# every value unboxed (so nothing allocates, dispatches or reads the world age).
# Anything else (a ccall, a dynamic call, `throw`, integer division, stores
# through pointers, array access) makes the answer "may throw". A wrong "may
# throw" only costs speed; the list errs that way.

const CFUNC_INTRINSICS = let d = Dict{Any,Symbol}()
    same = (:neg_int, :add_int, :sub_int, :mul_int, :neg_float, :add_float, :sub_float,
            :mul_float, :div_float, :rem_float, :fma_float, :muladd_float, :neg_float_fast,
            :add_float_fast, :sub_float_fast, :mul_float_fast, :div_float_fast, :rem_float_fast,
            :eq_int, :ne_int, :slt_int, :ult_int, :sle_int, :ule_int, :eq_float, :ne_float,
            :lt_float, :le_float, :eq_float_fast, :ne_float_fast, :lt_float_fast, :le_float_fast,
            :fpiseq, :fpislt, :and_int, :or_int, :xor_int, :not_int, :bswap_int, :ctpop_int,
            :ctlz_int, :cttz_int, :abs_float, :copysign_float, :flipsign_int, :ceil_llvm,
            :floor_llvm, :trunc_llvm, :rint_llvm, :sqrt_llvm, :sqrt_llvm_fast,
            :checked_sadd_int, :checked_uadd_int, :checked_ssub_int, :checked_usub_int,
            :checked_smul_int, :checked_umul_int)
    for s in same
        isdefined(Core.Intrinsics, s) && (d[getfield(Core.Intrinsics, s)] = :same)
    end
    for s in (:shl_int, :lshr_int, :ashr_int)
        isdefined(Core.Intrinsics, s) && (d[getfield(Core.Intrinsics, s)] = :shift)
    end
    for (s, k) in ((:sext_int, :grow), (:zext_int, :grow), (:fpext, :grow), (:trunc_int, :shrink),
                   (:fptrunc, :shrink), (:bitcast, :samesize), (:fptoui, :convert),
                   (:fptosi, :convert), (:uitofp, :convert), (:sitofp, :convert))
        isdefined(Core.Intrinsics, s) && (d[getfield(Core.Intrinsics, s)] = k)
    end
    # Reads through a pointer: a bad address crashes, it never throws.
    isdefined(Core.Intrinsics, :pointerref) && (d[Core.Intrinsics.pointerref] = :load)
    d
end

cfunc_widen(@nospecialize t) = Core.Compiler.widenconst(t)

function cfunc_argtype(@nospecialize(x), ci::Core.CodeInfo)
    if x isa Core.SSAValue
        return cfunc_widen(ci.ssavaluetypes[x.id])
    elseif x isa Core.SlotNumber
        return cfunc_widen(ci.slottypes[x.id])
    elseif isdefined(Core, :Argument) && x isa Core.Argument
        return cfunc_widen(ci.slottypes[x.n])
    elseif x isa GlobalRef
        ok, v = cfunc_const(x)
        return ok ? Core.Typeof(v) : Any
    elseif x isa QuoteNode
        return Core.Typeof(x.value)
    elseif x isa Expr
        return Any
    end
    return Core.Typeof(x)
end

# (true, value) if x is a constant: a literal, a quoted value or a constant global.
function cfunc_const(@nospecialize x)
    if x isa GlobalRef
        (isdefined(x.mod, x.name) && isconst(x.mod, x.name)) || return (false, nothing)
        return (true, getfield(x.mod, x.name))
    elseif x isa QuoteNode
        return (true, x.value)
    elseif x isa Expr || x isa Core.SSAValue || x isa Core.SlotNumber ||
           (isdefined(Core, :Argument) && x isa Core.Argument)
        return (false, nothing)
    end
    return (true, x)
end

cfunc_isfloat(@nospecialize t) = t === Float16 || t === Float32 || t === Float64
cfunc_prim(@nospecialize t) = t isa DataType && isconcretetype(t) && isprimitivetype(t)

function cfunc_intrinsic_ok(kind::Symbol, args, ci)
    ts = Any[cfunc_argtype(a, ci) for a in args]
    if kind === :same
        isempty(ts) && return false
        return all(t -> cfunc_prim(t) && t === ts[1], ts)
    elseif kind === :shift
        return length(ts) == 2 && cfunc_prim(ts[1]) && cfunc_prim(ts[2])
    elseif kind === :load
        length(ts) == 3 || return false
        p = ts[1]
        return p isa DataType && p <: Ptr && isconcretetype(p) && isbitstype(eltype(p)) &&
               ts[2] === Int && ts[3] === Int
    end
    # conversions: (T, x)
    length(args) == 2 || return false
    ok, T = cfunc_const(args[1])
    (ok && cfunc_prim(T) && cfunc_prim(ts[2])) || return false
    S = ts[2]
    kind === :grow && return sizeof(T) > sizeof(S)
    kind === :shrink && return sizeof(T) < sizeof(S)
    kind === :samesize && return sizeof(T) == sizeof(S)
    return cfunc_isfloat(T) || cfunc_isfloat(S)   # :convert
end

function cfunc_call_ok(ex::Expr, ci)
    ok, fn = cfunc_const(ex.args[1])
    ok || return false
    args = ex.args[2:end]
    if fn isa Core.IntrinsicFunction
        kind = get(CFUNC_INTRINSICS, fn, :none)
        return kind !== :none && cfunc_intrinsic_ok(kind, args, ci)
    end
    n = length(args)
    fn === (===) && return n == 2
    fn === Core.tuple && return true
    fn === typeof && return n == 1
    fn === Core.ifelse && return n == 3 && cfunc_argtype(args[1], ci) === Bool
    if fn === isa || fn === Core.typeassert
        n == 2 || return false
        okT, T = cfunc_const(args[2])
        okT && T isa Type || return false
        return fn === isa || cfunc_argtype(args[1], ci) <: T
    end
    if fn === getfield
        (n == 2 || (n == 3 && cfunc_argtype(args[3], ci) === Bool)) || return false
        T = cfunc_argtype(args[1], ci)
        (T isa DataType && isconcretetype(T) && isbitstype(T)) || return false
        okf, fld = cfunc_const(args[2])
        okf || return false
        fld isa Symbol && return Base.hasfield(T, fld)
        fld isa Int && return 1 <= fld <= fieldcount(T)
        return false
    end
    return false
end

# Values of these types live in registers or on the stack, never boxed on the
# heap: code that only makes such values does not allocate.
function cfunc_unboxed(@nospecialize t)
    t = cfunc_widen(t)
    isbitstype(t) && return true
    t isa Union || return false
    return all(isbitstype, Base.uniontypes(t))
end

function cfunc_stmt_ok(@nospecialize(st), ci::Core.CodeInfo, i::Int, depth::Int, seen, budget)
    t = ci.ssavaluetypes isa Vector ? ci.ssavaluetypes[i] : Any
    t === Union{} && return false
    # A statement that makes a value must make an unboxed one (no allocation).
    if st isa Core.PhiNode || st isa Core.PiNode ||
       (st isa Expr && st.head in (:call, :new, :invoke))
        cfunc_unboxed(t) || return false
    end
    (st === nothing || st isa LineNumberNode || st isa Core.GotoNode || st isa Core.PhiNode ||
     st isa Core.PiNode || st isa Core.SSAValue || st isa Core.SlotNumber) && return true
    isdefined(Core, :Argument) && st isa Core.Argument && return true
    if isdefined(Core, :GotoIfNot) && st isa getfield(Core, :GotoIfNot)
        return cfunc_argtype(st.cond, ci) === Bool
    end
    if isdefined(Core, :ReturnNode) && st isa getfield(Core, :ReturnNode)
        return isdefined(st, :val)   # a ReturnNode without a value marks unreachable code
    end
    st isa GlobalRef && return cfunc_const(st)[1]
    st isa QuoteNode && return true
    st isa Expr || return isbits(st)
    h = st.head
    h === :return && return true
    h === :gotoifnot && return cfunc_argtype(st.args[1], ci) === Bool
    h in (:meta, :inbounds, :loopinfo, :code_coverage_effect, :boundscheck, :gc_preserve_begin,
          :gc_preserve_end, :aliasscope, :popaliasscope) && return true
    h === :call && return cfunc_call_ok(st, ci)
    if h === :new
        okT, T = cfunc_const(st.args[1])
        (okT && T isa DataType && isconcretetype(T) && isbitstype(T)) || return false
        length(st.args) - 1 == fieldcount(T) || return false
        for j in 1:fieldcount(T)
            cfunc_argtype(st.args[j+1], ci) <: fieldtype(T, j) || return false
        end
        return true
    end
    if h === :invoke
        mi = st.args[1]
        mi isa Core.MethodInstance || return false
        mi in seen && return false          # recursion could overflow the stack
        push!(seen, mi)
        sig = Base.unwrap_unionall(mi.specTypes)
        sig isa DataType || return false
        ft = sig.parameters[1]
        (ft isa DataType && isdefined(ft, :instance)) || return false
        # Arguments the callee takes boxed would be allocated by the caller.
        all(p -> p isa Type && isbitstype(p), sig.parameters[2:end]) || return false
        r = cfunc_nothrow_rec(ft.instance, Tuple{sig.parameters[2:end]...}, depth + 1, seen, budget)
        delete!(seen, mi)
        return r
    end
    return false
end

function cfunc_nothrow_rec(@nospecialize(f), @nospecialize(types), depth::Int, seen, budget)
    depth > 8 && return false
    res = try
        code_typed(f, types; optimize = true)
    catch
        return false
    end
    length(res) == 1 || return false
    ci, rt = res[1]
    (ci isa Core.CodeInfo && rt !== Union{}) || return false
    budget[] -= length(ci.code)
    budget[] < 0 && return false
    for i in 1:length(ci.code)
        cfunc_stmt_ok(ci.code[i], ci, i, depth, seen, budget) || return false
    end
    return true
end

# The release line the nothrow proof and the direct entry were verified on.
# Both read compiler internals (optimised IR, CodeInstance fields) and the
# direct entry assumes a specsig function has the plain C calling convention,
# which stops being true in later releases (1.10 passes the GC stack pointer
# in an extra register). Elsewhere every pointer takes the always-correct
# @cfunction entry with a try/catch: slower, never unsound.
const CFUNC_VERIFIED = v"1.5.0" <= VERSION < v"1.6.0-"

# true if calling f with arguments of these types provably raises no Julia
# exception in the current world.
cfunc_nothrow(@nospecialize(f), @nospecialize(types)) =
    CFUNC_VERIFIED && try
        cfunc_nothrow_rec(f, types, 0, Base.IdSet{Any}(), Ref(4000))
    catch
        false
    end

# The state of a nothrow wrapper's fast path: armed while Julia's world
# counter equals `armed`. `seen` is the last world looked at; `ci` the code
# instance of the fast entry (compiled code whose validity Julia tracks through
# backedges); `direct` whether the pointer enters that code directly.
mutable struct CfuncArm
    armed::UInt
    seen::UInt
    ci::Any
    direct::Bool
end

# Runs on the slow path of a nothrow wrapper (under a proper @cfunction
# entry) when the world has moved on. While the entry's code instance is still
# valid, nothing it calls or inlined has changed (Julia invalidates it through
# backedges otherwise), so the proof still holds: re-arm at once. Once it is
# invalidated, a direct pointer stays on the slow path for good (its machine
# code is stale); an @cfunction pointer (recompiled by Julia) is proved again.
@noinline function cfunc_revalidate(@nospecialize(body), @nospecialize(types), st::CfuncArm,
                                    @nospecialize(entry), ctypes, @nospecialize(rt))
    w = cfunc_world()
    w == st.seen && return nothing
    st.seen = w
    if st.ci !== nothing && cfunc_ci_current(st.ci)
        st.armed = w
    elseif !st.direct && cfunc_nothrow(body, types)
        found = cfunc_codeinstance(entry, ctypes, rt)
        st.ci = found === nothing ? nothing : found[1]
        st.armed = w
    end
    return nothing
end

cfunc_ci_current(ci) = try
    ci.max_world == typemax(UInt)
catch
    false
end

# The code instance of fn's compiled specialisation for these argument
# types, valid in the current world, and its entry if that has the C calling
# convention for them (a "specsig" function whose arguments and result are all
# primitive bits types, as ours are): calling it directly skips @cfunction's
# entry work (thread state, world age), which the nothrow fast path does not
# need. Reads Julia's internal CodeInstance, whose fields differ between
# releases: anything unexpected gives nothing (or no entry), and the caller
# keeps the @cfunction pointer. Returns (ci, entry or C_NULL) or nothing.
function cfunc_codeinstance(@nospecialize(fn), ctypes, @nospecialize(rt))
    CFUNC_VERIFIED || return nothing
    try
        m = which(fn, Tuple{ctypes...})
        mi = Core.Compiler.specialize_method(m, Tuple{typeof(fn), ctypes...}, Core.svec())
        isdefined(mi, :cache) || return nothing
        ci = mi.cache
        w = cfunc_world()
        while ci isa Core.CodeInstance
            if ci.min_world <= w <= ci.max_world && ci.rettype === rt
                spec = if hasfield(typeof(ci), :isspecsig)
                    ci.isspecsig
                elseif hasfield(typeof(ci), :specsigflags)
                    (ci.specsigflags & 0x3) == 0x3
                else
                    false
                end
                p = spec && hasfield(typeof(ci), :specptr) ? ci.specptr : C_NULL
                return (ci, p isa Ptr ? Ptr{Cvoid}(p) : C_NULL)
            end
            ci = isdefined(ci, :next) ? ci.next : nothing
        end
    catch
    end
    return nothing
end

# ---- making wrappers ----

function cfunc_decode(code::Integer, @nospecialize(stype))
    base = Int(code & 0xff)
    T = base == CFUNC_STRUCT[] ? stype : CFUNC_BASE[base+1]
    return (code & CFUNC_PTR) != 0 ? Ptr{T} : T
end

function cfunc_callable(@nospecialize f)
    (f isa Function || f isa Type) && return true
    return !isempty(methods(f))
end

function cfunc_sigtext(@nospecialize(f), jargs)
    io = IOBuffer()
    print(io, f isa Function ? nameof(f) : repr(f), "(")
    for (i, T) in enumerate(jargs)
        print(io, i > 1 ? ", ::" : "::", T)
    end
    print(io, ")")
    return String(take!(io))
end

# Decodes a signature and checks it against f. Returns (R, cargs, jargs,
# byval) or (kind, message) with kind 1 = not found, 2 = type, 3 = unsupported.
function cfunc_prepare(@nospecialize(f), codes::Ptr{UInt16}, n::Int, stypes::Core.SimpleVector,
                       map::Bool)
    for i in 0:n
        code = unsafe_load(codes, i + 1)
        Int(code & 0xff) == CFUNC_STRUCT[] || continue
        S = stypes[i+1]
        S isa DataType || return (2, "$(repr(S)) is not a type")
        (isconcretetype(S) && isbitstype(S)) ||
            return (3, "struct type $S is not an isbits type (only plain-data structs can pass through C)")
    end
    cfunc_callable(f) || return (2, "a value of type $(typeof(f)) is not callable (it has no methods)")
    R = cfunc_decode(unsafe_load(codes, 1), stypes[1])
    cargs = Any[]
    jargs = Any[]
    byval = Bool[]
    for i in 1:n
        code = unsafe_load(codes, i + 1)
        C = cfunc_decode(code, stypes[i+1])
        bv = Int(code & 0xff) == CFUNC_STRUCT[] && (code & CFUNC_PTR) != 0 && (code & CFUNC_CONST) != 0
        push!(cargs, C)
        push!(jargs, bv ? eltype(C) : C)
        push!(byval, bv)
    end
    hasmethod(f, Tuple{jargs...}) || return (1, "no method matching " * cfunc_sigtext(f, jargs))
    if R !== Cvoid
        rt = Union{}
        for t in Base.return_types(f, Tuple{jargs...})
            rt = Union{rt, t}
        end
        if rt !== Union{} && isconcretetype(rt) && !(rt <: R) &&
           !hasmethod(convert, Tuple{Type{R}, rt})
            return (2, cfunc_sigtext(f, jargs) * " returns $rt, which does not convert to $R")
        end
    end
    return (R, cargs, jargs, byval)
end

function cfunc_eval(ex)
    return Core.eval(@__MODULE__, ex)
end

# Makes a wrapper. On success writes res[1] = the pointer, res[3] = 1 if the
# try was elided, and returns nothing; on failure writes res[2] = kind (1 not
# found, 2 type, 3 unsupported) and returns the message. mode bits: 1 =
# unchecked, 2 = never elide the try, 4 = a map kernel.
function cfunc_make(@nospecialize(f), codesv::Ptr{Cvoid}, n::Int, stypes::Core.SimpleVector,
                    mode::Int, resv::Ptr{Cvoid})
    codes = Ptr{UInt16}(codesv)
    res = Ptr{UInt}(resv)
    lock(CFUNC_LOCK)
    r = try
        cfunc_make_locked(f, codes, n, stypes, mode)
    finally
        unlock(CFUNC_LOCK)
    end
    if r[1] isa Int
        unsafe_store!(res, UInt(r[1]), 2)
        return r[2]::String
    end
    push!(CFUNC_REGISTRY, (f, stypes))
    unsafe_store!(res, UInt(r[1]), 1)
    unsafe_store!(res, UInt(r[2]), 3)
    return nothing
end

# Compiles the helpers the slow and failure paths call, so their first use
# (the first call after the world moves on, or the first exception) does not
# pay for compiling them. Once per process, when the first pointer is made.
const CFUNC_WARM = Ref(false)
function cfunc_warm()
    CFUNC_WARM[] && return
    CFUNC_WARM[] = true
    precompile(cfunc_revalidate, (Any, Any, CfuncArm, Any, Vector{Any}, Any))
    precompile(cfunc_ci_current, (Core.CodeInstance,))
    precompile(cfunc_caught, ())
    return
end

function cfunc_make_locked(@nospecialize(f), codes, n, stypes, mode)
    cfunc_warm()
    ismap = (mode & 4) != 0
    prep = cfunc_prepare(f, codes, n, stypes, ismap)
    prep[1] isa Int && return prep
    R, cargs, jargs, byval = prep
    id = (CFUNC_COUNTER[] += 1)
    fq = QuoteNode(f)
    ismap && return (cfunc_make_map(fq, R, cargs, byval, id), false)

    a = Any[Symbol(:a, i) for i in 1:n]
    params = Any[:($(a[i])::$(cargs[i])) for i in 1:n]
    callargs = Any[byval[i] ? :(unsafe_load($(a[i]))) : a[i] for i in 1:n]
    call = Expr(:call, fq, callargs...)
    body = Symbol(:cfunc_body_, id)
    bodyexpr = R === Cvoid ? :($call; nothing) : :(convert($R, $call)::$R)
    cfunc_eval(:(@inline $body($(params...)) = $bodyexpr))
    unchecked = (mode & 1) != 0
    bodyfn = cfunc_eval(body)
    types = Tuple{cargs...}
    nothrow = (mode & 2) == 0 && cfunc_nothrow(bodyfn, types)
    RT = unchecked ? R : Int32
    if unchecked && !nothrow
        return (cfunc_eval(:(@cfunction($body, $R, ($(cargs...),)))), false)
    end

    # Checked: jlc_status f(args..., R *out); no out when R is void.
    outp = unchecked || R === Cvoid ? Any[] : Any[:(out::Ptr{$R})]
    outa = unchecked || R === Cvoid ? Any[] : Any[:out]
    ctypes = unchecked || R === Cvoid ? cargs : Any[cargs..., Ptr{R}]
    run = unchecked || R === Cvoid ? :($body($(a...))) : :(unsafe_store!(out, $body($(a...))))
    arm = CfuncArm(0, 0, nothing, false)
    entry = Symbol(:cfunc_fast_, id)
    reval = nothrow ? :(cfunc_revalidate($bodyfn, $types, $arm, $entry, $ctypes, $RT)) : nothing
    slow = Symbol(:cfunc_slow_, id)
    if unchecked
        cfunc_eval(:(@noinline function $slow($(params...))
            $reval
            return $run
        end))
    else
        cfunc_eval(:(@noinline function $slow($(params...), $(outp...))
            $reval
            try
                $run
            catch
                return cfunc_caught()
            end
            return Int32(0)
        end))
    end
    slowptr = cfunc_eval(:(@cfunction($slow, $RT, ($(ctypes...),))))
    nothrow || return (slowptr, false)

    # Nothrow: the fast path runs the call with no handler while the world is
    # the one it was proved in; otherwise it takes the slow path through its
    # @cfunction entry (world age, thread state), which re-proves and re-arms.
    world = cfunc_world_expr()
    fastret = unchecked ? :(return $run) : :($run; return Int32(0))
    cfunc_eval(:(function $entry($(params...), $(outp...))
        if $world === $arm.armed
            $fastret
        end
        return ccall($slowptr, $RT, ($(ctypes...),), $(a...), $(outa...))
    end))
    entryptr = cfunc_eval(:(@cfunction($entry, $RT, ($(ctypes...),))))
    found = cfunc_codeinstance(cfunc_eval(entry), ctypes, RT)
    arm.ci = found === nothing ? nothing : found[1]
    arm.direct = found !== nothing && found[2] != C_NULL
    push!(CFUNC_REGISTRY, arm)
    arm.armed = arm.seen = cfunc_world()   # the definitions above moved the world on
    return (arm.direct ? found[2] : entryptr, true)
end

# A map kernel: void k(int64_t n, const void *const *in, void *out) applying f
# to element i of every input array and storing into out[i].
function cfunc_make_map(fq, R, cargs, byval, id)
    n = length(cargs)
    p = Any[Symbol(:p, i) for i in 1:n]
    loads = Any[:($(p[i]) = Ptr{$(cargs[i])}(unsafe_load(ins, $i))) for i in 1:n]
    elts = Any[byval[i] ? :(unsafe_load(unsafe_load($(p[i]), i))) : :(unsafe_load($(p[i]), i))
               for i in 1:n]
    call = Expr(:call, fq, elts...)
    step = R === Cvoid ? call : :(unsafe_store!(o, convert($R, $call)::$R, i))
    k = Symbol(:cfunc_map_, id)
    cfunc_eval(quote
        function $k(n::Int64, ins::Ptr{Ptr{Cvoid}}, out::Ptr{Cvoid})
            $(loads...)
            o = Ptr{$R}(out)
            for i in 1:n
                $step
            end
            return nothing
        end
    end)
    return cfunc_eval(:(@cfunction($k, Cvoid, (Int64, Ptr{Ptr{Cvoid}}, Ptr{Cvoid}))))
end

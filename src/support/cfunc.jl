# ---- typed calls (src/cfunc/): Julia functions as C function pointers ----
#
# Loaded as JlcSupport.CfuncSupport. For a callable f and a C signature, `make`
# evaluates specialised wrapper functions into this module, with f and every
# type spliced in as literals (no runtime closures), and returns `@cfunction`
# pointers to them. Wrappers are bound as globals of this module, which jlc
# roots until shutdown, so the pointers stay valid that long.
#
# The C side (src/cfunc/bridge.c) passes signatures as Julia types, one per
# slot (return first), from the one table of C scalar types in
# src/base/ctype.c: this file knows no type codes.

const LOCK = ReentrantLock()
# Keeps every function and struct type a pointer was made for alive (the
# wrappers hold them as literals too).
const REGISTRY = Any[]
const COUNTER = Ref(0)
# C hook that copies a failure's text into jlc_last_error() of the thread.
const NOTE = Ref{Ptr{Cvoid}}(C_NULL)
const EXC_STATUS = Ref{Int32}(1)
# C hook (jlc__exception_park) that parks a caught exception and its raw
# exception stack in the calling thread's jlc state, for jlc_cfunc_exception().
const PARK = Ref{Ptr{Cvoid}}(C_NULL)
const exception_text = parentmodule(@__MODULE__).CoreSupport.exception_text
# Julia's world counter, read by nothrow-elided wrappers on every call; C_NULL
# if this Julia does not export it (then a ccall reads it).
const WORLD = try
    cglobal(:jl_world_counter, UInt)
catch
    Ptr{UInt}(C_NULL)
end

# Idempotent: two threads may both run it before either marks the area ready.
# Returns the address of Julia's world counter (C_NULL if not exported), which
# jlc's own entries read on every call.
function init(note::Ptr{Cvoid}, park::Ptr{Cvoid}, exc_status::Int)
    lock(LOCK)
    try
        NOTE[] = note
        PARK[] = park
        EXC_STATUS[] = Int32(exc_status)
    finally
        unlock(LOCK)
    end
    return Ptr{Cvoid}(WORLD)
end

world() = WORLD == C_NULL ? Base.get_world_counter() : unsafe_load(WORLD)
world_expr() = WORLD == C_NULL ? :(ccall(:jl_get_world_counter, UInt, ())) : :(unsafe_load($WORLD))

# Called (not inlined) from the catch block of a checked wrapper: keeps the
# exception for jlc_cfunc_exception(), describes it for jlc_last_error(),
# returns JLC_EXCEPTION. Runs only on the failure path.
@noinline function caught()
    raw = ccall(:jl_get_excstack, Any, (Any, Cint, Cint), current_task(), true, 1)
    ccall(PARK[], Cvoid, (Any, Any), raw[1], raw)
    if NOTE[] != C_NULL
        text = try
            exception_text(raw[1], nothing, false)
        catch
            string(typeof(raw[1]))
        end
        GC.@preserve text ccall(NOTE[], Cvoid, (Ptr{UInt8},), pointer(text))
    end
    return EXC_STATUS[]
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

const INTRINSICS = let d = Dict{Any,Symbol}()
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

widened(@nospecialize t) = Core.Compiler.widenconst(t)

function argtype(@nospecialize(x), ci::Core.CodeInfo)
    if x isa Core.SSAValue
        return widened(ci.ssavaluetypes[x.id])
    elseif x isa Core.SlotNumber
        return widened(ci.slottypes[x.id])
    elseif isdefined(Core, :Argument) && x isa Core.Argument
        return widened(ci.slottypes[x.n])
    elseif x isa GlobalRef
        ok, v = constvalue(x)
        return ok ? Core.Typeof(v) : Any
    elseif x isa QuoteNode
        return Core.Typeof(x.value)
    elseif x isa Expr
        return Any
    end
    return Core.Typeof(x)
end

# (true, value) if x is a constant: a literal, a quoted value or a constant global.
function constvalue(@nospecialize x)
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

isfloat(@nospecialize t) = t === Float16 || t === Float32 || t === Float64
prim(@nospecialize t) = t isa DataType && isconcretetype(t) && isprimitivetype(t)

function intrinsic_ok(kind::Symbol, args, ci)
    ts = Any[argtype(a, ci) for a in args]
    if kind === :same
        isempty(ts) && return false
        return all(t -> prim(t) && t === ts[1], ts)
    elseif kind === :shift
        return length(ts) == 2 && prim(ts[1]) && prim(ts[2])
    elseif kind === :load
        length(ts) == 3 || return false
        p = ts[1]
        return p isa DataType && p <: Ptr && isconcretetype(p) && isbitstype(eltype(p)) &&
               ts[2] === Int && ts[3] === Int
    end
    # conversions: (T, x)
    length(args) == 2 || return false
    ok, T = constvalue(args[1])
    (ok && prim(T) && prim(ts[2])) || return false
    S = ts[2]
    kind === :grow && return sizeof(T) > sizeof(S)
    kind === :shrink && return sizeof(T) < sizeof(S)
    kind === :samesize && return sizeof(T) == sizeof(S)
    return isfloat(T) || isfloat(S)   # :convert
end

function call_ok(ex::Expr, ci)
    ok, fn = constvalue(ex.args[1])
    ok || return false
    args = ex.args[2:end]
    if fn isa Core.IntrinsicFunction
        kind = get(INTRINSICS, fn, :none)
        return kind !== :none && intrinsic_ok(kind, args, ci)
    end
    n = length(args)
    fn === (===) && return n == 2
    fn === Core.tuple && return true
    fn === typeof && return n == 1
    fn === Core.ifelse && return n == 3 && argtype(args[1], ci) === Bool
    if fn === isa || fn === Core.typeassert
        n == 2 || return false
        okT, T = constvalue(args[2])
        okT && T isa Type || return false
        return fn === isa || argtype(args[1], ci) <: T
    end
    if fn === getfield
        (n == 2 || (n == 3 && argtype(args[3], ci) === Bool)) || return false
        T = argtype(args[1], ci)
        (T isa DataType && isconcretetype(T) && isbitstype(T)) || return false
        okf, fld = constvalue(args[2])
        okf || return false
        fld isa Symbol && return Base.hasfield(T, fld)
        fld isa Int && return 1 <= fld <= fieldcount(T)
        return false
    end
    return false
end

# Values of these types live in registers or on the stack, never boxed on the
# heap: code that only makes such values does not allocate.
function unboxed(@nospecialize t)
    t = widened(t)
    isbitstype(t) && return true
    t isa Union || return false
    return all(isbitstype, Base.uniontypes(t))
end

function stmt_ok(@nospecialize(st), ci::Core.CodeInfo, i::Int, depth::Int, seen, budget)
    t = ci.ssavaluetypes isa Vector ? ci.ssavaluetypes[i] : Any
    t === Union{} && return false
    # A statement that makes a value must make an unboxed one (no allocation).
    if st isa Core.PhiNode || st isa Core.PiNode ||
       (st isa Expr && st.head in (:call, :new, :invoke))
        unboxed(t) || return false
    end
    (st === nothing || st isa LineNumberNode || st isa Core.GotoNode || st isa Core.PhiNode ||
     st isa Core.PiNode || st isa Core.SSAValue || st isa Core.SlotNumber) && return true
    isdefined(Core, :Argument) && st isa Core.Argument && return true
    if isdefined(Core, :GotoIfNot) && st isa getfield(Core, :GotoIfNot)
        return argtype(st.cond, ci) === Bool
    end
    if isdefined(Core, :ReturnNode) && st isa getfield(Core, :ReturnNode)
        return isdefined(st, :val)   # a ReturnNode without a value marks unreachable code
    end
    st isa GlobalRef && return constvalue(st)[1]
    st isa QuoteNode && return true
    st isa Expr || return isbits(st)
    h = st.head
    h === :return && return true
    h === :gotoifnot && return argtype(st.args[1], ci) === Bool
    h in (:meta, :inbounds, :loopinfo, :code_coverage_effect, :boundscheck, :gc_preserve_begin,
          :gc_preserve_end, :aliasscope, :popaliasscope) && return true
    h === :call && return call_ok(st, ci)
    if h === :new
        okT, T = constvalue(st.args[1])
        (okT && T isa DataType && isconcretetype(T) && isbitstype(T)) || return false
        length(st.args) - 1 == fieldcount(T) || return false
        for j in 1:fieldcount(T)
            argtype(st.args[j+1], ci) <: fieldtype(T, j) || return false
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
        r = nothrow_rec(ft.instance, Tuple{sig.parameters[2:end]...}, depth + 1, seen, budget)
        delete!(seen, mi)
        return r
    end
    return false
end

function nothrow_rec(@nospecialize(f), @nospecialize(types), depth::Int, seen, budget)
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
        stmt_ok(ci.code[i], ci, i, depth, seen, budget) || return false
    end
    return true
end

# The releases the nothrow proof and the code-instance lookups below were
# verified on: both read compiler internals (the optimiser's IR, CodeInstance
# fields), whose form changes between releases. Whether a specialised entry
# can be called from C at all is the C side's business (JLC__ENTRY_ABI in
# src/base/compat.h). Elsewhere every pointer takes the always-correct
# @cfunction entry with a try/catch: slower, never unsound.
const VERIFIED = (v"1.5.0" <= VERSION < v"1.6.0-") || (v"1.10.0" <= VERSION < v"1.12.0-")

# true if calling f with arguments of these types provably raises no Julia
# exception in the current world.
nothrow(@nospecialize(f), @nospecialize(types)) =
    VERIFIED && try
        nothrow_rec(f, types, 0, Base.IdSet{Any}(), Ref(4000))
    catch
        false
    end

# The state of a nothrow wrapper's fast path: armed while Julia's world
# counter equals `armed`. `seen` is the last world looked at; `ci` the code
# instance of the fast entry (compiled code whose validity Julia tracks through
# backedges); `direct` whether the pointer enters that code directly.
mutable struct Arm
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
@noinline function revalidate(@nospecialize(body), @nospecialize(types), st::Arm,
                                    @nospecialize(entry), ctypes, @nospecialize(rt))
    w = world()
    w == st.seen && return nothing
    st.seen = w
    if st.ci !== nothing && ci_current(st.ci)
        st.armed = w
    elseif !st.direct && nothrow(body, types)
        found = codeinstance(entry, ctypes, rt)
        st.ci = found === nothing ? nothing : found[1]
        st.armed = w
    end
    return nothing
end

# A field of a Julia internal object; releases from 1.7 on declare some of
# them @atomic, and those must be read with an ordering.
function ifield(@nospecialize(x), s::Symbol)
    isdefined(Base, :isfieldatomic) || return getfield(x, s)
    return Base.isfieldatomic(typeof(x), s) ? getfield(x, s, :acquire) : getfield(x, s)
end

ci_current(ci) = try
    ifield(ci, :max_world) == typemax(UInt)
catch
    false
end

# The code instance of fn's compiled specialisation for these argument types,
# valid in the current world, and the entry of its specialised code (a
# "specsig" function taking and returning primitive bits types unboxed, as
# our wrappers do), or C_NULL. Calling that entry from C skips @cfunction's
# entry work; how it may be called is the C side's business (src/cfunc/entry.c).
# Reads Julia's internal CodeInstance, whose fields differ between releases:
# anything unexpected gives nothing (or no entry), and the caller keeps the
# @cfunction pointer. Returns (ci, entry or C_NULL) or nothing.
function codeinstance(@nospecialize(fn), ctypes, @nospecialize(rt))
    VERIFIED || return nothing
    try
        m = which(fn, Tuple{ctypes...})
        mi = Core.Compiler.specialize_method(m, Tuple{typeof(fn), ctypes...}, Core.svec())
        isdefined(mi, :cache) || return nothing
        ci = ifield(mi, :cache)
        w = world()
        while ci isa Core.CodeInstance
            native = !hasfield(typeof(ci), :owner) || ci.owner === nothing
            if native && ifield(ci, :min_world) <= w <= ifield(ci, :max_world) && ci.rettype === rt
                spec = if hasfield(typeof(ci), :isspecsig)
                    ifield(ci, :isspecsig)
                elseif hasfield(typeof(ci), :specsigflags)
                    # A byte of flags, which 1.11 declares as a Bool (reading
                    # it as a field would give 0 or 1): read the byte.
                    off = fieldoffset(typeof(ci), Base.fieldindex(typeof(ci), :specsigflags))
                    GC.@preserve ci (unsafe_load(Ptr{UInt8}(pointer_from_objref(ci) + off)) & 0x3) == 0x3
                else
                    false
                end
                p = spec && hasfield(typeof(ci), :specptr) ? ifield(ci, :specptr) : C_NULL
                return (ci, p isa Ptr ? Ptr{Cvoid}(p) : C_NULL)
            end
            ci = isdefined(ci, :next) ? ifield(ci, :next) : nothing
        end
    catch
    end
    return nothing
end

# ---- making wrappers ----

function callable(@nospecialize f)
    (f isa Function || f isa Type) && return true
    return !isempty(methods(f))
end

function sigtext(@nospecialize(f), jargs)
    io = IOBuffer()
    print(io, f isa Function ? nameof(f) : repr(f), "(")
    for (i, T) in enumerate(jargs)
        print(io, i > 1 ? ", ::" : "::", T)
    end
    print(io, ")")
    return String(take!(io))
end

# Checks a signature against f. ctypes are the C-level types (return first),
# jtypes what f receives (the struct where the wrapper loads one through a
# pointer). Returns (R, cargs, jargs, byval) or (kind, message) with kind 1 =
# not found, 2 = type.
function prepare(@nospecialize(f), ctypes::Core.SimpleVector, jtypes::Core.SimpleVector)
    callable(f) || return (2, "a value of type $(typeof(f)) is not callable (it has no methods)")
    R = ctypes[1]
    cargs = Any[ctypes[i] for i in 2:length(ctypes)]
    jargs = Any[jtypes[i] for i in 2:length(jtypes)]
    byval = Bool[jargs[i] !== cargs[i] for i in 1:length(cargs)]
    hasmethod(f, Tuple{jargs...}) || return (1, "no method matching " * sigtext(f, jargs))
    if R !== Cvoid
        rt = Union{}
        for t in Base.return_types(f, Tuple{jargs...})
            rt = Union{rt, t}
        end
        if rt !== Union{} && isconcretetype(rt) && !(rt <: R) &&
           !hasmethod(convert, Tuple{Type{R}, rt})
            return (2, sigtext(f, jargs) * " returns $rt, which does not convert to $R")
        end
    end
    return (R, cargs, jargs, byval)
end

# Whether every call with these argument types throws, as inferred now.
always_throws(@nospecialize(f), @nospecialize(types)) =
    try
        all(t -> t === Union{}, Base.return_types(f, types))
    catch
        false
    end

function define(ex)
    return Core.eval(@__MODULE__, ex)
end

# Makes a wrapper: a plain or checked pointer (unchecked), with the try
# elided where proved unnecessary and the specialised entry looked up (elide),
# or a batched-call kernel (ismap). On success writes res[1] = the @cfunction
# pointer, res[3] = 1 if the call was proved not to throw, res[4] = the entry
# of the wrapper's specialised code (or 0), res[5] = its code instance (or 0),
# and returns nothing; on failure writes res[2] = kind (1 not found, 2 type)
# and returns the message. The code instance is kept alive here.
function make(@nospecialize(f), ctypes::Core.SimpleVector, jtypes::Core.SimpleVector,
              unchecked::Bool, elide::Bool, ismap::Bool, resv::Ptr{Cvoid})
    res = Ptr{UInt}(resv)
    lock(LOCK)
    r = try
        make_locked(f, ctypes, jtypes, unchecked, elide, ismap)
    finally
        unlock(LOCK)
    end
    if r[1] isa Int
        unsafe_store!(res, UInt(r[1]), 2)
        return r[2]::String
    end
    cfptr, proved, found = r
    push!(REGISTRY, (f, jtypes, found))
    unsafe_store!(res, UInt(cfptr), 1)
    unsafe_store!(res, UInt(proved), 3)
    if found !== nothing
        unsafe_store!(res, UInt(found[2]), 4)
        unsafe_store!(res, UInt(pointer_from_objref(found[1])), 5)
    end
    return nothing
end

# Compiles the helpers the slow and failure paths call, so their first use
# (the first call after the world moves on, or the first exception) does not
# pay for compiling them. Once per process, when the first pointer is made.
const WARM = Ref(false)
function warm()
    WARM[] && return
    WARM[] = true
    precompile(revalidate, (Any, Any, Arm, Any, Vector{Any}, Any))
    precompile(ci_current, (Core.CodeInstance,))
    precompile(caught, ())
    return
end

function make_locked(@nospecialize(f), ctypes, jtypes, unchecked::Bool, elide::Bool, ismap::Bool)
    warm()
    prep = prepare(f, ctypes, jtypes)
    prep[1] isa Int && return prep
    R, cargs, jargs, byval = prep
    n = length(cargs)
    id = (COUNTER[] += 1)
    fq = QuoteNode(f)
    ismap && return (make_map(fq, R, cargs, byval, id), false, nothing)

    a = Any[Symbol(:a, i) for i in 1:n]
    params = Any[:($(a[i])::$(cargs[i])) for i in 1:n]
    callargs = Any[byval[i] ? :(unsafe_load($(a[i]))) : a[i] for i in 1:n]
    call = Expr(:call, fq, callargs...)
    body = Symbol(:body_, id)
    bodyexpr = R === Cvoid ? :($call; nothing) : :(convert($R, $call)::$R)
    define(:(@inline $body($(params...)) = $bodyexpr))
    bodyfn = define(body)
    types = Tuple{cargs...}
    proved = elide && nothrow(bodyfn, types)
    RT = unchecked ? R : Int32
    if unchecked && !proved
        target = body
        if always_throws(bodyfn, types)
            # Julia 1.10/1.11's @cfunction checks results against the return
            # type inferred when it was compiled: Union{} here, so once a new
            # method lets the call return, every call would raise a TypeError
            # (plain @cfunction does it too). Call through invokelatest instead.
            target = Symbol(:latest_, id)
            latest = :(Base.invokelatest($body, $(a...)))
            define(:($target($(params...)) = $(R === Cvoid ? :($latest; nothing) : :($latest::$R))))
        end
        ptr = define(:(@cfunction($target, $R, ($(cargs...),))))
        return (ptr, false, elide ? codeinstance(bodyfn, cargs, R) : nothing)
    end

    # Checked: jlc_status f(args..., R *out); no out when R is void.
    outp = unchecked || R === Cvoid ? Any[] : Any[:(out::Ptr{$R})]
    outa = unchecked || R === Cvoid ? Any[] : Any[:out]
    wtypes = unchecked || R === Cvoid ? cargs : Any[cargs..., Ptr{R}]
    run = unchecked || R === Cvoid ? :($body($(a...))) : :(unsafe_store!(out, $body($(a...))))
    arm = Arm(0, 0, nothing, false)
    entry = Symbol(:fast_, id)
    reval = proved ? :(revalidate($bodyfn, $types, $arm, $entry, $wtypes, $RT)) : nothing
    slow = Symbol(:slow_, id)
    if unchecked
        define(:(@noinline function $slow($(params...))
            $reval
            return $run
        end))
    else
        define(:(@noinline function $slow($(params...), $(outp...))
            $reval
            try
                $run
            catch
                return caught()
            end
            return Int32(0)
        end))
    end
    slowptr = define(:(@cfunction($slow, $RT, ($(wtypes...),))))
    proved || return (slowptr, false, elide ? codeinstance(define(slow), wtypes, RT) : nothing)

    # Proved: the fast path runs the call with no handler while the world is
    # the one it was proved in; otherwise it takes the slow path through its
    # @cfunction entry (world age, thread state), which re-proves and re-arms.
    wexpr = world_expr()
    fastret = unchecked ? :(return $run) : :($run; return Int32(0))
    define(:(function $entry($(params...), $(outp...))
        if $wexpr === $arm.armed
            $fastret
        end
        return ccall($slowptr, $RT, ($(wtypes...),), $(a...), $(outa...))
    end))
    entryptr = define(:(@cfunction($entry, $RT, ($(wtypes...),))))
    found = codeinstance(define(entry), wtypes, RT)
    arm.ci = found === nothing ? nothing : found[1]
    arm.direct = found !== nothing && found[2] != C_NULL
    push!(REGISTRY, arm)
    arm.armed = arm.seen = world()   # the definitions above moved the world on
    return (entryptr, true, found)
end

# A map kernel: void k(int64_t n, const void *const *in, void *out) applying f
# to element i of every input array and storing into out[i].
function make_map(fq, R, cargs, byval, id)
    n = length(cargs)
    p = Any[Symbol(:p, i) for i in 1:n]
    loads = Any[:($(p[i]) = Ptr{$(cargs[i])}(unsafe_load(ins, $i))) for i in 1:n]
    elts = Any[byval[i] ? :(unsafe_load(unsafe_load($(p[i]), i))) : :(unsafe_load($(p[i]), i))
               for i in 1:n]
    call = Expr(:call, fq, elts...)
    step = R === Cvoid ? call : :(unsafe_store!(o, convert($R, $call)::$R, i))
    k = Symbol(:map_, id)
    define(quote
        function $k(n::Int64, ins::Ptr{Ptr{Cvoid}}, out::Ptr{Cvoid})
            $(loads...)
            o = Ptr{$R}(out)
            for i in 1:n
                $step
            end
            return nothing
        end
    end)
    return define(:(@cfunction($k, Cvoid, (Int64, Ptr{Ptr{Cvoid}}, Ptr{Cvoid}))))
end

# JLC: Julia modules made from C libraries that export a jlc table
# (include/jlc/export.h). Loading a library reads its table through libjlc
# (jlc_export_describe checks it and describes it), then evaluates one typed
# method per exported function into a new module: a `ccall` of the C
# function with the declared C types, spliced in as literals, so a call does
# no dispatch on the C side. Errors the C function reports through its
# status are thrown here, after the C frame has returned.
#
# Written for Julia 1.5 and later (tested on 1.5.3); nothing here uses a name
# whose form differs between releases.
module JLC

using Libdl

export @jlc_module, JlcError, CError

"""
    JlcError(status::Symbol, msg::String)

A jlc error (not a Julia exception) reported by an exported C function or by
loading a library: `status` is the jlc status name (`:JLC_ERR_TYPE`...),
`msg` the text of `jlc_last_error()` at the time.
"""
struct JlcError <: Exception
    status::Symbol
    msg::String
end
Base.showerror(io::IO, e::JlcError) = print(io, "JlcError(", e.status, "): ", e.msg)

"""
    CError(type::String, msg::String)

An error raised in C with `jlc_export_error(type, ...)` whose type name is not
an exception type Julia can build from a message.
"""
struct CError <: Exception
    type::String
    msg::String
end
Base.showerror(io::IO, e::CError) = print(io, e.type, ": ", e.msg)

"""
    JLC.Opaque

Supertype of the Julia types made for the opaque C types of a table. Each
object owns one C pointer, freed once by the type's C destructor when Julia
collects the object, at exit, or at `finalize(obj)`.
"""
abstract type Opaque end

# jlc_scope and jlc_value: one uint64_t in a struct, passed by value.
struct Handle
    h::UInt64
end

# The libjlc entry points a library's wrappers call. They are looked up
# through the library itself, so a library linking its own (static) libjlc
# gets its own.
struct Api
    attach::Ptr{Cvoid}
    scope_open::Ptr{Cvoid}
    scope_close::Ptr{Cvoid}
    from_raw::Ptr{Cvoid}
    raw::Ptr{Cvoid}
    raise::Ptr{Cvoid}
    describe::Ptr{Cvoid}
    last_error::Ptr{Cvoid}
    status_name::Ptr{Cvoid}
end

function api_of(lib::Ptr{Cvoid})
    sym(n) = Libdl.dlsym(lib, n)
    Api(sym(:jlc_attach), sym(:jlc_scope_open), sym(:jlc_scope_close), sym(:jlc_value_from_raw),
        sym(:jlc_value_raw), sym(:jlc_export_raise), sym(:jlc_export_describe),
        sym(:jlc_last_error), sym(:jlc_status_name))
end

status_error(api::Api, st) =
    JlcError(Symbol(unsafe_string(ccall(api.status_name, Cstring, (Cint,), st))),
             unsafe_string(ccall(api.last_error, Cstring, ())))

# ---- what the generated wrappers call (inlined; pointers are constants) ----

@inline function open_scope(api::Api)
    r = Ref(Handle(0))
    st = ccall(api.scope_open, Cint, (Handle, Ptr{Handle}), Handle(0), r)
    st == 0 || throw(status_error(api, st))
    return r[]
end

@inline close_scope(api::Api, sc::Handle) = ccall(api.scope_close, Cint, (Handle,), sc)

# A handle of sc for x: rooted by the scope from here until it closes.
@inline function push(api::Api, sc::Handle, @nospecialize(x))
    r = Ref(Handle(0))
    st = ccall(api.from_raw, Cint, (Handle, Any, Ptr{Handle}), sc, x, r)
    st == 0 || throw(status_error(api, st))
    return r[]
end

# The value behind a handle the C function returned; its scope is still
# open, so the value is rooted until Julia holds it.
@inline function value(api::Api, h::Handle)
    r = Ref{Ptr{Cvoid}}(C_NULL)
    st = ccall(api.raw, Cint, (Handle, Ptr{Ptr{Cvoid}}), h, r)
    st == 0 || throw(status_error(api, st))
    return unsafe_pointer_to_objref(r[])
end

# The failure path of every checked wrapper: jlc_export_raise throws the
# Julia exception the C function raised (keeping its backtrace) or returns
# the parts of an error to build here.
@noinline function raise(api::Api, st::Int32, mod::Module)
    tbuf = zeros(UInt8, 128)
    mbuf = zeros(UInt8, 1024)
    k = GC.@preserve tbuf mbuf ccall(api.raise, Cint, (Cint, Ptr{UInt8}, Csize_t, Ptr{UInt8}, Csize_t),
                                     st, tbuf, length(tbuf), mbuf, length(mbuf))
    typ = GC.@preserve tbuf unsafe_string(pointer(tbuf))
    msg = GC.@preserve mbuf unsafe_string(pointer(mbuf))
    k == 2 && throw(JlcError(Symbol(typ), msg))
    throw(build_error(mod, typ, msg))
end

function resolve(m::Module, path::String)
    v = m
    for part in split(path, '.')
        s = Symbol(part)
        (v isa Module && isdefined(v, s)) || return nothing
        v = getfield(v, s)
    end
    return v
end

function build_error(mod::Module, typ::String, msg::String)
    for m in (mod, Main, Base)
        T = resolve(m, typ)
        if T isa Type && T <: Exception
            e = try
                T(msg)
            catch
                nothing
            end
            e isa Exception && return e
        end
    end
    return CError(typ, msg)
end

# An opaque object's pointer for a call; a freed object is refused.
@inline function ptr_of(o::Opaque)
    p = getfield(o, :ptr)
    p == C_NULL && throw(JlcError(:JLC_ERR_STALE, "$(typeof(o)) object was already freed"))
    return p
end

# A new object owning p (nothing for NULL), freed by destroy exactly once.
function adopt(::Type{T}, p::Ptr{Cvoid}, destroy::Ptr{Cvoid}) where {T<:Opaque}
    p == C_NULL && return nothing
    o = T(p)
    destroy == C_NULL || finalizer(x -> free_opaque(x, destroy), o)
    return o
end

function free_opaque(o::Opaque, destroy::Ptr{Cvoid})
    p = getfield(o, :ptr)
    setfield!(o, :ptr, C_NULL)
    p == C_NULL || ccall(destroy, Cvoid, (Ptr{Cvoid},), p)
    return nothing
end

# ---- making a module from a table ----

# desc (from jlc_export_describe): svec(doc, functions, constants, types).
# A function: svec(name, fptr, doc, nofail, scope, signature, ret, args);
# a type is a Julia type, Any for jlc_value, or the Symbol of an opaque type.

# The argument as the Julia method accepts it (a MethodError otherwise).
function param_expr(a::Symbol, @nospecialize(t), types)
    t isa Symbol && return :($a::$(types[t]))
    t === Bool && return :($a::Bool)
    t isa DataType && t <: Integer && return :($a::Integer)
    t isa DataType && t <: AbstractFloat && return :($a::Real)
    return a # pointers (ccall's conversions decide) and jlc_value
end

ctype(@nospecialize(t)) = t isa Symbol ? Ptr{Cvoid} : t === Any ? Handle : t

function function_expr(api::Api, mod::Module, f, types, destroys)
    name, fptr, doc, nofail, scope, sig, ret, args = f
    as = [Symbol("a", i) for i in 1:length(args)]
    params = [param_expr(as[i], args[i], types) for i in 1:length(args)]
    cargs = Any[]
    prep = Any[]
    opaques = Symbol[]
    for (i, t) in enumerate(args)
        if t === Any
            h = Symbol("h", i)
            push!(prep, :($h = $push($api, sc, $(as[i]))))
            push!(cargs, h)
        elseif t isa Symbol
            push!(opaques, as[i])
            push!(cargs, :($ptr_of($(as[i]))))
        else
            push!(cargs, as[i])
        end
    end
    ctypes = Any[ctype(t) for t in args]
    wrap(r) = ret isa Symbol ? :($adopt($(types[ret]), $r, $(destroys[ret]))) :
              ret === Any ? :($value($api, $r)) : r
    if nofail
        call = :(ccall($fptr, $(ctype(ret)), ($(ctypes...),), $(cargs...)))
        body = :(r = GC.@preserve $(opaques...) $call; $(wrap(:r)))
    else
        scope && pushfirst!(ctypes, Handle)
        scope && pushfirst!(cargs, :sc)
        hasout = ret !== Nothing
        hasout && push!(ctypes, Ptr{ctype(ret)})
        hasout && push!(cargs, :out)
        call = :(ccall($fptr, Int32, ($(ctypes...),), $(cargs...)))
        body = quote
            $(hasout ? :(out = Ref{$(ctype(ret))}()) : nothing)
            st = GC.@preserve $(opaques...) $call
            st == 0 || $raise($api, st, $mod)
            $(hasout ? wrap(:(out[])) : nothing)
        end
        if scope
            body = quote
                sc = $open_scope($api)
                try
                    $(prep...)
                    $body
                finally
                    $close_scope($api, sc)
                end
            end
        end
    end
    return :(function $name($(params...))
        $body
    end)
end

function describe(api::Api, table::Ptr{Cvoid})
    sc = open_scope(api)
    try
        r = Ref(Handle(0))
        st = ccall(api.describe, Cint, (Handle, Ptr{Cvoid}, Ptr{Handle}), sc, table, r)
        st == 0 || throw(status_error(api, st))
        return value(api, r[])
    finally
        close_scope(api, sc)
    end
end

const LIBS = Dict{String,Ptr{Cvoid}}()

"""
    JLC.load_module(name::Symbol, path::AbstractString; entry = :jlc_export_entry) -> Module

Loads the C library at `path` and returns a new module `name` made from its
export table: one method per function, with its docstring; one `const` per
constant; one mutable type (a subtype of `JLC.Opaque`) per opaque type. A
table the library gets wrong (a signature that does not parse, a duplicate
name, a NULL function pointer...) is refused with a `JlcError` naming the
entry. `@jlc_module` is the one-line form.
"""
function load_module(name::Symbol, path::AbstractString; entry::Symbol = :jlc_export_entry)
    lib = get!(() -> Libdl.dlopen(path), LIBS, abspath(path))
    api = api_of(lib)
    st = ccall(api.attach, Cint, ())
    st == 0 || throw(status_error(api, st))
    table = ccall(Libdl.dlsym(lib, entry), Ptr{Cvoid}, ())
    doc, fns, consts, tps = describe(api, table)
    mod = Module(name, true)
    lnn = LineNumberNode(@__LINE__, Symbol(@__FILE__))
    adddoc(d, what) = d === nothing ||
        Core.eval(mod, Expr(:macrocall, GlobalRef(Base, Symbol("@doc")), lnn, d, what))
    types = Dict{Symbol,Any}()
    destroys = Dict{Symbol,Ptr{Cvoid}}()
    for (tname, destroy, tdoc) in tps
        Core.eval(mod, :(mutable struct $tname <: $Opaque
            ptr::Ptr{Cvoid}
        end))
        types[tname] = getfield(mod, tname)
        destroys[tname] = destroy
        adddoc(tdoc, tname)
    end
    for (cname, v, cdoc) in consts
        Core.eval(mod, :(const $cname = $v))
        adddoc(cdoc, cname)
    end
    for f in fns
        Core.eval(mod, function_expr(api, mod, f, types, destroys))
        adddoc(f[3] === nothing ? nothing : string(f[3], "\n\nC signature: `", f[6], "`"), f[1])
    end
    adddoc(doc, name)
    return mod
end

"""
    @jlc_module Name "path/to/libname.so"

Loads a C library that exports a jlc table and binds the module made from it
to the constant `Name` in the calling module (see `JLC.load_module`).
"""
macro jlc_module(name, path)
    name isa Symbol || throw(ArgumentError("@jlc_module: the first argument must be a name"))
    return :(const $(esc(name)) = $load_module($(QuoteNode(name)), $(esc(path))))
end

end # module

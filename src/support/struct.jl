# Struct mapping's Julia-side helpers (submodule JlcSupport.StructSupport,
# used by src/struct/layout.c): the half of a layout check (rule S1 of
# include/jlc/struct.h) that needs Julia's printer and parser: evaluating the
# type expression, and comparing field names, field type names and union
# member lists. Sizes, offsets, alignment and field kinds are compared in C
# from the DataType's layout (src/base/compat.h), which is Julia's own truth.

# Mirrors of jlc_field_layout and jlc_struct_layout (include/jlc/struct.h):
# Julia lays out these isbits structs as the C compiler does.
struct CField
    name::Ptr{UInt8}
    type::Ptr{UInt8}
    offset::Csize_t
    size::Csize_t
    kind::Cint
    nunion::Csize_t
    union_types::Ptr{Ptr{UInt8}}
end
struct CLayout
    abi::Cint
    type::Ptr{UInt8}
    size::Csize_t
    align::Csize_t
    is_mutable::Bool
    nfields::Csize_t
    fields::Ptr{CField}
end

const KIND_UNION = 2

# Checked types stay reachable from here (and so rooted) for the rest of the
# process: C caches them per descriptor address.
const CHECKED = Any[]
const CHECKED_LOCK = ReentrantLock()
remember(T) = lock(() -> (any(x -> x === T, CHECKED) || push!(CHECKED, T); nothing), CHECKED_LOCK)

cstr(p::Ptr{UInt8}) = p == C_NULL ? "" : unsafe_string(p)

# Type names are compared without spaces: 1.5 prints Tuple{Int8,Int8}, 1.6
# and later Tuple{Int8, Int8}; a header written by one release stays valid.
samename(a::AbstractString, b::AbstractString) = replace(a, " " => "") == replace(b, " " => "")

# Julia's union member order, which is the selector order (rule S4): the
# a-then-b flattening of the Union's tree, as Base.uniontypes (internal,
# present 1.5 to 1.12) lists it and as src/struct/layout.c counts it.
if isdefined(Base, :uniontypes)
    union_members(U) = Base.uniontypes(U)
else
    union_members(U) = U isa Union ? vcat(union_members(U.a), union_members(U.b)) : Any[U]
end

# The first field whose name, type name or union members differ, as
# (0-based index, message), or (-1, "").
function first_name_mismatch(T::DataType, L::CLayout)
    n = min(Int(L.nfields), fieldcount(T))
    for i in 1:n
        F = unsafe_load(L.fields, i)
        jname = string(fieldname(T, i))
        cname = cstr(F.name)
        if jname != cname
            return (i - 1, "field #$(i - 1) is `$(jname)` in Julia, `$(cname)` in the descriptor")
        end
        ft = fieldtype(T, i)
        jtype = string(ft)
        ctype = cstr(F.type)
        if !samename(jtype, ctype)
            return (i - 1, "field `$(jname)`: type is $(jtype) in Julia, $(ctype) in the descriptor")
        end
        if F.kind == KIND_UNION && ft isa Union
            members = union_members(ft)
            cm = [cstr(unsafe_load(F.union_types, k)) for k in 1:Int(F.nunion)]
            if length(members) != length(cm) || !all(samename(string(m), c) for (m, c) in zip(members, cm))
                return (i - 1, "field `$(jname)`: union members (selector order) are " *
                               join(string.(members), ", ") * " in Julia, " * join(cm, ", ") *
                               " in the descriptor")
            end
        end
    end
    return (-1, "")
end

# check(p) for p a jlc_struct_layout *, already checked in C for NULLs and
# the ABI version. Returns a SimpleVector, read by C without allocating:
#   svec(2, message)                  a name in the type expression is undefined
#   svec(1, message)                  it names no concrete struct DataType
#   svec(0, T, index, message)        T; index/message: the first name
#                                     mismatch (-1, "" when none)
# Other exceptions (a syntax error in the expression...) propagate.
function check(p::Ptr{Cvoid})
    L = unsafe_load(Ptr{CLayout}(p))
    expr = cstr(L.type)
    T = try
        Core.eval(Main, Meta.parse(expr; raise = true))
    catch e
        e isa UndefVarError && return Core.svec(2, "type expression \"$(expr)\": $(e.var) is not defined")
        rethrow()
    end
    if !(T isa DataType) || !isconcretetype(T)
        return Core.svec(1, "type expression \"$(expr)\" is $(repr(T)), not a concrete DataType")
    end
    if isprimitivetype(T)
        return Core.svec(1, "type expression \"$(expr)\" is the primitive type $(T), not a struct")
    end
    remember(T)
    index, msg = first_name_mismatch(T, L)
    return Core.svec(0, T, index, msg)
end

# What jlc-reflect reads from Julia: a concrete struct type's layout (size,
# alignment, every field's offset, size and kind), the struct types it
# embeds, and the refusals for what jlc cannot map. Nothing here writes C.

struct ReflectError <: Exception
    msg::String
end
refuse(msg::AbstractString) = throw(ReflectError(msg))

# The field kinds of include/jlc/struct.h (jlc_field_kind).
const FIELD_BITS = 1
const FIELD_UNION = 2
const FIELD_REF = 3
const KIND_NAMES = Dict(FIELD_BITS => "JLC_FIELD_BITS", FIELD_UNION => "JLC_FIELD_UNION",
                        FIELD_REF => "JLC_FIELD_REF")

# One field as jlc_field_layout describes it.
struct FieldInfo
    name::Symbol
    jtype::Any             # fieldtype(T, i)
    typestr::String        # string(fieldtype(T, i)), what the runtime compares
    offset::Int
    size::Int              # BITS: sizeof; UNION: payload + selector; REF: pointer size
    kind::Int
    members::Vector{Any}   # UNION: member types in selector order
    payload::Int           # UNION: bytes before the selector byte
end

# One mapped struct type.
struct StructInfo
    T::DataType
    expr::String           # evaluates in Main to T
    size::Int
    align::Int
    mutable::Bool
    fields::Vector{FieldInfo}
end

# ---- names whose form differs between Julia releases (gated) ----

ismutable_type(T::DataType) =
    isdefined(Base, :ismutabletype) ? Base.ismutabletype(T) : getfield(T, :mutable)

stored_inline(F) = isdefined(Base, :allocatedinline) ? Base.allocatedinline(F) :
    ccall(:jl_stored_inline, Cint, (Any,), F) != 0

pointer_free(F::DataType) =
    isdefined(Base, :datatype_pointerfree) ? Base.datatype_pointerfree(F) : isbitstype(F)

alignment(T::DataType) = Base.datatype_alignment(T)

# A union's members in Julia's order, the selector order (Base.uniontypes is
# internal: the a-then-b flattening it lists, where it is missing).
union_members(U) = isdefined(Base, :uniontypes) ? Any[Base.uniontypes(U)...] :
    U isa Union ? vcat(union_members(U.a), union_members(U.b)) : Any[U]

# Atomic fields exist from Julia 1.7: Base.isfieldatomic from 1.8 (1.7 keeps
# a bit set in the TypeName).
function field_is_atomic(T::DataType, i::Int)
    if isdefined(Base, :isfieldatomic)
        return Base.isfieldatomic(T, i)
    elseif hasfield(Core.TypeName, :atomicfields)
        af = getfield(T.name, :atomicfields)
        af == C_NULL && return false
        word = unsafe_load(Ptr{UInt32}(af), ((i - 1) >> 5) + 1)
        return (word >> ((i - 1) & 31)) & 1 == 1
    end
    return false
end

# ---- bits unions: where the selector byte lives ----

# A struct with one union field: Julia lays a union field out the same way in
# any struct, so probing this one finds the selector for all of them.
struct UnionProbe{U}
    x::U
end

# The payload size of the inline union U, found by experiment: the byte at
# offset p is the selector when writing k there (all else zero) makes the
# field hold a value of member k+1, for every k. Julia 1.5 puts it right after
# the largest member (rule S4 of jlc/struct.h); probing keeps this true on
# releases that pad the payload differently.
function union_payload(U, members::Vector{Any})
    P = UnionProbe{U}
    n = sizeof(P)
    for p in 0:n-1
        found = true
        for (k, m) in enumerate(members)
            buf = zeros(UInt8, n)
            buf[p+1] = UInt8(k - 1)
            v = GC.@preserve buf unsafe_load(Ptr{P}(pointer(buf)))
            if typeof(getfield(v, 1)) !== m
                found = false
                break
            end
        end
        found && return p
    end
    refuse("cannot locate the selector byte of $(U) in this Julia")
end

# ---- one type ----

# Why the type T (named `what` on the command line) is not a mappable struct,
# or nothing.
function not_a_struct(T, what::AbstractString)
    if T isa UnionAll
        return "`$what` is not concrete: it has free type parameters; name an instance, e.g. `$what{Float64}`"
    elseif T isa Union
        return "`$what` is a Union, not a struct"
    elseif !(T isa DataType)
        return "`$what` is not a type (it is a $(typeof(T)))"
    elseif !isconcretetype(T)
        return "`$what` is not a concrete type ($(isabstracttype(T) ? "abstract" : "has free parameters")): only concrete structs have a layout"
    elseif isprimitivetype(T)
        return "`$what` is a primitive type, not a struct"
    elseif T <: Tuple
        return "`$what` is a tuple type, not a struct (put it in a struct field)"
    elseif T.name.name === :VecElement && parentmodule(T) === Core
        return "`$what` is a SIMD element (VecElement), which jlc does not map"
    end
    sz = try
        sizeof(T)
    catch
        return "`$what` has no fixed size (String, Array, Symbol... are reached through handles)"
    end
    return nothing
end

# The kind, size, union members and payload of field i (type F) of T.
function field_info(T::DataType, i::Int)
    name = fieldname(T, i)
    F = fieldtype(T, i)
    off = Int(fieldoffset(T, i))
    where_ = "field `$name` of $T"
    if field_is_atomic(T, i)
        refuse("$where_ is atomic (@atomic); jlc maps no atomic fields (their access needs Julia's memory ordering)")
    end
    if F isa Union && stored_inline(F)
        members = union_members(F)
        for m in members
            (m isa DataType && isbitstype(m)) ||
                refuse("$where_: union member $m is not plain bits")
        end
        payload = union_payload(F, members)
        return FieldInfo(name, F, string(F), off, payload + 1, FIELD_UNION, members, payload)
    elseif isbitstype(F)
        F.name.name === :VecElement && parentmodule(F) === Core &&
            refuse("$where_ is a SIMD element (VecElement), which jlc does not map")
        return FieldInfo(name, F, string(F), off, sizeof(F), FIELD_BITS, Any[], 0)
    elseif F isa DataType && isconcretetype(F) && stored_inline(F)
        pointer_free(F) ||
            refuse("$where_ has type $F, which Julia stores inline but which holds references; " *
                   "jlc maps it neither as bits nor as a handle (make it a mutable struct, or a field of abstract type)")
        return FieldInfo(name, F, string(F), off, sizeof(F), FIELD_BITS, Any[], 0)
    else
        return FieldInfo(name, F, string(F), off, sizeof(Ptr{Cvoid}), FIELD_REF, Any[], 0)
    end
end

# The layout of T, a mappable struct (not_a_struct(T) is nothing).
function struct_info(T::DataType, expr::String)
    fields = FieldInfo[field_info(T, i) for i in 1:fieldcount(T)]
    last = -1
    for f in fields
        f.size == 0 && continue
        f.offset > last || refuse("$T: field `$(f.name)` is not after the one before it (offset $(f.offset))")
        last = f.offset
    end
    return StructInfo(T, expr, sizeof(T), alignment(T), ismutable_type(T), fields)
end

# The expression that names T in Main: how Julia prints it, checked.
function type_expr(T::DataType)
    s = string(T)
    back = try
        Core.eval(Main, Meta.parse(s))
    catch
        nothing
    end
    back === T || refuse("$T prints as `$s`, which does not name it in Main; load its module with --using or --include")
    return s
end

# Struct types that T's bits fields store inline (nested structs, tuple
# elements, union members): each needs its own typedef before T's.
function embedded_structs(F, out::Vector{Any})
    if F isa Union
        foreach(m -> embedded_structs(m, out), union_members(F))
    elseif F isa DataType && F <: Tuple
        foreach(m -> embedded_structs(m, out), fieldtypes(F))
    elseif F isa DataType && isstructtype(F) && !(F <: Ptr) && !ismutable_type(F) && sizeof(F) > 0
        push!(out, F) # zero-size structs (Nothing, empty structs) take no C member
    end
    return out
end

# Every struct to emit, dependencies first, each once: the requested types
# and the structs they embed. `wanted` pairs a type with what the user wrote.
function collect_structs(wanted::Vector{Pair{Any,String}})
    order = StructInfo[]
    seen = Set{Any}()
    function visit(T, what::String, chain::String)
        T in seen && return
        why = not_a_struct(T, what)
        why === nothing || refuse(chain * why)
        push!(seen, T)
        info = try
            struct_info(T, type_expr(T))
        catch e
            e isa ReflectError ? refuse(chain * e.msg) : rethrow()
        end
        for f in info.fields
            f.kind == FIELD_REF && continue
            for D in embedded_structs(f.jtype, Any[])
                visit(D, string(D), chain * "$T, field `$(f.name)`: ")
            end
        end
        push!(order, info)
    end
    for (T, what) in wanted
        visit(T, what, "")
    end
    return order
end

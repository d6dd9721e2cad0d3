# Arrays' Julia-side helpers (submodule JlcSupport.ArraySupport, used by
# src/array): construction, and element access for layouts C does not read
# directly. Done in Julia because the C form of these operations changed
# between releases (Julia 1.11 rebuilt Array on Memory); unsafe_wrap,
# Array{T}(undef, ...), getindex, setindex! and finalizer are stable.

array_new(::Type{T}, dims::Int...) where {T} = Array{T}(undef, dims)

# Borrowed mode: C keeps the buffer; own=false so Julia never frees it.
array_wrap(::Type{T}, p::Ptr{Cvoid}, dims::Int...) where {T} =
    unsafe_wrap(Array, Ptr{T}(p), dims; own = false)

# Transferred mode: Julia owns the buffer but frees it with the caller's
# deallocator, through a finalizer (Julia runs each finalizer once).
# own=false still: Julia must not free (or realloc) it with libc.
# The finalizer goes on what owns the bytes: the Array before 1.11 (views
# and reshapes keep it alive), its Memory from 1.11 on (reshapes share the
# Memory, not the Array).
data_owner(a::Array) = isdefined(a, :ref) ? getfield(getfield(a, :ref), :mem) : a
function array_adopt(::Type{T}, p::Ptr{Cvoid}, dealloc::Ptr{Cvoid}, ctx::Ptr{Cvoid},
                     dims::Int...) where {T}
    a = unsafe_wrap(Array, Ptr{T}(p), dims; own = false)
    finalizer(data_owner(a)) do _
        ccall(dealloc, Cvoid, (Ptr{Cvoid}, Ptr{Cvoid}), p, ctx)
    end
    return a
end

# Element access for layouts C does not read directly (unassigned elements:
# this throws the UndefRefError that C reports as JLC_EXCEPTION).
array_getindex(a::Array, i::Int) = a[i]
array_setindex(a::Array, x, i::Int) = (a[i] = x; nothing)

# Array construction for src/array.c. Done in Julia because the C form of
# these operations changed between releases (Julia 1.11 rebuilt Array on
# Memory); unsafe_wrap, Array{T}(undef, ...) and finalizer are stable.

array_new(::Type{T}, dims::Int...) where {T} = Array{T}(undef, dims)

# Borrowed mode: C keeps the buffer; own=false so Julia never frees it.
array_wrap(::Type{T}, p::Ptr{Cvoid}, dims::Int...) where {T} =
    unsafe_wrap(Array, Ptr{T}(p), dims; own = false)

# Transferred mode: Julia owns the buffer but frees it with the caller's
# deallocator, through a finalizer (Julia runs each finalizer once).
# own=false still: Julia must not free (or realloc) it with libc.
function array_adopt(::Type{T}, p::Ptr{Cvoid}, dealloc::Ptr{Cvoid}, ctx::Ptr{Cvoid},
                     dims::Int...) where {T}
    a = unsafe_wrap(Array, Ptr{T}(p), dims; own = false)
    finalizer(a) do _
        ccall(dealloc, Cvoid, (Ptr{Cvoid}, Ptr{Cvoid}), p, ctx)
    end
    return a
end

# Element access for layouts C does not read directly (unassigned elements:
# this throws the UndefRefError that C reports as JLC_EXCEPTION).
array_getindex(a::Array, i::Int) = a[i]

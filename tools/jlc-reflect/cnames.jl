# C names for what jlc-reflect emits: typedef names derived from Julia types
# (Point{Float64} -> Point_Float64, overridable with --name), member names
# from field names, and the escaping of C string literals.

# Words C11 or C++ reserve: a name equal to one gets a trailing underscore.
const RESERVED = Set(split("""
    auto break case char const continue default do double else enum extern float for goto
    if inline int long register restrict return short signed sizeof static struct switch
    typedef union unsigned void volatile while _Alignas _Alignof _Atomic _Bool _Complex
    _Generic _Imaginary _Noreturn _Static_assert _Thread_local bool true false alignas
    alignof and and_eq asm catch char16_t char32_t class compl constexpr const_cast
    decltype delete dynamic_cast explicit export friend mutable namespace new noexcept not
    not_eq nullptr operator or or_eq private protected public reinterpret_cast
    static_assert static_cast template this thread_local throw try typeid typename using
    virtual wchar_t xor xor_eq NULL
    """))

is_c_identifier(s::AbstractString) = occursin(r"^[A-Za-z_][A-Za-z0-9_]*$", s)

# Any text as a C identifier: a letter beyond ASCII becomes u<hex> (α ->
# u3b1), other characters '_' (runs collapsed), a leading digit gets a
# prefix, a reserved word a trailing '_'.
function c_identifier(s::AbstractString; prefix::String = "T")
    t = join(isascii(c) ? string(c) : isletter(c) ? "_u$(string(UInt32(c), base = 16))_" : "_"
             for c in String(s))
    t = replace(t, r"[^A-Za-z0-9_]+" => "_")
    t = replace(t, r"__+" => "_")
    t = replace(t, r"^_(?=u[0-9a-f])" => "")
    t = replace(t, r"_+$" => "")
    isempty(t) && (t = prefix)
    occursin(r"^[0-9]", t) && (t = prefix * "_" * t)
    t in RESERVED && (t *= "_")
    return t
end

# The part of a typedef name a type parameter contributes.
param_name(p::DataType) = default_name(p)
param_name(p::Union) = join(["Union"; [param_name(m) for m in union_members(p)]], "_")
param_name(p::UnionAll) = param_name(Base.unwrap_unionall(p))
param_name(p::TypeVar) = string(p.name)
param_name(p::Symbol) = string(p)
param_name(p) = replace(repr(p), "-" => "m")  # numbers, chars, tuples of them

# Point{Float64} -> Point_Float64; the module path is dropped, parameters are
# joined with '_', anything else not allowed in a C name becomes '_'.
function default_name(T::DataType)
    base = string(T.name.name)
    parts = [base; [param_name(p) for p in T.parameters]]
    return c_identifier(join(parts, "_"))
end

# Typedef names for all structs to emit: overrides first, then derived names;
# two types given one name is an error that suggests --name.
function assign_names(infos, overrides::Dict{Any,String})
    names = Dict{Any,String}()
    owner = Dict{String,Any}()
    for info in infos
        T = info.T
        n = get(overrides, T, default_name(T))
        if haskey(owner, n)
            refuse("$(owner[n]) and $T both map to the C name `$n`; give one another with --name '$T=OtherName'")
        end
        owner[n] = T
        names[T] = n
    end
    return names
end

# Member names for the fields of one struct, unique within it; `taken`
# holds names already used (padding members, selectors).
function member_name!(taken::Set{String}, jname)
    n = c_identifier(string(jname); prefix = "f")
    while n in taken
        n *= "_"
    end
    push!(taken, n)
    return n
end

# A C string literal holding s (UTF-8 bytes beyond ASCII as octal escapes, so
# no escape runs into a following character).
function c_string(s::AbstractString)
    io = IOBuffer()
    print(io, '"')
    for b in codeunits(String(s))
        if b == UInt8('"') || b == UInt8('\\')
            print(io, '\\', Char(b))
        elseif 0x20 <= b < 0x7f && b != UInt8('?')
            print(io, Char(b))
        else
            print(io, '\\', string(b, base = 8, pad = 3))
        end
    end
    print(io, '"')
    return String(take!(io))
end

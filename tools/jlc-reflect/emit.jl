# The C header jlc-reflect writes: per struct a typedef with explicit padding,
# compile-time checks of its layout against Julia's, typed accessors for
# bits-union fields, and the jlc_struct_layout descriptor of jlc/struct.h.

# How a bits type is spelled in C: `spec name dims`, an alignment to force
# (0: the type's own), and a note for the member's comment.
struct CSpell
    spec::String
    dims::String
    alignas::Int
    note::String
end
CSpell(spec, note = "") = CSpell(spec, "", 0, note)

const INTS = Dict{Any,String}(Int8 => "int8_t", Int16 => "int16_t", Int32 => "int32_t",
    Int64 => "int64_t", UInt8 => "uint8_t", UInt16 => "uint16_t", UInt32 => "uint32_t",
    UInt64 => "uint64_t", Float32 => "float", Float64 => "double", Bool => "bool")

mutable struct Emitter
    names::Dict{Any,String}   # struct type => typedef name
    out::IOBuffer
end

# The C spelling of the pointee of a Ptr, or nothing when it is not mapped.
function pointee(g::Emitter, X)
    (X === Cvoid || X === Nothing) && return "void"
    haskey(INTS, X) && return INTS[X]
    X === Char && return "uint32_t"
    X === Float16 && return "uint16_t"
    haskey(g.names, X) && return "struct " * g.names[X]
    if X isa DataType && X <: Ptr && !(X isa UnionAll)
        inner = pointee(g, X.parameters[1])
        return inner === nothing ? nothing : inner * (endswith(inner, "*") ? "*" : " *")
    end
    return nothing
end

# The spelling of the bits type F as a member at `indent` (for nested
# anonymous structs of heterogeneous tuples).
function spell(g::Emitter, F, indent::String)
    haskey(INTS, F) && return CSpell(INTS[F])
    F === Float16 && return CSpell("uint16_t", "Float16: IEEE 754 half-precision bits (convert with jlc's Float16 helpers)")
    F === Char && return CSpell("uint32_t", "Char: the character's UTF-8 bytes in a UInt32, first byte most significant ('a' is 0x61000000), not a code point")
    if F === Int128 || F === UInt128
        if alignment(F) == 16
            return CSpell(F === Int128 ? "__int128" : "unsigned __int128")
        end
        return CSpell("uint64_t", "[2]", 0, "$F: two 64-bit words, least significant first (Julia aligns it to $(alignment(F)) bytes, C's __int128 to 16)")
    end
    if F <: Ptr
        p = pointee(g, F.parameters[1])
        p === nothing && return CSpell("void *", "$F: its target type is not mapped in this header")
        return CSpell(p * (endswith(p, "*") ? "*" : " *"))
    end
    haskey(g.names, F) && return CSpell(g.names[F])
    if isprimitivetype(F)
        s, a = sizeof(F), alignment(F)
        if s in (1, 2, 4, 8) && a == s
            return CSpell("uint$(8s)_t", "$F: a $(8s)-bit primitive type, as its bits")
        end
        return CSpell("uint8_t", "[$s]", a > 1 ? a : 0, "$F: a $(8s)-bit primitive type, as its bytes")
    end
    if F <: Tuple
        ts = fieldtypes(F)
        E = ts[1]
        if all(t -> t === E, ts) && sizeof(F) == length(ts) * sizeof(E)
            e = spell(g, E, indent)
            return CSpell(e.spec, "[$(length(ts))]" * e.dims, e.alignas, isempty(e.note) ? "$F" : "$F; $(e.note)")
        end
        # A heterogeneous tuple: an anonymous struct with members _1, _2, ...
        lines = String[]
        slots = [(string("_", i), Symbol(i), fieldtype(F, i), Int(fieldoffset(F, i)), sizeof(fieldtype(F, i)))
                 for i in 1:fieldcount(F)]
        body!(lines, g, slots, sizeof(F), indent * "    ", "")
        return CSpell("struct {\n" * join(lines, "\n") * "\n" * indent * "}", "", 0, "$F")
    end
    refuse("no C spelling for the bits type $F")
end

member_line(sp::CSpell, name::String) =
    (sp.alignas > 0 ? "JLC_REFLECT_ALIGNAS($(sp.alignas)) " : "") * sp.spec *
    (endswith(sp.spec, "*") ? "" : " ") * name * sp.dims * ";"

with_note(line, note) = isempty(note) ? line : "$line /* $(safe(note)) */"

# Text inside a C comment: a type printed with "*/" in it must not end it.
safe(s) = replace(string(s), "*/" => "* /")

# Member lines for bits slots (C name, Julia name, type, offset, size) of a
# struct or tuple of `total` bytes, with a padding member wherever Julia
# leaves a gap; zero-size slots take no member. `prefix` names padding
# members uniquely within a struct.
function body!(lines, g::Emitter, slots, total::Int, indent::String, prefix::String)
    pos, npad = 0, 0
    for (cname, jname, F, off, size) in slots
        if size == 0
            push!(lines, indent * "/* $(safe(jname))::$(safe(F)) takes no bytes in Julia: no member */")
            continue
        end
        if off > pos
            push!(lines, indent * "uint8_t $(prefix)_pad$(npad)[$(off - pos)];")
            npad += 1
        end
        sp = spell(g, F, indent)
        push!(lines, indent * with_note(member_line(sp, cname), sp.note))
        pos = off + size
    end
    if total > pos
        push!(lines, indent * "uint8_t $(prefix)_pad$(npad)[$(total - pos)];")
    end
    return lines
end

# Names a union member in accessor names: Int32, Nothing, Point_Float64.
member_tag(g::Emitter, m) = haskey(g.names, m) ? g.names[m] : default_name(m)

# The typedef of one struct, its static assertions, union accessors and
# descriptor.
function emit_struct(g::Emitter, info::StructInfo)
    io = g.out
    T, name = info.T, g.names[info.T]
    taken = Set{String}()
    cnames = String[]
    for f in info.fields
        push!(cnames, member_name!(taken, f.name))
    end
    kindword = info.mutable ? "mutable struct" : "struct"
    println(io, "/* $(safe(info.expr)): Julia $kindword, $(info.size) bytes, aligned to $(info.align). */")
    println(io, "typedef struct $name {")
    lines = String[]
    pos, npad = 0, 0
    pad!(upto) = if upto > pos
        n = "_pad$npad"
        while n in taken
            n *= "_"
        end
        push!(taken, n)
        push!(lines, "    uint8_t $n[$(upto - pos)];")
        npad += 1
    end
    for (f, cname) in zip(info.fields, cnames)
        if f.size == 0
            push!(lines, "    /* $(safe(f.name))::$(safe(f.jtype)) takes no bytes in Julia: no member */")
            continue
        end
        pad!(f.offset)
        if f.kind == FIELD_BITS
            sp = spell(g, f.jtype, "    ")
            push!(lines, "    " * with_note(member_line(sp, cname), sp.note))
        elseif f.kind == FIELD_UNION
            if f.payload > 0
                a = maximum(alignment, f.members)
                al = a > 1 ? "JLC_REFLECT_ALIGNAS($a) " : ""
                push!(lines, "    $(al)uint8_t $cname[$(f.payload)]; /* $(safe(f.jtype)): the bytes of the member held */")
            end
            sel = member_name!(taken, "$(cname)_selector")
            desc = safe(join(["$(k - 1) = $m" for (k, m) in enumerate(f.members)], ", "))
            push!(lines, "    uint8_t $sel; /* which member: $desc */")
        else
            push!(lines, "    void *$cname; /* $(safe(f.jtype)): a reference the GC owns; reach it through handles (jlc_field_get / jlc_field_set), never through this pointer */")
        end
        pos = f.offset + (f.kind == FIELD_UNION ? f.payload + 1 : f.size)
    end
    pad!(info.size)
    empty = !any(l -> occursin(r"^    [^/ ]", l), lines)
    if empty
        push!(lines, "    uint8_t _empty; /* Julia's size is 0 but a C struct needs a member: C's size is 1 */")
    end
    foreach(l -> println(io, l), lines)
    println(io, "} $name;")

    # Compile-time checks: the C layout is Julia's.
    csize = empty ? 1 : info.size
    println(io, "JLC_REFLECT_ASSERT(sizeof($name) == $csize, \"$name: size differs from Julia's\");")
    println(io, "JLC_REFLECT_ASSERT(JLC_REFLECT_ALIGNOF($name) == $(info.align), \"$name: alignment differs from Julia's\");")
    for (f, cname) in zip(info.fields, cnames)
        f.size == 0 && continue
        if f.kind == FIELD_UNION
            if f.payload > 0
                println(io, "JLC_REFLECT_ASSERT(offsetof($name, $cname) == $(f.offset), \"$name.$cname: offset differs from Julia's\");")
            end
            sel = cname * "_selector"
            println(io, "JLC_REFLECT_ASSERT(offsetof($name, $sel) == $(f.offset + f.payload), \"$name.$sel: offset differs from Julia's\");")
        else
            println(io, "JLC_REFLECT_ASSERT(offsetof($name, $cname) == $(f.offset), \"$name.$cname: offset differs from Julia's\");")
            println(io, "JLC_REFLECT_ASSERT(JLC_REFLECT_MEMBER_SIZE($name, $cname) == $(f.size), \"$name.$cname: size differs from Julia's\");")
        end
    end

    # Typed access to bits-union fields, checking the selector.
    for (f, cname) in zip(info.fields, cnames)
        f.kind == FIELD_UNION || continue
        sel = cname * "_selector"
        for (k, m) in enumerate(f.members)
            tag = member_tag(g, m)
            fn = "$(name)_$(cname)"
            println(io, "static inline bool $(fn)_is_$tag(const $name *s) { return s->$sel == $(k - 1); }")
            if sizeof(m) == 0
                println(io, "static inline void $(fn)_set_$tag($name *s) { s->$sel = $(k - 1); }")
                continue
            end
            sp = spell(g, m, "")
            if isempty(sp.dims) && sp.alignas == 0 && !startswith(sp.spec, "struct {")
                println(io, "static inline bool $(fn)_get_$tag(const $name *s, $(sp.spec) *out) { if (s->$sel != $(k - 1)) return false; memcpy(out, s->$cname, sizeof *out); return true; }")
                println(io, "static inline void $(fn)_set_$tag($name *s, $(sp.spec) v) { memcpy(s->$cname, &v, sizeof v); s->$sel = $(k - 1); }")
            end
        end
    end

    # The descriptor the runtime checks (jlc/struct.h).
    for (f, cname) in zip(info.fields, cnames)
        f.kind == FIELD_UNION || continue
        println(io, "static const char *const $(name)_$(cname)_union[] = {",
                join([c_string(string(m)) for m in f.members], ", "), "};")
    end
    fields = "NULL"
    if !isempty(info.fields)
        fields = "$(name)_fields"
        println(io, "static const jlc_field_layout $(name)_fields[] = {")
        for (f, cname) in zip(info.fields, cnames)
            u = f.kind == FIELD_UNION ? "$(length(f.members)), $(name)_$(cname)_union" : "0, NULL"
            println(io, "    {", c_string(string(f.name)), ", ", c_string(f.typestr), ", ", f.offset, ", ",
                    f.size, ", ", KIND_NAMES[f.kind], ", ", u, "},")
        end
        println(io, "};")
    end
    println(io, "static const jlc_struct_layout $(name)_layout = {JLC_STRUCT_LAYOUT_ABI, ",
            c_string(info.expr), ", ", info.size, ", ", info.align, ", ", info.mutable, ", ",
            length(info.fields), ", ", fields, "};")
    println(io)
end

# The whole header for the structs in `infos` (dependencies first).
function emit_header(infos, names::Dict{Any,String}, outpath::String, requested)
    g = Emitter(names, IOBuffer())
    io = g.out
    guard = "JLC_REFLECT_" * uppercase(c_identifier(basename(outpath)))
    println(io, "/* $(basename(outpath)) — C structs for Julia types, written by jlc-reflect")
    println(io, " * (Julia $(VERSION)); do not edit: regenerate. Types: ", safe(join(requested, ", ")), ".")
    println(io, " * Each struct has Julia's layout (checked below at compile time, and by")
    println(io, " * jlc_struct_register() against the live type at run time) and a")
    println(io, " * jlc_struct_layout descriptor, NAME_layout (include/jlc/struct.h). */")
    println(io, "#ifndef $guard")
    println(io, "#define $guard")
    println(io, "#include <jlc.h>")
    println(io, "#include <stddef.h>")
    println(io, "#include <stdint.h>")
    println(io, "#include <string.h>")
    println(io)
    println(io, "#ifndef JLC_REFLECT_ASSERT")
    println(io, "#ifdef __cplusplus")
    println(io, "#define JLC_REFLECT_ASSERT(cond, msg) static_assert(cond, msg)")
    println(io, "#define JLC_REFLECT_ALIGNOF(type) alignof(type)")
    println(io, "#define JLC_REFLECT_ALIGNAS(n) alignas(n)")
    println(io, "#else")
    println(io, "#define JLC_REFLECT_ASSERT(cond, msg) _Static_assert(cond, msg)")
    println(io, "#define JLC_REFLECT_ALIGNOF(type) _Alignof(type)")
    println(io, "#define JLC_REFLECT_ALIGNAS(n) _Alignas(n)")
    println(io, "#endif")
    println(io, "#define JLC_REFLECT_MEMBER_SIZE(type, member) sizeof(((type *)0)->member)")
    println(io, "#endif")
    println(io, "JLC_REFLECT_ASSERT(sizeof(bool) == 1, \"Julia's Bool is 1 byte; this C's bool is not\");")
    println(io)
    for info in infos
        emit_struct(g, info)
    end
    println(io, "#endif /* $guard */")
    return String(take!(io))
end

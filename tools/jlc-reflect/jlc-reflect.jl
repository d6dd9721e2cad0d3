# jlc-reflect's command line: loads Julia files and packages into Main, reads
# the named struct types and writes one C header (see docs/structs.md).
# Run through the wrapper bin/jlc-reflect, which picks the Julia jlc was
# built with.

module JlcReflect

include("model.jl")
include("cnames.jl")
include("emit.jl")

const USAGE = """
usage: jlc-reflect -o OUT.h [--include FILE.jl]... [--using PKG]...
                   [--name 'TYPE=CName']... TYPE...
Writes one C header with a typedef, compile-time layout checks and a
jlc_struct_layout descriptor for each TYPE (a concrete struct type as Julia
writes it, e.g. 'Point{Float64}') and every struct it embeds.
  -o, --output FILE   the header to write
  --include FILE      include a Julia file into Main first (repeatable)
  --using PKG         run `using PKG` in Main first (repeatable)
  --name 'T=N'        call type T `N` in C instead of the derived name
  -h, --help          this text"""

struct UsageError <: Exception
    msg::String
end

# Evaluates a type expression from the command line in Main.
function eval_type(what::AbstractString)
    ex = try
        Meta.parse(what)
    catch e
        refuse("`$what` does not parse: $(sprint(showerror, e))")
    end
    try
        return Core.eval(Main, ex)
    catch e
        if e isa UndefVarError
            refuse("`$what`: $(e.var) is not defined in Main (load it with --include or --using)")
        end
        refuse("`$what` does not evaluate: $(sprint(showerror, e))")
    end
end

function main(args::Vector{String})
    out = nothing
    includes, usings, types, renames = String[], String[], String[], String[]
    i = 1
    value() = (i < length(args) || throw(UsageError("$(args[i]) needs a value")); args[i += 1])
    while i <= length(args)
        a = args[i]
        if a == "-h" || a == "--help"
            println(USAGE)
            return 0
        elseif a == "-o" || a == "--output"
            out = value()
        elseif a == "--include"
            push!(includes, value())
        elseif a == "--using"
            push!(usings, value())
        elseif a == "--name"
            push!(renames, value())
        elseif startswith(a, "-") && length(a) > 1
            throw(UsageError("unknown option $a"))
        else
            push!(types, a)
        end
        i += 1
    end
    out === nothing && throw(UsageError("no output file (-o OUT.h)"))
    isempty(types) && throw(UsageError("no types named"))

    for f in includes
        isfile(f) || refuse("--include $f: no such file")
        try
            Base.include(Main, abspath(f))
        catch e
            refuse("loading $f failed: $(sprint(showerror, e isa LoadError ? e.error : e))")
        end
    end
    for p in usings
        try
            Core.eval(Main, Meta.parse("using $p"))
        catch e
            refuse("using $p failed: $(sprint(showerror, e))")
        end
    end
    overrides = Dict{Any,String}()
    for r in renames
        k = findlast('=', r)
        k === nothing && throw(UsageError("--name wants 'TYPE=CName', got '$r'"))
        n = r[k+1:end]
        is_c_identifier(n) && !(n in RESERVED) || refuse("--name $r: `$n` is not a usable C name")
        overrides[eval_type(r[1:k-1])] = n
    end
    wanted = Pair{Any,String}[eval_type(t) => t for t in types]
    infos = collect_structs(wanted)
    names = assign_names(infos, overrides)
    text = emit_header(infos, names, out, types)
    tmp = out * ".tmp"
    write(tmp, text)
    mv(tmp, out; force = true)
    return 0
end

function run(args)
    try
        return main(args)
    catch e
        if e isa ReflectError
            println(stderr, "jlc-reflect: ", e.msg)
            return 1
        elseif e isa UsageError
            println(stderr, "jlc-reflect: ", e.msg, "\n", USAGE)
            return 2
        end
        rethrow()
    end
end

end # module

exit(JlcReflect.run(ARGS))

# jlc_reflect(): C headers for Julia struct types, written at build time by
# jlc-reflect (docs/structs.md). In jlc's own tree and, through
# find_package(jlc), from an installed prefix.
#
#   jlc_reflect(OUTPUT <header.h>
#               TYPES <type> ...              e.g. "Point{Float64}"
#               [JULIA_FILES <file.jl> ...]   included into Main first
#               [USING <Package> ...]         `using Package` in Main first
#               [NAMES "<type>=<CName>" ...]  C names instead of derived ones
#               [TARGET <target>]             add the header to the target's
#                                             sources and its folder to its
#                                             include path
#               [DEPENDS <file> ...])         more files that should trigger
#                                             regeneration (files the Julia
#                                             files include themselves)
#
# A relative OUTPUT is under CMAKE_CURRENT_BINARY_DIR; relative JULIA_FILES
# are under CMAKE_CURRENT_SOURCE_DIR. The header is regenerated when any
# Julia file (or the tool) changes. Without TARGET, list the header among
# a target's sources so the build runs the command.

# The tool is JLC_REFLECT_EXECUTABLE, and JLC_REFLECT_DEPENDS its files: set
# by jlc's CMakeLists.txt (build tree) or by jlcConfig.cmake (installed
# prefix: <prefix>/bin/jlc-reflect).

function(jlc_reflect)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "OUTPUT;TARGET" "TYPES;JULIA_FILES;USING;NAMES;DEPENDS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "jlc_reflect: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_OUTPUT OR NOT ARG_TYPES)
    message(FATAL_ERROR "jlc_reflect: OUTPUT and TYPES are required")
  endif()
  if(NOT JLC_REFLECT_EXECUTABLE)
    message(FATAL_ERROR "jlc_reflect: JLC_REFLECT_EXECUTABLE is not set (use find_package(jlc))")
  endif()
  get_filename_component(out "${ARG_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  get_filename_component(outdir "${out}" DIRECTORY)
  set(cmd "${JLC_REFLECT_EXECUTABLE}" -o "${out}")
  set(deps "${JLC_REFLECT_EXECUTABLE}" ${JLC_REFLECT_DEPENDS})
  foreach(f IN LISTS ARG_JULIA_FILES)
    get_filename_component(f "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND cmd --include "${f}")
    list(APPEND deps "${f}")
  endforeach()
  foreach(p IN LISTS ARG_USING)
    list(APPEND cmd --using "${p}")
  endforeach()
  foreach(n IN LISTS ARG_NAMES)
    list(APPEND cmd --name "${n}")
  endforeach()
  foreach(d IN LISTS ARG_DEPENDS)
    get_filename_component(d "${d}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND deps "${d}")
  endforeach()
  file(MAKE_DIRECTORY "${outdir}")
  file(RELATIVE_PATH rel "${CMAKE_BINARY_DIR}" "${out}")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${cmd} ${ARG_TYPES}
    DEPENDS ${deps}
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
    COMMENT "jlc-reflect: writing ${rel}"
    VERBATIM)
  if(ARG_TARGET)
    target_sources(${ARG_TARGET} PRIVATE "${out}")
    target_include_directories(${ARG_TARGET} PRIVATE "${outdir}")
  endif()
endfunction()

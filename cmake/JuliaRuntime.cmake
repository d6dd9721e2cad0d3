# Finds the Julia to build against and exports:
#   JLC_JULIA_EXE JLC_JULIA_VERSION JLC_JULIA_BINDIR JLC_JULIA_INCLUDE_DIR
#   JLC_JULIA_LIBRARY JLC_JULIA_IMAGE JLC_LIBUNWIND (may be empty)
# Order: JULIA_DIR (cache or environment), then `julia` on PATH. The
# private libunwind for Debian's Julia comes from scripts/setup.sh
# ($JLC_DEPS/julia.env) or the JLC_LIBUNWIND cache variable.

set(JULIA_DIR "$ENV{JULIA_DIR}" CACHE PATH "Julia install prefix (bin/julia)")
if(JULIA_DIR)
  find_program(JLC_JULIA_EXE julia PATHS "${JULIA_DIR}/bin" NO_DEFAULT_PATH REQUIRED)
else()
  find_program(JLC_JULIA_EXE julia REQUIRED)
endif()

set(_jlc_deps "$ENV{JLC_DEPS}")
if(NOT _jlc_deps)
  set(_jlc_deps "${PROJECT_SOURCE_DIR}/.deps")
endif()
if(NOT DEFINED JLC_LIBUNWIND AND EXISTS "${_jlc_deps}/julia.env")
  file(STRINGS "${_jlc_deps}/julia.env" _env REGEX "^JLC_LIBUNWIND=")
  string(REPLACE "JLC_LIBUNWIND=" "" _unw "${_env}")
  # Only for the Julia setup.sh examined; another Julia brings its own.
  file(STRINGS "${_jlc_deps}/julia.env" _bin REGEX "^JLC_JULIA_BIN=")
  string(REPLACE "JLC_JULIA_BIN=" "" _bin "${_bin}")
  get_filename_component(_exe_real "${JLC_JULIA_EXE}" REALPATH)
  if(_bin STREQUAL _exe_real)
    set(JLC_LIBUNWIND "${_unw}")
  endif()
endif()
set(JLC_LIBUNWIND "${JLC_LIBUNWIND}" CACHE FILEPATH "libunwind to load ahead of libjulia (Debian's Julia 1.5)")

set(_ldpath "$ENV{LD_LIBRARY_PATH}")
if(JLC_LIBUNWIND)
  get_filename_component(_unwdir "${JLC_LIBUNWIND}" DIRECTORY)
  set(_ldpath "${_unwdir}:${_ldpath}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${_ldpath}"
          "${JLC_JULIA_EXE}" --startup-file=no --history-file=no -e
          "using Libdl; print(VERSION, ';', Sys.BINDIR, ';', abspath(Sys.BINDIR, Base.INCLUDEDIR, \"julia\"), ';', Libdl.dlpath(\"libjulia\"), ';', unsafe_string(Base.JLOptions().image_file))"
  OUTPUT_VARIABLE _out RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "jlc: running ${JLC_JULIA_EXE} failed (${_rc})")
endif()
list(GET _out 0 JLC_JULIA_VERSION)
list(GET _out 1 JLC_JULIA_BINDIR)
list(GET _out 2 JLC_JULIA_INCLUDE_DIR)
list(GET _out 3 JLC_JULIA_LIBRARY)
list(GET _out 4 JLC_JULIA_IMAGE)
if(NOT EXISTS "${JLC_JULIA_INCLUDE_DIR}/julia.h")
  # Debian puts julia.h under /usr/include/julia (libjulia-dev).
  find_path(_jlh julia.h PATH_SUFFIXES julia REQUIRED)
  set(JLC_JULIA_INCLUDE_DIR "${_jlh}")
endif()
# Does this Julia survive its own exceptions with the libunwind it will load?
# Debian's Julia 1.5 built for bullseye does not with Debian 12's libunwind:
# every exception would crash jlc's users, so refuse to configure.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env "LD_LIBRARY_PATH=${_ldpath}"
          "${JLC_JULIA_EXE}" --startup-file=no --history-file=no -e
          "try; [1, 2][5]; catch; end; try; error(\"x\"); catch; end; print(\"caught\")"
  OUTPUT_VARIABLE _probe RESULT_VARIABLE _probe_rc ERROR_QUIET)
if(NOT _probe STREQUAL "caught")
  if(JLC_LIBUNWIND)
    message(FATAL_ERROR "jlc: ${JLC_JULIA_EXE} crashes on a caught exception (${_probe_rc}) "
      "even with the libunwind ${JLC_LIBUNWIND} loaded first.")
  endif()
  message(FATAL_ERROR "jlc: ${JLC_JULIA_EXE} (Julia ${JLC_JULIA_VERSION}) crashes on a caught "
    "exception (${_probe_rc}) with this system's libunwind: Debian's Julia 1.5 needs bullseye's "
    "libunwind 1.3.2 loaded first. Run ./scripts/setup.sh (it unpacks it into .deps/libunwind; "
    "this configure step then finds it), or pass -DJLC_LIBUNWIND=/path/to/libunwind.so.8.")
endif()
message(STATUS "jlc: Julia ${JLC_JULIA_VERSION} (${JLC_JULIA_EXE})")
message(STATUS "jlc:   library ${JLC_JULIA_LIBRARY}, image ${JLC_JULIA_IMAGE}")
if(JLC_LIBUNWIND)
  message(STATUS "jlc:   libunwind loaded first: ${JLC_LIBUNWIND}")
endif()

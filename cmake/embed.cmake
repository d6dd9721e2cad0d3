# cmake "-DIN=a.jl;b.jl" -DOUT=file.c -P embed.cmake
# Turns the support files into C arrays (no xxd): one NUL-terminated source per
# file, and a table of (area name = file name without .jl, source).
set(body "/* generated from the files of src/support; do not edit */\n#include <stddef.h>\n")
set(table "")
set(i 0)
foreach(f ${IN})
  get_filename_component(area "${f}" NAME_WE)
  file(READ "${f}" h HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${h}")
  string(APPEND body "static const char src_${i}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${area}\", src_${i}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const struct { const char *area; const char *source; } jlc__support_files[] = {\n${table}    {NULL, NULL}};\n")
file(WRITE "${OUT}" "${body}")

# cmake "-DIN=a.jl;b.jl" -DOUT=file.c -DNAME=symbol -P embed.cmake
# Turns text files, concatenated, into one NUL-terminated C array (no xxd).
set(hex "")
foreach(f ${IN})
  file(READ "${f}" h HEX)
  string(APPEND hex "${h}0a")
endforeach()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE "${OUT}" "/* generated from the files of src/support; do not edit */\nconst char ${NAME}[] = {${body}0x00};\n")

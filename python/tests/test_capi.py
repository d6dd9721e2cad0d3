"""test_capi.py — the ctypes mirrors of C structs (python/jlc/_capi.py)
against C itself. A mirror that differs from C is memory corruption, not an
error (jlc_async_options_default memsets the whole C struct into the buffer
Python sized), so three lists must agree for every mirrored struct:

- the layout C reports: struct_layout.c, built by CMake, prints each
  struct's size and each field's offset and size (JLC_STRUCT_LAYOUT names
  the program);
- the ctypes Structure: ctypes.sizeof and each field's offset and size;
- the field names declared in include/jlc.h and include/jlc/*.h (read from
  the text: a field added to a header alone may sit in padding and change
  no size or offset).

No Julia starts here."""
import ctypes
import glob
import os
import re
import subprocess
import unittest

from jlc import _capi

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.environ.get("JLC_INCLUDE_DIR") or os.path.join(HERE, "..", "..", "include")


def c_layout():
    """{struct: (size, [(field, offset, size), ...])} from struct_layout."""
    prog = os.environ.get("JLC_STRUCT_LAYOUT")
    if not prog:
        raise AssertionError("JLC_STRUCT_LAYOUT must name the struct_layout program "
                             "(ctest sets it: build/python/python_struct_layout)")
    out = {}
    for line in subprocess.run([prog], check=True, capture_output=True, text=True).stdout.splitlines():
        name, *nums = line.split()
        if "." in name:
            struct, field = name.split(".")
            out[struct][1].append((field, int(nums[0]), int(nums[1])))
        else:
            out[name] = (int(nums[0]), [])
    return out


def ctypes_layout():
    """The same from every ctypes.Structure _capi defines."""
    out = {}
    for name, cls in vars(_capi).items():
        if isinstance(cls, type) and issubclass(cls, ctypes.Structure) and cls.__module__ == _capi.__name__:
            self_name = cls.__name__
            fields = [(f[0], getattr(cls, f[0]).offset, getattr(cls, f[0]).size) for f in cls._fields_]
            out[self_name] = (ctypes.sizeof(cls), fields)
    return out


def header_fields(struct):
    """The field names of `typedef struct <struct> { ... } <struct>;` in the
    public headers, in order (comments dropped; the last identifier of each
    declaration; the mirrored structs have no arrays or function pointers)."""
    pat = re.compile(r"typedef\s+struct\s+%s\s*\{(.*?)\}\s*%s\s*;" % (struct, struct), re.S)
    found = []
    for path in [os.path.join(INCLUDE, "jlc.h")] + sorted(glob.glob(os.path.join(INCLUDE, "jlc", "*.h"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in pat.finditer(text):
            body = re.sub(r"/\*.*?\*/|//[^\n]*", " ", m.group(1), flags=re.S)
            found.append([re.findall(r"[A-Za-z_]\w*", decl)[-1]
                          for decl in body.split(";") if decl.strip()])
    if len(found) != 1:
        raise AssertionError("%d definitions of struct %s under %s" % (len(found), struct, INCLUDE))
    return found[0]


class TestStructMirrors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = c_layout()
        cls.py = ctypes_layout()

    def test_same_structs(self):
        self.assertEqual(sorted(self.c), sorted(self.py))
        # the handles, the options and the array info at least
        for name in ("jlc_scope", "jlc_value", "jlc_init_options", "jlc_async_options", "jlc_array_info"):
            self.assertIn(name, self.py)

    def test_sizes_offsets_and_names(self):
        for name in sorted(self.py):
            with self.subTest(struct=name):
                c_size, c_fields = self.c[name]
                py_size, py_fields = self.py[name]
                # names first: the clearest message when a field is missing
                self.assertEqual([f[0] for f in c_fields], [f[0] for f in py_fields],
                                 "fields of %s: struct_layout.c vs _capi.py" % name)
                self.assertEqual(c_fields, py_fields, "(field, offset, size) of %s" % name)
                self.assertEqual(c_size, py_size, "sizeof(%s)" % name)

    def test_names_match_the_headers(self):
        for name in sorted(self.py):
            with self.subTest(struct=name):
                self.assertEqual(header_fields(name), [f[0] for f in self.py[name][1]],
                                 "fields of %s: the header vs _capi.py" % name)


if __name__ == "__main__":
    unittest.main()

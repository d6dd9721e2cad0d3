"""test_process.py — what needs a process of its own (Julia starts once per
process): loading libjlc with ctypes' default mode, a Python thread
entering Julia, Ctrl-C under both julia_signals settings; and the library
search, which starts no Julia."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import jlc

LIBRARY = os.environ["JLC_LIBRARY"]
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(jlc.__file__)))
SONAME = jlc._capi.LIBRARY_NAMES[0]  # the name the loader knows libjlc by


def run_python(code, timeout=120):
    """Runs code in a fresh interpreter that imports this package; returns
    (exit status, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=PACKAGE_DIR, JLC_LIBRARY=LIBRARY)
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                       capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


class TestDefaultLoad(unittest.TestCase):
    def test_plain_ctypes_cdll(self):
        # No package: ctypes.CDLL with its default mode (RTLD_LOCAL), as any
        # ctypes user would write it.
        rc, out, err = run_python("""
            import ctypes, os, sys
            assert ctypes.DEFAULT_MODE == os.RTLD_LOCAL
            lib = ctypes.CDLL(os.environ["JLC_LIBRARY"])
            self_ = ctypes.CDLL(None)
            print("global before:", hasattr(self_, "jl_n_threads"))
            print("init:", lib.jlc_init(None))
            print("global after:", hasattr(self_, "jl_n_threads"))
            lib.jlc_julia_version.restype = ctypes.c_char_p
            print("julia:", lib.jlc_julia_version().decode())
            class H(ctypes.Structure):
                _fields_ = [("_h", ctypes.c_uint64)]
            s, v = H(), H()
            lib.jlc_scope_open.argtypes = [H, ctypes.POINTER(H)]
            lib.jlc_eval.argtypes = [H, H, ctypes.c_char_p, ctypes.POINTER(H)]
            lib.jlc_last_error.restype = ctypes.c_char_p
            print("open:", lib.jlc_scope_open(H(), s))
            print("eval:", lib.jlc_eval(s, H(), b"[1, 2][5]", v))
            print("error:", lib.jlc_last_error().decode())
            n = ctypes.c_int64()
            print("eval:", lib.jlc_eval(s, H(), b"sum([2, 3])", v))
            lib.jlc_int64_get.argtypes = [H, ctypes.POINTER(ctypes.c_int64)]
            print("get:", lib.jlc_int64_get(v, n), n.value)
        """)
        self.assertEqual(0, rc, err)
        lines = out.splitlines()
        # jl_n_threads was not global until jlc_init made it so (before Julia
        # 1.6; from 1.6 libjulia's loader opens libjulia-internal globally: seen on 1.10).
        major, minor = (int(x) for x in lines[3].split()[1].split(".")[:2])
        before = "False" if (major, minor) < (1, 6) else "True"
        self.assertEqual(["global before: " + before, "init: 0", "global after: True"], lines[:3])
        self.assertEqual(["open: 0", "eval: 1"], lines[4:6])  # 1 = JLC_EXCEPTION
        self.assertTrue(lines[6].startswith("error: BoundsError: attempt to access"), lines[6])
        self.assertEqual(["eval: 0", "get: 0 5"], lines[7:9])

    def test_package_loads_with_defaults(self):
        rc, out, err = run_python("""
            import ctypes, os, jlc
            jlc.init()
            lib = jlc.load()
            print(lib._handle == ctypes.CDLL(os.environ["JLC_LIBRARY"])._handle)
            # The package did not load jlc globally: its names are not global.
            print(hasattr(ctypes.CDLL(None), "jlc_init"))
            with jlc.Scope() as s:
                print(s.call("Base.+", 2, 3).to_python())
        """)
        self.assertEqual(0, rc, err)
        self.assertEqual(["True", "False", "5"], out.splitlines())


class TestThreadEnter(unittest.TestCase):
    # A Python thread enters Julia (jlc_thread_enter) in a process started
    # with julia_signals=True, which a second Julia thread needs.
    SCRIPT = """
        import threading, jlc
        jlc.init(julia_signals=True)
        out = []

        def body():
            try:
                with jlc.thread_entered():
                    with jlc.Scope() as s:
                        out.append(s.call("Base.+", 1, 2).to_python())
                        out.append(s.eval("Threads.threadid()").int64() != 1)
                        try:
                            s.eval("sqrt(-1.0)")
                        except jlc.JuliaError as e:
                            out.append(e.type_name)
                try:
                    jlc.Scope()  # left: refused again
                except jlc.JlcError as e:
                    out.append(e.status_name)
            except jlc.JlcError as e:
                out.append(e.status_name)
        t = threading.Thread(target=body)
        jlc.thread_leave()  # the init thread waits GC-safe
        t.start()
        t.join()
        jlc.thread_enter()
        print(jlc.julia_version())
        print(out)
    """

    def test_python_thread_calls_julia(self):
        rc, out, err = run_python(self.SCRIPT)
        self.assertEqual(0, rc, err)
        version, result = out.splitlines()
        if tuple(int(x) for x in version.split(".")[:2]) >= (1, 9):
            self.assertEqual("[3, True, 'DomainError', 'JLC_ERR_THREAD']", result)
        else:
            self.assertEqual("['JLC_ERR_UNSUPPORTED']", result)


class TestAsyncCallPool(unittest.TestCase):
    # Julia 1.9+ may also have an :interactive thread pool
    # (JULIA_NUM_THREADS="2,1"), whose threads come first in threadid order:
    # the runtime thread is then interactive, and an async call must go to
    # the default pool. Before 1.9 there are no pools: "2,1" is read as two
    # plain threads.
    SCRIPT = """
        import jlc
        jlc.async_start(julia_signals=True)
        def job(s):
            pool = s.eval('isdefined(Threads, :threadpool) ? Threads.threadpool() : :default')
            where = s.eval('() -> (Threads.threadid(), isdefined(Threads, :threadpool) ? '
                           'Threads.threadpool() : :default)')
            return (jlc.julia_version(), s.eval("Threads.threadid()").int64(), pool.repr(),
                    s.async_call(where).repr())
        print(jlc.submit(job).result(60))
        jlc.async_stop()
    """

    def test_async_call_goes_to_the_default_pool(self):
        import ast
        for threads in ("2,1", "2"):
            env = dict(os.environ, PYTHONPATH=PACKAGE_DIR, JLC_LIBRARY=LIBRARY,
                       JULIA_NUM_THREADS=threads)
            p = subprocess.run([sys.executable, "-c", textwrap.dedent(self.SCRIPT)], env=env,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(0, p.returncode, p.stderr)
            version, me, pool, other = ast.literal_eval(p.stdout.strip())
            new = tuple(int(x) for x in version.split(".")[:2]) >= (1, 9)
            self.assertEqual(1, me)
            if threads == "2,1" and new:
                self.assertEqual(":interactive", pool)
                self.assertEqual("(2, :default)", other)
            else:  # "2"; or "2,1" before 1.9, read as 2 threads (no pools)
                self.assertEqual(":default", pool)
                self.assertEqual("(2, :default)", other)


class TestCtrlC(unittest.TestCase):
    SCRIPT = """
        import os, signal, sys, time, jlc
        jlc.init(julia_signals=%s)
        s = jlc.Scope()
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)
            print("no KeyboardInterrupt")
        except KeyboardInterrupt:
            print("KeyboardInterrupt")
        caught = []
        for i in range(50):
            try:
                s.eval("sum(rand(100))")
            except jlc.JuliaError as e:
                caught.append(e.type_name)
        print(caught)
        print(s.eval("1 + 1").to_python())
    """

    def test_default_keeps_keyboard_interrupt(self):
        rc, out, err = run_python(self.SCRIPT % "False")
        self.assertEqual(0, rc, err)
        self.assertEqual(["KeyboardInterrupt", "[]", "2"], out.splitlines())

    def test_julia_signals_turn_ctrl_c_into_interrupt_exception(self):
        rc, out, err = run_python(self.SCRIPT % "True")
        self.assertEqual(0, rc, err)
        self.assertEqual(["no KeyboardInterrupt", "['InterruptException']", "2"],
                         out.splitlines())


class TestFindLibrary(unittest.TestCase):
    def setUp(self):
        self.saved = {k: os.environ.pop(k, None) for k in ("JLC_LIBRARY", "JLC_PREFIX")}

    def tearDown(self):
        for k, v in self.saved.items():
            if v is not None:
                os.environ[k] = v

    def test_explicit_then_env_then_prefix(self):
        self.assertEqual(os.path.abspath(LIBRARY), jlc.find_library(LIBRARY))
        os.environ["JLC_LIBRARY"] = LIBRARY
        self.assertEqual(os.path.abspath(LIBRARY), jlc.find_library())
        del os.environ["JLC_LIBRARY"]
        with tempfile.TemporaryDirectory() as prefix:
            os.makedirs(os.path.join(prefix, "lib"))
            target = os.path.join(prefix, "lib", SONAME)
            os.symlink(os.path.abspath(LIBRARY), target)
            self.assertEqual(target, jlc.find_library(prefix=prefix))
            os.environ["JLC_PREFIX"] = prefix
            self.assertEqual(target, jlc.find_library())
            del os.environ["JLC_PREFIX"]
            # A package installed under the prefix finds the library there.
            site = os.path.join(prefix, "lib", "python3", "site-packages")
            os.makedirs(site)
            os.symlink(os.path.join(PACKAGE_DIR, "jlc"), os.path.join(site, "jlc"))
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            p = subprocess.run([sys.executable, "-c",
                                "import jlc; print(jlc.find_library())"],
                               env=dict(env, PYTHONPATH=site), capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(target, p.stdout.strip(), p.stderr)

    def test_nothing_given_falls_back_to_the_loader(self):
        self.assertEqual(SONAME, jlc.find_library())

    def test_package_names_the_built_soname(self):
        # the build makes libjlc.so.<soname version> next to the library
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(LIBRARY), SONAME)),
                        "the package looks for %s; the build has no such file" % SONAME)

    def test_explicit_choice_never_falls_through(self):
        with self.assertRaises(FileNotFoundError):
            jlc.find_library("/nonexistent/libjlc.so")
        os.environ["JLC_LIBRARY"] = "/nonexistent/libjlc.so"
        with self.assertRaises(FileNotFoundError):
            jlc.find_library()
        del os.environ["JLC_LIBRARY"]
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaises(FileNotFoundError):
                jlc.find_library(prefix=empty)


if __name__ == "__main__":
    unittest.main()

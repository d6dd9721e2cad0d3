"""test_api.py — the package against a running Julia: values, calls,
exceptions, scopes and arrays. Julia starts once per process, so every
test here shares one init (setUpModule) and gets its own scope."""
import array
import gc
import threading
import unittest

import jlc
from jlc import JlcError, JuliaError, Status


def setUpModule():
    jlc.init()  # the package's default: julia_signals=False


def tearDownModule():
    assert jlc.shutdown() == 0


class ScopedTest(unittest.TestCase):
    def setUp(self):
        self.s = jlc.Scope()

    def tearDown(self):
        self.s.close()

    def assertStatus(self, status, fn, *args, **kwargs):
        with self.assertRaises(JlcError) as cm:
            fn(*args, **kwargs)
        self.assertEqual(status, cm.exception.status)
        self.assertEqual("JLC_" + status.name, cm.exception.status_name)
        return cm.exception


class TestRuntime(unittest.TestCase):
    def test_ready_and_version(self):
        self.assertTrue(jlc.is_ready())
        self.assertRegex(jlc.julia_version(), r"^1\.\d+\.\d+")

    def test_second_init_is_state_error(self):
        with self.assertRaises(JlcError) as cm:
            jlc.init()
        self.assertEqual(Status.ERR_STATE, cm.exception.status)
        self.assertIn("already initialised", cm.exception.message)

    def test_other_thread_is_thread_error(self):
        import threading
        got = []

        def body():
            try:
                jlc.Scope()
            except JlcError as e:
                got.append(e.status)
        t = threading.Thread(target=body)
        t.start()
        t.join()
        self.assertEqual([Status.ERR_THREAD], got)


def julia_at_least(major, minor):
    return tuple(int(x) for x in jlc.julia_version().split(".")[:2]) >= (major, minor)


def run_in_thread(body):
    """body() on a new Python thread; returns ("ok", its value) or
    ("raised", the exception). This thread (init()'s, entered) leaves Julia
    around the join: a collection started by the other thread would
    otherwise wait for this one while it waits for the other (jlc.h,
    jlc_thread_enter)."""
    out = []

    def wrap():
        try:
            out.append(("ok", body()))
        except BaseException as e:
            out.append(("raised", e))
    t = threading.Thread(target=wrap)
    jlc.thread_leave()
    try:
        t.start()
        t.join()
    finally:
        jlc.thread_enter()
    return out[0]


class TestThreads(ScopedTest):
    def test_init_thread_leaves_and_enters(self):
        jlc.thread_enter()  # nested on a thread that starts entered
        jlc.thread_leave()
        self.assertEqual(3, self.s.call("Base.+", 1, 2).to_python())
        jlc.thread_leave()  # now outside Julia: calls refused
        try:
            self.assertStatus(Status.ERR_THREAD, self.s.int64, 7)
            self.assertStatus(Status.ERR_THREAD, jlc.Scope)
        finally:
            jlc.thread_enter()
        self.assertEqual(3, self.s.call("Base.+", 1, 2).to_python())
        with jlc.thread_entered():
            self.assertEqual(5, self.s.call("Base.+", 2, 3).to_python())
        self.assertEqual(7, self.s.call("Base.+", 3, 4).to_python())

    def entered_call(self):
        with jlc.thread_entered():
            with jlc.Scope() as s:
                return s.call("Base.+", 1, 2).to_python()

    def test_python_thread_enters(self):
        def not_entered():
            try:
                jlc.Scope()
            except JlcError as e:
                return e.status

        def leave_first():
            try:
                jlc.thread_leave()
            except JlcError as e:
                return e.status
        # on every release: a thread that did not enter is refused, and has
        # nothing to leave
        self.assertEqual(("ok", Status.ERR_THREAD), run_in_thread(not_entered))
        self.assertEqual(("ok", Status.ERR_STATE), run_in_thread(leave_first))
        if julia_at_least(1, 9):
            # This process runs Julia with the package's default
            # julia_signals=False: a second Julia thread could not be stopped
            # for a collection, so adoption is refused. With
            # julia_signals=True it works: test_process.TestThreadEnter.
            kind, e = run_in_thread(self.entered_call)
            self.assertEqual("raised", kind)
            self.assertIsInstance(e, JlcError)
            self.assertEqual(Status.ERR_STATE, e.status)
            self.assertIn("julia_signals", e.message)
        else:
            kind, e = run_in_thread(self.entered_call)
            self.assertEqual("raised", kind)
            self.assertIsInstance(e, JlcError)
            self.assertEqual(Status.ERR_UNSUPPORTED, e.status)
            self.assertEqual("JLC_ERR_UNSUPPORTED", e.status_name)
            self.assertIn("1.9", e.message)

            def enter_then_leave():  # the refused enter changed nothing
                statuses = []
                for fn in (jlc.thread_enter, jlc.thread_leave, jlc.Scope):
                    try:
                        fn()
                    except JlcError as e:
                        statuses.append(e.status)
                return statuses
            self.assertEqual(("ok", [Status.ERR_UNSUPPORTED, Status.ERR_STATE, Status.ERR_THREAD]),
                             run_in_thread(enter_then_leave))


class TestValues(ScopedTest):
    def test_round_trips(self):
        s = self.s
        for x in (0, 1, -7, 2**62, -2**63, 2**63 - 1):
            self.assertEqual(x, s.int64(x).to_python())
        self.assertEqual(2**64 - 1, s.uint64(2**64 - 1).to_python())
        self.assertEqual("UInt64", s.uint64(5).type_name())
        for x in (0.0, -1.5, 1e300, float("inf")):
            self.assertEqual(x, s.float64(x).to_python())
        self.assertIs(True, s.bool(True).to_python())
        self.assertIs(False, s.value(False).to_python())
        self.assertEqual("Bool", s.value(True).type_name())  # not Int64
        self.assertEqual("héllo ∑", s.string("héllo ∑").to_python())
        self.assertEqual("", s.string("").to_python())
        self.assertIsNone(s.nothing().to_python())
        self.assertTrue(s.value(None).is_nothing())
        self.assertEqual("Symbol", s.symbol("abc").type_name())

    def test_julia_values_to_python(self):
        s = self.s
        self.assertEqual(-3, s.eval("Int8(-3)").to_python())
        self.assertEqual(250, s.eval("UInt8(250)").to_python())
        self.assertEqual(0.5, s.eval("Float32(0.5)").to_python())
        self.assertEqual("λ", s.eval("'λ'").to_python())
        self.assertEqual("a\x00b", s.eval('"a\\0b"').to_python())
        self.assertEqual("[1, 2]", s.eval("[1, 2]").repr())
        self.assertEqual("3//4", s.eval("3//4").string())

    def test_checked_conversions(self):
        s = self.s
        e = self.assertStatus(Status.ERR_LOSSY, s.int64, 2**63)
        self.assertIn("does not fit", e.message)
        self.assertStatus(Status.ERR_LOSSY, s.value, -2**63 - 1)
        self.assertStatus(Status.ERR_LOSSY, s.uint64, -1)
        self.assertStatus(Status.ERR_LOSSY, s.float64, 2**53 + 1)
        self.assertStatus(Status.ERR_TYPE, s.bool, 1)
        self.assertStatus(Status.ERR_TYPE, s.value, b"bytes")
        self.assertStatus(Status.ERR_TYPE, s.value, [1, 2])
        # Julia to Python: jlc's checked casts.
        self.assertStatus(Status.ERR_TYPE, s.eval('"text"').int64)
        self.assertStatus(Status.ERR_LOSSY, s.eval("2.5").int64)
        self.assertStatus(Status.ERR_LOSSY, s.eval("-1").uint64)
        self.assertStatus(Status.ERR_LOSSY, s.eval("typemax(UInt64)").int64)
        self.assertStatus(Status.ERR_TYPE, s.eval("1").bool)
        self.assertStatus(Status.ERR_TYPE, s.eval("1").str)
        self.assertEqual(3, s.eval("3.0").int64())       # an exact integer
        self.assertEqual(2.0, s.eval("2").float64())
        e = self.assertStatus(Status.ERR_TYPE, s.eval("[1]").to_python)
        self.assertIn("Array", e.message)


class TestCalls(ScopedTest):
    def test_call_and_lookup(self):
        s = self.s
        plus = s.lookup("Base.+")
        self.assertEqual(5, s.call(plus, 2, 3).to_python())
        self.assertEqual(5, plus(2, 3).to_python())          # a Value is callable
        self.assertEqual(3.25, s.call("Base.+", 1.25, 2).to_python())
        self.assertEqual("ab", s.call("string", "a", "b").to_python())
        self.assertEqual(3, s.call("length", s.eval("[7, 8, 9]")).to_python())
        self.assertEqual("Int64", s.call("typeof", 1).str() if False else s.call("typeof", 1).string())
        e = self.assertStatus(Status.ERR_NOT_FOUND, s.lookup, "Base.no_such_name")
        self.assertIn("no_such_name", e.message)
        self.assertEqual("Math", s.module("Base.Math").string().split(".")[-1])

    def test_keyword_calls(self):
        s = self.s
        self.assertEqual(3.142, s.call("round", 3.14159, digits=3).to_python())
        words = s.eval('["kiwi", "fig", "banana"]')
        sorted_ = s.call("sort", words, rev=True, by=s.lookup("length"))
        self.assertEqual('["banana", "kiwi", "fig"]', sorted_.repr())
        s.eval("kwf(a; b = 1, c = 2) = a * 100 + b * 10 + c")
        self.assertEqual(712, s.call("kwf", 7, c=2, b=1).to_python())
        self.assertEqual(798, s.lookup("kwf")(7, b=9, c=8).to_python())
        # "f" and "scope" are ordinary keyword names.
        s.eval("kwg(; f = 0, scope = 0) = f - scope")
        self.assertEqual(4, s.call("kwg", f=6, scope=2).to_python())

    def test_eval_in_module_and_globals(self):
        s = self.s
        s.eval("module PyTestMod; const k = 41; end")
        m = s.module("Main.PyTestMod")
        self.assertEqual(42, s.eval("k + 1", module=m).to_python())
        self.assertEqual(41, s.lookup("Main.PyTestMod.k").to_python())


class TestExceptions(ScopedTest):
    def test_bounds_error(self):
        with self.assertRaises(JuliaError) as cm:
            self.s.eval("[1, 2][5]")
        e = cm.exception
        self.assertEqual("BoundsError", e.type_name)
        self.assertTrue(e.message.startswith("BoundsError: attempt to access"), e.message)
        self.assertIn("[5]", e.message)
        self.assertEqual("BoundsError", e.value.type_name())  # the exception value
        self.assertIsInstance(e, jlc.Error)

    def test_exceptions_from_calls(self):
        s = self.s
        with self.assertRaises(JuliaError) as cm:
            s.call("error", "from Julia")
        self.assertEqual("ErrorException", cm.exception.type_name)
        self.assertEqual("ErrorException: from Julia", cm.exception.message)
        with self.assertRaises(JuliaError) as cm:
            s.call("sqrt", -1.0)
        self.assertEqual("DomainError", cm.exception.type_name)
        with self.assertRaises(JuliaError) as cm:
            s.call("round", 1.5, no_such_keyword=1)
        self.assertEqual("MethodError", cm.exception.type_name)
        with self.assertRaises(JuliaError) as cm:
            s.eval("1 +* 2")
        self.assertEqual("ParseError", cm.exception.type_name)
        # Julia works after each.
        self.assertEqual(4, s.eval("2 + 2").to_python())

    def test_exception_value_goes_stale_with_scope(self):
        with jlc.Scope() as inner:
            with self.assertRaises(JuliaError) as cm:
                inner.eval('throw(ArgumentError("bad"))')
            self.assertEqual('ArgumentError("bad")', cm.exception.value.repr())
        with self.assertRaises(JlcError) as cm2:
            cm.exception.value.type_name()
        self.assertEqual(Status.ERR_STALE, cm2.exception.status)


class TestScopes(ScopedTest):
    def test_stale_handle_after_close(self):
        with jlc.Scope() as inner:
            v = inner.int64(7)
            self.assertEqual(7, v.to_python())
        self.assertTrue(inner.closed)
        e = self.assertStatus(Status.ERR_STALE, v.int64)
        self.assertIn("stale", e.message)
        self.assertStatus(Status.ERR_STALE, v.to_python)
        self.assertStatus(Status.ERR_STALE, self.s.call, "identity", v)
        inner.close()  # a second close does nothing

    def test_keep_moves_a_result_out(self):
        outer = self.s
        with outer.child() as inner:
            r = inner.eval("collect(1:4)")
            kept = outer.keep(r)
            self.assertEqual(1, inner.size())
        self.assertEqual("[1, 2, 3, 4]", kept.repr())

    def test_parent_with_open_child_cannot_close(self):
        parent = jlc.Scope()
        b = parent.eval("[1.0, 2.0]").borrow()
        child = parent.child()
        v = child.int64(3)
        self.assertStatus(Status.ERR_STATE, parent.close)
        self.assertFalse(parent.closed)
        self.assertTrue(b.released)                # borrows end first
        self.assertEqual(0, jlc.borrow_count())
        self.assertEqual(3, v.to_python())         # the child is untouched
        child.close()
        parent.close()
        self.assertTrue(parent.closed)

    def test_values_survive_gc_while_scope_open(self):
        s = self.s
        vals = [s.eval("fill(%d, 1000)" % i) for i in range(20)]
        for _ in range(3):
            s.eval("[zeros(10000) for _ in 1:50]")
            jlc.gc_collect(True)
            gc.collect()
        self.assertEqual([1000 * i for i in range(20)],
                         [s.call("sum", v).to_python() for v in vals])


class TestArrays(ScopedTest):
    def test_wrapped_buffer_sum(self):
        data = array.array("d", [0.5 * i for i in range(1, 1001)])
        a = self.s.array_wrap(data)
        self.assertEqual("Array", a.type_name())
        self.assertEqual(sum(data), self.s.call("sum", a).to_python())
        info = a.array_info()
        self.assertEqual(("FLOAT64", 8, 1, 1000, (1000,)),
                         (info.eltype, info.elsize, info.rank, info.length, info.dims))

    def test_julia_writes_python_sees(self):
        s = self.s
        data = array.array("q", [1, 2, 3, 4, 5, 6])
        m = s.array_wrap(data, dims=(2, 3))
        self.assertEqual("(2, 3)", s.call("size", m).repr())
        s.eval("function twice!(x); x .*= 2; x[2, 3] = -1; nothing; end")
        s.call("twice!", m)
        self.assertEqual([2, 4, 6, 8, 10, -1], data.tolist())  # column-major
        # And Python writes, Julia sees.
        data[0] = 100
        self.assertEqual(100, s.eval("M -> M[1, 1]")(m).to_python())

    def test_buffer_kinds(self):
        s = self.s
        b = bytearray(b"\x01\x02\x03")
        self.assertEqual("UInt8", s.eval("eltype")(s.array_wrap(b)).string())
        self.assertEqual(6, s.call("sum", s.array_wrap(b)).to_python())
        f = array.array("f", [1.5, 2.5])
        self.assertEqual(4.0, s.call("sum", s.array_wrap(memoryview(f))).to_python())
        i = array.array("i", [-1, -2])
        self.assertEqual("Int32", s.eval("eltype")(s.array_wrap(i)).string())

    def test_wrap_refusals(self):
        s = self.s
        self.assertStatus(Status.ERR_TYPE, s.array_wrap, b"read-only")
        self.assertStatus(Status.ERR_TYPE, s.array_wrap, memoryview(bytearray(8))[::2])
        self.assertStatus(Status.ERR_TYPE, s.array_wrap, 42)
        self.assertStatus(Status.ERR_ARG, s.array_wrap, array.array("d", [1, 2, 3]), dims=(2, 2))

    def test_wrapped_buffer_is_pinned_until_scope_closes(self):
        data = bytearray(16)
        with jlc.Scope() as inner:
            inner.array_wrap(data)
            with self.assertRaises(BufferError):
                data.append(1)         # Julia holds the memory: no resize
        data.append(1)                 # the scope closed: Python's again
        self.assertEqual(17, len(data))

    def test_borrow_reads_julia_array(self):
        s = self.s
        a = s.eval("[1.5 * i for i in 1:6]")
        with a.borrow() as view:
            self.assertEqual("d", view.format)
            self.assertTrue(view.readonly)
            self.assertEqual([1.5, 3.0, 4.5, 6.0, 7.5, 9.0], view.tolist())
            self.assertEqual(1, jlc.borrow_count())
        self.assertEqual(0, jlc.borrow_count())
        with self.assertRaises(ValueError):
            view[0]                    # released with the borrow
        m = s.eval("reshape(Int32.(1:6), 2, 3)")
        b = m.borrow()
        self.assertEqual((2, 3), b.dims)
        self.assertEqual("i", b.view.format)
        self.assertEqual(6, b.view[1 + 2 * 2])  # M[2, 3], column-major
        b.release()
        self.assertTrue(b.released)

    def test_writable_borrow_and_conflicts(self):
        s = self.s
        a = s.eval("zeros(4)")
        w = a.borrow(writable=True)
        w.view[2] = 42.0
        e = self.assertStatus(Status.ERR_BORROW, a.borrow)   # one writer, no readers
        self.assertIn("borrow", e.message)
        w.release()
        self.assertEqual(42.0, s.call("getindex", a, 3).to_python())
        r1, r2 = a.borrow(), a.borrow()                       # many readers
        self.assertStatus(Status.ERR_BORROW, a.borrow, writable=True)
        with self.assertRaises(TypeError):
            r1.view[0] = 1.0                                  # read-only view
        r1.release()
        r2.release()
        # Wrapped Python memory follows the same rules.
        data = array.array("d", [1.0, 2.0])
        wa = s.array_wrap(data)
        with wa.borrow(writable=True) as v:
            v[1] = 5.0
            self.assertStatus(Status.ERR_BORROW, wa.borrow)
        self.assertEqual([1.0, 5.0], data.tolist())

    def test_borrow_ends_with_scope_and_guards_derived_views(self):
        with jlc.Scope() as inner:
            a = inner.eval("collect(1:10)")
            b = a.borrow()
            part = b.view[2:5]
            self.assertEqual([3, 4, 5], part.tolist())
            # A live slice keeps the borrow: neither release nor close may end it.
            self.assertStatus(Status.ERR_BORROW, b.release)
            self.assertStatus(Status.ERR_BORROW, inner.close)
            self.assertFalse(inner.closed)
            del part
            cast = b.view.cast("B")
            self.assertStatus(Status.ERR_BORROW, b.release)
            del cast
            view = b.view
        self.assertTrue(b.released)
        self.assertEqual(0, jlc.borrow_count())
        with self.assertRaises(ValueError):
            view.tolist()
        self.assertStatus(Status.ERR_STALE, a.borrow)

    def test_borrow_refusals(self):
        s = self.s
        self.assertStatus(Status.ERR_TYPE, s.eval("1").borrow)
        self.assertStatus(Status.ERR_TYPE, s.eval('["a", "b"]').borrow)


if __name__ == "__main__":
    unittest.main()

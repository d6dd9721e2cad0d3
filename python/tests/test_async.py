"""test_async.py — the package's async runtime: Julia on jlc's runtime
thread, jobs that are Python callables, futures waited on, awaited with
asyncio (on the eventfd) and cancelled. Julia starts once per process and
the runtime cannot restart, so the tests form one ordered sequence:
setUpClass starts the runtime, the tests run in name order (test_1_...,
test_2_...), the last one stops it."""
import asyncio
import contextlib
import gc
import io
import sys
import threading
import unittest
import weakref

import jlc
from jlc import JlcError, JuliaError, Status


class TestAsync(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Two Julia threads, so that async_call runs beside the runtime
        # thread; more than one thread needs Julia's signal handlers (its GC
        # safepoints fault on purpose), hence julia_signals=True.
        jlc.async_start(nthreads=2, julia_signals=True)

    @classmethod
    def tearDownClass(cls):
        try:
            jlc.async_stop()
        except JlcError:
            pass  # test_9_stop stopped it

    def test_1_job_value(self):
        f = jlc.submit(lambda s: s.eval("sum(1:10)"))  # a Value: to_python on the runtime thread
        self.assertTrue(f.wait(30))
        self.assertTrue(f.done())
        self.assertEqual(Status.OK, f.status())
        self.assertEqual(55, f.result())
        # the job runs on the runtime thread, with the whole Scope/Value API
        f = jlc.submit(lambda s: (jlc.on_runtime_thread(), s.call("Base.+", 40, 2).int64(),
                                  s.call("round", 3.14159, digits=2).to_python()))
        self.assertEqual((True, 42, 3.14), f.result(30))
        self.assertFalse(jlc.on_runtime_thread())

    def test_2_gather(self):
        async def main():
            a = jlc.submit(lambda s: s.eval("sum(1:10)"))
            # b waits 0.3 s in Julia: the event loop must keep running meanwhile
            b = jlc.submit(lambda s: s.eval('sleep(0.3); string("jl", 3)'))
            ticks = 0

            async def ticker():  # the loop keeps running while the jobs run
                nonlocal ticks
                while not (a.done() and b.done()):
                    ticks += 1
                    await asyncio.sleep(0)
            r = await asyncio.gather(a, b.wait_async(), ticker())
            return r[:2], ticks
        (va, vb), ticks = asyncio.run(main())
        self.assertEqual(55, va)
        self.assertEqual("jl3", vb)
        self.assertGreaterEqual(ticks, 1)

    def test_3_julia_exception(self):
        f = jlc.submit(lambda s: s.eval('error("boom from a job")'))
        with self.assertRaises(JuliaError) as cm:
            f.result(30)
        self.assertEqual("ErrorException", cm.exception.type_name)
        self.assertIn("boom from a job", cm.exception.message)
        self.assertEqual(Status.EXCEPTION, f.status())
        from jlc._runtime import lib
        self.assertIn("boom from a job", lib().jlc_future_message(f._h).decode())  # the C side's text too

        async def awaited():
            return await jlc.submit(lambda s: s.eval("[1, 2][5]"))
        with self.assertRaises(JuliaError) as cm:
            asyncio.run(awaited())
        self.assertEqual("BoundsError", cm.exception.type_name)

    def test_4_errors(self):
        # a jlc error in a job is JlcError with its status
        f = jlc.submit(lambda s: s.eval('"x"').int64())
        with self.assertRaises(JlcError) as cm:
            f.result(30)
        self.assertEqual(Status.ERR_TYPE, cm.exception.status)
        # a Python exception is re-raised as is
        f = jlc.submit(lambda s: 1 // 0)
        self.assertRaises(ZeroDivisionError, f.result, 30)
        # the job's scope is jlc's: close() refuses
        f = jlc.submit(lambda s: s.close())
        with self.assertRaises(JlcError) as cm:
            f.result(30)
        self.assertEqual(Status.ERR_STATE, cm.exception.status)
        # Julia is not this thread's: the direct API answers ERR_THREAD
        with self.assertRaises(JlcError) as cm:
            jlc.Scope()
        self.assertEqual(Status.ERR_THREAD, cm.exception.status)
        self.assertRaises(JlcError, jlc.submit, 42)

    def test_5_other_thread(self):
        got = []

        def body():
            got.append(jlc.submit(lambda s: s.eval("2^10")).result(30))
        t = threading.Thread(target=body)
        t.start()
        t.join(60)
        self.assertEqual([1024], got)

    def test_6_cancel_queued(self):
        started, release = threading.Event(), threading.Event()

        def blocker(s):  # holds the runtime thread (blocks outside Julia)
            started.set()
            release.wait(30)
            return s.eval("1 + 1")
        ran = []
        a = jlc.submit(blocker)
        self.assertTrue(started.wait(30))
        b = jlc.submit(lambda s: ran.append(1))  # queued behind the blocker
        self.assertFalse(b.done())
        self.assertTrue(b.cancel())
        self.assertTrue(b.done())
        self.assertFalse(b.cancel())  # already complete
        with self.assertRaises(JlcError) as cm:
            b.result(0)
        self.assertEqual(Status.ERR_CANCELLED, cm.exception.status)
        self.assertFalse(a.wait(0))  # still running
        with self.assertRaises(JlcError) as cm:
            a.result(0)
        self.assertEqual(Status.ERR_TIMEOUT, cm.exception.status)
        self.assertFalse(a.cancel())  # running: too late
        release.set()
        self.assertEqual(2, a.result(30))
        self.assertEqual([], ran)

    def test_7_python_jobs_wait_in_turn(self):
        # Two jobs whose Python code waits in Julia, the first for less time:
        # if b's Python started while a waited, a would resume below b's
        # frames and free them (a segfault on CPython 3.11 before the gate).
        # Python jobs take turns instead: b starts after a returned.
        events = []

        def nested(s, depth, tag, delay):
            mark = (tag, depth)
            if depth == 0:
                events.append(("start", tag))
                v = s.eval("sleep(%s); %d" % (delay, tag)).int64()
                checks = [deep(30, tag) for _ in range(20)]  # frames pushed after the wait
                events.append(("end", tag))
                return v, checks.count(True)
            v = nested(s, depth - 1, tag, delay)
            self.assertEqual((tag, depth), mark)
            return v

        def deep(depth, tag):
            mark = (tag, depth)
            if depth:
                deep(depth - 1, tag)
            return mark == (tag, depth)
        a = jlc.submit(lambda s: nested(s, 30, 1, 0.2))
        b = jlc.submit(lambda s: nested(s, 60, 2, 0.4))
        self.assertEqual((1, 20), a.result(60))
        self.assertEqual((2, 20), b.result(60))
        self.assertEqual([("start", 1), ("end", 1), ("start", 2), ("end", 2)], events)

    def test_8_async_call(self):
        def job(s):
            s.eval("whereami(x) = (Threads.threadid(), x + 0.5)")
            r = s.async_call("Main.whereami", 3)  # a dotted path, an argument converted
            return (r.scope is s, r.type_name(), s.call("getindex", r, 1).int64(),
                    s.call("getindex", r, 2).to_python(), s.eval("Threads.threadid()").int64(),
                    s.eval("Threads.nthreads()").int64(),
                    s.async_call(s.lookup("Base.+"), 40, 2).to_python())  # f as a Value
        same_scope, tname, call_tid, value, job_tid, nthreads, plus = jlc.submit(job).result(60)
        self.assertTrue(same_scope)
        self.assertEqual("Tuple", tname)
        self.assertEqual(3.5, value)
        self.assertEqual(42, plus)
        # Julia 1.5 caps the threads at the CPU cores: on one core the call
        # runs on the runtime thread between other tasks (jlc/async.h).
        if nthreads > 1:
            self.assertNotEqual(job_tid, call_tid)
        else:
            self.assertEqual(job_tid, call_tid)

        # While the job waits, the runtime thread runs other Julia tasks: the
        # call spins (without yielding) until a task left on the runtime
        # thread sets a flag.
        def parallel(s):
            s.eval("""
                const PY_FLAG = Threads.Atomic{Bool}(false)
                function spin_until_flag()
                    t0 = time()
                    while !PY_FLAG[] && time() - t0 < 20.0
                        GC.safepoint()
                    end
                    PY_FLAG[]
                end""")
            s.eval("@async PY_FLAG[] = true")  # runs once the job's task yields
            return s.async_call("Main.spin_until_flag")
        if nthreads > 1:
            self.assertIs(True, jlc.submit(parallel).result(60))

        # The exception f threw, not TaskFailedException; rooted in the scope.
        def throws(s):
            try:
                s.async_call("sqrt", -1.0)
            except JuliaError as e:
                return e.type_name, e.value.type_name(), e.value.scope is s, e.message
        tname, vname, same_scope, message = jlc.submit(throws).result(60)
        self.assertEqual(("DomainError", "DomainError", True), (tname, vname, same_scope))
        self.assertIn("sqrt", message)
        f = jlc.submit(lambda s: s.async_call("sqrt", -1.0))
        with self.assertRaises(JuliaError) as cm:
            f.result(60)
        self.assertEqual("DomainError", cm.exception.type_name)

    def hold_runtime(self):
        """Submits a job that holds the runtime thread (blocks outside Julia)
        until the returned event is set, so jobs submitted meanwhile stay
        queued; returns (its future, the event)."""
        started, release = threading.Event(), threading.Event()

        def blocker(s):
            started.set()
            release.wait(60)
            return 0
        f = jlc.submit(blocker)
        self.assertTrue(started.wait(60))
        return f, release

    def test_8_on_done(self):
        calls = TestAsync.on_done_calls = {}  # name -> every call, checked again in test_9

        def recorder(name, event=None, keep=True):
            def cb(fut):  # keep=False: record no reference to fut
                calls.setdefault(name, []).append(
                    (fut if keep else type(fut), threading.get_ident(), jlc.on_runtime_thread(),
                     fut.status(), fut.result(0) if fut.status() == Status.OK else None))
                if event is not None:
                    event.set()
            return cb

        # A job that runs: cb on the runtime thread, after the job returned.
        blocker, release = self.hold_runtime()
        ran, dropped_ran = threading.Event(), threading.Event()
        f = jlc.submit(lambda s: s.eval("6 * 7"))
        f.on_done(recorder("ran", ran))
        # one callback per future, refused while it is pending too
        with self.assertRaises(JlcError) as cm:
            f.on_done(recorder("second"))
        self.assertEqual(Status.ERR_STATE, cm.exception.status)
        # a future the user drops: the package keeps it until its callback,
        # and it dies in the callback (its C release deferred)
        g = jlc.submit(lambda s: s.eval("2^5"))
        g.on_done(recorder("dropped", dropped_ran, keep=False))
        dropped = weakref.ref(g)
        del g
        gc.collect()
        self.assertIsNotNone(dropped())
        self.assertNotIn("ran", calls)  # the runtime thread is still held
        release.set()
        self.assertTrue(ran.wait(60) and dropped_ran.wait(60))
        self.assertEqual(0, blocker.result(60))
        fut, ident, on_rt, st, value = calls["ran"][0]
        self.assertIs(f, fut)
        self.assertNotEqual(threading.get_ident(), ident)
        self.assertEqual((True, Status.OK, 42), (on_rt, st, value))
        kind, ident, on_rt, st, value = calls["dropped"][0]
        self.assertEqual((jlc.Future, True, Status.OK, 32), (kind, on_rt, st, value))
        self.assertEqual(1, jlc.submit(lambda s: 1).result(60))  # the callback has returned
        self.assertIsNone(dropped())

        # A cancelled job: cb on the cancelling thread, before cancel returns.
        blocker, release = self.hold_runtime()
        c = jlc.submit(lambda s: s.eval("1"))
        c.on_done(recorder("cancelled"))
        seen = []

        def canceller():
            seen.append((threading.get_ident(), c.cancel(), len(calls.get("cancelled", []))))
        t = threading.Thread(target=canceller)
        t.start()
        t.join(60)
        release.set()
        self.assertEqual(0, blocker.result(60))
        canceller_ident, cancelled, calls_when_cancel_returned = seen[0]
        self.assertEqual((True, 1), (cancelled, calls_when_cancel_returned))
        fut, ident, on_rt, st, value = calls["cancelled"][0]
        self.assertIs(c, fut)
        self.assertEqual((canceller_ident, False, Status.ERR_CANCELLED), (ident, on_rt, st))

        # Already complete: cb at once, on this thread, before on_done returns.
        d = jlc.submit(lambda s: s.eval("40 + 2"))
        self.assertEqual(42, d.result(60))
        d.on_done(recorder("complete"))
        fut, ident, on_rt, st, value = calls["complete"][0]
        self.assertIs(d, fut)
        self.assertEqual((threading.get_ident(), False, Status.OK, 42), (ident, on_rt, st, value))
        with self.assertRaises(JlcError) as cm:
            d.on_done(recorder("second"))
        self.assertEqual(Status.ERR_STATE, cm.exception.status)
        with self.assertRaises(JlcError) as cm:
            d.on_done(42)
        self.assertEqual(Status.ERR_ARG, cm.exception.status)

        # A callback that raises: reported through sys.unraisablehook (or
        # printed when Python's own hook is in place), never raised to C.
        def boom(fut):
            raise ValueError("boom from on_done")
        reports = []
        old_hook = sys.unraisablehook
        sys.unraisablehook = reports.append
        try:
            d2 = jlc.submit(lambda s: s.eval("1"))
            d2.result(60)
            d2.on_done(boom)
        finally:
            sys.unraisablehook = old_hook
        self.assertEqual(1, len(reports))
        self.assertIs(ValueError, reports[0].exc_type)
        self.assertEqual("boom from on_done", str(reports[0].exc_value))
        self.assertIs(boom, reports[0].object)
        self.assertIn("on_done", reports[0].err_msg)
        del reports
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            d3 = jlc.submit(lambda s: s.eval("1"))
            d3.result(60)
            d3.on_done(boom)
        self.assertIn("Exception ignored in jlc.Future.on_done callback", err.getvalue())
        self.assertIn("ValueError: boom from on_done", err.getvalue())

    def test_9_stop(self):
        pending = jlc.submit(lambda s: s.eval("sum(1:100)"))
        self.assertEqual(0, jlc.async_stop())  # FINISH: the queued job runs
        self.assertEqual(5050, pending.result(0))
        with self.assertRaises(JlcError) as cm:
            jlc.submit(lambda s: None)
        self.assertEqual(Status.ERR_STATE, cm.exception.status)
        with self.assertRaises(JlcError) as cm:
            jlc.async_start()
        self.assertEqual(Status.ERR_STATE, cm.exception.status)
        pending.release()
        self.assertRaises(JlcError, pending.done)
        # every completion callback of test_8 ran exactly once, none after
        calls = TestAsync.on_done_calls
        self.assertEqual({"ran": 1, "dropped": 1, "cancelled": 1, "complete": 1},
                         {k: len(v) for k, v in calls.items()})
        from jlc import _async
        self.assertEqual({}, _async._callbacks)
        self.assertEqual([], _async._deferred)  # the dropped future's release ran


if __name__ == "__main__":
    unittest.main()

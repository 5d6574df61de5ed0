# Coverage and steps of one execution (coverage.py), and running a function many times with them
# (session.py). A step is a call of the function's own code or a loop iteration; an execution past
# its step limit is cut and counts as a timeout, whatever the code does about it.
import sys
import unittest

from case2code_inputs.coverage import Codes, Coverage, StepLimitReached, is_arc, static_totals
from case2code_inputs.session import Session

CODE = '''
def count(n):
    total = 0
    i = 0
    while i < n:
        total += i
        i += 1
    return total


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def catches():
    try:
        while True:
            pass
    except BaseException:
        return 'caught'


def stubborn():
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass


def sign(x):
    if x > 0:
        return 'positive'
    return 'not positive'


class Box:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return 'Box(%d)' % count(self.n)
'''


class Steps(unittest.TestCase):
    def setUp(self):
        self.module = compile(CODE, '<function>', 'exec')
        self.namespace = {}
        exec(self.module, self.namespace)
        self.coverage = Coverage(Codes(self.module, CODE))
        self.addCleanup(self.coverage.close)

    def run_one(self, name, *args, max_steps=10 ** 9):
        self.coverage.start(max_steps)
        try:
            value = self.namespace[name](*args)
        except StepLimitReached:
            value = 'cut'
        finally:
            features = self.coverage.stop()
        return value, features

    def test_a_loop_costs_a_step_per_iteration_and_a_call_one_step(self):
        value, _ = self.run_one('count', 1000)
        self.assertEqual(value, sum(range(1000)))
        self.assertTrue(1000 <= self.coverage.steps <= 1002, self.coverage.steps)
        self.assertFalse(self.coverage.cut)
        self.run_one('fib', 10)
        self.assertTrue(177 <= self.coverage.steps <= 180, self.coverage.steps)  # 177 calls

    def test_the_same_input_takes_the_same_steps_every_time(self):
        counts = set()
        for _ in range(5):
            self.run_one('count', 321)
            counts.add(self.coverage.steps)
        self.assertEqual(len(counts), 1)

    def test_a_runaway_is_cut_at_the_limit(self):
        value, _ = self.run_one('count', 10 ** 12, max_steps=5000)
        self.assertEqual(value, 'cut')
        self.assertTrue(self.coverage.cut)
        self.assertEqual(self.coverage.steps, 5001)

    def test_code_that_catches_the_cut_is_still_cut(self):
        self.run_one('catches', max_steps=5000)
        self.assertTrue(self.coverage.cut)

    @unittest.skipUnless(hasattr(sys, 'monitoring'), 'under sys.settrace the first cut ends tracing: the '
                         "sandbox's window stops code that catches it and loops on (see coverage.py)")
    def test_code_that_catches_the_cut_in_a_loop_is_cut_again(self):
        self.run_one('stubborn', max_steps=5000)
        self.assertTrue(self.coverage.cut)

    def test_lines_and_arcs_per_execution(self):
        _, positive = self.run_one('sign', 1)
        _, negative = self.run_one('sign', -1)
        self.assertNotEqual(positive, negative)
        self.assertTrue(any(not is_arc(f) for f in positive))
        _, again = self.run_one('sign', 1)
        self.assertEqual(again, positive, 'each execution reports its own features, afresh')
        arcs, lines = static_totals(Codes(self.module, CODE))
        self.assertGreater(lines, 10)
        self.assertGreater(arcs, 0)  # branch points come from the source: every version has them

    def test_after_stop_the_limit_is_lifted(self):
        self.run_one('sign', 1, max_steps=3)
        self.assertEqual(repr(self.namespace['Box'](50)), 'Box(1225)')  # the function's code, run by us


class Sessions(unittest.TestCase):
    def session(self, code, entry):
        session = Session(code, entry)
        self.addCleanup(session.close)
        return session

    def test_verdicts_of_return_raise_and_timeout(self):
        session = self.session('def f(n):\n    if n < 0:\n        raise ValueError("neg")\n    while n > 3:\n        pass\n    return n * 2\n', 'f')
        self.assertEqual(session.run([2], {}, 1000)[:2], ('return', 'r:4'))
        self.assertEqual(session.run([-1], {}, 1000)[:2], ('raise', 'e:ValueError: neg'))
        verdict, key, _ = session.run([5], {}, 1000)
        self.assertEqual((verdict, key, session.last_window_timeout), ('timeout', 't:', False))
        self.assertEqual(session.last_steps, 1001)

    def test_printing_and_swapping_streams_leave_ours_alone(self):
        stdout = sys.stdout
        session = self.session('import sys\ndef f(x):\n    print("noise" * 100)\n    sys.stdout = None\n    return x\n', 'f')
        self.assertEqual(session.run([1], {}, 1000)[0], 'return')
        self.assertIs(sys.stdout, stdout)

    def test_define_failures_and_missing_functions(self):
        self.assertEqual(Session('import no_such_module_here\ndef f(x):\n    return x\n', 'f').error[0], 'define-failed')
        self.assertEqual(Session('def g(x):\n    return x\n', 'f').error[0], 'no-function')

    def test_a_repr_that_fails_is_the_functions_behaviour(self):
        code = 'class Bad:\n    def __repr__(self):\n        raise RuntimeError("no")\ndef f(x):\n    return Bad()\n'
        self.assertEqual(self.session(code, 'f').run([1], {}, 1000)[:2], ('raise', 'e:RuntimeError: no'))


if __name__ == '__main__':
    unittest.main()

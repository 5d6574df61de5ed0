# The sandbox's verdict building on the host python: every field that leaves a worker is an exact
# str or number within its cap, whatever a function's objects claim about themselves.
import unittest

from case2code_sandbox import outcomes
from case2code_sandbox.calls import Job


class Liar(str):
    def __len__(self):
        return 0

    def __getitem__(self, key):
        return ['not', 'a', 'string']

    def __str__(self):
        return 'short'


class LyingRepr:
    def __repr__(self):
        return Liar('x' * 100000)


class ExactStrTest(unittest.TestCase):
    def test_a_str_subclass_is_cut_by_its_real_length(self):
        text, length = outcomes.exact_str(Liar('y' * 5000), 100)
        self.assertIs(type(text), str)
        self.assertEqual((len(text), length), (100, 5000))

    def test_return_outcome_of_a_lying_repr_is_capped(self):
        out = outcomes.return_outcome(LyingRepr(), 1.0, '')
        self.assertIs(type(out['repr']), str)
        self.assertEqual(len(out['repr']), outcomes.config['repr_cap'])
        self.assertEqual((out['truncated'], out['reprLength']), (True, 100000))

    def test_a_non_string_module_becomes_a_string(self):
        class Odd(Exception):
            pass
        Odd.__module__ = 5
        out = outcomes.exception_outcome(Odd('boom'), 0.5)
        self.assertEqual((out['type'], out['message'], out['module']), ('Odd', 'boom', '<not a string>'))

    def test_a_message_whose_str_raises_is_still_a_string(self):
        class Broken(Exception):
            def __str__(self):
                raise RuntimeError('no')
        out = outcomes.exception_outcome(Broken(), 0.5)
        self.assertEqual(out['message'], '<unprintable Broken: RuntimeError>')


class JobTest(unittest.TestCase):
    def test_calls_share_the_namespace_in_order(self):
        job = Job('n = []\ndef f(x):\n    n.append(x)\n    return len(n)\n', 'f', None)
        reprs = [job.call({'args': [str(i)]})['repr'] for i in range(3)]
        self.assertEqual(reprs, ['1', '2', '3'])

    def test_define_errors_and_bad_input_are_told_apart(self):
        self.assertEqual(Job('def f(:\n', 'f', None).call({})['phase'], 'define')
        bad = Job('def f(x):\n    return x\n', 'f', None).call({'args': ['nope']})
        self.assertEqual(bad['verdict'], 'bad-input')
        self.assertEqual(bad['message'], "NameError: name 'nope' is not defined")

    def test_printed_text_is_captured_and_capped(self):
        job = Job("def f():\n    print('z' * 10000)\n    return 1\n", 'f', None)
        out = job.call({})
        self.assertEqual(len(out['stdout']), outcomes.config['output_cap'])


if __name__ == '__main__':
    unittest.main()


class DeathTest(unittest.TestCase):
    """What the server makes of a child that ended before answering every call."""

    class Settings:
        timeout_s = 0.5
        cpu_limit_s = 10

    def test_out_of_memory_outside_a_call_is_a_memory_verdict(self):
        from case2code_sandbox import child, server
        outcome = server._death_outcome(child.EXIT_OUT_OF_MEMORY << 8, 0.2, self.Settings)
        self.assertEqual(outcome['verdict'], 'memory')

    def test_any_other_failure_is_a_crash_naming_the_code(self):
        from case2code_sandbox import child, server
        outcome = server._death_outcome(child.EXIT_FAILED << 8, 0.2, self.Settings)
        self.assertEqual(outcome, {'verdict': 'crash', 'message': f'the process exited with code {child.EXIT_FAILED}'})

# The sandbox's verdict building on the host python: every field that leaves a worker is an exact
# str or number within its cap, whatever a function's objects claim about themselves.
import unittest

from case2code_sandbox import calls, outcomes
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


class PlainArgumentsTest(unittest.TestCase):
    """Arguments made without the compiler must be exactly what eval makes, or not be made."""

    PLAIN = ['0', '5', '-5', '-0', '257', '12345678901234567890', '1.5', '-0.0', '0.1', '1.5e-07',
             '2.0e+20', 'True', 'False', 'None', "''", '""', "'abc'", '"it\'s"', "'a # b'", "'\u00fc\u4e2d'",
             "'tab\there'", "'x y'"]
    NOT_PLAIN = ['007', '1_000', '1e5', '+5', ' 5', '5 ', "'a\\nb'", "'\\x41'", 'x', '-True', "b'a'",
                 "'a' 'b'", "'\0'", '[1, 2]', '1.', '.5', "'''a'''", '1' * 101]

    def test_plain_literals_equal_eval(self):
        for source in self.PLAIN:
            value = calls._plain_value(source)
            expected = eval(source)
            self.assertEqual((type(value), value), (type(expected), expected), source)
            if isinstance(expected, float):
                self.assertEqual(repr(value), repr(expected), source)  # -0.0 keeps its sign

    def test_anything_else_goes_to_the_compiler(self):
        for source in self.NOT_PLAIN:
            self.assertIs(calls._plain_value(source), calls._MISSING, source)

    def test_name_chars_strings_are_interned_like_constants(self):
        job = Job("def f(s):\n    return s is 'abc'\n", 'f', None)
        self.assertEqual(job.call({'args': ["'abc'"]})['repr'], 'True')

    def test_an_item_of_a_setup_list_is_that_item(self):
        job = Job('def f(a, b=0):\n    return a - b\n', 'f', 'examples = [{"a": 5}, {"a": 7, "b": 2}]')
        self.assertEqual([job.call({'kwargsFrom': f'examples[{i}]'})['repr'] for i in range(2)], ['5', '5'])
        self.assertEqual(job.call({'kwargsFrom': 'examples[2]'})['verdict'], 'bad-input')
        self.assertEqual(job.call({'kwargsFrom': 'missing[0]'})['message'], "NameError: name 'missing' is not defined")

    def test_mixed_plain_and_compiled_arguments_keep_their_order(self):
        job = Job('def f(*a, **k):\n    return (a, sorted(k.items()))\n', 'f', None)
        out = job.call({'args': ['1', '[2]', "'c'"], 'kwargs': {'z': '(3,)', 'y': '4'}})
        self.assertEqual(out['repr'], "((1, [2], 'c'), [('y', 4), ('z', (3,))])")


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

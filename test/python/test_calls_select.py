# Candidates as calls and back (calls.py), and the choice of N inputs among the runs (select.py).
import unittest

from case2code_inputs.calls import (VARARGS, VARKW, Signature, copy_call, output_key, readability_cost, render,
                                    round_trips, spec_key)
from case2code_inputs.infer import infer
from case2code_inputs.select import select_inputs


def signature(code, entry='f'):
    return Signature(infer(code, entry)['params'])


class Calls(unittest.TestCase):
    def test_positional_only_and_varargs_go_by_position(self):
        sig = signature('def f(a, /, b, *rest, key=None, **extra):\n    return a\n')
        candidate = {'a': 1, 'b': 2, VARARGS: [3, 4], 'key': 'k', VARKW: {'z': 0}}
        self.assertEqual(sig.to_call(candidate), ([1, 2, 3, 4], {'key': 'k', 'z': 0}))
        self.assertEqual(sig.from_call([1, 2, 3, 4], {'key': 'k', 'z': 0}), candidate)

    def test_an_omitted_optional_parameter_is_left_out(self):
        sig = signature('def f(a, b=1):\n    return a\n')
        self.assertEqual(render(sig, {'a': 'x'}), {'args': [], 'kwargs': {'a': "'x'"}})

    def test_spec_keys_ignore_keyword_order(self):
        first = {'args': ['1'], 'kwargs': {'a': '2', 'b': '3'}}
        second = {'args': ['1'], 'kwargs': {'b': '3', 'a': '2'}}
        self.assertEqual(spec_key(first), spec_key(second))
        self.assertNotEqual(spec_key(first), spec_key({'args': ['1', '2'], 'kwargs': {'b': '3'}}))

    def test_copies_protect_the_recorded_input_from_a_mutating_function(self):
        items = [1, 2]
        args, kwargs = copy_call([items], {'xs': items})
        args[0].append(3)
        kwargs['xs'].append(4)
        self.assertEqual(items, [1, 2])

    def test_round_trips_and_readability(self):
        self.assertTrue(round_trips({'args': ['[1, 2]'], 'kwargs': {'s': "'a'"}}))
        self.assertFalse(round_trips({'args': ['1 + 1'], 'kwargs': {}}))
        self.assertFalse(round_trips({'args': ['undefined_name'], 'kwargs': {}}))
        self.assertLess(readability_cost({'args': ['12345'], 'kwargs': {}}), readability_cost({'args': ['1'], 'kwargs': {}}))
        self.assertLess(readability_cost({'args': ['12345'], 'kwargs': {}}), readability_cost({'args': ['9' * 80], 'kwargs': {}}))

    def test_output_keys_ignore_memory_addresses(self):
        self.assertEqual(output_key('return', '<object at 0x7f00aa>'), output_key('return', '<object at 0x1234>'))
        self.assertNotEqual(output_key('return', '1'), output_key('raise', '1'))


def record(features, out, verdict='return', size=5):
    return {'features': frozenset(features), 'out': out, 'verdict': verdict, 'size': size}


class Selection(unittest.TestCase):
    def test_coverage_first_then_new_outputs_within_the_raising_share(self):
        records = [
            record(['a'], 'r:1'),
            record(['a'], 'r:1'),  # adds nothing
            record(['a', 'b'], 'r:2'),
            record(['a', 'c'], 'e:ValueError', 'raise'),
            record(['a', 'd'], 'e:KeyError', 'raise'),
            record(['a', 'e'], 'e:TypeError', 'raise'),
            record(['a'], 'r:3'),
            record(['a'], 't:', 'timeout'),
        ]
        chosen, reason = select_inputs(records, 5, 0.2)
        self.assertIsNone(reason)
        self.assertEqual(len(chosen), 5)
        self.assertEqual(chosen[0], 2, 'the widest coverage comes first')
        self.assertEqual(sum(1 for i in chosen if records[i]['verdict'] == 'raise'), 1, 'at most 20% of 5')
        self.assertNotIn(7, chosen, 'timeouts are never chosen')
        self.assertIn(6, chosen, 'a new output beats a repeated one')

    def test_small_values_win_ties_and_failures_have_reasons(self):
        self.assertEqual(select_inputs([record(['a'], 'r:1', size=200), record(['a'], 'r:2', size=4)], 1), ([1], None))
        self.assertEqual(select_inputs([record(['a'], 'e:X', 'raise')], 3), ([], 'all-raise'))
        self.assertEqual(select_inputs([record(['a'], 't:', 'timeout')], 3), ([], 'no-valid-inputs'))

    def test_fewer_records_than_asked_for_gives_them_all(self):
        chosen, reason = select_inputs([record(['a'], 'r:1'), record(['b'], 'r:2')], 10)
        self.assertEqual((sorted(chosen), reason), ([0, 1], None))


if __name__ == '__main__':
    unittest.main()

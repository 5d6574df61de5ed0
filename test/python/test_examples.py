# The official benchmark's example builder (case2code_eval.examples): how many examples an item's
# `example_str` builds, a short repr of each, and why it cannot when it cannot.
import unittest

from case2code_eval.examples import INPUT_REPR_CAP, handle


class Examples(unittest.TestCase):
    def test_counts_and_describes_the_examples(self):
        answer = handle({'example_str': 'examples = [dict(a=1), dict(a=[1, 2], b="x")]\nexamples += [dict(a=3)]\n'})
        self.assertEqual(answer, {'count': 3, 'inputs': ["{'a': 1}", "{'a': [1, 2], 'b': 'x'}", "{'a': 3}"]})

    def test_the_gold_code_runs_first_and_is_skipped_when_it_fails(self):
        needs_gold = 'examples = [dict(p=Point(1, 2))]\n'
        gold = 'class Point:\n    def __init__(self, x, y):\n        self.x = x\n    def __repr__(self):\n        return "P"\n'
        self.assertEqual(handle({'example_str': needs_gold, 'gold': gold}), {'count': 1, 'inputs': ["{'p': P}"]})
        self.assertEqual(handle({'example_str': 'examples = [dict(a=1)]\n', 'gold': 'raise ValueError("x")\n'})['count'], 1)
        self.assertIn('NameError', handle({'example_str': needs_gold})['error'])

    def test_what_is_not_a_list_of_keyword_dicts(self):
        self.assertIn('must build a list', handle({'example_str': 'examples = 3\n'})['error'])
        self.assertIn('examples[1]', handle({'example_str': 'examples = [dict(a=1), [2]]\n'})['error'])

    def test_long_and_unprintable_examples(self):
        answer = handle({'example_str': 'examples = [dict(s="x" * 1000)]\n'})
        self.assertEqual(len(answer['inputs'][0]), INPUT_REPR_CAP + 3)
        broken = 'class B:\n    def __repr__(self):\n        raise RuntimeError\nexamples = [dict(b=B())]\n'
        self.assertEqual(handle({'example_str': broken})['inputs'], ['<unprintable dict: RuntimeError>'])


if __name__ == '__main__':
    unittest.main()

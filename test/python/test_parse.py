# Reading a model's answer into calls: code blocks, entries, plain data only, reasons for drops.
import ast
import unittest

from case2code_inputs.parse import code_blocks, is_data, parse_answer

CODE = 'def f(a, b=1, *, c=None):\n    return a\n'


def parse(text, known=()):
    return parse_answer({'code': CODE, 'entry': 'f', 'text': text, 'known': list(known)})


def data(source):
    return is_data(ast.parse(source, mode='eval').body)


class Entries(unittest.TestCase):
    def test_dict_braces_and_calls_of_the_function(self):
        text = ("Reasoning first.\n```python\ninputs = [\n    dict(a=1),\n    {'a': 'x', 'b': [1, 2]},\n"
                "    f(3, c=(1, 2)),\n    dict(a=-2.5, b=list(range(3))),\n]\n```\n")
        out = parse(text)
        self.assertEqual(out['inputs'], [
            {'args': [], 'kwargs': {'a': '1'}},
            {'args': [], 'kwargs': {'a': "'x'", 'b': '[1, 2]'}},
            {'args': ['3'], 'kwargs': {'c': '(1, 2)'}},
            {'args': [], 'kwargs': {'a': '-2.5', 'b': 'list(range(3))'}},
        ])
        self.assertEqual((out['dropped'], out['entries']), ([], 4))

    def test_invalid_and_duplicate_entries_are_dropped_with_a_reason(self):
        text = '\n'.join([
            '```python',
            'inputs = [',
            '    dict(a=1),',
            '    dict(a=1),',
            '    dict(b=2),',
            '    dict(a=1, z=2),',
            "    dict(a=__import__('os').system('echo hi')),",
            '    dict(a=[0] * 10**9),',
            '    dict(a=1/0),',
            '    f(1, 2, 3),',
            '    dict(a=1.0),',
            ']',
            '```',
        ])
        out = parse(text)
        self.assertEqual(out['inputs'], [{'args': [], 'kwargs': {'a': '1'}}, {'args': [], 'kwargs': {'a': '1.0'}}])
        self.assertEqual([d['reason'] for d in out['dropped']],
                         ['duplicate', 'missing-param:a', 'unknown-param:z', 'not-data', 'not-data', 'eval-error',
                          'too-many-args'])
        again = parse('```python\n[dict(a=1), dict(a=2)]\n```', out['keys'])
        self.assertEqual(again['inputs'], [{'args': [], 'kwargs': {'a': '2'}}], 'known keys count as duplicates')

    def test_a_truncated_block_is_read_line_by_line_and_a_bare_answer_without_a_fence(self):
        cut = parse('```python\ninputs = [\n    dict(a=1),\n    dict(a=2),\n    dict(a=[1, 2')
        self.assertEqual([s['kwargs']['a'] for s in cut['inputs']], ['1', '2'])
        self.assertEqual(parse("dict(a='q')")['inputs'], [{'args': [], 'kwargs': {'a': "'q'"}}])

    def test_python_blocks_come_first(self):
        self.assertEqual(code_blocks('```text\nnot this\n```\n```python\nthis\n```'), ['this\n'])
        self.assertEqual(code_blocks('no fence'), ['no fence'])


class PlainData(unittest.TestCase):
    def test_literals_small_arithmetic_and_comprehensions_over_range(self):
        for source in ['[1, (2, 3), {4}]', "{'a': None}", '-5', '2 ** 10', '[0] * 100', '2.5 * 4',
                       '[i + 1 for i in range(5)]', 'sorted({3, 1})', "dict(a=1)['a']", 'list(range(3))[1:]']:
            self.assertTrue(data(source), source)

    def test_names_calls_and_huge_values_are_not(self):
        for source in ['x', 'open("f")', "__import__('os')", '[0] * 10 ** 9', '2 ** 100000', 'range(10 ** 9)',
                       'lambda: 1', '(1).bit_length()', '[x for x in y]', '1' + '0' * 40,
                       '[i * i for i in range(5)]']:  # a product of names could be huge: refused
            self.assertFalse(data(source), source)


if __name__ == '__main__':
    unittest.main()

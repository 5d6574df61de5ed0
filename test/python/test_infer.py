# Type inference: what each parameter probably is, from annotations, defaults, docstrings, use in
# the body and names; and the function's literals.
import unittest

from case2code_inputs.infer import infer, type_text
from case2code_inputs.tool import handle


def strongest(code, entry='f'):
    """The strongest inferred type of each parameter, as text."""
    return {p['name']: type_text(p['types'][0][1]) for p in infer(code, entry)['params']}


class Annotations(unittest.TestCase):
    def test_generics_optional_and_unions(self):
        code = ('from typing import List, Optional, Dict\n'
                'def f(a: int, b: List[str], c: Optional[float] = None, d: Dict[str, int] = {},'
                ' e: "bool" = False, g: int | str = 0):\n    return a\n')
        self.assertEqual(strongest(code), {'a': 'int', 'b': 'list[str]', 'c': 'float', 'd': 'dict[str, int]',
                                           'e': 'bool', 'g': 'int'})

    def test_tuple_annotations(self):
        code = 'def f(p: tuple[int, int], q: tuple[float, ...]):\n    return p\n'
        self.assertEqual(strongest(code), {'p': 'tuple[int, int]', 'q': 'tuple[float]'})


class DefaultsAndDocstrings(unittest.TestCase):
    def test_defaults_and_three_docstring_styles(self):
        code = '\n'.join([
            'def f(a, b, c, d=2.5, e="x"):',
            '    """Do things.',
            '    :param a: the count',
            '    :type a: int',
            '    b (list of str): names',
            '    c : float',
            '    """',
            '    return a',
        ])
        self.assertEqual(strongest(code), {'a': 'int', 'b': 'list[str]', 'c': 'float', 'd': 'float', 'e': 'str'})

    def test_a_none_default_makes_none_one_option(self):
        types = [type_text(t) for _, t in infer('def f(x=None):\n    return x + 1\n', 'f')['params'][0]['types']]
        self.assertIn('None', types)
        self.assertIn('int', types)


class BodyUse(unittest.TestCase):
    def test_methods_loops_keys_unpacking_and_isinstance(self):
        code = '\n'.join([
            'def f(s, xs, n, table, flag, pairs, word, rows):',
            '    out = s.strip().lower()',
            '    xs.append(1)',
            '    for i in range(n):',
            '        out += str(i)',
            '    if table["name"].startswith("a") and flag:',
            '        return out',
            '    for a, b in pairs:',
            '        out += a',
            '    if isinstance(word, str):',
            '        return word',
            '    return rows[0][1] + 1',
        ])
        t = strongest(code)
        self.assertEqual(t['s'], 'str')
        self.assertEqual(t['xs'], 'list[int]')
        self.assertEqual(t['n'], 'int')
        self.assertEqual(t['table'], "{'name': str}")
        self.assertTrue(t['pairs'].startswith('list[tuple['), t['pairs'])
        self.assertEqual(t['word'], 'str')
        self.assertEqual(t['rows'], 'list[list[int]]')

    def test_int_of_a_parameter_means_a_digit_string_and_unpacking_a_fixed_length_list(self):
        info = infer('def f(s, n):\n    HY, HE, A, B, C, D, E, F, G = n\n    return int(s) + HY\n', 'f')
        s_types = [t for _, t in info['params'][0]['types']]
        self.assertEqual(s_types[0], ('numstr',))
        self.assertTrue(('int',) in s_types or ('float',) in s_types, s_types)
        # An argument unpacked as `a, b, ... = n` is passed as a list of that many items, most often.
        self.assertEqual(type_text(info['params'][1]['types'][0][1]), 'list[' + ', '.join(['int'] * 9) + ']')

    def test_items_through_locals_pop_and_sorted(self):
        code = '\n'.join([
            'def f(pref, intervals, names, table, prefix):',
            '    a, b = pref.pop()',
            '    ordered = sorted(intervals)',
            '    for s, e in ordered:',
            '        a += s',
            '    name = names[0]',
            '    if name.startswith("x"):',
            '        return table["key_" + prefix]',
            '    return a',
        ])
        t = strongest(code)
        self.assertEqual(t['pref'], 'list[tuple[int, int]]')
        self.assertTrue(t['intervals'].startswith('list[tuple['), t['intervals'])
        self.assertEqual(t['names'], 'list[str]')
        self.assertTrue(t['table'].startswith('dict['), t['table'])

    def test_nested_records_through_comprehensions(self):
        code = '\n'.join([
            'def f(results):',
            "    lines = [region['lines'] for region in results['regions']]",
            '    out = []',
            '    for line in lines:',
            '        for word in line:',
            "            out.append(word['text'].upper())",
            '    return out',
        ])
        self.assertEqual(strongest(code)['results'], "{'regions': list[{'lines': list[{'text': str}]}]}")

    def test_parameters_compared_for_equality_share_a_kind(self):
        code = 'def finds(strs, s):\n    for i in range(len(strs)):\n        if strs[i] == s:\n            return i\n'
        self.assertEqual(strongest(code, 'finds'), {'strs': 'list[str]', 's': 'str'})

    def test_a_field_checked_with_isinstance_may_be_something_else(self):
        code = "def f(node):\n    if isinstance(node['left'], dict):\n        return f(node['left'])\n    return node['left']\n"
        self.assertEqual(strongest(code)['node'], "{'left': dict[str, int] | int}")

    def test_a_constant_index_asks_for_enough_items(self):
        param = infer('def f(xs):\n    return xs[3] + xs[0]\n', 'f')['params'][0]
        self.assertEqual(param['types'][0][1], ('list', ('int',), 4))

    def test_names_are_weak_evidence_used_only_without_other(self):
        self.assertEqual(strongest('def f(count, name):\n    return 1\n'), {'count': 'int', 'name': 'str'})
        self.assertEqual(strongest('def f(count):\n    return count.upper()\n'), {'count': 'str'})


class Literals(unittest.TestCase):
    def test_a_lookup_table_key_and_int_neighbours(self):
        code = "def f(code):\n    names = {'+100': 'a', '+200': 'b'}\n    if code in names:\n        return names[code]\n    return 404\n"
        info = infer(code, 'f')
        self.assertEqual(info['params'][0]['types'][0][1], ('str',))
        self.assertIn('+100', info['literals']['str'])
        self.assertIn(404, info['literals']['int'])
        self.assertIn(403, info['literals']['int'])
        self.assertIn(405, info['literals']['int'])

    def test_docstrings_are_not_literals(self):
        info = infer('def f(x):\n    """Say hi."""\n    return x == "yes"\n', 'f')
        self.assertEqual(info['literals']['str'], ['yes'])

    def test_comparison_edges_are_kept_per_parameter(self):
        param = infer('def f(n):\n    if n > 10:\n        return 1\n    return 0\n', 'f')['params'][0]
        self.assertEqual(sorted(param['consts']), [9, 10, 11])


class InferOp(unittest.TestCase):
    def test_the_tool_answers_plain_json_data(self):
        answer = handle({'op': 'infer', 'code': 'def f(a: int, *rest, key=None, **extra):\n    return a\n', 'entry': 'f'})
        self.assertEqual([(p['name'], p['kind'], p['optional']) for p in answer['params']],
                         [('a', 'positional_or_keyword', False), ('rest', 'var_positional', False),
                          ('key', 'keyword_only', True), ('extra', 'var_keyword', False)])
        self.assertEqual(answer['params'][0]['types'][0][1], 'int')

    def test_a_missing_function_is_a_lookup_error(self):
        with self.assertRaises(LookupError):
            infer('def g(x):\n    return x\n', 'f')


if __name__ == '__main__':
    unittest.main()

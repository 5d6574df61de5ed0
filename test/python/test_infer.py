# Type inference: what each parameter probably is, from annotations, defaults, docstrings, use in
# the body and names; and the function's literals.
import ast
import unittest

from case2code_inputs.infer import infer, type_text
from case2code_inputs.owntypes import own_types
from case2code_inputs.scan import BodyScan
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


def own(code, entry='f'):
    """The types the fuzzer takes each parameter to have (owntypes.py), as text."""
    return {p['name']: [type_text(t) for _, t in own_types(p['types'], p['checked'], p['tolerant'])]
            for p in infer(code, entry)['params']}


class Scan(unittest.TestCase):
    """What the code alone says about its names (scan.py)."""

    def scan(self, code, params):
        tree = ast.parse(code)
        return BodyScan(tree.body[-1], params, tree)

    def test_locals_and_module_constants_have_the_kind_of_every_value_they_are_given(self):
        code = ("RATE = 1.0 / 6\nNAMES = {}\n"
                "def f(x):\n    sep = ''\n    if x:\n        sep = 'p'\n    n = len(x)\n    y = x\n"
                "    label = str(n) + sep\n    for item in x:\n        pass\n    return sep\n")
        scan = self.scan(code, ['x'])
        self.assertEqual({k: scan.local_kinds.get(k) for k in ('sep', 'n', 'label', 'RATE', 'y', 'item', 'x')},
                         {'sep': 'str', 'n': 'int', 'label': 'str', 'RATE': 'float', 'y': None, 'item': None, 'x': None})
        self.assertIn('NAMES', scan.mappings)

    def test_mappings_by_their_methods_and_by_a_lookup_of_the_key_tested(self):
        code = ("def f(a, b, c, k):\n    a.get(k)\n    if k in b:\n        return b[k]\n"
                "    if k in c:\n        return c[0]\n")
        scan = self.scan(code, ['a', 'b', 'c', 'k'])
        self.assertEqual(sorted(scan.mappings), ['a', 'b'])
        self.assertEqual(sorted(scan.links), [('a', 'k'), ('b', 'k'), ('c', 'k')])

    def test_uses_after_an_in_place_conversion_and_names_whose_type_errors_are_caught(self):
        code = ("def f(m, s, t):\n    m = float(m)\n    s = s.split(',')\n"
                "    try:\n        return t + 1\n    except TypeError:\n        return m * 2\n")
        scan = self.scan(code, ['m', 's', 't'])
        self.assertEqual(sorted(scan.cut), ['m', 's'])
        self.assertEqual(scan.tolerant & {'m', 's', 't'}, {'t'})


class Kinds(unittest.TestCase):
    """Rules of the body's use that tell a parameter's kind."""

    def test_a_sum_and_a_slice_are_of_the_values_own_kind(self):
        self.assertEqual(own("def f(a, b):\n    new = b[:2] + a[2:]\n    return new + ' '\n"),
                         {'a': ['str'], 'b': ['str']})
        self.assertEqual(own("def f(device, index):\n    sep = ''\n    return device + sep + str(index)\n"),
                         {'device': ['str'], 'index': ['int']})

    def test_items_read_by_position_with_int_are_the_digits_of_a_string(self):
        param = infer('def f(seq, n):\n    return sum(int(seq[i]) for i in range(n))\n', 'f')['params'][0]
        self.assertEqual(param['types'][0][1], ('str', 'digits'))
        self.assertEqual(own('def f(strs):\n    return [int(v) for v in strs]\n'), {'strs': ['list[str]']})

    def test_a_mapping_by_its_methods_has_string_keys_even_when_indexed_by_a_name(self):
        code = 'def f(month, value, summary):\n    if summary.get(month) is None:\n        summary[month] = 0\n    summary[month] = value\n'
        self.assertEqual(own(code), {'month': ['str'], 'value': ['int'], 'summary': ['dict[str, int]']})
        code = 'def f(regs, r):\n    if not r in regs:\n        regs[r] = 0\n    return regs[r]\n'
        self.assertEqual(own(code)['regs'], ['dict[str, int]'])

    def test_an_in_place_conversion_hides_the_later_uses(self):
        code = "def f(m, s):\n    m = float(m)\n    bmr = 10.0 * m + 5\n    if s == 'male':\n        return bmr\n    return bmr - 161\n"
        self.assertEqual(own(code), {'m': ['int'], 's': ['str']})

    def test_whole_numbers_unless_the_code_asks_for_fractions(self):
        self.assertEqual(own('def f(value):\n    charge = value * 0.03\n    return max(charge, 2.5)\n'), {'value': ['int']})
        self.assertEqual(own('def f(score):\n    return score >= 50\n'), {'score': ['int']})
        # The sign of any number; the name then decides.
        self.assertEqual(own('def f(price, n):\n    return price > 0 and n > 0\n'), {'price': ['float'], 'n': ['int']})
        self.assertEqual(own('STEP = 1.0 / 6.0\ndef f(hue):\n    hue = hue % 1.0\n    return hue < STEP or hue < 0.5\n'),
                         {'hue': ['float']})

    def test_arguments_of_string_methods_are_strings(self):
        code = 'def f(p, sep, altsep):\n    i = p.rfind(sep)\n    if altsep:\n        i = max(i, p.rfind(altsep))\n    return i\n'
        self.assertEqual(own(code), {'p': ['str'], 'sep': ['str'], 'altsep': ['str']})

    def test_a_value_only_tested_for_none_is_a_string_or_none(self):
        code = 'def f(pairs):\n    for k, v in pairs:\n        if v is not None:\n            return v\n'
        self.assertEqual(own(code), {'pairs': ['list[tuple[str, str]]']})
        types = [type_text(t) for _, t in infer('def f(obj):\n    return obj is None\n', 'f')['params'][0]['types']]
        self.assertEqual(types[:2], ['str', 'None'])

    def test_isinstance_checks_make_every_kind_checked_the_parameters_own(self):
        code = ("def f(x):\n    if isinstance(x, bool):\n        return 1\n    if isinstance(x, float):\n        return 2\n"
                "    if x is None:\n        return 3\n    return 4\n")
        self.assertEqual(sorted(own(code)['x']), ['None', 'bool', 'float'])

    def test_a_caught_type_error_makes_any_type_the_parameters_own(self):
        code = 'def f(d):\n    try:\n        return 10 / d\n    except TypeError:\n        return None\n'
        self.assertEqual(own(code)['d'][0], 'int')
        self.assertTrue({'str', 'list[int]', 'None'} <= set(own(code)['d']), own(code))

    def test_one_kind_of_sequence_and_a_name_that_says_tuple(self):
        code = 'def f(info_tuple):\n    for text, weight in info_tuple:\n        print(text)\n'
        self.assertEqual(own(code), {'info_tuple': ['tuple[tuple[int, int]]']})

    def test_text_split_by_a_literal_is_made_of_parts(self):
        param = infer("def f(name):\n    parts = name.split('-')\n    return parts[-4:]\n", 'f')['params'][0]
        self.assertEqual(param['types'][0][1], ('str', 'split:-'))
        # A url holds its own separators: its flavour stays.
        self.assertEqual(infer("def f(url):\n    return url.split('/')\n", 'f')['params'][0]['types'][0][1], ('str', 'url'))

    def test_text_the_code_looks_for_and_characters_it_compares_shape_the_string(self):
        top = lambda code: infer(code, 'f')['params'][0]['types'][0][1]
        self.assertEqual(top("def f(sql):\n    return sql.replace('%s', '?')\n"), ('str', 'has:%s'))
        self.assertEqual(top("def f(device):\n    return device + 'p' if 'nvme' in device else device\n"), ('str', 'has:nvme'))
        self.assertEqual(top("def f(line):\n    return line.startswith('#')\n"), ('str', 'prefix:#'))
        code = "def f(s):\n    n = 0\n    for i in range(len(s)):\n        if s[i] == '1':\n            n += 1\n        elif s[i] != '0':\n            return -1\n    return n\n"
        self.assertEqual(top(code), ('str', 'chars:01'))
        self.assertEqual(top("def f(url):\n    return ';' in url\n"), ('str', 'url'))  # realistic urls rather

    def test_a_none_default_with_little_else_is_also_a_string(self):
        code = 'def f(scheme=None):\n    return (scheme or "") + "://"\n'
        self.assertEqual(sorted(own(code)['scheme']), ['None', 'str'])

    def test_parameters_that_bind_builtins_or_objects_are_internal(self):
        code = 'def f(a, b=2, sep=SEP, len=len, marker=object(), kinds={int, str}):\n    return a\n'
        self.assertEqual([p['name'] for p in infer(code, 'f')['params'] if p['internal']], ['len', 'marker', 'kinds'])

    def test_lookups_between_parameters_are_links(self):
        code = 'def f(d, k, xs, x, a, b):\n    if x in xs and a.endswith(b):\n        return d.get(k)\n    return a == b\n'
        self.assertEqual(infer(code, 'f')['links'], [('a', 'b'), ('d', 'k'), ('xs', 'x')])


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

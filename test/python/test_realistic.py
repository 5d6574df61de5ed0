# Realistic values: the flavour a parameter's name suggests, and values of each flavour that look
# like real data, of the right type, the same for a seed.
import random
import re
import unittest

from case2code_inputs.infer import infer
from case2code_inputs.realistic import flavour_of, make_float, make_int, make_str, singular
from case2code_inputs.values import ValueMaker

NO_LITERALS = {'int': [], 'float': [], 'str': []}
SHAPES = {
    'url': r'https?://[\w.]+\.(com|org|net|io)(/\S*)?',
    'email': r'[a-z.0-9]+@[\w.]+',
    'date': r'(19|20)\d\d-\d\d-\d\d',
    'time': r'\d\d:\d\d',
    'version': r'\d+\.\d+(\.\d+)?',
    'path': r'/?(\w+/)+\w+(\.\w+)?',
    'filename': r'[\w-]+\.\w+',
    'ip': r'\d+\.\d+\.\d+\.\d+',
    'phone': r'\+?\d{7,12}',
    'hex': r'[0-9a-f]+',
    'binary': r'[01]+',
    'person': r'[A-Z][a-z]+( [A-Z][a-z]+)?',
    'word': r'[A-Za-z]+',
    'identifier': r'[A-Za-z][A-Za-z0-9_]*',
}


class Flavours(unittest.TestCase):
    def test_names_say_what_a_value_holds(self):
        cases = {('str', 'url'): 'url', ('str', 'email'): 'email', ('str', 'date'): 'date', ('str', 'version'): 'version',
                 ('str', 'path'): 'path', ('str', 'username'): 'person', ('str', 'text'): 'text', ('str', 'word'): 'word',
                 ('int', 'year'): 'year', ('int', 'n'): 'count', ('int', 'index'): 'index', ('int', 'age'): 'age',
                 ('float', 'price'): 'money', ('float', 'probability'): 'unit'}
        for (kind, name), flavour in cases.items():
            self.assertEqual(flavour_of(kind, name), flavour, name)
        self.assertIsNone(flavour_of('str', 'zz_qq'))

    def test_plurals_name_their_items(self):
        self.assertEqual([singular(n) for n in ('urls', 'entries', 'names', 'word_list', 'x', 'class')],
                         ['url', 'entry', 'name', 'word', None, None])

    def test_each_flavour_gives_values_of_its_shape(self):
        rng = random.Random(3)
        for flavour, shape in SHAPES.items():
            for _ in range(60):
                value = make_str(rng, flavour)
                self.assertIsInstance(value, str)
                self.assertRegex(value, '^' + shape + '$', flavour)
        for flavour, (low, high) in {'year': (1900, 2100), 'month': (1, 12), 'day': (1, 31), 'hour': (0, 23),
                                     'age': (1, 90), 'percent': (0, 100), 'count': (0, 20)}.items():
            values = [make_int(rng, flavour) for _ in range(100)]
            self.assertTrue(all(type(v) is int and low <= v <= high for v in values), (flavour, values))
        for flavour in ('money', 'unit', 'temperature', 'measure'):
            self.assertTrue(all(type(make_float(rng, flavour)) is float for _ in range(50)))
        self.assertTrue(all(0.0 <= make_float(rng, 'unit') <= 1.0 for _ in range(50)))

    def test_digit_strings_and_text_made_of_parts(self):
        rng = random.Random(2)
        self.assertTrue(all(re.fullmatch(r'\d{1,6}', make_str(rng, 'digits')) for _ in range(100)))
        parts = [make_str(rng, 'split:-') for _ in range(200)]
        self.assertTrue(all('' not in p.split('-') for p in parts))
        self.assertTrue(any(p.count('-') >= 4 for p in parts))

    def test_text_with_a_piece_the_code_looks_for_or_of_its_characters(self):
        rng = random.Random(3)
        self.assertTrue(all('%s' in make_str(rng, 'has:%s') for _ in range(100)))
        self.assertTrue(all(make_str(rng, 'prefix:#').startswith('#') for _ in range(100)))
        self.assertTrue(all(make_str(rng, 'suffix:!').endswith('!') for _ in range(100)))
        self.assertTrue(all(set(make_str(rng, 'chars:01')) <= {'0', '1'} for _ in range(100)))

    def test_plain_strings_are_words_and_sentences_not_gibberish(self):
        rng = random.Random(5)
        values = [make_str(rng, None) for _ in range(300)]
        readable = [v for v in values if re.fullmatch(r"[A-Za-z0-9 ,.!:'_-]+", v)]
        self.assertEqual(len(readable), len(values))
        self.assertGreater(len({v for v in values if ' ' in v}), 5, 'some are several words')

    def test_the_same_seed_gives_the_same_values(self):
        a = [make_str(random.Random(9), 'url') for _ in range(5)]
        b = [make_str(random.Random(9), 'url') for _ in range(5)]
        self.assertEqual(a, b)


class InferredFlavours(unittest.TestCase):
    def top(self, code, entry, name):
        params = {p['name']: p for p in infer(code, entry)['params']}
        return params[name]['types'][0][1]

    def test_a_parameter_named_url_gets_urls_and_a_list_of_names_gets_names(self):
        self.assertEqual(self.top("def f(url):\n    return url.split('/')\n", 'f', 'url'), ('str', 'url'))
        self.assertEqual(self.top("def f(names):\n    return ', '.join(names)\n", 'f', 'names'), ('list', ('str', 'person')))
        self.assertEqual(self.top("def f(year):\n    return year % 4 == 0\n", 'f', 'year'), ('int', 'year'))

    def test_the_value_maker_uses_the_flavour(self):
        maker = ValueMaker(random.Random(1), NO_LITERALS)
        urls = [maker.make(('str', 'url')) for _ in range(200)]
        self.assertGreater(sum(u.startswith('http') for u in urls), 100)
        self.assertTrue(all(isinstance(u, str) for u in urls))

    def test_the_codes_literals_are_used_only_where_they_fit_the_type(self):
        from case2code_inputs.tool import handle
        code = "def f(n, s):\n    if n > 7 and s == 'go':\n        return 'both'\n    return 'none'\n"
        answer = handle({'op': 'fuzz', 'code': code, 'entry': 'f', 'n': 10, 'seed': 0})
        for spec in answer['inputs']:
            self.assertRegex(spec['kwargs']['n'], r'^-?\d+$', spec)  # an int, never 'go'
            self.assertRegex(spec['kwargs']['s'], r"^'.*'$", spec)  # a str, never 7


if __name__ == '__main__':
    unittest.main()

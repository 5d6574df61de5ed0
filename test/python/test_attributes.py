# Methods lifted as functions of the instance data they read (attributes.py), through the extract
# tool: which methods qualify, how the parameters are named and annotated, and that the lifted
# code computes what the method computes on an instance of the original class.
import ast
import unittest

from case2code_extract import extract
from case2code_extract.attributes import _Edits
from test.python.test_extract import RULES

SOURCE = '''from typing import Optional
import re


class Base:
    def __init__(self, parts):
        self.parts = list(parts)

    def _joined(self, sep):
        cleaned = [str(p).strip() for p in self.parts]
        return sep.join(cleaned)


class Url(Base):
    PATTERN = re.compile("[0-9]+")
    port: Optional[int]

    def __init__(self, scheme, host: str, port=None, path="/", other: "Base" = None):
        super().__init__(["a", "b"])
        self.scheme = scheme
        self.host = host
        self.port = port
        self._path = path
        self.other = other

    @property
    def netloc(self):
        """host:port, or the host alone."""
        if self.port:
            return f"{self.host}:{self.port:d}"
        return self.host

    def url(self, query=None):
        out = self.scheme + "://" + self.netloc
        if query:
            out += "?" + self._joined("&")
        return out

    def with_path(self, extra):
        path = self._path.rstrip("/")
        return path + "/" + extra

    def numbers(self):
        found = self.PATTERN.findall(self.host)
        return [int(f) for f in found]

    def bare(self):
        kept = describe(self)
        return kept

    def writes(self, host):
        self.host = host
        return host

    @classmethod
    def parse(cls, text):
        scheme, rest = text.split("://")
        return cls(scheme, rest)

    def depth(self, n):
        if n <= 0:
            return 0
        return 1 + self.depth(n - 1)

    def shadowed(self, items):
        _joined = lambda sep: sep
        return self._joined(_joined(","))

    def other_host(self):
        value = self.other
        return value


class Table:
    SIZE = 4
    DOUBLE = SIZE * 2
    SCALE = lambda x: x * 2
    WIDTHS = {"a": 1, "b": 2}

    def __init__(self, cells):
        self.cells = cells

    def width(self, key):
        found = self.WIDTHS.get(key, 0)
        return found * self.SIZE + len(self.cells)

    def doubled(self):
        size = self.DOUBLE
        return size + len(self.cells)

    def scaled(self):
        out = self.SCALE(len(self.cells))
        return out


def describe(url):
    return url.host
'''


def lifted(text=SOURCE, **overrides):
    rules = dict(RULES, **{'liftMethods': True, 'liftAttributeReads': True, **overrides})
    result = extract.handle({'rules': rules, 'files': [text]})[0]
    return {fn['entry']: fn for fn in result['functions']}, {d['entry']: d['reason'] for d in result['drops']}


class AttributeMethods(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kept, cls.drops = lifted()

    def test_reads_become_parameters_annotated_as_the_class_declares_them(self):
        netloc = self.kept['netloc']['code']
        self.assertIn('def netloc(port: Optional[int], host: str):', netloc)
        self.assertIn('from typing import Optional', netloc)
        self.assertIn('return f"{host}:{port:d}"', netloc)
        self.assertNotIn('self', netloc.replace('"""host:port, or the host alone."""', ''))

    def test_an_annotation_naming_a_class_of_the_module_is_left_out(self):
        self.assertIn('def other_host(other):', self.kept['other_host']['code'])

    def test_a_parameter_named_like_a_local_keeps_the_attribute_name(self):
        self.assertIn('def with_path(_path, extra):', self.kept['with_path']['code'])

    def test_helpers_and_properties_are_carried_with_the_data_they_read(self):
        url = self.kept['url']['code']
        self.assertIn('def url(scheme, port: Optional[int], host: str, parts, query=None):', url)
        for piece in ('def netloc(port: Optional[int], host: str):', 'def _joined(parts, sep):',
                      'out = scheme + "://" + netloc(port, host)', 'out += "?" + _joined(parts, "&")'):
            self.assertIn(piece, url)
        self.assertLess(url.index('def _joined'), url.index('def url'))

    def test_class_level_constants_are_carried_with_their_real_values(self):
        numbers = self.kept['numbers']['code']
        self.assertIn('import re\n\nPATTERN = re.compile("[0-9]+")\n', numbers)
        self.assertIn('def numbers(host: str):\n    found = PATTERN.findall(host)', numbers)
        width = self.kept['width']['code']
        self.assertIn('SIZE = 4', width)
        self.assertIn('WIDTHS = {"a": 1, "b": 2}', width)
        self.assertIn('def width(cells, key):', width)
        self.assertNotIn('doubled', self.kept, 'DOUBLE reads SIZE, a name of the class body')
        self.assertNotIn('scaled', self.kept, 'a lambda in a class is a method of the instance')
        kept, _ = lifted(SOURCE + '\n\nSIZE = 5\n')
        self.assertNotIn('width', kept, 'SIZE would be two things in one namespace')

    def test_what_keeps_a_method_out(self):
        for name in ('bare', 'writes', 'parse', 'depth', 'shadowed'):
            self.assertNotIn(name, self.kept, name)
        off, _ = lifted(liftAttributeReads=False)
        self.assertEqual(set(off) & {'netloc', 'url', 'with_path'}, set())

    def test_a_module_function_of_the_helpers_name_keeps_the_caller_out(self):
        kept, _ = lifted(SOURCE + '\n\ndef _joined(x):\n    return x\n')
        self.assertNotIn('url', kept)
        self.assertIn('netloc', kept)

    def test_an_edit_is_checked_against_the_method_tree(self):
        method = ast.parse('class A:\n    def f(self, x):\n        """Doc\n        more."""\n        return self.a + self.g(x)\n').body[0].body[0]
        helper = type('Plan', (), {'attrs': ['b']})()
        edits = _Edits('self', {'a': 'a', 'b': 'b'}, {'g': helper}, set())
        right = ast.parse('def f(a, b, x):\n    """Doc\n    more."""\n    return a + g(b, x)\n').body[0]
        self.assertTrue(edits.same(method.body, right.body))
        for wrong in ('return x + g(b, x)', 'return a + g(x)', 'return a + g(a, x)', 'return a + self.g(x)'):
            edited = ast.parse(f'def f(a, b, x):\n    """Doc\n    more."""\n    {wrong}\n').body[0]
            self.assertFalse(edits.same(method.body, edited.body), wrong)

    def test_the_lifted_code_computes_what_the_method_computes(self):
        cases = [('http', 'example.com', 8080, '/a/'), ('https', 'h', None, '/'), ('ftp', 'x.y', 0, '')]
        original = {}
        exec(SOURCE, original)
        methods = {'url': lambda u: u.url('q'), 'netloc': lambda u: u.netloc, 'with_path': lambda u: u.with_path('z'),
                   'numbers': lambda u: u.numbers()}
        for name, call in (('url', lambda f, u: f(u.scheme, u.port, u.host, u.parts, query='q')),
                           ('netloc', lambda f, u: f(u.port, u.host)),
                           ('with_path', lambda f, u: f(u._path, 'z')),
                           ('numbers', lambda f, u: f(u.host))):
            namespace = {}
            exec(self.kept[name]['code'], namespace)
            for scheme, host, port, path in cases + [('http', 'a1.b22', 1, '/')]:
                instance = original['Url'](scheme, host, port, path)
                self.assertEqual(call(namespace[name], instance), methods[name](instance), (name, scheme, host, port, path))


if __name__ == '__main__':
    unittest.main()

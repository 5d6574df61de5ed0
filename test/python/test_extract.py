# The extract tools: what a module binds (scan), what a function needs and carries (carry), the
# define check (check), and the answers of `extract` and `extract-standalone` for small files.
import ast
import math
import sys
import unittest

from case2code_extract import extract, standalone
from case2code_extract.carry import Rules, function_needs
from case2code_extract.closure import Closure, Context, assemble, code_id
from case2code_extract.package import Package, absolute_module
from case2code_extract.check import define_check, global_reads
from case2code_extract.scan import ModuleFacts, constant_bound_names, params_of, scan_function

# The defaults of src/extract/rules.ts, trimmed to what these tests need.
RULES = {
    'minBodyLines': 1, 'maxBodyLines': 60, 'maxChars': 4000, 'maxCodeChars': 12000, 'requireParams': True,
    'requireReturn': True, 'allowGenerators': False, 'allowAsync': False, 'allowGlobal': False,
    'dropTrivial': True, 'checkDefine': True,
    'allowedModules': ['__future__', 'collections', 'functools', 'math', 're', 'string', 'typing'],
    'forbiddenBuiltins': ['open', 'input', 'exec', 'eval', 'compile', '__import__', 'globals', 'locals', 'vars'],
    'allowedDecorators': ['lru_cache', 'cache', 'wraps', 'total_ordering'],
    'forbiddenAttributes': ['__globals__', '__code__', '__subclasses__', '__builtins__', 'f_globals', 'f_back'],
    'nondeterministicCalls': ['now', 'today', 'utcnow'], 'fileCalls': ['open'],
}

MODULE = '''"""A module."""
import math
import os
from collections import Counter
from .sibling import thing

SCALE = 2
WORDS = frozenset('a b'.split())
CHANGED = []
CHANGED.append(1)
try:
    FLAG = True
except ImportError:
    FLAG = False


def helper(x):
    return math.sqrt(x) * SCALE


def area(r):
    """The area."""
    # a comment
    return helper(r) * math.pi


def uses_os(path):
    return os.path.exists(path)


def relative(x):
    return thing(x)


def changed(x):
    return CHANGED[0] + x


def conditional(x):
    return FLAG and x


def reads_file(name):
    with open(name) as f:
        return f.read()


def gen(n):
    yield n


def nothing(x):
    print(x)


def trivial(x):
    return 1


def tally(words):
    return Counter(w for w in words if w in WORDS).most_common(1)


def no_args():
    return 1


def missing(x):
    return undefined_helper(x)
'''


def run_extract(text, **overrides):
    rules = dict(RULES, **overrides)
    return extract.handle({'rules': rules, 'files': [text]})[0]


class Scan(unittest.TestCase):
    def setUp(self):
        self.module = ModuleFacts(ast.parse(MODULE), MODULE)

    def test_top_level_bindings_by_kind(self):
        kinds = {name: b.kind for name, b in self.module.bindings.items()}
        self.assertEqual(kinds['math'], 'import')
        self.assertEqual(kinds['SCALE'], 'const')
        self.assertEqual(kinds['WORDS'], 'const')
        self.assertEqual(kinds['CHANGED'], 'other', 'changed at module level')
        self.assertEqual(kinds['FLAG'], 'other', 'bound conditionally')
        self.assertEqual(kinds['helper'], 'func')

    def test_comprehensions_lambdas_and_asserts_at_module_level(self):
        text = ('TABLE = {"a": 1}\n'
                'REVERSE = {v: k for k, v in TABLE.items()}\n'
                'assert len(TABLE) == len(REVERSE)\n'
                'OPS = {"in": lambda a, b: a in b}\n'
                'CALLED = [make(k) for k in TABLE]\n'
                'POPPED = {"b": 2}\n'
                'assert POPPED.pop("b")\n')
        module = ModuleFacts(ast.parse(text), text)
        kinds = {name: b.kind for name, b in module.bindings.items()}
        self.assertEqual(kinds['REVERSE'], 'const')
        self.assertEqual(kinds['TABLE'], 'const', 'an assert of pure builtins only reads it')
        self.assertEqual(kinds['OPS'], 'const')
        self.assertEqual(kinds['CALLED'], 'other', 'calls a name that is neither a builtin nor imported')
        self.assertEqual(kinds['POPPED'], 'other', 'the assert calls a method that may change it')
        self.assertEqual(constant_bound_names(module.bindings['REVERSE'].node.value), {'k', 'v'})
        self.assertEqual(constant_bound_names(module.bindings['OPS'].node.value), {'a', 'b'})

    def test_a_function_scan_lists_reads_binds_and_returns(self):
        fn = next(node for node in ast.parse('def f(a, *b, c=1):\n    x = a + len(b)\n    def g():\n        return x\n    return g\n').body)
        facts = scan_function(fn)
        self.assertLessEqual({'a', 'b', 'c', 'x', 'g'}, facts.binds)
        self.assertLessEqual({'a', 'len', 'b', 'x', 'g'}, facts.reads)
        self.assertTrue(facts.own_return)
        self.assertFalse(facts.own_yield)
        self.assertEqual([p['kind'] for p in params_of(fn.args)], ['positional_or_keyword', 'var_positional', 'keyword_only'])

    def test_the_fingerprint_ignores_comments_docstrings_and_layout(self):
        first = 'def f(x):\n    """Doc."""\n    # note\n    return x + 1\n'
        second = 'def f(x):\n    return (x +\n            1)\n'
        third = 'def f(x):\n    return x + 2\n'
        shapes = [scan_function(ast.parse(code).body[0]).shape for code in (first, second, third)]
        self.assertEqual(shapes[0], shapes[1])
        self.assertNotEqual(shapes[0], shapes[2])


class Carry(unittest.TestCase):
    def closure_of(self, name):
        module = ModuleFacts(ast.parse(MODULE), MODULE)
        ctx = Context(Rules(RULES), Package(module, {}, {}))
        fn = next(node for node in module.body if getattr(node, 'name', None) == name)
        needs = function_needs(fn, scan_function(fn), module, ctx)
        return fn, needs, Closure(fn, needs, module, ctx), module

    def test_helpers_constants_and_imports_are_carried_in_source_order(self):
        fn, needs, closure, module = self.closure_of('area')
        self.assertIsNone(closure.failure)
        code = assemble(fn, closure, module)
        self.assertEqual(code.index('import math'), 0)
        self.assertLess(code.index('SCALE = 2'), code.index('def helper'))
        self.assertLess(code.index('def helper'), code.index('def area'))
        self.assertNotIn('import os', code)
        namespace = {}
        exec(code, namespace)
        self.assertAlmostEqual(namespace['area'](4.0), math.sqrt(4.0) * 2 * math.pi)
        self.assertEqual(len(code_id(fn, needs, closure, module)), 16)

    def test_what_cannot_be_carried_says_why(self):
        self.assertEqual(self.closure_of('uses_os')[2].failure, ('disallowed-import:os', None))
        self.assertEqual(self.closure_of('relative')[2].failure[0], 'relative-import')
        self.assertEqual(self.closure_of('changed')[2].failure[0], 'unresolved-name:CHANGED')
        self.assertEqual(self.closure_of('conditional')[2].failure[0], 'unresolved-name:FLAG')
        self.assertEqual(self.closure_of('reads_file')[1].failure, ('io-call', 'open'))

    def test_a_member_of_a_module_allows_only_that_member(self):
        rules = Rules(dict(RULES, allowedModules=RULES['allowedModules'] + ['sys.intern']))
        for body, failure in (('from sys import intern', None), ('from sys import argv', ('disallowed-import:sys', None)),
                              ('import sys', ('disallowed-import:sys', None))):
            text = f'def f(x):\n    {body}\n    return x\n'
            module = ModuleFacts(ast.parse(text), text)
            fn = module.body[0]
            needs = function_needs(fn, scan_function(fn), module, Context(rules, Package(module, {}, {})))
            self.assertEqual(needs.failure, failure, body)


class ExtractTool(unittest.TestCase):
    def test_kept_functions_and_the_reasons_of_the_rest(self):
        result = run_extract(MODULE)
        kept = {fn['entry']: fn for fn in result['functions']}
        self.assertEqual(sorted(kept), ['area', 'helper', 'tally'])
        drops = {drop['entry']: drop['reason'] for drop in result['drops']}
        self.assertEqual(drops, {
            'uses_os': 'disallowed-import:os', 'relative': 'relative-import', 'changed': 'unresolved-name:CHANGED',
            'conditional': 'unresolved-name:FLAG', 'reads_file': 'io-call', 'gen': 'generator',
            'nothing': 'no-return', 'trivial': 'trivial', 'no_args': 'no-args',
            'missing': 'unresolved-name:undefined_helper'})
        self.assertIn('WORDS = frozenset', kept['tally']['code'])
        self.assertIn('from collections import Counter', kept['tally']['code'])
        self.assertEqual(kept['area']['params'], [{'name': 'r', 'annotation': None, 'default': None, 'kind': 'positional_or_keyword'}])

    def test_ids_are_content_hashes_of_the_normalised_code(self):
        first = run_extract('def f(x):\n    """Doc."""\n    return x * 2\n')['functions'][0]['id']
        second = run_extract('# moved\n\ndef f(x):\n    # note\n    return x*2\n')['functions'][0]['id']
        third = run_extract('def f(x):\n    return x * 3\n')['functions'][0]['id']
        self.assertEqual(first, second)
        self.assertNotEqual(first, third)

    def test_files_that_do_not_parse(self):
        self.assertEqual(run_extract('def f(:\n')['error'], 'syntax-error')
        self.assertIn(run_extract('x = 1\x00')['error'], ('parse-error', 'syntax-error'))  # by version

    def test_rules_are_the_payloads(self):
        self.assertEqual(run_extract(MODULE, allowGenerators=True, requireReturn=False)['drops'][0]['entry'], 'uses_os')
        kept = [fn['entry'] for fn in run_extract(MODULE, allowedModules=RULES['allowedModules'] + ['os'])['functions']]
        self.assertIn('uses_os', kept)


class PackageRounds(unittest.TestCase):
    """The extract tool asks for sibling modules by name and answers once it has them."""
    TEXT = 'from .units import SCALE, double\n\ndef scaled(x):\n    y = double(x)\n    z = y * SCALE\n    return z\n'
    UNITS = 'SCALE = 3\n\ndef double(v):\n    return v * 2\n'

    def call(self, modules):
        payload = {'rules': RULES, 'files': [{'text': self.TEXT, 'module': 'pkg.calc', 'init': False}], 'modules': modules}
        return extract.handle(payload)[0]

    def test_relative_names_are_absolute_module_names(self):
        facts = ModuleFacts(ast.parse(''), '', 'a.b.c', False)
        self.assertEqual(absolute_module(facts, 'x', 1), 'a.b.x')
        self.assertEqual(absolute_module(facts, '', 2), 'a')
        self.assertIsNone(absolute_module(facts, 'x', 3), 'past the top package')
        init = ModuleFacts(ast.parse(''), '', 'a.b', True)
        self.assertEqual(absolute_module(init, 'x', 1), 'a.b.x')

    def test_a_wanted_module_then_the_function_with_its_definitions(self):
        self.assertEqual(self.call({}), {'wants': ['pkg.units']})
        answer = self.call({'pkg.units': {'text': self.UNITS, 'init': False}})
        [fn] = answer['functions']
        self.assertIn('SCALE = 3', fn['code'])
        namespace = {}
        exec(fn['code'], namespace)
        self.assertEqual(namespace['scaled'](2), 12)

    def test_a_module_the_package_does_not_have(self):
        answer = self.call({'pkg.units': None})
        self.assertEqual(answer['drops'][0]['reason'], 'missing-module:pkg.units')


class Checks(unittest.TestCase):
    def test_global_reads_come_from_every_scope(self):
        self.assertEqual(global_reads('def f(x):\n    return [g(y) for y in x] + h\n'), ['g', 'h'])

    def test_define_check_catches_names_only_an_annotation_reads(self):
        # Python 3.14 evaluates annotations lazily: only the symtable pass sees the missing name.
        expected = 'unresolved-name:Missing' if sys.version_info >= (3, 14) else 'define-error'
        self.assertEqual(define_check('def f(x: "Thing") -> Missing:\n    return x\n', 'f')[0], expected)
        self.assertIsNone(define_check('import math\ndef f(x):\n    return math.floor(x)\n', 'f'))
        self.assertEqual(define_check('raise ValueError("no")\n', 'f')[0], 'define-error')
        self.assertEqual(define_check('f = 3\n', 'f'), ('define-error', 'f is not defined as a function'))

    def test_the_verify_tool_checks_each_item_on_its_own(self):
        answer = standalone.handle({'items': [
            {'code': 'def f(x):\n    return x\n', 'entry': 'f'},
            {'code': 'def f(x):\n    return helper(x)\n', 'entry': 'f'},
            {'code': 'def f(x:\n', 'entry': 'f'},
        ]})
        self.assertEqual(answer[0], {'ok': True})
        self.assertEqual(answer[1]['reason'], 'unresolved-name:helper')
        self.assertEqual(answer[2]['reason'], 'define-error')
        self.assertIn('SyntaxError', answer[2]['detail'])


if __name__ == '__main__':
    unittest.main()

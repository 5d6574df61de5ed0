# How a function or class uses a module of its package (module_objects.py): the attributes it
# reads, whether one is read when the def or class statement runs, and uses that are not reads.
import ast
import unittest

from case2code_extract import extract
from case2code_extract.module_objects import Scope, module_uses, namespace_lines
from test.python.test_extract import RULES


def uses(text, lazy=False):
    return module_uses(Scope(ast.parse(text).body[0], lazy), 'nodes')


class ModuleUses(unittest.TestCase):
    def test_attribute_reads_in_the_body_are_read_when_called(self):
        got = uses('def f(x):\n    y = nodes.Element(x)\n    return nodes.clean(y), nodes.Element\n')
        self.assertEqual(got, (['Element', 'clean'], None, None))

    def test_decorators_defaults_and_evaluated_annotations_are_read_at_definition(self):
        self.assertEqual(uses('def f(x=nodes.EMPTY):\n    return x\n')[1], 'EMPTY')
        self.assertEqual(uses('def f(x: nodes.Node):\n    return nodes.walk(x)\n')[:2], (['Node', 'walk'], 'Node'))
        self.assertEqual(uses('def f(x: nodes.Node):\n    return nodes.walk(x)\n', lazy=True)[:2], (['walk'], None),
                         'a lazy annotation is never evaluated, so nothing it names is needed')

    def test_a_class_reads_its_bases_and_body_at_definition_and_its_methods_bodies_when_called(self):
        got = uses('class C(nodes.Base):\n    kind = nodes.KIND\n    def m(self):\n        return nodes.helper()\n')
        self.assertEqual(got, (['Base', 'KIND', 'helper'], 'Base', None))
        self.assertEqual(uses('class C:\n    def m(self):\n        return nodes.helper()\n')[1], None)

    def test_the_module_as_a_value_or_assigned_to_is_another_use(self):
        self.assertIn('used as a value', uses('def f(x):\n    return getattr(nodes, x)\n')[2])
        self.assertIn('used as a value', uses('def f(x):\n    g(nodes)\n    return x\n')[2])
        self.assertIn('nodes.x is assigned', uses('def f(x):\n    nodes.x = x\n    return x\n')[2])
        self.assertIn('assigned', uses('def f(x):\n    del nodes.x\n    return x\n')[2])

    def test_the_namespace_holds_exactly_the_names(self):
        code = '\n'.join(['A = 1', 'def b():\n    return 2'] + namespace_lines('nodes', ['A', 'b']))
        namespace = {}
        exec(code, namespace)
        self.assertEqual((namespace['nodes'].A, namespace['nodes'].b()), (1, 2))


class Carrying(unittest.TestCase):
    def test_a_name_a_class_body_would_mangle_is_not_carried(self):
        modules = {'pkg': {'text': '', 'init': True}, 'pkg.util': {'text': '__SCALE = 3\nSCALE = 4\n', 'init': False}}
        main = 'from pkg import util\n\ndef f(x):\n    y = util.__SCALE\n    return y + x\n\ndef g(x):\n    y = util.SCALE\n    return y + x\n'
        [result] = extract.handle({'rules': RULES, 'files': [{'text': main, 'module': 'pkg.main', 'init': False}], 'modules': modules})
        self.assertEqual([d['reason'] for d in result['drops']], ['module-object'])
        self.assertIn('util.__SCALE: mangled-name', result['drops'][0]['detail'])
        self.assertEqual([fn['entry'] for fn in result['functions']], ['g'])
        self.assertIn('class util:\n    SCALE = SCALE\n', result['functions'][0]['code'])


if __name__ == '__main__':
    unittest.main()

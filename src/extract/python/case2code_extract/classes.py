# Classes a function needs (the exceptions it raises, a namespace of constants, a small value type)
# are carried whole, like helpers, when every part of them passes the rules a helper passes: allowed
# decorators, bases and names that resolve, methods that do no I/O and import only allowed modules.
# A metaclass, a nested class or a statement other than a docstring, an assignment or a method drops
# the class (and so the functions that need it).
import ast

from case2code_extract.carry import Needs, _resolve, _unsafe, decorator_failure, import_failure
from case2code_extract.module_objects import Scope
from case2code_extract.scan import scan_function

# Decorators that only say what kind of method a method is (an @overload stub is replaced by the
# def after it in the class body, as at module level).
_METHOD_DECORATORS = frozenset(('property', 'staticmethod', 'classmethod', 'setter', 'getter', 'deleter', 'abstractmethod',
                                'overload'))


def class_needs(node, module, ctx):
    """The direct needs of a top-level class, or why it cannot be carried."""
    rules = ctx.rules
    needs = Needs(ast.dump(node), Scope(node, module.lazy_annotations))
    needs.failure = decorator_failure(node, rules, module)
    if needs.failure:
        return needs
    if node.keywords:
        needs.failure = ('class-keywords', ast.unparse(node.keywords[0])[:100])
        return needs
    reads, objects = set(), set()
    for base in node.bases:
        _expression_reads(base, reads, objects)
    for decorator in node.decorator_list:
        _expression_reads(decorator, reads, objects)
    bound = set()  # names the class body binds: its later statements read them there
    for stmt in node.body:
        kind = type(stmt)
        if kind is ast.Pass or (kind is ast.Expr and type(stmt.value) is ast.Constant):
            continue
        if kind is ast.FunctionDef:
            method_reads = set()
            needs.failure = _method_failure(stmt, module, rules, method_reads, objects)
            if needs.failure:
                return needs
            # Decorators, defaults and annotations are read in the class body, where its earlier
            # names are bound; a body reading a global of the same name is caught by the define check.
            reads.update(method_reads - bound)
            bound.add(stmt.name)
            continue
        if kind in (ast.Assign, ast.AnnAssign):
            targets = _names(stmt.targets if kind is ast.Assign else [stmt.target])
            if targets is not None:
                values = set()
                if stmt.value is not None:
                    _expression_reads(stmt.value, values, objects)
                if kind is ast.AnnAssign and not module.lazy_annotations:
                    _expression_reads(stmt.annotation, values, objects)
                reads.update(values - bound)
                bound.update(targets)
                continue
        needs.failure = ('class-body', f'{node.name}: {kind.__name__} at line {stmt.lineno}')
        return needs
    for name in sorted(reads):
        if name != node.name and not _resolve(name, module, ctx, needs, True, name in objects):
            return needs
    return needs


def _method_failure(method, module, rules, reads, objects):
    failure = decorator_failure(method, rules, module, _METHOD_DECORATORS)
    if failure:
        return (failure[0], f'{method.name}: {failure[1]}')
    facts = scan_function(method, module.lazy_annotations)
    if facts.global_stmt or facts.nonlocal_stmt:
        return ('global' if facts.global_stmt else 'nonlocal', method.name)
    failure = _unsafe(facts.reads, facts.binds, facts.attributes, facts.attribute_calls, module, rules)
    if failure:
        return failure
    for imported, level, member in facts.imports:
        failure = import_failure(imported, level, member, rules)
        if failure:
            return failure
    reads.update(facts.reads - facts.binds)
    objects.update(facts.objects)
    return None


def _names(targets):
    """The names assignment targets bind (`a = b = 1`, `x, y = 1, 2`), or None for other targets."""
    names = []
    for target in targets:
        if type(target) is ast.Name:
            names.append(target.id)
        elif type(target) in (ast.Tuple, ast.List) and all(type(item) is ast.Name for item in target.elts):
            names.extend(item.id for item in target.elts)
        else:
            return None
    return names


def _expression_reads(node, reads, objects):
    for inner in ast.walk(node):
        kind = type(inner)
        if kind is ast.Name and type(inner.ctx) is ast.Load:
            reads.add(inner.id)
        elif kind in (ast.Attribute, ast.Subscript) and type(inner.value) is ast.Name:
            objects.add(inner.value.id)
        elif kind is ast.Call and type(inner.func) is ast.Name:
            objects.add(inner.func.id)

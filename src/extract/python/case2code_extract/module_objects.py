# A module of the function's own package used as an object (`from docutils import nodes`, then
# `nodes.Element`). When every use is a plain attribute read, each attribute is carried as
# `from docutils.nodes import Element` would carry it (under its own name, by the same rules), and
# the module's name is bound after the carried definitions to a namespace class holding exactly
# those names (`class nodes:` with `Element = Element`), so the function's own text is unchanged.
# Any other use (the module passed or returned, `getattr(nodes, n)`, `nodes.x = ...`) could see
# that it is no module, so it stays `module-object`, as does an attribute that cannot be carried.
import ast

from case2code_extract.check import BUILTIN_NAMES
from case2code_extract.package import PENDING, sibling_module


class Scope:
    """Where a free name's uses are: a top-level function or class, and whether its module's
    annotations are lazy (never evaluated: their attributes need not be carried)."""
    __slots__ = ('node', 'lazy')

    def __init__(self, node, lazy):
        self.node = node
        self.lazy = lazy


def module_uses(scope, name):
    """(sorted attributes read on `name`, the first one read when the definition itself runs (a
    decorator, default, base class or class-level statement) or None, the first other use or None)."""
    attrs, at_definition = set(), None
    # Popped in source order (children pushed last to first), so the attribute named is the first.
    stack = [(child, False) for child in reversed(_runtime_parts(scope.node))] + \
        [(child, True) for child in reversed(_definition_parts(scope.node, scope.lazy))]
    while stack:
        node, defining = stack.pop()
        kind = type(node)
        if kind is ast.Attribute and type(node.value) is ast.Name and node.value.id == name:
            if type(node.ctx) is not ast.Load:
                return sorted(attrs), at_definition, ast.unparse(node)[:80] + ' is assigned'
            attrs.add(node.attr)
            if defining and at_definition is None:
                at_definition = node.attr
            continue
        if kind is ast.Name and node.id == name:
            return sorted(attrs), at_definition, f'{name} is used as a value, not only by its attributes'
        for field, value in reversed(list(ast.iter_fields(node))):
            if scope.lazy and field in ('annotation', 'returns'):
                continue
            if type(value) is list:
                stack.extend((item, defining) for item in reversed(value) if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append((value, defining))
    return sorted(attrs), at_definition, None


def _runtime_parts(node):
    """What runs only when the definition is called: a function's body, its methods' bodies."""
    if type(node) is ast.ClassDef:
        return [stmt for method in node.body if type(method) in (ast.FunctionDef, ast.AsyncFunctionDef) for stmt in method.body]
    return list(node.body)


def _definition_parts(node, lazy):
    """What runs when the def or class statement runs (annotations too, unless lazy)."""
    if type(node) is ast.ClassDef:
        parts = list(node.decorator_list) + list(node.bases) + list(node.keywords)
        for stmt in node.body:
            if type(stmt) in (ast.FunctionDef, ast.AsyncFunctionDef):
                parts.extend(_signature(stmt, lazy))
            else:
                parts.append(stmt)
        return parts
    return _signature(node, lazy)


def _signature(fn, lazy):
    parts = list(fn.decorator_list) + list(fn.args.defaults) + [d for d in fn.args.kw_defaults if d is not None]
    if not lazy:
        args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs + [a for a in (fn.args.vararg, fn.args.kwarg) if a]
        parts.extend(a.annotation for a in args if a.annotation is not None)
        if fn.returns is not None:
            parts.append(fn.returns)
    return parts


def carry_module_object(name, target, text, ctx, needs, resolve, hops):
    """Carry what `name` (bound by `text` to the package's module `target`) is used for, or set
    needs.failure. True unless it failed (a module not known yet is wanted, as for any import)."""
    scope = needs.scope
    if scope is None:  # an attribute that is itself a module (`nodes.sub.X`), or a constant's read
        needs.failure = ('module-object', f'{text}: a module of the package is used as an object here')
        return False
    source = sibling_module(target, text, ctx, needs)
    if source is PENDING or source is None:
        return source is PENDING  # wanted: the verdict waits; missing: the failure is set
    attrs, at_definition, other = module_uses(scope, name)
    if other is not None:
        needs.failure = ('module-object', f'{text}: {other}')
        return False
    needs.scope = None
    try:
        for attr in attrs:
            failure = _attribute_failure(attr, source, ctx, needs, resolve, hops)
            if failure is not None:
                reason, detail = failure
                needs.failure = ('module-object', f'{name}.{attr}: {reason}' + (f' ({detail})' if detail else ''))
                return False
    finally:
        needs.scope = scope
    needs.namespaces[name] = (source, tuple(attrs), at_definition)  # the closure places it
    return True


def _attribute_failure(attr, source, ctx, needs, resolve, hops):
    """Resolve `attr` in the module as a from-import of it would; label the definitions it adds
    so that a failure further down is told as this attribute's."""
    if attr.startswith('__') and not attr.endswith('__'):
        return ('mangled-name', 'a class body would mangle it in the namespace')
    if attr not in source.bindings:
        submodule = ctx.package.exists(f'{source.name}.{attr}')  # `import pkg.mod`, then `pkg.mod.X`
        if submodule is PENDING:
            needs.wants.add(f'{source.name}.{attr}')
            return None
        if submodule:
            return ('module-object', 'a module too: only one level of module objects is carried')
        if attr in BUILTIN_NAMES or not source.star_sources:
            return ('unresolved-name:' + attr, f'not defined in {source.name}')
    before = set(needs.defs)
    if not resolve(attr, source, ctx, needs, True, True, hops + 1):
        failure, needs.failure = needs.failure, None
        return failure
    if attr in needs.builtins and attr not in source.bindings:
        return ('unresolved-name:' + attr, f'not defined in {source.name}')
    for key in needs.defs:
        if key not in before:
            needs.via.setdefault(key, f'{source.name}.{attr}')
    return None


def namespace_lines(name, attrs):
    """The statement that binds the module's name: a class, so no import is needed."""
    return [f'class {name}:'] + [f'    {attr} = {attr}' for attr in attrs]

# What a module binds at top level, and what one top-level function reads, binds and contains.
# One pass per function, with an explicit stack: this is the hot loop of extraction.
import ast
import re

# Module-level names for the node classes: the hot loop looks them up as globals, not attributes.
from ast import AST as _AST, Attribute as _Attribute, Call as _Call, Constant as _Constant
from ast import Load as _Load, Name as _Name, Return as _Return, Subscript as _Subscript, arg as _arg
_Yields = (ast.Yield, ast.YieldFrom)
_FunctionDefs = (ast.FunctionDef, ast.AsyncFunctionDef)
_NewScopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# Pattern matching (3.10+) and type parameters (3.12+) exist only in newer Pythons' ast.
_BindsName = tuple(getattr(ast, name) for name in ('ExceptHandler', 'MatchAs', 'MatchStar') if hasattr(ast, name))
_MatchMapping = getattr(ast, 'MatchMapping', None)
_TypeParams = tuple(getattr(ast, name) for name in ('TypeVar', 'ParamSpec', 'TypeVarTuple') if hasattr(ast, name))
_ImportFrom = ast.ImportFrom
_Contexts = (ast.Load, ast.Store, ast.Del)


# A `global` statement inside a function: indented, then the keyword (cheaper than walking the tree).
_GLOBAL_STATEMENT = re.compile(r'^[ \t]+global[ \t]', re.M)


class Binding:
    """A top-level name: `import` (with the statements that bind it), `const`, `func`, `class`, or
    `other` (bound conditionally, twice, by a non-constant value, or changed at module level)."""
    __slots__ = ('kind', 'node', 'imports', 'order')

    def __init__(self, kind, node=None, order=0):
        self.kind = kind
        self.node = node
        self.imports = []  # (module, level, statement text, imported member or None)
        self.order = order


class ModuleFacts:
    def __init__(self, tree, text, name=None, init=False):
        self.name = name  # dotted module name inside its package, or None
        self.init = init  # the module is a package's __init__.py
        self.lines = text.splitlines(keepends=True)
        self.body = tree.body
        self.bindings = {}
        self.future = []
        self.star_imports = False
        self.star_sources = []  # (module, level) of each `from module import *`, in order
        self.helpers = {}  # name -> verdict cache for functions carried as helpers
        self.overrides = {}  # id(node) -> text, for functions made from methods (methods.py)
        self.position = {id(stmt): i for i, stmt in enumerate(self.body)}
        self._scan()
        self.lazy_annotations = 'annotations' in self.future  # nothing evaluates annotations
        # Names some function rebinds with `global`: their module-level value is not what the
        # functions that read them see once the module has run (`_cache = None`, set lazily).
        self.rebound = set()
        if _GLOBAL_STATEMENT.search(text):
            for node in ast.walk(tree):
                if type(node) is ast.Global:
                    self.rebound.update(node.names)

    def _bind(self, name, kind, node, order):
        old = self.bindings.get(name)
        if old is None:
            self.bindings[name] = Binding(kind, node, order)
        elif not (kind == 'import' and old.kind == 'import'):
            old.kind = 'other'
        return self.bindings[name]

    def _scan(self):
        bound_elsewhere = set()
        read_elsewhere = set()
        for order, stmt in enumerate(self.body):
            kind = type(stmt)
            if kind is ast.Import:
                for alias in stmt.names:
                    bound = alias.asname or alias.name.split('.')[0]
                    text = f'import {alias.name}' + (f' as {alias.asname}' if alias.asname else '')
                    self._bind(bound, 'import', stmt, order).imports.append((alias.name, 0, text, None))
            elif kind is ast.ImportFrom:
                module = stmt.module or ''
                if module == '__future__':
                    self.future.extend(alias.name for alias in stmt.names)
                    continue
                for alias in stmt.names:
                    if alias.name == '*':
                        self.star_imports = True
                        self.star_sources.append((module, stmt.level))
                        continue
                    bound = alias.asname or alias.name
                    text = f'from {"." * stmt.level}{module} import {alias.name}' + \
                        (f' as {alias.asname}' if alias.asname else '')
                    self._bind(bound, 'import', stmt, order).imports.append((module, stmt.level, text, alias.name))
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef):
                if not is_overload(stmt):  # typing stubs: the def after them is the function
                    self._bind(stmt.name, 'func', stmt, order)
            elif kind is ast.ClassDef:
                self._bind(stmt.name, 'class', stmt, order)
            elif kind is ast.Assign and all(type(t) is _Name for t in stmt.targets):
                const = is_constant_expression(stmt.value, self.bindings)
                for target in stmt.targets:
                    self._bind(target.id, 'const' if const else 'other', stmt, order)
            elif kind is ast.AnnAssign and type(stmt.target) is _Name and stmt.value is not None:
                const = is_constant_expression(stmt.value, self.bindings)
                self._bind(stmt.target.id, 'const' if const else 'other', stmt, order)
            elif kind is ast.Expr and type(stmt.value) is _Constant:
                continue  # a docstring or a bare literal binds and changes nothing
            elif kind is ast.Assert and _only_pure_calls(stmt):
                continue  # `assert len(TABLE) == len(REVERSE)`: checks, changes nothing
            else:
                # if/try/for/with/augmented assignments/calls at module level: what they bind is
                # bound conditionally or twice, and a constant they read may be changed by them
                # (`TABLE[key] = value`, `NAMES.append(name)`).
                for node in ast.walk(stmt):
                    if type(node) is _Name:
                        (read_elsewhere if type(node.ctx) is _Load else bound_elsewhere).add(node.id)
                    elif type(node) is ast.Import:
                        bound_elsewhere.update(a.asname or a.name.split('.')[0] for a in node.names)
                    elif type(node) is ast.ImportFrom:
                        bound_elsewhere.update(a.asname or a.name for a in node.names)
                    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        bound_elsewhere.add(node.name)
        for name in bound_elsewhere:
            self._bind(name, 'other', None, -1).kind = 'other'
        for name in read_elsewhere:
            binding = self.bindings.get(name)
            if binding is not None and binding.kind == 'const':
                binding.kind = 'other'

    def exports(self, name):
        """Whether `from this import *` binds `name`: listed in a constant `__all__`, else public."""
        binding = self.bindings.get('__all__')
        if binding is not None and binding.kind == 'const' and type(binding.node.value) in (ast.List, ast.Tuple):
            return any(type(item) is _Constant and item.value == name for item in binding.node.value.elts)
        return not name.startswith('_') and name in self.bindings

    def exports_all_public(self):
        """No constant `__all__`: `import *` of this module binds every public name it has."""
        binding = self.bindings.get('__all__')
        return binding is None or binding.kind != 'const'

    def segment(self, node):
        """The statement's own source lines, or its unparsed text when it shares a line."""
        override = self.overrides.get(id(node))
        if override is not None:
            return override.rstrip()
        start = node.lineno
        decorators = getattr(node, 'decorator_list', None)
        if decorators:
            start = min(d.lineno for d in decorators)
        end = node.end_lineno
        index = self.position[id(node)]
        before = self.body[index - 1] if index > 0 else None
        after = self.body[index + 1] if index + 1 < len(self.body) else None
        if (before is not None and before.end_lineno >= start) or (after is not None and after.lineno <= end):
            return ast.unparse(node)
        return ''.join(self.lines[start - 1:end]).rstrip().replace('\r\n', '\n').replace('\r', '\n')


# Calls a module-level constant may make: pure builtins and public attributes of allowed modules
# (checked when carried), e.g. `WORDS = frozenset('a b'.split())`, `PATTERN = re.compile(r'x+')`.
_CONSTANT_BUILTINS = frozenset((
    'abs', 'all', 'any', 'bin', 'bool', 'bytes', 'chr', 'complex', 'dict', 'divmod', 'enumerate',
    'float', 'frozenset', 'hex', 'int', 'len', 'list', 'max', 'min', 'oct', 'ord', 'pow', 'range',
    'repr', 'reversed', 'round', 'set', 'slice', 'sorted', 'str', 'sum', 'tuple', 'zip'))
# Comprehensions and lambdas too (`REVERSE = {v: k for k, v in TABLE.items()}`, a dict of
# `lambda a, b: a in b`): the names they bind are their own (constant_bound_names), the rest is
# read and carried like any other constant's.
_CONSTANT_NODES = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp, ast.BinOp,
                   ast.BoolOp, ast.Compare, ast.IfExp, ast.Name, ast.Attribute, ast.Subscript,
                   ast.Slice, ast.Call, ast.Starred, ast.keyword, ast.JoinedStr, ast.FormattedValue,
                   ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
                   ast.Lambda, ast.arguments, ast.arg,
                   ast.Load, ast.expr_context, ast.operator, ast.unaryop, ast.boolop, ast.cmpop)


def constant_bound_names(value):
    """The names a constant's comprehensions and lambdas bind: their loop targets and parameters."""
    bound = set()
    for node in ast.walk(value):
        if type(node) is ast.comprehension:
            bound.update(target.id for target in ast.walk(node.target) if type(target) is _Name)
        elif type(node) is _arg:
            bound.add(node.arg)
    return bound


def is_constant_expression(value, bindings=None):
    """Literals and simple expressions over them, other constants and allowed modules: calls of
    pure builtins, of attributes, and of names imported before (`TypeVar('T')`; whether the module
    is allowed is checked when the constant is carried)."""
    for node in ast.walk(value):
        if not isinstance(node, _CONSTANT_NODES):
            return False
        if type(node) is _Attribute and node.attr.startswith('_'):
            return False
        if type(node) is _Call:
            func = node.func
            if type(func) is _Name:
                imported = bindings is not None and func.id in bindings and bindings[func.id].kind == 'import'
                if func.id not in _CONSTANT_BUILTINS and not imported:
                    return False
            elif type(func) is not _Attribute:
                return False
    return True


def _only_pure_calls(stmt):
    """Every call in the statement is of a pure builtin by name (`len`, `sorted`), it reads no
    attribute (`key=TABLE.pop` would empty the table) and binds nothing (`:=`, a lambda), so it
    cannot change or bind a name it reads."""
    for node in ast.walk(stmt):
        if type(node) in (ast.NamedExpr, ast.Attribute, ast.Lambda):
            return False
        if type(node) is _Call and not (type(node.func) is _Name and node.func.id in _CONSTANT_BUILTINS):
            return False
    return True


class FunctionFacts:
    """What one pass over a function finds. `own_*` flags ignore nested functions and lambdas."""
    __slots__ = ('reads', 'binds', 'imports', 'own_return', 'own_yield', 'global_stmt',
                 'nonlocal_stmt', 'attributes', 'attribute_calls', 'objects', 'shape')

    def __init__(self):
        self.reads = set()
        self.objects = set()  # names used as objects: an attribute, a call or an item taken of them
        self.binds = set()
        self.imports = []  # (module, level, imported member or None)
        self.own_return = False
        self.own_yield = False
        self.global_stmt = False
        self.nonlocal_stmt = False
        self.attributes = set()
        self.attribute_calls = set()
        self.shape = []


def scan_function(fn, lazy_annotations=False):
    """One pass over a top-level function. With `lazy_annotations` (the module has `from __future__
    import annotations`) names read only in annotations are not reads: nothing evaluates them, so
    a name bound only for type checkers (`if TYPE_CHECKING: ...`) need not be carried. They still
    count in the fingerprint."""
    facts = FunctionFacts()
    reads = facts.reads
    binds = facts.binds
    attributes = facts.attributes
    # The fingerprint lists every node's type and plain field values in a fixed traversal order,
    # without positions or docstrings: equal fingerprints mean equal normalised code.
    shape = facts.shape
    emit = shape.append
    emit(fn.name)
    # `own` is True in the function itself, False in nested scopes, None inside a lazy annotation.
    stack = [(child, None if lazy_annotations and child is fn.returns else True) for child in _function_parts(fn)]
    pop = stack.pop
    push = stack.append
    while stack:
        node, own = pop()
        kind = type(node)
        if kind is _Name:
            emit(node.id)
            if type(node.ctx) is _Load:
                if own is not None:
                    reads.add(node.id)
            else:
                binds.add(node.id)
                emit('=')
            continue
        emit(kind)
        if kind is _Constant:
            emit(node.value)
            continue
        if kind is _Attribute:
            attributes.add(node.attr)
            if type(node.value) is _Name:
                facts.objects.add(node.value.id)
        elif kind is _Call:
            if type(node.func) is _Attribute:
                facts.attribute_calls.add(node.func.attr)
            elif type(node.func) is _Name:
                facts.objects.add(node.func.id)
        elif kind is _Subscript:
            if type(node.value) is _Name:
                facts.objects.add(node.value.id)
        elif kind is _arg:
            binds.add(node.arg)
        elif kind is _Return:
            if own and node.value is not None and not (type(node.value) is _Constant and node.value.value is None):
                facts.own_return = True
        elif kind in _Yields:
            if own:
                facts.own_yield = True
        elif kind in _NewScopes:
            if kind is not ast.Lambda:
                binds.add(node.name)
            own = False
        elif kind is ast.Import:
            for alias in node.names:
                binds.add(alias.asname or alias.name.split('.')[0])
                facts.imports.append((alias.name, 0, None))
            continue
        elif kind is _ImportFrom:
            for alias in node.names:
                binds.add(alias.asname or alias.name)
                facts.imports.append((node.module or '', node.level, alias.name))
            continue
        elif kind is ast.Global:
            facts.global_stmt = True
            continue
        elif kind is ast.Nonlocal:
            facts.nonlocal_stmt = True
            continue
        elif kind in _BindsName:
            if node.name:
                binds.add(node.name)
        elif kind is _MatchMapping:
            if node.rest:
                binds.add(node.rest)
        elif kind in _TypeParams:
            binds.add(node.name)
        elif kind in _Contexts:
            continue
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                emit(len(value))
                if field == 'body' and kind in _NewScopes and _is_docstring(value[0]):
                    value = value[1:]
                for item in value:
                    if isinstance(item, _AST):
                        push((item, own))
                    else:
                        emit(item)
            elif isinstance(value, _AST):
                push((value, None if lazy_annotations and (field == 'annotation' or field == 'returns') else own))
            else:
                emit(value)
    return facts


def _function_parts(fn):
    """The parts of a top-level def other than its name: decorators, signature, body."""
    parts = list(fn.decorator_list)
    parts.append(fn.args)
    if fn.returns is not None:
        parts.append(fn.returns)
    parts.extend(getattr(fn, 'type_params', ()) or ())
    parts.extend(docstring_free_body(fn))
    parts.reverse()  # popped in source order
    return parts


def is_overload(fn):
    """A `@typing.overload` signature: a stub for type checkers, replaced by the def after it."""
    for decorator in fn.decorator_list:
        if (type(decorator) is _Name and decorator.id == 'overload') or \
                (type(decorator) is _Attribute and decorator.attr == 'overload'):
            return True
    return False


def _is_docstring(stmt):
    return type(stmt) is ast.Expr and type(stmt.value) is _Constant and type(stmt.value.value) is str


def docstring_free_body(fn):
    body = fn.body
    return body[1:] if body and _is_docstring(body[0]) else body


def count_params(args):
    return len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs) + \
        (args.vararg is not None) + (args.kwarg is not None)


def params_of(args):
    """Each parameter with its annotation and default as source text."""
    out = []
    positional = list(args.posonlyargs) + list(args.args)
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for i, arg in enumerate(positional):
        kind = 'positional_only' if i < len(args.posonlyargs) else 'positional_or_keyword'
        out.append(_param(arg, defaults[i], kind))
    if args.vararg is not None:
        out.append(_param(args.vararg, None, 'var_positional'))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append(_param(arg, default, 'keyword_only'))
    if args.kwarg is not None:
        out.append(_param(args.kwarg, None, 'var_keyword'))
    return out


def _param(arg, default, kind):
    return {
        'name': arg.arg,
        'annotation': ast.unparse(arg.annotation) if arg.annotation is not None else None,
        'default': ast.unparse(default) if default is not None else None,
        'kind': kind,
    }

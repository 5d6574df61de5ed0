# Methods as functions of the instance data they read. Most methods of real packages read their
# instance, and many only read its data (`self.host`, `self._parts`) or call sibling methods that
# do: such a method computes a function of those attributes. It is extracted with each read
# `self.name` replaced by a parameter (in front of its own parameters, annotated as the class
# declares the attribute where that annotation needs nothing but builtins and typing), each call
# `self.helper(x)` by `helper(<the attributes helper reads>, x)`, and each read of a property by
# a call of it: the helpers are lifted the same way and carried like same-file helpers.
#
# Parameters are made only of what the class makes instance data (set through `self.name = ...`
# in one of its methods, a class-level annotation, `__slots__`), in the class or a base defined in
# the same module. A class-level constant (`PATTERN = re.compile(...)`, bound once, a constant
# expression reading no other class-level name) is no input the cases could vary: `self.PATTERN`
# becomes `PATTERN`, carried with its real value like a module constant. The instance itself used
# otherwise (passed on, written to, `super()`), a class method, a call of a data attribute, a
# helper or constant whose name the module or the method already binds, a cycle of calls: each
# keeps the method out. The edited text must parse to the method's own tree with those
# replacements, or the method stays out too.
import ast
import collections
import copy
import inspect
import keyword
import re

from case2code_extract.methods import dunder, mangled, rewritten
from case2code_extract.scan import Binding, is_constant_expression

# Most attributes one lifted method may turn into parameters: past that, ten cases cannot show
# what each does.
MAX_ATTRIBUTES = 6
_PROPERTIES = ('property', 'cached_property')
_ANNOTATION_BUILTINS = frozenset(('str', 'int', 'float', 'bool', 'bytes', 'bytearray', 'complex', 'list', 'dict',
                                  'tuple', 'set', 'frozenset', 'object', 'type', 'range', 'slice', 'None'))


def attribute_methods(module, plain):
    """(class node, method node, lifted FunctionDef, text, module view) for each method of each
    top-level class that reads its instance's data; `plain` maps the id of each method already
    lifted without its instance (methods.py) to its (FunctionDef, text). The view is the module with the class's lifted
    helpers bound as top-level functions, for judging these candidates only."""
    out = []
    for stmt in module.body:
        if type(stmt) is not ast.ClassDef:
            continue
        lift = ClassLift(stmt, module, plain)
        found = []
        for method in stmt.body:
            if type(method) is ast.FunctionDef and id(method) not in plain and not dunder(method.name):
                plan = lift.plan(method.name, method)
                if plan is not None and (plan.attrs or plan.helpers or plan.constants):
                    found.append((stmt, method, plan))
        if found:
            view = lift.view()
            out.extend((cls, method, plan.node, plan.text, view) for cls, method, plan in found)
    return out


class Plan:
    """A method lifted as a function: the attributes it reads, directly or through the helpers it
    calls (its leading parameters, in order), and the lifted definition."""
    __slots__ = ('attrs', 'node', 'text', 'helpers', 'constants')

    def __init__(self, attrs, node, text, helpers, constants=frozenset()):
        self.attrs = attrs
        self.node = node
        self.text = text
        self.helpers = helpers  # names of the class's methods it calls, transitively
        self.constants = constants  # names of the class-level constants it reads, transitively


class ClassLift:
    def __init__(self, cls, module, plain):
        self.cls = cls
        self.module = module
        self.plain = plain  # id(method) -> (FunctionDef, text): the methods methods.py lifted
        self._data = None
        self.plans = {}  # method name -> Plan, or None (also while it is being made: a cycle)

    @property
    def data(self):
        # Made only for a class with a method that passes the text test: most never need it.
        if self._data is None:
            self._data = class_data(self.cls, self.module)
        return self._data

    def plan(self, name, method=None):
        if name in self.plans:
            return self.plans[name]
        self.plans[name] = None
        entry = self.data.methods.get(name)
        if method is None and entry is not None:
            method = entry[0]
        plan = None
        if method is not None and (entry is None or (entry[0] is method and entry[1] != 'class')):
            plain = self.plain.get(id(method))
            plan = Plan([], plain[0], plain[1], set()) if plain else _lift_reading(method, self)
        self.plans[name] = plan
        return plan

    def view(self):
        """The module, with every lifted helper some plan calls bound as a top-level function."""
        helpers, constants = set(), set()
        for plan in self.plans.values():
            if plan is not None:
                helpers |= plan.helpers
                constants |= plan.constants
        view = copy.copy(self.module)
        view.bindings = dict(self.module.bindings)
        view.position = dict(self.module.position)
        view.helpers = {}
        order = self.module.position[id(self.cls)]
        for name in sorted(helpers):
            plan = self.plans[name]
            self.module.overrides[id(plan.node)] = plan.text
            view.bindings[name] = Binding('func', plan.node, order)
            view.position[id(plan.node)] = order
        for name in sorted(constants):
            stmt = self.data.constants[name]
            self.module.overrides[id(stmt)] = _dedented(stmt, self.module)
            view.bindings[name] = Binding('const', stmt, order)
            view.position[id(stmt)] = order
        return view


class ClassData:
    """What a class makes instance data, and its methods by name with their kind."""

    def __init__(self, cls, module):
        self.methods = {}  # name -> (node, 'plain' | 'property' | 'static' | 'class' | 'other')
        self.data = set()  # instance data: assigned through the instance, annotated, in __slots__
        self.annotations = {}  # attribute -> annotation node, where the class declares one
        self.class_level = set()  # every name the class body binds
        self.constants = {}  # name -> its one class-level `NAME = value`, a constant expression
        assigned = collections.Counter()
        for stmt in cls.body:
            kind = type(stmt)
            if kind in (ast.FunctionDef, ast.AsyncFunctionDef):
                self.methods.setdefault(stmt.name, (stmt, _method_kind(stmt)))
                self._scan_method(stmt)
            elif kind is ast.AnnAssign and type(stmt.target) is ast.Name:
                self.data.add(stmt.target.id)
                self.annotations.setdefault(stmt.target.id, stmt.annotation)
            elif kind is ast.Assign:
                for target in stmt.targets:
                    if type(target) is ast.Name and target.id == '__slots__':
                        self.data.update(_strings(stmt.value))
                if len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name:
                    self.constants[stmt.targets[0].id] = stmt
            for node in ast.walk(stmt) if kind not in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) else ():
                if type(node) is ast.Name and type(node.ctx) is ast.Store:
                    assigned[node.id] += 1
            if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                assigned[stmt.name] += 1
        self.class_level = set(assigned)
        self.constants = {name: stmt for name, stmt in self.constants.items()
                          if assigned[name] == 1 and _class_constant(stmt.value, self.class_level, module)}

    def _scan_method(self, method):
        positional = method.args.posonlyargs + method.args.args
        if not positional or _method_kind(method) in ('static', 'class'):
            return
        first = positional[0].arg
        params = {a.arg: a.annotation for a in positional + method.args.kwonlyargs}
        for node in _statements(method.body):
            kind = type(node)
            if kind not in (ast.Assign, ast.AnnAssign, ast.AugAssign):
                continue
            for target in node.targets if kind is ast.Assign else [node.target]:
                for part in ast.walk(target):
                    if type(part) is ast.Attribute and type(part.value) is ast.Name and part.value.id == first \
                            and type(part.ctx) is ast.Store:
                        self.data.add(part.attr)
                        note = node.annotation if kind is ast.AnnAssign else None
                        if note is None and method.name == '__init__' and kind is ast.Assign \
                                and type(node.value) is ast.Name and params.get(node.value.id) is not None:
                            note = params[node.value.id]  # self.host = host, with host: str
                        if note is not None:
                            self.annotations.setdefault(part.attr, note)


def _statements(body):
    """Every statement of a body, nested ones too (assignments are statements: their expressions
    need no walk, and a method's expressions are most of its nodes)."""
    stack = list(body)
    while stack:
        stmt = stack.pop()
        yield stmt
        for field in ('body', 'orelse', 'finalbody', 'handlers', 'cases'):
            inner = getattr(stmt, field, None)
            if type(inner) is list:
                stack.extend(inner)


def class_data(cls, module, seen=()):
    """The class's ClassData merged with that of its bases defined in the same module (an instance
    of `Text(Node)` has the data `Node.__init__` sets, and `Node`'s methods unless it overrides
    them), bases in order as a single-inheritance MRO would look them up."""
    key = ('class-data', id(cls), seen)
    found = module.helpers.get(key)
    if found is not None:
        return found
    data = module.helpers[key] = ClassData(cls, module)
    for base in cls.bases:
        binding = module.bindings.get(base.id) if type(base) is ast.Name else None
        if binding is not None and binding.kind == 'class' and base.id not in seen and binding.node is not cls:
            inherited = class_data(binding.node, module, seen + (cls.name,))
            for name, method in inherited.methods.items():
                data.methods.setdefault(name, method)
            data.data |= inherited.data
            for name, stmt in inherited.constants.items():
                if name not in data.class_level:
                    data.constants.setdefault(name, stmt)
            data.class_level |= inherited.class_level
            for name, note in inherited.annotations.items():
                data.annotations.setdefault(name, note)
    return data


def _class_constant(value, class_level, module):
    """A class-level value the lifted code can read as a module constant: a constant expression
    (scan.py) that reads no other class-level name (those resolve in the class body, not the
    module) and is no function (a lambda there is a method, bound to the instance on reading)."""
    if type(value) is ast.Lambda or not is_constant_expression(value, module.bindings):
        return False
    return not any(type(node) is ast.Name and node.id in class_level for node in ast.walk(value))


def _method_kind(method):
    if type(method) is not ast.FunctionDef:
        return 'other'
    kinds = [getattr(d, 'id', None) or getattr(d, 'attr', None) for d in method.decorator_list]
    if not kinds:
        return 'plain'
    if len(kinds) > 1:
        return 'other'
    return {'staticmethod': 'static', 'classmethod': 'class'}.get(kinds[0], 'property' if kinds[0] in _PROPERTIES else 'other')


def _strings(node):
    if type(node) is ast.Constant and isinstance(node.value, str):
        return [node.value]
    if type(node) in (ast.Tuple, ast.List):
        return [e.value for e in node.elts if type(e) is ast.Constant and isinstance(e.value, str)]
    return []


def _lift_reading(method, lift):
    """The Plan of a method (or property) that uses its instance only to read data, call lifted
    methods and read lifted properties; None otherwise."""
    module = lift.module
    name = method.name
    kind = _method_kind(method)
    positional = method.args.posonlyargs + method.args.args
    if kind not in ('plain', 'property') or not positional or dunder(name):
        return None
    first = positional[0].arg
    if not _only_attribute_uses(method, module, first):
        return None
    own = []  # `first.name` nodes
    calls = {}  # id(function expression) -> the call
    mentions = 0  # every `first` in the body: more than `own` is the instance used otherwise
    taken = set()  # every other name the method uses or binds: a parameter must not shadow one
    for node in ast.walk(method):
        kind = type(node)
        if kind is ast.Name:
            if node.id == first:
                mentions += 1
            elif node.id in (name, 'super', '__class__') or mangled(node.id):
                return None
            else:
                taken.add(node.id)
        elif kind is ast.Attribute:
            if mangled(node.attr):
                return None
            if type(node.value) is ast.Name and node.value.id == first:
                if type(node.ctx) is not ast.Load or node.lineno != node.end_lineno:
                    return None  # written to, deleted; or split over lines
                own.append(node)
        elif kind is ast.Call:
            calls[id(node.func)] = node
        elif kind is ast.arg:
            if node is not positional[0]:
                if node.arg == first or mangled(node.arg):
                    return None  # a nested function's own `self`
                taken.add(node.arg)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef) and node is not method:
            taken.add(node.name)
    if not own or mentions != len(own):
        return None  # the instance itself: passed on, compared, returned
    data = lift.data
    uses = []  # (attribute node, 'read' | 'call' | 'property' | 'constant', the helper's Plan, the call node)
    for attribute in own:
        attr = attribute.attr
        call = calls.get(id(attribute))
        if attr in data.methods:
            if attr == name:
                return None  # recursion: a cycle
            helper = lift.plan(attr)
            what = 'property' if data.methods[attr][1] == 'property' else 'call'
            if helper is None or (call is not None) != (what == 'call'):
                return None
            uses.append((attribute, what, helper, call))
        elif attr in data.data and call is None:
            uses.append((attribute, 'read', None, None))
        elif attr in data.constants and call is None:
            uses.append((attribute, 'constant', None, None))
        else:
            return None
    uses.sort(key=lambda use: (use[0].lineno, use[0].col_offset))
    helpers = set()
    constants = set()
    attrs = []
    for attribute, what, helper, _ in uses:
        if what == 'read':
            attrs.append(attribute.attr)
        elif what == 'constant':
            constants.add(attribute.attr)
        else:
            helpers.add(attribute.attr)
            helpers |= helper.helpers
            constants |= helper.constants
            attrs.extend(helper.attrs)
    # Helpers and constants become names of the module: `process = lambda c: self.process(c)`
    # would call the local, and a module name of theirs would be two things at once.
    named = {attribute.attr for attribute, what, _, _ in uses if what != 'read'}
    if named & taken or any(name in module.bindings for name in named | helpers | constants):
        return None
    taken |= named
    params = {}  # attribute -> parameter name, in the order the body first reads them
    for attr in attrs:
        if attr in params:
            continue
        for candidate in (attr.lstrip('_') or attr, attr):
            if candidate.isidentifier() and not keyword.iskeyword(candidate) and candidate not in taken \
                    and candidate != name and candidate not in params.values():
                params[attr] = candidate
                break
        else:
            return None
    if len(params) > MAX_ATTRIBUTES:
        return None
    replacements = _replacements(uses, params, module)
    if replacements is None:
        return None
    fields = [ast.arg(arg=params[attr], annotation=_portable(data.annotations.get(attr), module)) for attr in params]
    lifted = rewritten(method, module, fields, replacements)
    if lifted is None:
        return None
    node, text = lifted
    # The text was edited by ast's columns, which older Pythons give wrong inside some f-strings:
    # the edit counts only if it parses to the method's own tree with the same replacements. (A
    # docstring is compared as help() shows it: dedenting the text changed its indentation.)
    edited = _Edits(first, params, {a.attr: h for a, _, h, _ in uses if h is not None}, constants)
    if not edited.same(method.body, node.body):
        return None
    return Plan(list(params), node, text, helpers, constants)


_USES = {}  # first parameter name -> the pattern of its uses other than `first.attribute`


def _only_attribute_uses(method, module, first):
    """The body's text after its docstring names `first` only before `.attribute` (the cheap test
    before a walk; a mention in a comment keeps the method out, as in prefilter.ts)."""
    pattern = _USES.get(first)
    if pattern is None:
        pattern = _USES[first] = re.compile(r'\b%s\b(?![ \t]*\.[ \t]*\w)' % re.escape(first))
    body = method.body
    if len(body) > 1 and type(body[0]) is ast.Expr and type(body[0].value) is ast.Constant:
        body = body[1:]
    start = body[0].lineno - 1
    if start < method.lineno:
        return False  # the body on the def line
    return pattern.search(''.join(module.lines[start:method.end_lineno])) is None


def _replacements(uses, params, module):
    """(line, start, end, text) edits, in UTF-8 columns: reads become parameters, helper calls
    get the helper's attributes as leading arguments, property reads become calls."""
    edits = []
    for attribute, what, helper, call in uses:
        line, start, end = attribute.lineno, attribute.col_offset, attribute.end_col_offset
        if what in ('read', 'constant'):
            edits.append((line, start, end, params[attribute.attr] if what == 'read' else attribute.attr))
            continue
        passed = ', '.join(params[attr] for attr in helper.attrs)
        if what == 'property':
            edits.append((line, start, end, f'{attribute.attr}({passed})'))
            continue
        edits.append((line, start, end, attribute.attr))
        if passed:
            raw = module.lines[line - 1].encode('utf-8')
            at = end
            while at < len(raw) and raw[at:at + 1] in (b' ', b'\t'):
                at += 1
            if raw[at:at + 1] != b'(':
                return None  # the call's parenthesis is on another line
            edits.append((line, at + 1, at + 1, passed + (', ' if call.args or call.keywords else '')))
    return edits


class _Edits:
    """Whether the edited text parsed to the method's tree with the edits made on the tree: each
    read a parameter or constant name, each helper call a call of the helper's name with the
    attributes it reads in front, each property read a call. Compared node by node, positions and
    the docstring's indentation aside."""

    def __init__(self, first, params, helpers, constants):
        self.first = first
        self.params = params
        self.helpers = helpers  # attribute -> Plan of the helper method or property it names
        self.constants = constants

    def same(self, old, new):
        if type(old) is list:
            return type(new) is list and len(old) == len(new) and all(map(self.same, old, new))
        if not isinstance(old, ast.AST):
            return type(old) is type(new) and old == new
        if type(old) is ast.Attribute and self._own(old):
            return self._replaced(old, new)
        if type(old) is ast.Call and self._own(old.func) and old.func.attr in self.helpers:
            passed = self._passed(old.func.attr)
            return (type(new) is ast.Call and type(new.func) is ast.Name and new.func.id == old.func.attr
                    and len(new.args) == len(passed) + len(old.args)
                    and all(type(a) is ast.Name and a.id == p for a, p in zip(new.args, passed))
                    and self.same(old.args, new.args[len(passed):]) and self.same(old.keywords, new.keywords))
        if type(old) is not type(new):
            return False
        if type(old) is ast.Expr and type(old.value) is ast.Constant and isinstance(old.value.value, str):
            # a docstring, or any string statement: dedenting changed its indentation
            return type(new.value) is ast.Constant and isinstance(new.value.value, str) and \
                inspect.cleandoc(old.value.value) == inspect.cleandoc(new.value.value)
        return all(self.same(getattr(old, field, None), getattr(new, field, None)) for field in old._fields)

    def _own(self, node):
        return type(node) is ast.Attribute and type(node.value) is ast.Name and node.value.id == self.first

    def _passed(self, helper):
        return [self.params[attr] for attr in self.helpers[helper].attrs]

    def _replaced(self, old, new):
        if old.attr in self.helpers:  # a property read: a call of it
            passed = self._passed(old.attr)
            return (type(new) is ast.Call and type(new.func) is ast.Name and new.func.id == old.attr and not new.keywords
                    and [getattr(a, 'id', None) for a in new.args] == passed)
        expected = old.attr if old.attr in self.constants else self.params.get(old.attr)
        return type(new) is ast.Name and new.id == expected


def _dedented(stmt, module):
    """A class-level statement's text as a module-level one."""
    lines = module.lines[stmt.lineno - 1:stmt.end_lineno]
    indent = stmt.col_offset
    if all(not line.strip() or line[:indent].isspace() for line in lines) and lines[0][indent:].startswith(stmt.targets[0].id):
        text = ''.join(line[indent:] if line.strip() else line.lstrip(' \t') for line in lines)
        try:
            body = ast.parse(text).body
        except SyntaxError:
            body = []
        if len(body) == 1 and ast.dump(body[0]) == ast.dump(stmt):
            return text
    return ast.unparse(stmt)


def _portable(annotation, module):
    """The annotation, where it reads only builtins and names imported from `typing`; else None."""
    if annotation is None:
        return None
    if type(annotation) is ast.Constant and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode='eval').body
        except SyntaxError:
            return None
    for node in ast.walk(annotation):
        kind = type(node)
        if kind is ast.Name and node.id not in _ANNOTATION_BUILTINS:
            binding = module.bindings.get(node.id)
            if binding is None or binding.kind != 'import' or any(i[0] != 'typing' or i[1] for i in binding.imports):
                return None
        elif kind not in (ast.Name, ast.Subscript, ast.Attribute, ast.Tuple, ast.BinOp, ast.BitOr, ast.Load, ast.Constant):
            return None
        elif kind is ast.Constant and node.value is not None and node.value is not Ellipsis:
            return None
    return annotation

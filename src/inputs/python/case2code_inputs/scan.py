# A first look at a function's body, before its uses are read (usage.py): the kind of value an
# expression makes when the code alone says it (`str(x)`, `s.lower()`, a local only ever assigned
# strings), the names used as mappings (`d.get(k)`, `if k in d: d[k]`), and where a parameter is
# converted in place (`m = float(m)`: what the code does with `m` after that says nothing of the
# value passed), the names whose wrong types the code itself handles (`except TypeError:`), and
# which names are looked up in which (`d[k]`, `d.get(k)`, `k in xs`): the fuzzer makes such pairs agree.
import ast

# Calls whose result is of one kind whatever they are given.
_KIND_FUNCS = {'str': 'str', 'repr': 'str', 'chr': 'str', 'hex': 'str', 'bin': 'str', 'oct': 'str',
               'format': 'str', 'int': 'int', 'len': 'int', 'ord': 'int', 'float': 'float', 'list': 'list',
               'sorted': 'list', 'dict': 'dict', 'set': 'set', 'tuple': 'tuple', 'bool': 'bool'}
# Methods only a string has that give a string, and those that give a list of strings.
STR_RESULT_METHODS = {'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'replace', 'join', 'format', 'capitalize',
                      'title', 'swapcase', 'zfill', 'center', 'ljust', 'rjust', 'casefold', 'removeprefix',
                      'removesuffix', 'expandtabs', 'translate'}
_LIST_RESULT_METHODS = {'split', 'rsplit', 'splitlines'}
# Methods only a mapping has.
MAPPING_METHODS = {'keys', 'values', 'items', 'get', 'setdefault', 'update', 'popitem'}
# `p = CONV(p)` at the top of the body: the value is converted, and later uses describe the result.
_CONVERSIONS = {'int', 'float', 'str', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'bool'}
_CONVERTING_METHODS = {'split', 'rsplit', 'splitlines', 'items', 'keys', 'values', 'encode', 'decode'}
_MAX_EXPR_DEPTH = 8
# `x.method(key)`: key is looked up in x (a mapping's key, an item, a piece of a string).
_LOOKUPS = {'get', 'setdefault', 'pop', 'index', 'count', 'startswith', 'endswith', 'find', 'rfind', 'split',
            'removeprefix', 'removesuffix'}
_TYPE_ERRORS = {'TypeError', 'AttributeError'}


def constant_kind(node):
    """The kind of a literal (`3`, `'a'`, `[...]`, `f'...'`), or None."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return 'bool'
        if value is None:
            return 'none'
        return {int: 'int', float: 'float', str: 'str', bytes: 'bytes'}.get(type(value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return constant_kind(node.operand)
    if isinstance(node, (ast.List, ast.ListComp)):
        return 'list'
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return 'dict'
    if isinstance(node, (ast.Set, ast.SetComp)):
        return 'set'
    if isinstance(node, ast.Tuple):
        return 'tuple'
    if isinstance(node, ast.JoinedStr):
        return 'str'
    return None


class BodyScan:
    """Facts about names in `fn` that do not depend on any parameter's type."""

    def __init__(self, fn, params, module=None):
        """`module`: the tree the function is in; its top-level constants (`RATE = 1.0 / 6`) are
        of a kind too."""
        self.params = set(params)
        self.local_kinds = {}   # local name -> the one kind every value assigned to it has
        self.mappings = set()   # names used in ways only a mapping allows
        self.cut = {}           # parameter -> (line, column) after which its uses are a converted value's
        self.tolerant = set()   # names used inside a `try` that catches TypeError or AttributeError
        self.links = set()      # (container, key): `container[key]`, `container.get(key)`, `key in container`
        assigned = {}           # local name -> [value nodes]
        indexed, tested = {}, {}  # container name -> names it is indexed by / tested for membership of
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
                    else:  # `a, b = ...`: values the code alone does not tell
                        for item in ast.walk(target):
                            if isinstance(item, ast.Name):
                                assigned.setdefault(item.id, []).append(None)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name) \
                    and node.value is not None:
                assigned.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension, ast.withitem, ast.NamedExpr)):
                target = node.optional_vars if isinstance(node, ast.withitem) else node.target
                for item in ast.walk(target) if target is not None else ():
                    if isinstance(item, ast.Name):
                        assigned.setdefault(item.id, []).append(None)  # an unknown value
            elif isinstance(node, ast.Attribute) and node.attr in MAPPING_METHODS and isinstance(node.value, ast.Name):
                self.mappings.add(node.value.id)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _LOOKUPS \
                    and isinstance(node.func.value, ast.Name) and node.args and isinstance(node.args[0], ast.Name):
                self.links.add((node.func.value.id, node.args[0].id))
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Name):
                indexed.setdefault(node.value.id, set()).add(node.slice.id)
            elif isinstance(node, ast.Try) and any(_catches_type_errors(h.type) for h in node.handlers):
                self.tolerant |= {n.id for part in node.body for n in ast.walk(part) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Name):
                for op, right in zip(node.ops, node.comparators):
                    if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
                        tested.setdefault(right.id, set()).add(node.left.id)
                    elif isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(right, ast.Name):
                        self.links.add((node.left.id, right.id))  # `a == b`: equal now and then
        # `if k in d: ... d[k]`: looked up by the very name tested for membership: a mapping.
        self.mappings |= {name for name, keys in indexed.items() if keys & tested.get(name, set())}
        for pairs in (indexed, tested):
            self.links |= {(container, key) for container, keys in pairs.items() for key in keys}
        if module is not None:
            for statement in module.body:
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                        and isinstance(statement.targets[0], ast.Name):
                    name = statement.targets[0].id
                    if name not in assigned and name not in self.params:
                        assigned.setdefault(('module', name), []).append(statement.value)
        for _ in range(3):  # locals made from other locals: a few rounds settle them
            for name, values in assigned.items():
                if isinstance(name, tuple):  # a module constant, unless assigned twice there
                    name = name[1] if len(values) == 1 else None
                if name is None:
                    continue
                if name in self.params:
                    continue
                kinds = {self.kind(value) if value is not None else None for value in values}
                if len(kinds) == 1 and None not in kinds:
                    self.local_kinds[name] = kinds.pop()
        self.mappings |= {name for name, kind in self.local_kinds.items() if kind == 'dict'}
        for statement in fn.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id in self.params:
                name = statement.targets[0].id
                if name not in self.cut and _converts(statement.value, name):
                    self.cut[name] = (statement.end_lineno, statement.end_col_offset)

    def kind(self, node, depth=0):
        """The kind of value `node` makes, when the code alone says it; else None."""
        found = constant_kind(node)
        if found or depth > _MAX_EXPR_DEPTH:
            return found
        if isinstance(node, ast.Name):
            return self.local_kinds.get(node.id)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                return _KIND_FUNCS.get(func.id)
            if isinstance(func, ast.Attribute):
                if func.attr in STR_RESULT_METHODS:
                    return 'str'
                if func.attr in _LIST_RESULT_METHODS:
                    return 'list'
            return None
        if isinstance(node, ast.BinOp):
            left, right = self.kind(node.left, depth + 1), self.kind(node.right, depth + 1)
            if isinstance(node.op, ast.Mod) and left == 'str':
                return 'str'  # '%s' % x
            if isinstance(node.op, ast.Add) and 'str' in (left, right):
                return 'str'
            if isinstance(node.op, ast.Add) and 'list' in (left, right):
                return 'list'
            if isinstance(node.op, ast.Mult) and {left, right} & {'str', 'list'}:
                return left if left in ('str', 'list') else right  # 'ab' * 3
            if left in ('int', 'float') and right in ('int', 'float'):
                return 'float' if 'float' in (left, right) or isinstance(node.op, ast.Div) else 'int'
        return None

    def uses_after_cut(self, name, node):
        """True if this use of parameter `name` comes after it was converted in place."""
        cut = self.cut.get(name)
        return cut is not None and (node.lineno, node.col_offset) > cut


def _catches_type_errors(node):
    names = node.elts if isinstance(node, ast.Tuple) else [node] if node is not None else []
    return any(isinstance(n, ast.Name) and n.id in _TYPE_ERRORS for n in names)


def _converts(value, name):
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name) and func.id in _CONVERSIONS and value.args:
        return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(value.args[0]))
    return isinstance(func, ast.Attribute) and func.attr in _CONVERTING_METHODS \
        and isinstance(func.value, ast.Name) and func.value.id == name

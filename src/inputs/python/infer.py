# Type inference for the fuzzer: what each parameter probably is, from its annotation, its default,
# the docstring, how the body uses it, and (weakly) its name. Also the function's literals, a
# dictionary of values that are likely to matter (compared against, looked up, sliced by).
#
# A type is a small tuple: ('int',), ('str',), ('list', T), ('dict', K, V), ('record', ((key, T), ...)),
# ('fixed', (T1, T2)) for fixed-length tuples, ('any',). Evidence is collected as weighted Hints and
# resolved to a few weighted types per parameter.
import ast
import re

INT, FLOAT, STR, BOOL, NONE, BYTES, ANY = ('int',), ('float',), ('str',), ('bool',), ('none',), ('bytes',), ('any',)
NUMSTR = ('numstr',)  # a string that int() or float() can read, e.g. '42'
SCALARS = {'int': INT, 'float': FLOAT, 'str': STR, 'bool': BOOL, 'none': NONE, 'bytes': BYTES, 'numstr': NUMSTR}
_MAX_ARITY = 12       # longest fixed-length tuple we build from an unpacking like `a, b, c = x`
_ALIAS_FUNCS = {'sorted', 'list', 'tuple', 'reversed', 'set'}

# How much one piece of evidence counts, strongest first.
W_ANNOTATION, W_ISINSTANCE, W_DEFAULT, W_DOC, W_USE, W_NAME = 12.0, 6.0, 6.0, 5.0, 3.0, 1.0

_STR_METHODS = {
    'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'startswith', 'endswith',
    'replace', 'join', 'find', 'rfind', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'islower',
    'isupper', 'isnumeric', 'isdecimal', 'format', 'encode', 'capitalize', 'title', 'swapcase',
    'splitlines', 'partition', 'rpartition', 'zfill', 'center', 'ljust', 'rjust', 'casefold',
    'expandtabs', 'translate', 'isidentifier', 'istitle', 'removeprefix', 'removesuffix',
}
_LIST_METHODS = {'append', 'extend', 'insert', 'sort', 'reverse', 'remove'}
_DICT_METHODS = {'keys', 'values', 'items', 'get', 'setdefault', 'update', 'popitem'}
_SET_METHODS = {'add', 'discard', 'union', 'intersection', 'difference', 'issubset', 'issuperset',
                'symmetric_difference', 'isdisjoint'}
_SEQUENCE_METHODS = {'count': ('str', 'list'), 'index': ('str', 'list'), 'pop': ('list', 'dict'),
                     'copy': ('list', 'dict'), 'clear': ('list', 'dict')}
_NUMBER_FUNCS = {'abs', 'round', 'divmod', 'pow', 'bin', 'hex', 'oct', 'chr', 'range'}
_ITERABLE_FUNCS = {'sum', 'sorted', 'list', 'set', 'tuple', 'enumerate', 'reversed', 'any', 'all',
                   'zip', 'map', 'filter', 'frozenset', 'iter', 'min', 'max'}

_TYPE_WORDS = [
    (r'\bbool(ean)?\b', 'bool'), (r'\bint(eger)?s?\b', 'int'), (r'\bfloats?\b', 'float'),
    (r'\b(number|numeric|real)s?\b', 'float'), (r'\bstr(ing)?s?\b', 'str'), (r'\bbytes\b', 'bytes'),
    (r'\b(list|array|sequence|iterable)s?\b', 'list'), (r'\btuples?\b', 'tuple'),
    (r'\b(dict|dictionary|mapping)s?\b', 'dict'), (r'\bsets?\b', 'set'), (r'\bNone\b', 'none'),
]

_NAME_HINTS = [
    (r'^(n|m|k|i|j|num|count|cnt|size|length|len|idx|index|level|depth|times|steps?|limit|width|height|year|month|day|port|start|end|stop|step|base|digits?|bits?|total|num_\w+|n_\w+|\w+_(count|num|size|len|idx|index|id))$', 'int'),
    (r'^(s|st|string|text|txt|word|name|line|char|c|ch|prefix|suffix|sep|delimiter|pattern|key|path|filename|fname|url|msg|message|title|label|code|\w+_(str|name|text|string|path|url))$', 'str'),
    (r'^(lst|arr|array|nums|numbers|values|items|elements|seq|sequence|data|xs|ys|\w+_list|\w+s)$', 'list'),
    (r'^(matrix|grid|board|mat|table)$', 'matrix'),
    (r'^(d|dic|dict|mapping|\w+_dict|\w+_map|counts|params|config|kwargs|options)$', 'dict'),
    (r'^(x|y|z|a|b|val|value|num|amount|price|rate|ratio|score|weight|temp|celsius|fahrenheit|f|p|q|r|t|v|w)$', 'float'),
    (r'^(flag|is_\w+|has_\w+|use_\w+|enable\w*|verbose|debug|reverse|strict)$', 'bool'),
]


class Hints:
    """Weighted evidence for one value: its kind, and for containers what is inside."""

    __slots__ = ('w', 'elem', 'keys', 'arity', 'consts', 'min_len', 'checked')

    def __init__(self):
        self.w = {}
        self.consts = []      # constants the value is compared with: the edges of its branches
        self.elem = None      # Hints for items (list/tuple/set elements, dict values)
        self.keys = {}        # literal key -> Hints (a dict used like a record)
        self.arity = None     # elements unpacked as `a, b = item`
        self.min_len = 0      # items a constant index reaches (`x[3]`: at least 4; `x[-2]`: 2)
        self.checked = False  # an isinstance() check: the value may also be of another type

    def add(self, kind, weight):
        self.w[kind] = self.w.get(kind, 0.0) + weight

    def constant(self, node):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
            value = -node.operand.value if isinstance(node.operand.value, (int, float)) else None
        elif isinstance(node, ast.Constant):
            value = node.value
        else:
            return
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int):
            candidates = [value, value + 1, value - 1]
        elif isinstance(value, (float, str)):
            candidates = [value]
        else:
            return
        for item in candidates:
            if item not in self.consts and len(self.consts) < 24:
                self.consts.append(item)

    def element(self):
        if self.elem is None:
            self.elem = Hints()
        return self.elem

    def key(self, name):
        if name not in self.keys:
            self.keys[name] = Hints()
        return self.keys[name]

    def empty(self):
        return not self.w and self.elem is None and not self.keys


# ---- literals ----------------------------------------------------------------------------------

def collect_literals(tree, limit=60):
    """Constants of the code, with ints' neighbours: the values branches most often hinge on."""
    ints, floats, strs = [], [], []
    docstrings = _docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
            value = node.value
            if isinstance(value, int) and abs(value) < 10 ** 9:
                for v in (value, value - 1, value + 1):
                    if v not in ints:
                        ints.append(v)
            elif isinstance(value, float) and value == value and abs(value) < 1e12:
                if value not in floats:
                    floats.append(value)
            elif isinstance(value, str) and len(value) <= 40 and node not in docstrings:
                if value not in strs:
                    strs.append(value)
    return {'int': ints[:limit], 'float': floats[:limit], 'str': strs[:limit]}


def _docstring_nodes(tree):
    found = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = fn.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(body[0].value)
    return found


# ---- annotations and docstrings ----------------------------------------------------------------

def _annotation_hints(node, hints, weight):
    """Read a type annotation (an AST expression) into hints."""
    if node is None:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode='eval').body
        except SyntaxError:
            return
    if isinstance(node, ast.Constant) and node.value is None:
        hints.add('none', weight)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        _annotation_hints(node.left, hints, weight)
        _annotation_hints(node.right, hints, weight)
        return
    name = _dotted_tail(node.value if isinstance(node, ast.Subscript) else node)
    if name is None:
        return
    lowered = name.lower()
    args = []
    if isinstance(node, ast.Subscript):
        inner = node.slice
        args = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    if lowered in ('optional',):
        hints.add('none', weight / 2)
        for arg in args:
            _annotation_hints(arg, hints, weight)
    elif lowered == 'union':
        for arg in args:
            _annotation_hints(arg, hints, weight / max(1, len(args)) * 1.5)
    elif lowered in ('int', 'float', 'str', 'bool', 'bytes'):
        hints.add(lowered, weight)
    elif lowered in ('complex', 'number', 'real', 'decimal'):
        hints.add('float', weight)
    elif lowered in ('list', 'sequence', 'iterable', 'collection', 'mutablesequence', 'iterator', 'generator', 'deque'):
        hints.add('list', weight)
        if args:
            _annotation_hints(args[0], hints.element(), weight)
    elif lowered in ('set', 'frozenset', 'abstractset', 'mutableset'):
        hints.add('set', weight)
        if args:
            _annotation_hints(args[0], hints.element(), weight)
    elif lowered == 'tuple':
        hints.add('tuple', weight)
        if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
            _annotation_hints(args[0], hints.element(), weight)
        elif args:
            hints.arity = len(args)
            for arg in args:
                _annotation_hints(arg, hints.element(), weight / len(args))
    elif lowered in ('dict', 'mapping', 'mutablemapping', 'defaultdict', 'ordereddict', 'counter'):
        hints.add('dict', weight)
        if len(args) == 2:
            _annotation_hints(args[1], hints.element(), weight)
    elif lowered == 'any':
        hints.add('any', weight / 3)


def _dotted_tail(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _doc_type_text(doc, name):
    """The type a docstring states for `name` (reST, Google and NumPy styles), as text."""
    escaped = re.escape(name)
    patterns = [
        rf':type\s+{escaped}\s*:\s*([^\n]+)',
        rf':param\s+([\w\[\], .|]+?)\s+{escaped}\s*:',
        rf'^\s*{escaped}\s*\(([^)\n]+)\)\s*:',
        rf'^\s*{escaped}\s*:\s*([A-Za-z][\w\[\], .|]*)\s*$',
        rf':param\s+{escaped}\s*:\s*([^\n]+)',
        rf'@param\s+{escaped}\s*[:\-]?\s*([^\n]+)',
    ]
    for pattern in patterns:
        match = re.search(pattern, doc, re.MULTILINE)
        if match:
            return match.group(1)
    return None


def _text_type_hints(text, hints, weight):
    """'List[int]', 'list of str', 'int, optional' -> hints."""
    try:
        node = ast.parse(text.strip().split(',')[0], mode='eval').body
        before = dict(hints.w)
        _annotation_hints(node, hints, weight)
        if hints.w != before:
            return
    except SyntaxError:
        pass
    found = []
    for pattern, kind in _TYPE_WORDS:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            found.append((match.start(), kind))
    found.sort()
    if not found:
        return
    first = found[0][1]
    hints.add(first, weight)
    if first in ('list', 'tuple', 'set', 'dict') and len(found) > 1:
        hints.element().add(found[1][1], weight)
    if 'optional' in text.lower() or 'none' in text.lower():
        hints.add('none', weight / 4)


# ---- use in the body ---------------------------------------------------------------------------

def _constant_kind(node):
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            return 'bool'
        if value is None:
            return 'none'
        return {int: 'int', float: 'float', str: 'str', bytes: 'bytes'}.get(type(value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _constant_kind(node.operand)
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


def _isinstance_kinds(node):
    nodes = node.elts if isinstance(node, ast.Tuple) else [node]
    kinds = []
    for item in nodes:
        name = _dotted_tail(item)
        if name in ('int', 'float', 'str', 'bool', 'bytes', 'list', 'tuple', 'dict', 'set'):
            kinds.append(name)
        elif name in ('Number', 'Real', 'Integral'):
            kinds.extend(['int', 'float'])
        elif name in ('Iterable', 'Sequence'):
            kinds.append('list')
        elif name in ('Mapping', 'MutableMapping'):
            kinds.append('dict')
    return kinds


def _int_constant(node):
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _int_constant(node.operand)
        return -value if value is not None else None
    return None


def _alias_source(value):
    """The parameter-like name whose items `value` holds: `xs`, `sorted(xs)`, `xs[:]`, `xs.copy()`."""
    if isinstance(value, ast.Name):
        return value.id
    if isinstance(value, ast.Call) and len(value.args) == 1 and isinstance(value.args[0], ast.Name) and \
            isinstance(value.func, ast.Name) and value.func.id in _ALIAS_FUNCS:
        return value.args[0].id
    if isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Attribute) and \
            value.func.attr == 'copy' and isinstance(value.func.value, ast.Name):
        return value.func.value.id
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice) and isinstance(value.value, ast.Name):
        return value.value.id
    return None


def _mostly(hints, kind):
    return bool(hints.w) and not hints.keys and max(hints.w, key=hints.w.get) == kind


class _BodyReader:
    """Walks a function once and answers 'what does the code do with this expression?'."""

    def __init__(self, fn):
        self.fn = fn
        self.parent = {}
        self.loads = {}       # name -> [Name nodes in Load context]
        self.loop_targets = []  # (iterable node, target node)
        self.literals = {}    # local name -> the literal container it is first assigned (a lookup table)
        self.aliases = {}     # name -> local names bound to the same items (`ys = sorted(xs)`, `ys = xs[:]`)
        for node in ast.walk(fn):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.loads.setdefault(node.id, []).append(node)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self.loop_targets.append((node.iter, node.target))
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if isinstance(node.value, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
                    self.literals.setdefault(node.targets[0].id, node.value)
                source = _alias_source(node.value)
                if source is not None and source != node.targets[0].id:
                    self.aliases.setdefault(source, []).append(node.targets[0].id)

    def name_hints(self, name, depth=0, seen=None):
        hints = Hints()
        for node in self.loads.get(name, ()):
            self.use(node, hints, depth)
        seen = seen or {name}
        for alias in self.aliases.get(name, ()):
            if alias not in seen and depth < 3:
                seen.add(alias)
                self._merge(hints, self.name_hints(alias, depth + 1, seen))
        return hints

    def use(self, node, hints, depth):
        """Add what the parent of `node` says about the value of `node`."""
        parent = self.parent.get(node)
        if parent is None or depth > 3:
            return
        if isinstance(parent, ast.Attribute) and parent.value is node:
            self._attribute(parent, hints, depth)
        elif isinstance(parent, ast.Call):
            self._call_argument(parent, node, hints, depth)
        elif isinstance(parent, ast.BinOp):
            self._binop(parent, node, hints)
        elif isinstance(parent, ast.AugAssign) and parent.target is node:
            self._binop(ast.BinOp(left=node, op=parent.op, right=parent.value), node, hints)
        elif isinstance(parent, ast.Compare):
            self._compare(parent, node, hints, depth)
        elif isinstance(parent, ast.Subscript):
            if parent.value is node:
                self._subscripted(parent, hints, depth)
            elif parent.slice is node:
                table = self.literals.get(parent.value.id) if isinstance(parent.value, ast.Name) else None
                if isinstance(table, ast.Dict):
                    for key in table.keys:
                        key_kind = _constant_kind(key) if key is not None else None
                        if key_kind:
                            hints.add(key_kind, W_USE / max(1, len(table.keys)) * 2)
                else:
                    hints.add('int', W_USE)
        elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is node:
            self._iterated(parent.target, hints, depth)
        elif isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd, ast.Invert)):
            hints.add('int' if isinstance(parent.op, ast.Invert) else 'float', W_USE)
            hints.add('int', W_USE / 2)
        elif isinstance(parent, ast.Assign) and parent.value is node:
            target = parent.targets[0]
            if isinstance(target, ast.Tuple):
                hints.add('tuple', W_USE / 2)
                hints.add('list', W_USE / 2)
                hints.arity = len(target.elts)
            elif isinstance(target, ast.Name) and depth > 0 and len(parent.targets) == 1:
                # `item = xs[i]`: the item is whatever the code then does with `item`.
                self._merge(hints, self.name_hints(target.id, depth + 1))
        elif isinstance(parent, ast.Starred):
            hints.add('list', W_USE / 2)
        elif isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.BoolOp)) or (
                isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            hints.add('bool', W_USE / 6)

    def _attribute(self, attribute, hints, depth):
        name = attribute.attr
        if name in _STR_METHODS:
            hints.add('str', W_USE)
        elif name in _LIST_METHODS:
            hints.add('list', W_USE)
        elif name in _DICT_METHODS:
            hints.add('dict', W_USE)
            call = self.parent.get(attribute)
            if name == 'get' and isinstance(call, ast.Call) and call.args:
                key = call.args[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, (str, int)):
                    self.use(call, hints.key(key.value), depth + 1)
        elif name in _SET_METHODS:
            hints.add('set', W_USE)
        elif name in _SEQUENCE_METHODS:
            for kind in _SEQUENCE_METHODS[name]:
                hints.add(kind, W_USE / 2)
            call = self.parent.get(attribute)
            if name == 'pop' and isinstance(call, ast.Call) and not call.args:
                self.use(call, hints.element(), depth + 1)  # `a, b = xs.pop()`: what an item is
        elif name in ('real', 'imag', 'is_integer', 'bit_length'):
            hints.add('int' if name == 'bit_length' else 'float', W_USE)

    def _call_argument(self, call, node, hints, depth):
        if node is call.func or node not in call.args:
            return
        func = _dotted_tail(call.func)
        if func == 'isinstance' and call.args[0] is node and len(call.args) > 1:
            hints.checked = True
            for kind in _isinstance_kinds(call.args[1]):
                hints.add(kind, W_ISINSTANCE)
        elif func == 'len':
            hints.add('list', W_USE)
            hints.add('str', W_USE * 0.8)
        elif func in ('int', 'float'):
            # int(x) / float(x): a number, or a string of digits (rarely any other string).
            hints.add('numstr', W_USE * 0.6)
            hints.add('str', W_USE / 6)
            hints.add('float' if func == 'int' else 'int', W_USE / 2)
        elif func in ('ord',):
            hints.add('str', W_USE)
            # `ord(c) >= 97`: the characters at the edges of the code's comparisons.
            codes = Hints()
            self.use(call, codes, depth + 1)
            for value in codes.consts:
                if isinstance(value, int) and 32 <= value < 0x3000 and chr(value).isprintable() and len(hints.consts) < 24:
                    if chr(value) not in hints.consts:
                        hints.consts.append(chr(value))
        elif func in _NUMBER_FUNCS or (isinstance(call.func, ast.Attribute) and _dotted_tail(call.func.value) == 'math'):
            hints.add('int' if func in ('range', 'chr', 'bin', 'hex', 'oct') else 'float', W_USE)
            if func not in ('range', 'chr', 'bin', 'hex', 'oct'):
                hints.add('int', W_USE / 2)
        elif func == 'join' and isinstance(call.func, ast.Attribute):
            hints.add('list', W_USE)
            hints.element().add('str', W_USE)
        elif func in ('max', 'min') and len(call.args) > 1:
            hints.add('int', W_USE / 2)
            hints.add('float', W_USE / 2)
        elif func in _ITERABLE_FUNCS:
            hints.add('list', W_USE)
            if func in ('sum', 'max', 'min', 'sorted'):
                hints.element().add('int', W_USE / 2)
        elif func == 'str':
            hints.add('int', W_USE / 4)

    def _binop(self, binop, node, hints):
        other = binop.right if binop.left is node else binop.left
        kind = _constant_kind(other)
        op = binop.op
        if isinstance(op, ast.Mod) and binop.left is not node and kind == 'str':
            return  # '%s' % x formats anything
        if isinstance(op, ast.Mod) and binop.left is node and kind != 'int' and kind != 'float':
            hints.add('int', W_USE / 2)
            return
        if kind in ('str', 'list', 'tuple') and isinstance(op, ast.Add):
            hints.add(kind, W_USE)
        elif kind in ('str', 'list') and isinstance(op, ast.Mult):
            hints.add('int', W_USE)
        elif kind in ('int', 'float'):
            hints.add(kind, W_USE)
            if kind == 'int' and isinstance(op, (ast.Div, ast.Pow, ast.Mult, ast.Sub, ast.Add)):
                hints.add('float', W_USE / 3)
            if isinstance(op, (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift, ast.FloorDiv, ast.Mod)):
                hints.add('int', W_USE / 2)
        elif isinstance(op, (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift)):
            hints.add('int', W_USE)
        else:
            # Arithmetic with another variable: ints (sums can hit 0 exactly, and read better).
            hints.add('int', W_USE / 2)
            hints.add('float', W_USE / 3)

    def _compare(self, compare, node, hints, depth):
        operands = [compare.left] + list(compare.comparators)
        position = next(i for i, operand in enumerate(operands) if operand is node)
        for i, op in enumerate(compare.ops):
            if i != position and i + 1 != position:
                continue
            other = operands[i + 1] if i == position else operands[i]
            node_is_left = i == position
            if isinstance(other, ast.Name) and other.id in self.literals:
                other = self.literals[other.id]
            if isinstance(op, (ast.In, ast.NotIn)):
                if node_is_left:
                    kind = _constant_kind(other)
                    for item in getattr(other, 'elts', None) or getattr(other, 'keys', None) or ():
                        if item is not None:
                            hints.constant(item)
                    if kind == 'str':
                        hints.add('str', W_USE)
                    elif isinstance(other, (ast.List, ast.Tuple, ast.Set)):
                        for item in other.elts:
                            item_kind = _constant_kind(item)
                            if item_kind:
                                hints.add(item_kind, W_USE / max(1, len(other.elts)) * 2)
                    elif isinstance(other, ast.Dict):
                        for key in other.keys:
                            key_kind = _constant_kind(key) if key is not None else None
                            if key_kind:
                                hints.add(key_kind, W_USE / max(1, len(other.keys)) * 2)
                else:
                    kind = _constant_kind(other)
                    hints.add('list', W_USE / 2)
                    if kind == 'str':
                        hints.add('str', W_USE / 2)
                        hints.element().add('str', W_USE / 2)
                    elif kind:
                        hints.element().add(kind, W_USE / 2)
                    hints.add('dict', W_USE / 4)
            elif isinstance(op, (ast.Is, ast.IsNot)):
                if isinstance(other, ast.Constant) and other.value is None:
                    hints.add('none', W_USE / 2)
            else:
                kind = _constant_kind(other)
                hints.constant(other)
                if kind == 'none':
                    hints.add('none', W_USE / 2)
                elif kind:
                    hints.add(kind, W_USE)
                elif isinstance(other, ast.Call) and _dotted_tail(other.func) == 'len':
                    hints.add('int', W_USE)
                elif isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE)):
                    hints.add('int', W_USE / 2)
                    hints.add('float', W_USE / 3)

    def _subscripted(self, subscript, hints, depth):
        index = subscript.slice
        if isinstance(index, ast.Slice):
            hints.add('list', W_USE / 2)
            hints.add('str', W_USE / 2)
            return
        if isinstance(index, ast.Constant) and isinstance(index.value, str):
            hints.add('dict', W_USE)
            self.use(subscript, hints.key(index.value), depth + 1)
            return
        if isinstance(index, ast.Tuple):
            hints.add('dict', W_USE / 2)
            return
        if isinstance(index, ast.JoinedStr) or (isinstance(index, ast.BinOp) and isinstance(index.op, ast.Add) and (
                _constant_kind(index.left) == 'str' or _constant_kind(index.right) == 'str')):
            hints.add('dict', W_USE)  # a key built from text: `d['prefix' + name]`
            return
        position = _int_constant(index)
        if position is not None and -_MAX_ARITY <= position < _MAX_ARITY:
            hints.min_len = max(hints.min_len, position + 1 if position >= 0 else -position)
        hints.add('list', W_USE)
        hints.add('dict', W_USE / 4)
        element = Hints()
        self.use(subscript, element, depth + 1)
        # Items that are used like one-character strings suggest the container is a string.
        hints.add('str', W_USE if _mostly(element, 'str') else W_USE / 3)
        self._merge(hints.element(), element)

    def _iterated(self, target, hints, depth):
        hints.add('list', W_USE)
        if isinstance(target, ast.Name):
            element = self.name_hints(target.id, depth + 1)
            if _mostly(element, 'str'):
                hints.add('str', W_USE)
            self._merge(hints.element(), element)
        elif isinstance(target, ast.Tuple):
            hints.element().add('tuple', W_USE)
            hints.element().arity = len(target.elts)
            for item in target.elts:
                if isinstance(item, ast.Name):
                    self._merge(hints.element().element(), self.name_hints(item.id, depth + 1), 1.0 / len(target.elts))

    @staticmethod
    def _merge(into, source, scale=1.0):
        into.min_len = max(into.min_len, source.min_len)
        into.checked = into.checked or source.checked
        for kind, weight in source.w.items():
            into.add(kind, weight * scale)
        if source.elem is not None:
            _BodyReader._merge(into.element(), source.elem, scale)
        for key, sub in source.keys.items():
            _BodyReader._merge(into.key(key), sub, scale)
        if source.arity:
            into.arity = source.arity
        for value in source.consts:
            if value not in into.consts:
                into.consts.append(value)


# ---- putting it together -----------------------------------------------------------------------

def find_function(tree, entry):
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry:
            return node
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry:
            return node
    return None


def describe_params(fn):
    """[{name, kind, default_source, has_default}] in signature order."""
    args = fn.args
    out = []
    positional = list(args.posonlyargs) + list(args.args)
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        kind = 'positional_only' if i < len(args.posonlyargs) else 'positional_or_keyword'
        out.append({'name': arg.arg, 'kind': kind, 'default': default, 'annotation': arg.annotation})
    if args.vararg:
        out.append({'name': args.vararg.arg, 'kind': 'var_positional', 'default': None, 'annotation': args.vararg.annotation})
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append({'name': arg.arg, 'kind': 'keyword_only', 'default': default, 'annotation': arg.annotation})
    if args.kwarg:
        out.append({'name': args.kwarg.arg, 'kind': 'var_keyword', 'default': None, 'annotation': args.kwarg.annotation})
    return out


def _name_prior(name, hints):
    lowered = name.lower()
    for pattern, kind in _NAME_HINTS:
        if re.match(pattern, lowered):
            if kind == 'matrix':
                hints.add('list', W_NAME)
                hints.element().add('list', W_NAME)
                hints.element().element().add('int', W_NAME)
            else:
                hints.add(kind, W_NAME)
            return


def param_hints(fn, param, reader, doc):
    hints = Hints()
    name = param['name']
    _annotation_hints(param['annotation'], hints, W_ANNOTATION)
    default = param['default']
    if default is not None:
        try:
            value = ast.literal_eval(default)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = _MISSING
        if value is not _MISSING:
            kind = _value_kind(value)
            if kind:
                hints.add(kind, W_DEFAULT)
                if kind in ('list', 'tuple', 'set') and value:
                    item_kind = _value_kind(next(iter(value)))
                    if item_kind:
                        hints.element().add(item_kind, W_DEFAULT)
                if kind == 'none':
                    hints.add('none', -W_DEFAULT / 2)  # None is one option, not the type
    if doc:
        text = _doc_type_text(doc, name)
        if text:
            _text_type_hints(text, hints, W_DOC)
    _BodyReader._merge(hints, reader.name_hints(name))
    _name_prior(name, hints)
    return hints


_MISSING = object()


def _value_kind(value):
    if isinstance(value, bool):
        return 'bool'
    if value is None:
        return 'none'
    return {int: 'int', float: 'float', str: 'str', bytes: 'bytes', list: 'list', tuple: 'tuple',
            dict: 'dict', set: 'set'}.get(type(value))


def resolve(hints, depth=0, top=3):
    """Weighted concrete types, strongest first: [(weight, type)]."""
    if hints is None or hints.empty():
        return [(1.0, INT), (0.7, STR), (0.4, FLOAT), (0.3, ('list', INT))] if depth == 0 else [(1.0, INT), (0.6, STR)]
    weights = dict(hints.w)
    if hints.keys and weights.get('dict', 0) <= 0:
        weights['dict'] = W_USE
    ranked = sorted(((w, k) for k, w in weights.items() if w > 0), key=lambda item: -item[0])[:top]
    if not ranked:
        ranked = [(1.0, 'any')]
    out = []
    for weight, kind in ranked:
        if kind in SCALARS:
            out.append((weight, SCALARS[kind]))
        elif kind == 'any':
            out.append((weight, ANY))
        elif kind == 'dict':
            if hints.keys:
                fields = tuple((key, _field_type(sub, depth + 1)) for key, sub in sorted(hints.keys.items(), key=lambda kv: str(kv[0])))
                out.append((weight, ('record', fields)))
            else:
                value = resolve(hints.elem, depth + 1, 1)[0][1] if depth < 3 else INT
                out.append((weight, ('dict', STR, value)))
        elif kind in ('list', 'tuple', 'set'):
            if depth >= 3:
                out.append((weight, (kind, INT)))
                continue
            elements = resolve(hints.elem, depth + 1, 2)
            element = elements[0][1]
            if hints.arity and kind in ('tuple', 'list') and hints.arity <= _MAX_ARITY:
                # Unpacked as `a, b, c = x`: exactly that many items (a tuple reads best).
                out.append((weight, ('fixed', tuple(element for _ in range(hints.arity)))))
            else:
                if kind == 'set' and element[0] in ('list', 'dict', 'set', 'record'):
                    element = INT
                if hints.min_len and kind in ('list', 'tuple'):
                    out.append((weight, (kind, element, hints.min_len)))
                else:
                    out.append((weight, (kind, element)))
    return out


def _field_type(hints, depth):
    """A record field's type; one checked with isinstance() may also be something else."""
    ranked = resolve(hints, depth, 2)
    if hints is not None and hints.checked:
        options = tuple(t for _, t in ranked)
        other = INT if all(t != INT for t in options) else STR
        return ('oneof', options + (other,))
    return ranked[0][1]


def infer(code, entry):
    """{'params': [{name, kind, optional, types: [(weight, type)]}], 'literals': {...}} or raises."""
    tree = ast.parse(code)
    fn = find_function(tree, entry)
    if fn is None:
        raise LookupError(f'no function named {entry!r} in the code')
    doc = ast.get_docstring(fn) or ''
    reader = _BodyReader(fn)
    params = []
    for param in describe_params(fn):
        hints = param_hints(fn, param, reader, doc)
        if param['kind'] == 'var_positional':
            types = [(1.0, ('list', t)) for _, t in resolve(hints, 1, 1)]
        elif param['kind'] == 'var_keyword':
            types = [(1.0, ('dict', STR, resolve(hints, 1, 1)[0][1]))]
        else:
            types = resolve(hints)
        params.append({'name': param['name'], 'kind': param['kind'], 'optional': param['default'] is not None,
                       'types': types, 'consts': hints.consts})
    return {'params': params, 'literals': collect_literals(fn)}


def type_text(t):
    """A readable name for a type tuple, e.g. list[int], dict[str, float]."""
    kind = t[0]
    if kind in SCALARS or kind == 'any':
        return {'none': 'None', 'numstr': 'str'}.get(kind, kind)
    if kind in ('list', 'tuple', 'set'):
        return f'{kind}[{type_text(t[1])}]'
    if kind == 'dict':
        return f'dict[{type_text(t[1])}, {type_text(t[2])}]'
    if kind == 'record':
        return '{' + ', '.join(f'{k!r}: {type_text(v)}' for k, v in t[1]) + '}'
    if kind == 'fixed':
        return 'tuple[' + ', '.join(type_text(v) for v in t[1]) + ']'
    if kind == 'oneof':
        return ' | '.join(type_text(v) for v in t[1])
    return kind

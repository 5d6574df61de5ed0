# What a parameter's declaration says of its type: its annotation, its default, the words the
# docstring has for it, and its name (weak evidence, weighed last, knowing the rest). Also whether
# it is internal: a parameter no caller is meant to pass (`len=len`, `marker=object()`).
import ast
import builtins
import re

from case2code_inputs.hints import W_ANNOTATION, W_DEFAULT, W_DOC, W_NAME, Hints, dotted_tail

W_NAME_STR = 3.5  # a parameter named like text (`s`, `text`, `word`, `url`, ...)

_TYPE_WORDS = [
    (r'\bbool(ean)?\b', 'bool'), (r'\bint(eger)?s?\b', 'int'), (r'\bfloats?\b', 'float'),
    (r'\b(number|numeric|real)s?\b', 'float'), (r'\bstr(ing)?s?\b', 'str'), (r'\bbytes\b', 'bytes'),
    (r'\b(list|array|sequence|iterable)s?\b', 'list'), (r'\btuples?\b', 'tuple'),
    (r'\b(dict|dictionary|mapping)s?\b', 'dict'), (r'\bsets?\b', 'set'), (r'\bNone\b', 'none'),
]

_NAME_HINTS = [
    (r'^(n|m|k|i|j|num|count|cnt|size|length|len|idx|index|level|depth|times|steps?|limit|width|height|year|month|day|port|start|end|stop|step|base|digits?|bits?|total|num_\w+|n_\w+|\w+_(count|num|size|len|idx|index|id))$', 'int'),
    (r'^(s|st|string|text|txt|word|name|line|char|c|ch|prefix|suffix|sep|delimiter|pattern|path|filename|fname|url|msg|message|title|label|code|sentence|phrase|email|version|filepath|dirname|directory|username|nome|palavra|texto|frase|query|sql|description|\w+_(str|name|text|string|path|url|word))$', 'str'),
    (r'^(lst|arr|array|nums|numbers|values|items|elements|seq|sequence|data|xs|ys|\w+_list|\w+s)$', 'list'),
    (r'^(matrix|grid|board|mat|table)$', 'matrix'),
    (r'^(d|dic|dict|mapping|\w+_dict|\w+_map|counts|params|config|kwargs|options)$', 'dict'),
    # Quantities that are fractional by nature: stronger than a letter that often holds a float.
    (r'^(amount|price|rate|ratio|weight|temp|temperature|celsius|fahrenheit|kelvin|salary|salario|cost|balance|prob|probability|fraction|percentage)$', 'fraction'),
    (r'^(x|y|z|val|score|f|p|q|r|t|v|w)$', 'float'),
    (r'^(flag|is_\w+|has_\w+|use_\w+|enable\w*|verbose|debug|reverse|strict)$', 'bool'),
]


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
    name = dotted_tail(node.value if isinstance(node, ast.Subscript) else node)
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


def declared_hints(param, doc):
    """Hints from the annotation, the default and the docstring of `param` (from describe_params)."""
    hints = Hints()
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
        text = _doc_type_text(doc, param['name'])
        if text:
            _text_type_hints(text, hints, W_DOC)
    return hints


_NAMED_TYPES = [(r'(^|_)(int|integer|num|number)$|Int$|Num$', 'int'), (r'(^|_)(str|string|text)$|Str$', 'str'),
                (r'(^|_)(float|real)$|Float$', 'float'), (r'(^|_)(list|lst|arr|array|lista)$|List$|^array|^lista?_', 'list'),
                (r'(^|_)(tuple|tup)$|Tuple$', 'tuple'),
                (r'(^|_)(dict|map|mapping)$|Dict$', 'dict'), (r'(^|_)(bool|flag)$|Bool$', 'bool')]


def name_prior(name, hints):
    """Add what the name says (`keyInt`, `word_list`, `n`, `text`, `price`) to `hints`."""
    for pattern, kind in _NAMED_TYPES:  # keyInt, name_str, word_list: the name states the type
        if re.search(pattern, name):
            hints.add(kind, W_NAME_STR)
            return
    lowered = re.sub(r'\d+$', '', name.lower()) or name.lower()  # word1, word2: words
    for pattern, kind in _NAME_HINTS:
        if re.match(pattern, lowered):
            if kind == 'matrix':
                hints.add('list', W_NAME)
                hints.element().add('list', W_NAME)
                hints.element().element().add('int', W_NAME)
            else:
                # A name that says text is strong evidence: a string is also iterated, indexed and
                # measured with len() like a list, so the body's use alone often cannot tell.
                if kind == 'str':
                    # A digit string is a string too: the name then backs that reading.
                    hints.add('numstr' if hints.w.get('numstr', 0) > 0 else 'str', W_NAME_STR)
                elif kind == 'fraction':
                    hints.add('float', W_NAME * 1.5)
                else:
                    hints.add(kind, W_NAME)
            return


_MISSING = object()


def _value_kind(value):
    if isinstance(value, bool):
        return 'bool'
    if value is None:
        return 'none'
    return {int: 'int', float: 'float', str: 'str', bytes: 'bytes', list: 'list', tuple: 'tuple',
            dict: 'dict', set: 'set'}.get(type(value))


_BUILTIN_NAMES = set(dir(builtins))


def internal(name, default):
    """A parameter no caller is meant to pass: its default binds a builtin for speed (`len=len`,
    `tuple=tuple`), makes an object (`marker=object()`), or is built of builtins (`{int, str}`)."""
    if default is None:
        return False
    if isinstance(default, ast.Name):
        return default.id == name or default.id in _BUILTIN_NAMES
    try:
        ast.literal_eval(default)
        return False
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        pass
    names = [n.id for n in ast.walk(default) if isinstance(n, ast.Name)]
    return any(isinstance(n, ast.Call) for n in ast.walk(default)) or (bool(names) and all(n in _BUILTIN_NAMES for n in names))

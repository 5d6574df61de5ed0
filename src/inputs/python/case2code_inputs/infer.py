# Type inference for the fuzzer: what each parameter probably is, from its annotation, its default,
# the docstring, how the body uses it, and (weakly) its name. Also the function's literals, a
# dictionary of values that are likely to matter (compared against, looked up, sliced by).
#
# A type is a small tuple: ('int',), ('str',), ('list', T), ('dict', K, V), ('record', ((key, T), ...)),
# ('fixed', (T1, T2)) for fixed-length tuples (('fixed', (T1, T2), 'list') for a list of that many
# items), ('numstr',) for numeric strings, ('oneof', (T1, T2)), ('any',). A scalar may carry a
# flavour of realistic values as its second item: ('str', 'url'), ('str', 'digits'). Evidence is
# collected as weighted Hints (hints.py; the declaration and the name: declared.py; use in the
# body: usage.py) and resolved to a few weighted types per parameter.
import ast

from case2code_inputs.declared import declared_hints, internal, name_prior
from case2code_inputs.hints import MAX_ARITY, W_USE
from case2code_inputs.realistic import flavour_of, singular
from case2code_inputs.usage import BodyReader

INT, FLOAT, STR, BOOL, NONE, BYTES, ANY = ('int',), ('float',), ('str',), ('bool',), ('none',), ('bytes',), ('any',)
NUMSTR = ('numstr',)  # a string that int() or float() can read, e.g. '42'
SCALARS = {'int': INT, 'float': FLOAT, 'str': STR, 'bool': BOOL, 'none': NONE, 'bytes': BYTES, 'numstr': NUMSTR,
           'digits': ('str', 'digits')}  # digits: a string whose characters are read as numbers
_MAX_NESTING = 6  # containers in containers, at most


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


def param_hints(param, reader, doc):
    """All the evidence of one parameter's type: declared (annotation, default, docstring), its use
    in the body, then its name (which weighs in knowing the rest)."""
    hints = declared_hints(param, doc)
    hints.merge(reader.name_hints(param['name']))
    name_prior(param['name'], hints)
    return hints


def resolve(hints, depth=0, top=3):
    """Weighted concrete types, strongest first: [(weight, type)]."""
    if hints is None or hints.empty():
        # No evidence at all: an int, most likely; the others are edge cases.
        return [(1.0, INT), (0.5, STR), (0.4, FLOAT), (0.3, ('list', INT))] if depth == 0 else [(1.0, INT), (0.5, STR)]
    weights = dict(hints.w)
    if hints.keys and weights.get('dict', 0) <= 0:
        weights['dict'] = W_USE
    if weights.get('digits', 0) > 0 and weights.get('str', 0) > 0:
        weights['str'] += weights.pop('digits')  # some characters read as digits: a string still
    positive = {k: w for k, w in weights.items() if w > 0}
    if positive and max(positive, key=positive.get) == 'none' and hints.elem is None and not hints.keys \
            and all(w < positive['none'] / 2 for k, w in positive.items() if k != 'none'):
        # Only ever None (a default, `if v is not None`): None is one option; a string the other.
        weights['str'] = weights['none'] * (1.5 if len(positive) == 1 else 0.8)
    if hints.arity and weights.get('tuple', 0) > 0 and weights.get('list', 0) > 0:
        # Unpacked as `a, b = x`: one fixed-length container, a list or a tuple, whichever is the
        # stronger; a tie goes to a list for an argument ([1, 2, 3]), to a tuple for an item ((1, 2)).
        low = 'tuple' if weights['list'] > weights['tuple'] or (depth == 0 and weights['list'] == weights['tuple']) else 'list'
        weights['list' if low == 'tuple' else 'tuple'] += weights.pop(low)
    ranked = sorted(((w, k) for k, w in weights.items() if w > 0), key=lambda item: -item[0])[:top]
    if not ranked:
        ranked = [(1.0, 'any')]
    out = []
    for weight, kind in ranked:
        if kind == 'str' and (hints.subs or _alphabet(hints)):
            out.append((weight, ('str', _text_flavour(hints))))
        elif kind in SCALARS:
            out.append((weight, SCALARS[kind]))
        elif kind == 'any':
            out.append((weight, ANY))
        elif kind == 'dict':
            if hints.keys:
                fields = tuple((key, _field_type(sub, depth + 1)) for key, sub in sorted(hints.keys.items(), key=lambda kv: str(kv[0])))
                out.append((weight, ('record', fields)))
            else:
                value = resolve(hints.elem, depth + 1, 1)[0][1] if depth < _MAX_NESTING else INT
                out.append((weight, ('dict', STR, value)))
        elif kind in ('list', 'tuple', 'set'):
            if depth >= _MAX_NESTING:
                out.append((weight, (kind, INT)))
                continue
            elements = resolve(hints.elem, depth + 1, 2)
            element = elements[0][1]
            if hints.arity and kind in ('tuple', 'list') and hints.arity <= MAX_ARITY:
                # Unpacked as `a, b, c = x`: exactly that many items.
                items = tuple(element for _ in range(hints.arity))
                out.append((weight, ('fixed', items) if kind == 'tuple' else ('fixed', items, 'list')))
            else:
                if kind == 'set' and element[0] in ('list', 'dict', 'set', 'record'):
                    element = INT
                if hints.min_len and kind in ('list', 'tuple'):
                    out.append((weight, (kind, element, hints.min_len)))
                else:
                    out.append((weight, (kind, element)))
    return out


def _alphabet(hints):
    """The characters a string's characters are compared with, when there are a few of them."""
    chars = sorted(set(hints.elem.alphabet)) if hints.elem is not None else []
    return ''.join(chars) if len(chars) >= 2 else ''


def _text_flavour(hints):
    """Text shaped by what the code does with it: parts it splits apart ('split:-'), a piece it
    looks for, begins or ends with ('has:%s', 'prefix:http'), else the characters it compares its
    characters with ('chars:01')."""
    for how in ('split', 'has', 'prefix', 'suffix'):
        for sub_how, text in hints.subs:
            if sub_how == how:
                return f'{how}:{text}'
    return 'chars:' + _alphabet(hints)


def _field_type(hints, depth):
    """A record field's type; one checked with isinstance() may also be something else."""
    ranked = resolve(hints, depth, 2)
    if hints is not None and hints.checked:
        options = tuple(t for _, t in ranked)
        other = INT if all(t != INT for t in options) else STR
        return ('oneof', options + (other,))
    return ranked[0][1]


def _link_compared(fn, hints_of):
    """`xs[i] == s`, `a != b`: two parameters compared for equality are probably of one kind, so
    each lends the other (or the other's items) half the weight of its own evidence."""
    def target(node):
        if isinstance(node, ast.Name) and node.id in hints_of:
            return hints_of[node.id]
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in hints_of \
                and not isinstance(node.slice, ast.Slice):
            return hints_of[node.value.id].element()
        return None

    lent = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            left, right = node.left, node.comparators[0]
            for this, other in ((left, right), (right, left)):
                into = target(this)
                if into is not None and isinstance(other, ast.Name) and other.id in hints_of and other is not this:
                    lent.append((into, dict(hints_of[other.id].w)))
    for into, weights in lent:  # lent after the walk: what is lent is each parameter's own evidence
        for kind, weight in weights.items():
            if weight > 0:
                into.add(kind, weight / 2)


def infer(code, entry):
    """{'params': [{name, kind, optional, types: [(weight, type)], consts, checked, tolerant}],
    'literals': {...}, 'links': [(container, key)]} or raises; links are parameters looked up in
    other parameters."""
    tree = ast.parse(code)
    fn = find_function(tree, entry)
    if fn is None:
        raise LookupError(f'no function named {entry!r} in the code')
    doc = ast.get_docstring(fn) or ''
    described = describe_params(fn)
    names = [param['name'] for param in described]
    reader = BodyReader(fn, names, (), tree)
    hints_of = {param['name']: param_hints(param, reader, doc) for param in described}
    # A second reading, knowing which parameters are mappings: what indexes them is a key.
    mappings = {name for name, hints in hints_of.items() if resolve(hints, 0, 1)[0][1][0] in ('dict', 'record')}
    if mappings - reader.mappings:
        reader = BodyReader(fn, names, mappings, tree)
        hints_of = {param['name']: param_hints(param, reader, doc) for param in described}
    _link_compared(fn, hints_of)
    params = []
    for param in described:
        hints = hints_of[param['name']]
        if param['kind'] == 'var_positional':
            types = [(1.0, ('list', t)) for _, t in resolve(hints, 1, 1)]
        elif param['kind'] == 'var_keyword':
            types = [(1.0, ('dict', STR, resolve(hints, 1, 1)[0][1]))]
        else:
            types = resolve(hints, 0, max(3, len(hints.checked) + 1))
        types = [(weight, flavoured(t, param['name'])) for weight, t in types]
        # checked: kinds the code tells apart with isinstance(), all of them the parameter's own;
        # tolerant: a parameter whose wrong types the code catches (TypeError): any type is its own.
        checked = sorted(hints.checked | ({'none'} if hints.checked and hints.w.get('none', 0) > 0 else set()))
        params.append({'name': param['name'], 'kind': param['kind'], 'optional': param['default'] is not None,
                       'types': types, 'consts': hints.consts, 'checked': checked,
                       'tolerant': param['name'] in reader.scan.tolerant,
                       'internal': internal(param['name'], param['default'])})
    links = sorted((c, k) for c, k in reader.scan.links if c in hints_of and k in hints_of and c != k)
    return {'params': params, 'literals': collect_literals(fn), 'links': links}


_SEPARATORS = {'url': ('/', ':', '.', '://'), 'email': ('@', '.'), 'date': ('-',), 'time': (':',), 'version': ('.',),
               'path': ('/', '.'), 'filename': ('.',), 'ip': ('.',)}  # what values of a flavour are split by
_GENERIC_PLURALS = {'item', 'value', 'element', 'number', 'num', 'arg', 'data', 'thing', 'entrie', 'object'}


def flavoured(t, name, depth=0):
    """`t` with the flavour of realistic values its name suggests on its scalars: ('str',) held by
    `url` becomes ('str', 'url'); the items of `urls` (a list) are urls."""
    kind = t[0]
    if kind in ('int', 'float', 'str') and len(t) == 1:
        flavour = flavour_of(kind, name)
        return (kind, flavour) if flavour else t
    if kind == 'str' and t[1].partition(':')[0] in ('split', 'has', 'prefix', 'suffix', 'chars'):
        # Text shaped by the code's use: a url, a date, a path, ... by its name rather (realistic
        # values reach more of the code), unless the code splits it by a separator such values lack.
        flavour = flavour_of(kind, name)
        if flavour in _SEPARATORS and (not t[1].startswith('split:') or t[1][len('split:'):] in _SEPARATORS[flavour]):
            return (kind, flavour)
        return t
    if kind in ('list', 'tuple', 'set') and depth < 2:
        item = singular(name) if name else None
        if item in _GENERIC_PLURALS:
            item = 'word' if t[1][0] == 'str' else None
        return (kind, flavoured(t[1], item, depth + 1)) + tuple(t[2:])
    return t


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
        return (t[2] if len(t) > 2 else 'tuple') + '[' + ', '.join(type_text(v) for v in t[1]) + ']'
    if kind == 'oneof':
        return ' | '.join(type_text(v) for v in t[1])
    return kind

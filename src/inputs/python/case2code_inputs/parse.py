# Reading a model's answer into calls, inside the sandbox: find the code block, find the input
# entries in it (`dict(a=1)`, `{'a': 1}`, `f(a=1)`), keep only plain data, evaluate each value with
# a minimal set of builtins, drop the invalid and the duplicate with a reason.
import ast
import builtins
import re

from case2code_sandbox import api as harness
from case2code_inputs.infer import describe_params, find_function

_DATA_CALLS = ('list', 'tuple', 'set', 'frozenset', 'dict', 'range', 'float', 'int', 'str', 'bytes',
               'bool', 'sorted', 'abs', 'round', 'complex', 'reversed', 'len', 'min', 'max', 'sum')
_DATA_BUILTINS = {name: getattr(builtins, name) for name in _DATA_CALLS}
_CONSTANT_NAMES = {'None', 'True', 'False'}
_FENCE = re.compile(r'```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:```|\Z)', re.S)
_MAX_VALUE_CHARS = 2000


def code_blocks(text):
    """Fenced blocks (Python ones first); the whole text when there is no fence."""
    blocks = [(lang.lower(), body) for lang, body in _FENCE.findall(text)]
    if not blocks:
        return [text]
    python = [body for lang, body in blocks if lang in ('python', 'py', 'python3', '')]
    return python or [body for _, body in blocks]


def _parse_block(block):
    """Module trees for a block; a block that does not parse is read line by line."""
    try:
        return [ast.parse(block)]
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        pass
    trees = []
    for line in block.splitlines():
        line = line.strip().rstrip(',')
        if not line or line.startswith('#'):
            continue
        try:
            trees.append(ast.parse(line))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
    return trees


def _find_entries(tree, call_names):
    found = []

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Import, ast.ImportFrom)):
            return
        if _is_entry(node, call_names):
            found.append(node)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _is_entry(node, call_names):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == 'dict':
            return True
        return node.func.id in call_names
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys)
    return False


def _entry_parts(node):
    """(positional value nodes, {keyword: value node}) or a reason string."""
    if isinstance(node, ast.Dict):
        return [], {k.value: v for k, v in zip(node.keys, node.values)}
    keywords = {}
    for keyword in node.keywords:
        if keyword.arg is None:
            return 'not-data'
        keywords[keyword.arg] = keyword.value
    if node.func.id == 'dict':
        if len(node.args) == 1 and isinstance(node.args[0], ast.Dict) and not keywords:
            return _entry_parts(node.args[0])
        if node.args:
            return 'not-data'
        return [], keywords
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        return 'not-data'
    return list(node.args), keywords


def is_data(node, bound=frozenset()):
    """Plain literal data, small arithmetic on it, a few constructors, comprehensions over range()."""
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, int) or isinstance(node.value, bool) or abs(node.value) < 10 ** 30
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(is_data(e, bound) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and is_data(k, bound) for k in node.keys) and all(is_data(v, bound) for v in node.values)
    if isinstance(node, ast.Name):
        return node.id in _CONSTANT_NAMES or node.id in bound
    if isinstance(node, ast.UnaryOp):
        return is_data(node.operand, bound)
    if isinstance(node, ast.BinOp):
        if not (is_data(node.left, bound) and is_data(node.right, bound)):
            return False
        if isinstance(node.op, (ast.Pow, ast.LShift)):
            return _small_int(node.right, 64)
        if isinstance(node.op, ast.Mult):
            # [0] * 10**9 would exhaust memory before any timeout could help.
            return _small_int(node.left, 1000) or _small_int(node.right, 1000) or (_number_literal(node.left) and _number_literal(node.right))
        return True
    if isinstance(node, ast.Subscript):
        return is_data(node.value, bound) and is_data(node.slice, bound)
    if isinstance(node, ast.Slice):
        return all(part is None or is_data(part, bound) for part in (node.lower, node.upper, node.step))
    if isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id in _DATA_CALLS) or node.keywords and node.func.id != 'dict':
            return False
        if node.func.id == 'range' and not all(_small_int(a, 100000) or isinstance(a, ast.Name) and a.id in bound for a in node.args):
            return False
        return all(is_data(a, bound) for a in node.args) and all(is_data(k.value, bound) for k in node.keywords)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
        names = set(bound)
        for generator in node.generators:
            if generator.is_async or not is_data(generator.iter, frozenset(names)):
                return False
            names |= {n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name)}
            if not all(is_data(condition, frozenset(names)) for condition in generator.ifs):
                return False
        inner = frozenset(names)
        if isinstance(node, ast.DictComp):
            return is_data(node.key, inner) and is_data(node.value, inner)
        return is_data(node.elt, inner)
    return False


def _number_literal(node):
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex))


def _small_int(node, limit):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and abs(node.value) <= limit


def _evaluate(source):
    scope = {'__builtins__': _DATA_BUILTINS}
    harness.checkpoint()
    value, exc, _, _ = harness.run_captured(lambda: eval(source, scope))
    if exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return None, 'eval-timeout'
        return None, 'eval-error'
    try:
        text, length = harness.safe_repr(value)
    except Exception:
        return None, 'eval-error'
    if length > _MAX_VALUE_CHARS:
        return None, 'too-large'
    return text, None


def parse_answer(payload):
    """{inputs: [call spec], keys: [value key per input], dropped: [{source, reason}], entries: int}."""
    text = payload.get('text') or ''
    entry = payload['entry']
    tree = ast.parse(payload['code'])
    fn = find_function(tree, entry)
    if fn is None:
        raise LookupError(f'no function named {entry!r} in the code')
    params = describe_params(fn)
    positional = [p['name'] for p in params if p['kind'] in ('positional_only', 'positional_or_keyword')]
    named = {p['name'] for p in params if p['kind'] not in ('var_positional', 'var_keyword', 'positional_only')}
    required = [p['name'] for p in params if p['default'] is None and p['kind'] not in ('var_positional', 'var_keyword')]
    has_varargs = any(p['kind'] == 'var_positional' for p in params)
    has_varkw = any(p['kind'] == 'var_keyword' for p in params)
    call_names = {entry, 'f', 'func', 'function'}

    inputs, dropped, keys = [], [], []
    seen = set(payload.get('known') or ())  # keys of inputs accepted in earlier rounds
    entries = 0
    for block in code_blocks(text):
        for module in _parse_block(block):
            for node in _find_entries(module, call_names):
                entries += 1
                source = ast.unparse(node)[:200]
                reason, spec, key = _read_entry(node, positional, named, required, has_varargs, has_varkw, call_names)
                if reason is None and key in seen:
                    reason = 'duplicate'
                if reason is not None:
                    dropped.append({'source': source, 'reason': reason})
                    continue
                seen.add(key)
                keys.append(key)
                inputs.append(spec)
    return {'inputs': inputs, 'keys': keys, 'dropped': dropped, 'entries': entries}


def _read_entry(node, positional, named, required, has_varargs, has_varkw, call_names):
    parts = _entry_parts(node)
    if isinstance(parts, str):
        return parts, None, None
    args, keywords = parts
    if len(args) > len(positional) and not has_varargs:
        return 'too-many-args', None, None
    given = set(positional[:len(args)])
    for name in keywords:
        if name not in named and not has_varkw:
            return f'unknown-param:{name}', None, None
        if name in given:
            return f'repeated-param:{name}', None, None
        given.add(name)
    missing = [name for name in required if name not in given]
    if missing:
        return f'missing-param:{missing[0]}', None, None
    for value in list(args) + list(keywords.values()):
        if not is_data(value):
            return 'not-data', None, None
    spec = {'args': [ast.unparse(a) for a in args], 'kwargs': {k: ast.unparse(v) for k, v in keywords.items()}}
    key_parts = []
    for i, source in enumerate(spec['args']):
        text, reason = _evaluate(source)
        if reason:
            return reason, None, None
        key_parts.append((positional[i] if i < len(positional) else f'*{i}', text))
    for name, source in spec['kwargs'].items():
        text, reason = _evaluate(source)
        if reason:
            return reason, None, None
        key_parts.append((name, text))
    return None, spec, repr(sorted(key_parts))

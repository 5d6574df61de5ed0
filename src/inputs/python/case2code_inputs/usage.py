# How a function's body uses a value, read as evidence of the value's type (the Hints of hints.py;
# infer.py resolves them): methods called on it, operators, builtins it is passed to (what each
# says: operations.py), indexing and keys, iteration and unpacking, isinstance() checks,
# comparisons with literals, and locals that hold its items (`ys = sorted(xs)`, `item = xs[i]`).
# What the code alone says about its other names (locals' kinds, mappings, in-place conversions)
# comes from scan.py.
import ast

from case2code_inputs.hints import MAX_INDEX, W_ISINSTANCE, W_USE, Hints, dotted_tail
from case2code_inputs.operations import (CHAR_METHODS, DICT_METHODS, INT_FUNCS, ITERABLE_FUNCS, LIST_METHODS, MATH_FLOAT,
                                         MATH_INT, NUMBER_FUNCS, SEQUENCE_METHODS, SET_METHODS, STR_ARG_METHODS,
                                         STR_METHODS, SUB_METHODS, alias_source, int_constant, isinstance_kinds)
from case2code_inputs.scan import BodyScan, constant_kind

_MAX_DEPTH = 12   # hops followed from a parameter: keys, items, locals that hold them, comprehensions
_MAX_STEPS = 20000  # uses looked at per function, in all
def _mostly(hints, kind):
    return bool(hints.w) and not hints.keys and max(hints.w, key=hints.w.get) == kind


def _text_items(element):
    """What items used as `element` say of their container: 'digits' (items read as numbers, like
    the characters of '1234'), 'str' (items used as text), or None."""
    if not element.w or element.keys:
        return None
    top = max(element.w, key=element.w.get)
    if top == 'numstr':
        return 'digits'
    return 'str' if top == 'str' else None


def _chars(element):
    """Items used as single characters (`c.isdigit()`, `ord(c)`, `c == 'a'`, never `c == 'ab'`)."""
    return element.char and not any(isinstance(c, str) and len(c) > 1 for c in element.consts)


class BodyReader:
    """Walks a function once and answers 'what does the code do with this expression?'."""

    def __init__(self, fn, params=(), mappings=(), module=None):
        """`params`: the parameters' names; `mappings`: names already known to hold mappings (a
        first reading's dict parameters), whose lookups make their keys strings; `module`: the
        tree the function is in."""
        self.fn = fn
        self.scan = BodyScan(fn, params, module)
        self.mappings = self.scan.mappings | set(mappings)
        self.params = set(params)
        self.parent = {}
        self.loads = {}       # name -> [Name nodes in Load context]
        self.loop_targets = []  # (iterable node, target node)
        self.literals = {}    # local name -> the literal container it is first assigned (a lookup table)
        self.budget = _MAX_STEPS  # following uses fans out: a bound on the work, whatever the code
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
                source = alias_source(node.value)
                if source is not None and source != node.targets[0].id:
                    self.aliases.setdefault(source, []).append(node.targets[0].id)

    def name_hints(self, name, depth=0, seen=None):
        hints = Hints()
        for node in self.loads.get(name, ()):
            if depth == 0 and name in self.params and self.scan.uses_after_cut(name, node):
                continue  # `m = float(m)` came before: this is the converted value
            self.use(node, hints, depth)
        seen = seen or {name}
        for alias in self.aliases.get(name, ()):
            if alias not in seen and depth < _MAX_DEPTH:
                seen.add(alias)
                hints.merge(self.name_hints(alias, depth + 1, seen))
        return hints

    def use(self, node, hints, depth):
        """Add what the parent of `node` says about the value of `node`."""
        parent = self.parent.get(node)
        if parent is None or depth > _MAX_DEPTH or self.budget <= 0:
            return
        self.budget -= 1
        if isinstance(parent, ast.Attribute) and parent.value is node:
            self._attribute(parent, hints, depth)
        elif isinstance(parent, ast.Call):
            self._call_argument(parent, node, hints, depth)
        elif isinstance(parent, ast.BinOp):
            self._binop(parent, node, hints, depth)
        elif isinstance(parent, ast.AugAssign) and parent.target is node:
            self._binop(ast.BinOp(left=node, op=parent.op, right=parent.value), node, hints, depth)
        elif isinstance(parent, ast.Compare):
            self._compare(parent, node, hints, depth)
        elif isinstance(parent, ast.Subscript):
            if parent.value is node:
                self._subscripted(parent, hints, depth)
            elif parent.slice is node:
                container = parent.value.id if isinstance(parent.value, ast.Name) else None
                table = self.literals.get(container)
                if isinstance(table, ast.Dict) and table.keys:
                    _add_constant_kinds(hints, table.keys)
                elif container in self.mappings:
                    hints.add('str', W_USE)  # a mapping's key: most often a string
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
                hints.merge(self.name_hints(target.id, depth + 1))
        elif isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) and parent.elt is node:
            # `[r['lines'] for r in rs]`: each item of the new list is this value; see where it goes.
            made = Hints()
            self.use(parent, made, depth + 1)
            if made.elem is not None:
                hints.merge(made.elem)
        elif isinstance(parent, ast.Starred):
            hints.add('list', W_USE / 2)
        elif isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.BoolOp)) or (
                isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            hints.add('bool', W_USE / 6)

    def _attribute(self, attribute, hints, depth):
        name = attribute.attr
        if name in STR_METHODS:
            hints.add('str', W_USE)
            hints.char = hints.char or name in CHAR_METHODS
            call = self.parent.get(attribute)
            how = SUB_METHODS.get(name)
            if how and isinstance(call, ast.Call) and call.args and constant_kind(call.args[0]) == 'str' \
                    and call.args[0].value:
                _add_sub(hints, how, call.args[0].value)
        elif name in LIST_METHODS:
            hints.add('list', W_USE)
        elif name in DICT_METHODS:
            hints.add('dict', W_USE)
            call = self.parent.get(attribute)
            if name == 'get' and isinstance(call, ast.Call) and call.args:
                key = call.args[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, (str, int)):
                    self.use(call, hints.key(key.value), depth + 1)
        elif name in SET_METHODS:
            hints.add('set', W_USE)
        elif name in SEQUENCE_METHODS:
            for kind in SEQUENCE_METHODS[name]:
                hints.add(kind, W_USE / 2)
            call = self.parent.get(attribute)
            if name == 'pop' and isinstance(call, ast.Call) and not call.args:
                self.use(call, hints.element(), depth + 1)  # `a, b = xs.pop()`: what an item is
        elif name in ('real', 'imag', 'is_integer', 'bit_length'):
            hints.add('int' if name == 'bit_length' else 'float', W_USE)

    def _call_argument(self, call, node, hints, depth):
        if node is call.func or node not in call.args:
            return
        func = dotted_tail(call.func)
        receiver = call.func.value.id if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) else None
        if isinstance(call.func, ast.Attribute) and call.args[0] is node and (
                func in ('get', 'setdefault') or (func == 'pop' and receiver in self.mappings)):
            hints.add('str', W_USE)  # `d.get(k)`: a key
        elif isinstance(call.func, ast.Attribute) and func in STR_ARG_METHODS and node in call.args[:2]:
            hints.add('str', W_USE)  # `p.rfind(sep)`: a string looked for in a string
        elif func == 'isinstance' and call.args[0] is node and len(call.args) > 1:
            for kind in isinstance_kinds(call.args[1]):
                hints.add(kind, W_ISINSTANCE)
                hints.checked.add(kind)
        elif func == 'len':
            hints.add('list', W_USE)
            hints.add('str', W_USE * 0.8)
        elif func == 'int':
            # int(x): a string of digits most often (a character of one, say), else a number.
            hints.add('numstr', W_USE / 2)
            hints.add('str', W_USE / 6)
            hints.add('int', W_USE / 3)
            hints.add('float', W_USE / 4)
        elif func == 'float':
            # float(x): a number most often, whole or not, now and then a string of one.
            hints.add('int', W_USE / 2)
            hints.add('float', W_USE / 3)
            hints.add('numstr', W_USE / 3)
        elif func in ('ord',):
            hints.add('str', W_USE)
            hints.char = True
            # `ord(c) >= 97`: the characters at the edges of the code's comparisons.
            codes = Hints()
            self.use(call, codes, depth + 1)
            for value in codes.consts:
                if isinstance(value, int) and 32 <= value < 0x3000 and chr(value).isprintable() and len(hints.consts) < 24:
                    if chr(value) not in hints.consts:
                        hints.consts.append(chr(value))
        elif func in INT_FUNCS:
            hints.add('int', W_USE)
        elif func in NUMBER_FUNCS:
            int_share, float_share = NUMBER_FUNCS[func]
            hints.add('int', W_USE * int_share)
            hints.add('float', W_USE * float_share)
        elif isinstance(call.func, ast.Attribute) and dotted_tail(call.func.value) == 'math':
            if func in MATH_FLOAT:
                hints.add('float', W_USE)
            elif func in MATH_INT:
                hints.add('int', W_USE)
            else:
                hints.add('int', W_USE / 2)
                hints.add('float', W_USE / 2)
        elif func == 'join' and isinstance(call.func, ast.Attribute):
            hints.add('list', W_USE)
            hints.element().add('str', W_USE)
        elif func in ('max', 'min') and len(call.args) > 1:
            hints.add('int', W_USE / 2)
            hints.add('float', W_USE / 2)
        elif func in ITERABLE_FUNCS:
            hints.add('list', W_USE)
            if func in ('sum', 'max', 'min', 'sorted'):
                hints.element().add('int', W_USE / 2)
        elif func == 'str':
            hints.add('int', W_USE / 4)
        elif func == 'format' and isinstance(call.func, ast.Attribute) and constant_kind(call.func.value) == 'str':
            hints.add('str', W_USE / 3)  # `'{}.gif'.format(name)`: text, most often

    def _binop(self, binop, node, hints, depth):
        other = binop.right if binop.left is node else binop.left
        kind = self.scan.kind(other)
        op = binop.op
        if isinstance(op, ast.Mod) and binop.left is not node and kind == 'str':
            return  # '%s' % x formats anything
        if isinstance(op, ast.Mod) and binop.left is node and kind == 'tuple':
            hints.add('str', W_USE)  # 'x=%d y=%d' % (a, b): a format
            return
        if isinstance(op, ast.Mod) and binop.left is node and kind != 'int' and kind != 'float':
            hints.add('int', W_USE / 2)
            return
        if kind in ('str', 'list', 'tuple') and isinstance(op, ast.Add):
            hints.add(kind, W_USE)
        elif kind in ('str', 'list') and isinstance(op, ast.Mult):
            hints.add('int', W_USE)
        elif kind == 'int':
            hints.add(kind, W_USE)
            if isinstance(op, (ast.Div, ast.Pow, ast.Mult, ast.Sub, ast.Add)):
                hints.add('float', W_USE / 3)
            if isinstance(op, (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift, ast.FloorDiv, ast.Mod)):
                hints.add('int', W_USE / 2)
        elif kind == 'float':
            # `value * 0.03`: the result is a fraction, whatever the value; it is a number.
            hints.add('float', W_USE / 2)
            hints.add('int', W_USE / 2)
        elif isinstance(op, (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift)):
            hints.add('int', W_USE)
        elif isinstance(op, ast.Add):
            # `a + b`: numbers most often, but strings and lists add too: the sum is of the same
            # kind as this value, so what the code does with the sum tells.
            hints.add('int', W_USE / 3)
            hints.add('float', W_USE / 4)
            if depth < 4:
                self.use(binop, hints, depth + 1)
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
                container = other.id
                other = self.literals[other.id]
            else:
                container = other.id if isinstance(other, ast.Name) else None
            if isinstance(op, (ast.In, ast.NotIn)):
                if node_is_left:
                    kind = self.scan.kind(other)
                    for item in getattr(other, 'elts', None) or getattr(other, 'keys', None) or ():
                        if item is not None:
                            hints.constant(item)
                    if kind == 'str':
                        hints.add('str', W_USE)
                        if isinstance(other, ast.Constant):  # c in 'aeiou'
                            hints.char = True
                            hints.alphabet += [c for c in other.value[:16] if c not in hints.alphabet]
                    elif container in self.mappings and not isinstance(other, ast.Dict):
                        hints.add('str', W_USE / 2)  # `k in d`: a key
                    elif isinstance(other, (ast.List, ast.Tuple, ast.Set)):
                        _add_constant_kinds(hints, other.elts)
                    elif isinstance(other, ast.Dict):
                        _add_constant_kinds(hints, other.keys)
                else:
                    kind = self.scan.kind(other)
                    hints.add('list', W_USE / 2)
                    if kind == 'str':
                        hints.add('str', W_USE / 2)
                        hints.element().add('str', W_USE / 2)
                        if isinstance(other, ast.Constant) and other.value:
                            _add_sub(hints, 'has', other.value)  # 'nvme' in device
                    elif kind:
                        hints.element().add(kind, W_USE / 2)
                    hints.add('dict', W_USE / 4)
            elif isinstance(op, (ast.Is, ast.IsNot)):
                if isinstance(other, ast.Constant) and other.value is None:
                    hints.add('none', W_USE / 2)
            else:
                kind = self.scan.kind(other)
                hints.constant(other)
                ordered = isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE))
                if kind == 'none':
                    hints.add('none', W_USE / 2)
                elif kind in ('int', 'float') and ordered and getattr(other, 'value', None) == 0:
                    hints.add('int', W_USE / 2)  # `x < 0`: the sign, of any number
                    hints.add('float', W_USE / 2)
                elif kind == 'int' and ordered:
                    hints.add('int', W_USE / 2)
                    hints.add('float', W_USE / 4)  # `x < 50` orders floats as well
                elif kind:
                    hints.add(kind, W_USE)
                    if kind == 'str' and isinstance(other, ast.Constant) and len(other.value) == 1:
                        hints.char = True
                        if isinstance(op, (ast.Eq, ast.NotEq)) and other.value not in hints.alphabet:
                            hints.alphabet.append(other.value)
                elif ordered:
                    hints.add('int', W_USE / 2)
                    hints.add('float', W_USE / 3)

    def _subscripted(self, subscript, hints, depth):
        index = subscript.slice
        if isinstance(index, ast.Slice):
            hints.add('list', W_USE / 2)
            hints.add('str', W_USE / 2)
            self.use(subscript, hints, depth + 1)  # a slice is of the value's own kind
            return
        if isinstance(index, ast.Constant) and isinstance(index.value, str):
            hints.add('dict', W_USE)
            self.use(subscript, hints.key(index.value), depth + 1)
            return
        if isinstance(index, ast.Tuple):
            hints.add('dict', W_USE / 2)
            return
        if isinstance(index, ast.JoinedStr) or (isinstance(index, ast.BinOp) and isinstance(index.op, ast.Add) and (
                self.scan.kind(index.left) == 'str' or self.scan.kind(index.right) == 'str')):
            hints.add('dict', W_USE)  # a key built from text: `d['prefix' + name]`
            return
        position = int_constant(index)
        if position is not None and -MAX_INDEX <= position < MAX_INDEX:
            hints.min_len = max(hints.min_len, position + 1 if position >= 0 else -position)
        element = Hints()
        self.use(subscript, element, depth + 1)
        container = subscript.value.id if isinstance(subscript.value, ast.Name) else None
        if container in self.mappings and position is None:
            hints.add('dict', W_USE)  # `d[k]` of a value used as a mapping elsewhere
            hints.element().merge(element)
            return
        hints.add('list', W_USE)
        hints.add('dict', W_USE / 4)
        # Items that are used like one-character strings suggest the container is a string.
        # Items read by position and converted with int() are digits of a string, most often.
        text = _text_items(element)
        if text and (_chars(element) or text == 'digits'):
            hints.add(text, W_USE * 1.5)
        else:
            hints.add('str', W_USE if text else W_USE / 3)
        hints.element().merge(element)

    def _iterated(self, target, hints, depth):
        hints.add('list', W_USE)
        if isinstance(target, ast.Name):
            element = self.name_hints(target.id, depth + 1)
            text = _text_items(element)
            if text:
                hints.add(text, W_USE * (1.5 if _chars(element) else 1.0))
            hints.element().merge(element)
        elif isinstance(target, ast.Tuple):
            hints.element().add('tuple', W_USE)
            hints.element().arity = len(target.elts)
            for item in target.elts:
                if isinstance(item, ast.Name):
                    hints.element().element().merge(self.name_hints(item.id, depth + 1), 1.0 / len(target.elts))


def _add_sub(hints, how, text):
    if len(hints.subs) < 4 and (how, text) not in hints.subs:
        hints.subs.append((how, text))


def _add_constant_kinds(hints, nodes):
    """Hint the kinds of the constants among `nodes` (a container's items or a dict's keys); the
    weight is shared between them."""
    for node in nodes:
        kind = constant_kind(node) if node is not None else None
        if kind:
            hints.add(kind, W_USE / max(1, len(nodes)) * 2)

# Weighted evidence of a value's type, as type inference (infer.py) and the reading of a function's
# body (usage.py) collect it.
import ast

MAX_ARITY = 12  # longest fixed-length tuple we build from an unpacking like `a, b, c = x`
MAX_INDEX = 40  # highest constant index (`record[15]`) a value is made long enough to reach

# How much one piece of evidence counts, strongest first.
W_ANNOTATION, W_ISINSTANCE, W_DEFAULT, W_DOC, W_USE, W_NAME = 12.0, 6.0, 6.0, 5.0, 3.0, 1.0


class Hints:
    """Weighted evidence for one value: its kind, and for containers what is inside."""

    __slots__ = ('w', 'elem', 'keys', 'arity', 'consts', 'min_len', 'checked', 'char', 'subs', 'alphabet')

    def __init__(self):
        self.w = {}
        self.consts = []      # constants the value is compared with: the edges of its branches
        self.elem = None      # Hints for items (list/tuple/set elements, dict values)
        self.keys = {}        # literal key -> Hints (a dict used like a record)
        self.arity = None     # elements unpacked as `a, b = item`
        self.min_len = 0      # items a constant index reaches (`x[3]`: at least 4; `x[-2]`: 2)
        self.checked = set()  # kinds an isinstance() check names: the value may be any of them
        self.char = False     # used like one character: ord(c), c.isdigit(), c == 'a', c in 'aeiou'
        self.subs = []        # (how, text) it holds: ('split', '-') for `s.split('-')`, ('has', '%s'),
        #                       ('prefix', 'http') for `s.startswith('http')`, ('suffix', '!')
        self.alphabet = []    # characters it is compared with, one by one (`c == '0'`, `c in 'aeiou'`)

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

    def merge(self, source, scale=1.0):
        """Add the evidence of `source` (another Hints), scaled, to this one."""
        self.min_len = max(self.min_len, source.min_len)
        self.checked |= source.checked
        self.char = self.char or source.char
        self.subs += [sub for sub in source.subs if sub not in self.subs]
        self.alphabet += [c for c in source.alphabet if c not in self.alphabet]
        for kind, weight in source.w.items():
            self.add(kind, weight * scale)
        if source.elem is not None:
            self.element().merge(source.elem, scale)
        for key, sub in source.keys.items():
            self.key(key).merge(sub, scale)
        if source.arity:
            self.arity = source.arity
        for value in source.consts:
            if value not in self.consts:
                self.consts.append(value)


def dotted_tail(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None

# Values for the fuzzer: make a fresh value of a type, or mutate an existing one a little. Values look
# like real data (realistic.py: words, sentences, URLs, dates, numbers in everyday ranges, by the
# flavour infer.py read from the parameter's name) and stay small and readable (short lists, ints
# near zero or near the code's own literals), because they end up in training prompts. The code's
# own literals are used only where they are of the type asked for. Everything is plain data whose
# repr evaluates back to it.
from case2code_inputs.realistic import make_float, make_int, make_str

_EDGE_STRS = ['', ' ', 'a', 'A', 'abc', 'aab']  # short edge cases of a string, still strings
_CONTEXT = ['hello', 'data', 'abc', 'the ', 'x', '']  # text put around a literal (`lit in s`)
_ALPHABET = 'abcxyzABC019 _-.,'
_SMALL_INTS = [0, 1, 2, 3, -1, 4, 5, 7, 10, 12, 100, -5]
_SMALL_FLOATS = [0.0, 0.5, 1.5, -2.5, 3.14, 10.0, 2.0, 0.1, -1.0, 99.9]
_EXTREME_FLOATS = [1e-05, -2.5e-07, 1.5e+16, -3e+20, 1e+100]  # their repr has an exponent
_NUMERIC_STRS = ['0', '1', '2', '3', '7', '10', '12', '42', '100', '-1', '-5', '2.5', '0.5', '-3.75']
FALLBACK_TYPES = [('int',), ('str',), ('float',), ('list', ('int',)), ('bool',), ('none',)]
_HASHABLE = {'int', 'float', 'str', 'bool', 'none', 'bytes', 'fixed', 'numstr'}


class ValueMaker:
    def __init__(self, rng, literals):
        self.rng = rng
        self.lit_ints = list(literals.get('int', []))
        self.lit_floats = list(literals.get('float', []))
        self.lit_strs = list(literals.get('str', []))
        self.lit_numstrs = [s for s in self.lit_strs if _numeric_text(s)]
        self.lit_chars = [s for s in self.lit_strs if len(s) == 1]
        chars = sorted({c for s in self.lit_strs for c in s if c.isprintable()})
        self.alphabet = _ALPHABET + ''.join(chars[:20])

    # ---- fresh values --------------------------------------------------------------------------

    def make(self, t, depth=0):
        rng = self.rng
        kind = t[0]
        flavour = t[1] if len(t) > 1 and kind in ('int', 'float', 'str') else None
        if kind == 'int':
            roll = rng.random()
            if flavour and roll < 0.5:
                return make_int(rng, flavour)
            if self.lit_ints and roll < 0.7:
                return rng.choice(self.lit_ints)
            if roll < 0.9:
                return rng.choice(_SMALL_INTS)
            return rng.randint(-20, 60)
        if kind == 'float':
            roll = rng.random()
            if roll < 0.04:
                return rng.choice(_EXTREME_FLOATS)
            if flavour and roll < 0.5:
                return make_float(rng, flavour)
            if roll < 0.35:
                return rng.choice(_SMALL_FLOATS)
            if roll < 0.6 and (self.lit_floats or self.lit_ints):
                return float(rng.choice(self.lit_floats + self.lit_ints))
            return round(rng.uniform(-10, 60), rng.choice((1, 2)))
        if kind == 'str':
            roll = rng.random()
            literal_share = 0.25 if flavour else 0.35
            if self.lit_strs and roll < literal_share:
                return rng.choice(self.lit_strs)
            if self.lit_strs and roll < literal_share + 0.15:
                # A literal inside other text: what `split(lit)`, `lit in s` and `find` look for.
                return rng.choice(_CONTEXT) + rng.choice(self.lit_strs) + rng.choice(_CONTEXT)
            if self.lit_chars and roll < literal_share + 0.25:
                # A character the code looks for, at the ends: quotes, brackets, `_name_`.
                c, core = rng.choice(self.lit_chars), make_str(rng, flavour)
                return rng.choice((c + core + c, c + core, core + c))
            if rng.random() < 0.1:
                return rng.choice(_EDGE_STRS)
            return make_str(rng, flavour)
        if kind == 'numstr':
            if self.lit_numstrs and rng.random() < 0.3:
                return rng.choice(self.lit_numstrs)
            return rng.choice(_NUMERIC_STRS) if rng.random() < 0.8 else str(self.make(('int',)))
        if kind == 'oneof':
            return self.make(rng.choice(t[1]), depth)
        if kind == 'bool':
            return rng.random() < 0.5
        if kind == 'none':
            return None
        if kind == 'bytes':
            return self.make(('str',)).encode('utf-8')
        if kind == 'any':
            return self.make(rng.choice(FALLBACK_TYPES[:4]), depth)
        if kind == 'fixed':
            items = [self.make(item, depth + 1) for item in t[1]]
            return items if t[2:] == ('list',) else tuple(items)
        if kind == 'record':
            # Each field is sometimes left out: code often tests for a key (or a falsy value).
            leave_out = 0.12 if rng.random() < 0.5 else 0.0
            return {key: self.make(item, depth + 1) for key, item in t[1] if rng.random() >= leave_out}
        # Short lists when nested: the value has to stay readable.
        size = 0 if depth >= 6 else rng.choice((0, 1, 2, 3, 3, 4, 4, 5, 6) if depth < 2 else (0, 1, 1, 2))
        if kind in ('list', 'tuple') and len(t) > 2 and rng.random() < 0.85:
            size = max(size, t[2])  # indexed at a constant position: long enough for it
        if kind == 'list':
            return [self.make(t[1], depth + 1) for _ in range(size)]
        if kind == 'tuple':
            return tuple(self.make(t[1], depth + 1) for _ in range(size))
        if kind == 'set':
            element = t[1] if _hashable(t[1]) else ('int',)
            return {self.make(element, depth + 1) for _ in range(size)}
        if kind == 'dict':
            key_type = t[1] if _hashable(t[1]) else ('str',)
            return {self.make(key_type, depth + 1): self.make(t[2], depth + 1) for _ in range(min(size, 4))}
        return self.make(('int',), depth)

    # ---- mutations -----------------------------------------------------------------------------

    def mutate(self, value, t, depth=0):
        """A close neighbour of `value` (which should be of type `t`, but may not be)."""
        rng = self.rng
        if isinstance(value, bool):
            return not value
        if isinstance(value, int):
            return rng.choice((
                lambda v: v + 1, lambda v: v - 1, lambda v: -v, lambda v: v * 2, lambda v: v // 2,
                lambda v: 0, lambda v: rng.choice(self.lit_ints or _SMALL_INTS),
                lambda v: rng.randint(-10, 30), lambda v: v + rng.choice((10, 100, -10)),
            ))(value)
        if isinstance(value, float):
            return rng.choice((
                lambda v: round(v + 0.5, 3), lambda v: -v, lambda v: round(v * 2, 3), lambda v: v * 1e6,
                lambda v: v / 1e6,
                lambda v: round(v / 3, 3), lambda v: 0.0, lambda v: float(int(v)),
                lambda v: self.make(('float',)),
            ))(value)
        if isinstance(value, str):
            if t[0] == 'numstr' and rng.random() < 0.8:
                return self._mutate_numstr(value)
            return self._mutate_str(value, t if t[0] == 'str' else ('str',))
        if isinstance(value, bytes):
            return self._mutate_str(value.decode('utf-8', 'replace'), ('str',)).encode('utf-8')
        if value is None:
            return self.make(t if t[0] != 'none' else rng.choice(FALLBACK_TYPES[:4]), depth)
        if isinstance(value, list):
            if t[0] == 'fixed' and len(value) == len(t[1]) and value:
                i = rng.randrange(len(value))
                return value[:i] + [self.mutate(value[i], t[1][i], depth + 1)] + value[i + 1:]
            return self._mutate_list(list(value), t[1] if t[0] in ('list', 'tuple', 'set') else None, depth)
        if isinstance(value, tuple):
            if t[0] == 'fixed' and len(value) == len(t[1]) and value:
                i = rng.randrange(len(value))
                return value[:i] + (self.mutate(value[i], t[1][i], depth + 1),) + value[i + 1:]
            return tuple(self._mutate_list(list(value), t[1] if t[0] in ('list', 'tuple', 'set') else None, depth))
        if isinstance(value, set):
            items = self._mutate_list(list(value), t[1] if t[0] == 'set' else None, depth)
            try:
                return set(items)
            except TypeError:
                return set(value)
        if isinstance(value, dict):
            return self._mutate_dict(dict(value), t, depth)
        return value

    def _mutate_numstr(self, s):
        try:
            number = int(s)
        except ValueError:
            try:
                number = float(s)
            except ValueError:
                return self.make(('numstr',))
        return str(self.mutate(number, ('int',) if isinstance(number, int) else ('float',)))

    def _mutate_str(self, s, t):
        rng = self.rng
        roll = rng.randrange(11)
        if roll == 0 and s:
            i = rng.randrange(len(s))
            return s[:i] + s[i + 1:]
        if roll == 1:
            i = rng.randint(0, len(s))
            return s[:i] + rng.choice(self.alphabet) + s[i:]
        if roll == 2 and s:
            i = rng.randrange(len(s))
            return s[:i] + rng.choice(self.alphabet) + s[i + 1:]
        if roll == 3 and self.lit_strs:
            return s + rng.choice(self.lit_strs) if rng.random() < 0.5 else rng.choice(self.lit_strs) + s
        if roll == 4:
            return s.swapcase()
        if roll == 5 and len(s) <= 10:
            return s + s
        if roll == 6:
            return s[::-1]
        if roll == 7:
            return ''
        if roll == 8 and len(s) > 1:
            i = rng.randint(1, len(s) - 1)
            return s[:i] + ' ' + s[i:]
        if roll == 9 and s:
            return s[: max(1, len(s) // 2)]
        return self.make(t)

    def _mutate_list(self, items, element, depth):
        rng = self.rng
        roll = rng.randrange(8)
        element_type = element or (type_of(items[0]) if items else ('int',))
        if (roll == 0 or not items) and len(items) < 8:
            items.insert(rng.randint(0, len(items)), self.make(element_type, depth + 1))
        elif roll == 1:
            del items[rng.randrange(len(items))]
        elif roll in (2, 3):
            i = rng.randrange(len(items))
            items[i] = self.mutate(items[i], element_type, depth + 1)
        elif roll == 4:
            rng.shuffle(items)
        elif roll == 5:
            return []
        elif roll == 6 and len(items) < 8:
            items.append(rng.choice(items))
        else:
            try:
                items.sort(reverse=rng.random() < 0.5)
            except TypeError:
                rng.shuffle(items)
        return items

    def _mutate_dict(self, d, t, depth):
        rng = self.rng
        value_type = t[2] if t[0] == 'dict' else None
        fields = dict(t[1]) if t[0] == 'record' else {}
        roll = rng.randrange(4)
        if roll == 0 and d:
            del d[rng.choice(list(d))]
        elif roll == 1 and len(d) < 6:
            missing = [key for key in fields if key not in d]
            if missing:
                key = rng.choice(missing)
                d[key] = self.make(fields[key], depth + 1)
            else:
                d[self.make(('str',), depth + 1)] = self.make(value_type or ('int',), depth + 1)
        elif d:
            key = rng.choice(list(d))
            d[key] = self.mutate(d[key], fields.get(key) or value_type or type_of(d[key]), depth + 1)
        else:
            d = self.make(t if t[0] in ('dict', 'record') else ('dict', ('str',), ('int',)), depth)
        return d


def _hashable(t):
    return t[0] in _HASHABLE and t[2:] != ('list',) and (t[0] != 'fixed' or all(_hashable(item) for item in t[1]))


def _numeric_text(text):
    """A literal that reads as a plain number ('42', '-2.5'): the code compares digit strings to it."""
    try:
        float(text)
    except ValueError:
        return False
    # Not 'nan', 'inf', 'Infinity' or ' 7': float() reads them, but they are words or padding.
    return text.strip() == text and not any(c.isalpha() and c != 'e' for c in text)


def type_of(value):
    if isinstance(value, bool):
        return ('bool',)
    if isinstance(value, int):
        return ('int',)
    if isinstance(value, float):
        return ('float',)
    if isinstance(value, str):
        return ('str',)
    if isinstance(value, (list, tuple, set)):
        inner = type_of(next(iter(value))) if value else ('int',)
        return ({list: 'list', tuple: 'tuple', set: 'set'}[type(value)], inner)
    if isinstance(value, dict):
        return ('dict', ('str',), type_of(next(iter(value.values()))) if value else ('int',))
    return ('none',)

# The fuzzer's candidates ({param name: value}): fresh ones of each parameter's own types
# (owntypes.py), mutants of ones that revealed something, and targeted variants: the constants a
# parameter is compared with swept in turn, a key a KeyError named put in (repair.py), arguments
# made to agree with the ones they are looked up in. Type-confused values come only at the
# `explore` rate; the other kind of number (a float for an int parameter with some float evidence,
# and the reverse) a little more often: such an input is "near" the types, and is shown only where
# it reveals what the others do not (select.py). All randomness is the given generator's.
from case2code_inputs.calls import VARARGS, VARKW
from case2code_inputs.owntypes import kind_of, own_types
from case2code_inputs.repair import missing_key, value_type, with_key
from case2code_inputs.values import FALLBACK_TYPES, ValueMaker, type_of

_LINK_SHARE = 0.12  # mutations that make an argument agree with the one it is looked up in
_NEAR_SHARE = 0.1   # values of a number parameter that are of the other kind of number
_NEAR = {'int': ('float',), 'float': ('int',)}
_SPECIAL = ('__seeded__',)  # keys of a candidate that are not parameters


class Candidates:
    def __init__(self, params, literals, links, rng, explore):
        self.params = params
        self.rng = rng
        self.maker = ValueMaker(rng, literals)
        self.literals = literals['str'] + literals['int'] + literals['float']
        self.links = [tuple(link) for link in links or ()]
        self.explore = explore
        # Each parameter's own types and the kinds of value they allow: inputs that fit are what a
        # person would pass; the others are type-confused edge cases.
        self.accepted, self.others, self.expected, self.types, self.consts, self.near = {}, {}, {}, {}, {}, {}
        for p in params:
            self.set_types(p['name'], own_types(p['types'], p.get('checked'), p.get('tolerant')))

    def set_types(self, name, own):
        """Take `own` [(weight, type)] as the types of parameter `name`."""
        param = next(p for p in self.params if p['name'] == name)
        self.accepted[name] = own
        self.others[name] = [t for w, t in param['types'] if (w, t) not in own]
        kinds = {kind_of(t) for _, t in own}
        self.expected[name] = None if None in kinds else kinds
        self.types[name] = own[0][1] if param['kind'] not in ('var_positional', 'var_keyword') else param['types'][0][1]
        self.consts[name] = [c for c in param['consts'] if self.fits_kind(name, c)]
        near = _NEAR.get(next(iter(kinds))) if len(kinds) == 1 else None
        inferred = {kind_of(t) for _, t in param['types']}
        self.near[name] = near if near and near[0] in inferred else None

    def alternatives(self, name):
        """Types parameter `name` might have instead of its own: its other inferred types, then
        the plain fallbacks, one of each kind."""
        kinds = {kind_of(t) for _, t in self.accepted[name]}
        out = []
        for t in self.others[name] + FALLBACK_TYPES:
            if kind_of(t) not in kinds and t[0] != 'none':
                kinds.add(kind_of(t))
                out.append(t)
        return out

    # ---- fit -----------------------------------------------------------------------------------

    def fits_kind(self, name, value):
        expected = self.expected.get(name)
        return expected is None or type_of(value)[0] in expected

    def fits(self, candidate):
        return all(self.fits_kind(name, value) for name, value in candidate.items() if name not in _SPECIAL)

    def near_fits(self, candidate):
        """Every value of the parameter's types or of its near kind of number."""
        return all(self.fits_kind(name, value) or (self.near.get(name) and type_of(value) == self.near[name])
                   for name, value in candidate.items() if name not in _SPECIAL)

    # ---- fresh and mutated ---------------------------------------------------------------------

    def pick_type(self, param):
        rng = self.rng
        if rng.random() < self.explore:
            others = self.others.get(param['name']) or []
            return rng.choice(others + FALLBACK_TYPES)
        near = self.near.get(param['name'])
        if near and rng.random() < _NEAR_SHARE:
            return near
        types = self.accepted.get(param['name']) or param['types']
        total = sum(w for w, _ in types)
        roll = rng.random() * total
        for weight, t in types:
            roll -= weight
            if roll <= 0:
                return t
        return types[-1][1]

    def fresh(self):
        rng = self.rng
        candidate = {}
        for param in self.params:
            kind, name = param['kind'], param['name']
            if kind == 'var_positional':
                element = param['types'][0][1][1]
                values = [self.maker.make(element) for _ in range(rng.choice((0, 1, 2, 2, 3)))]
                if values:
                    candidate[VARARGS] = values
            elif kind == 'var_keyword':
                if rng.random() < 0.3:
                    value_type_ = param['types'][0][1][2]
                    candidate[VARKW] = {rng.choice(('a', 'b', 'key', 'x')): self.maker.make(value_type_)}
            elif param.get('internal') or (param['optional'] and rng.random() < 0.3):
                continue
            elif self.consts[name] and rng.random() < 0.3:
                candidate[name] = rng.choice(self.consts[name])
            else:
                candidate[name] = self.maker.make(self.pick_type(param))
        return candidate

    def mutate(self, parent):
        rng = self.rng
        if self.links and rng.random() < _LINK_SHARE:
            agreed = self.agree(parent)
            if agreed is not None:
                return agreed
        candidate = dict(parent)
        named = [p for p in self.params if p['kind'] not in ('var_positional', 'var_keyword') and not p.get('internal')]
        if not named:
            if VARARGS in candidate or any(p['kind'] == 'var_positional' for p in self.params):
                candidate[VARARGS] = self.maker.mutate(list(candidate.get(VARARGS, [])), ('list', ('int',)))
            return candidate
        for _ in range(1 if rng.random() < 0.7 else 2):
            param = rng.choice(named)
            name = param['name']
            main = self.types[name]
            roll = rng.random()
            if name not in candidate:
                candidate[name] = self.maker.make(self.pick_type(param))
            elif param['optional'] and roll < 0.08:
                del candidate[name]
            elif roll < 0.18:
                candidate[name] = self.maker.make(self.pick_type(param))
            elif roll < 0.3 and self.consts[name]:
                candidate[name] = rng.choice(self.consts[name])  # what this parameter is compared with
            elif roll < 0.36 and self.literals:
                # The code's own constants, where they are of the parameter's type.
                fitting = [v for v in self.literals if self.fits_kind(name, v)]
                candidate[name] = rng.choice(fitting) if fitting else self.maker.mutate(candidate[name], main)
            elif roll < 0.42 and len(candidate) > 1:
                # A value (an item, a key) of another parameter: code often compares its parameters
                # and looks one up in another (`if key in d`).
                other = candidate[rng.choice([key for key in candidate if key != name and key not in _SPECIAL] or [name])]
                if isinstance(other, (list, tuple, dict)) and other and not self.fits_kind(name, other):
                    other = rng.choice(list(other))
                candidate[name] = other if self.fits_kind(name, other) else self.maker.mutate(candidate[name], main)
            else:
                candidate[name] = self.maker.mutate(candidate[name], main)
        return candidate

    # ---- targeted variants ---------------------------------------------------------------------

    def agree(self, candidate):
        """A copy where an argument looked up in another agrees with it: a key of the mapping, an
        item or a position of the sequence, or the container holding the key; None if none fits."""
        rng = self.rng
        container, key = rng.choice(self.links)
        held = candidate.get(container)
        if not isinstance(held, (dict, list, tuple, str)):
            return None
        out = dict(candidate)
        if key in candidate and rng.random() < 0.5:
            value = candidate[key]
            if isinstance(held, dict):
                try:
                    hash(value)
                except TypeError:
                    return None
                out[container] = dict(held)
                out[container][value] = self.maker.make(value_type(self.types[container], held))
            elif isinstance(held, list) and len(held) < 8:
                out[container] = held[:] + [value]
                out[container].insert(rng.randint(0, len(held)), out[container].pop())
            else:
                return None
            return out if self.fits_kind(container, out[container]) else None
        if not held:
            return None
        if isinstance(held, str):
            # A piece of the string: all of it, its start, its end, one character.
            cut = rng.randint(0, len(held))
            out[key] = rng.choice((held, held[:cut] or held, held[cut:] or held, held[rng.randrange(len(held))]))
            return out if self.fits_kind(key, out[key]) else None
        choices = list(held) if isinstance(held, dict) else [held[rng.randrange(len(held))]]
        if not isinstance(held, dict) and not self.fits_kind(key, choices[0]):
            choices = [rng.randrange(len(held))]  # not an item: a position
        out[key] = rng.choice(choices)
        return out if self.fits_kind(key, out[key]) else None

    def sweep(self, candidate):
        """The same input with each constant a parameter is compared with in its place, one
        parameter at a time (`direction == '>'`, `'<'`, ...): random choice might take long to try
        them all where the rest of the input is valid."""
        out = []
        for param in self.params:
            name = param['name']
            if name not in candidate:
                continue
            for value in self.consts[name]:
                if not (type(value) is type(candidate[name]) and value == candidate[name]):
                    variant = dict(candidate)
                    variant[name] = value
                    out.append(variant)
        return out

    def repair(self, candidate, out):
        """The input with the key a KeyError named put into each mapping argument that lacks it."""
        key = missing_key(out)
        if key is None:
            return []
        return with_key(candidate, key, lambda name, mapping: self.maker.make(value_type(self.types.get(name, ('int',)), mapping)))

    def retyped(self, candidate, name, t):
        """The input with parameter `name` given a fresh value of type `t`."""
        variant = dict(candidate)
        variant[name] = self.maker.make(t)
        return variant

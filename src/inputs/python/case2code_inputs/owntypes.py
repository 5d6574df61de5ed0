# Which of a parameter's inferred types (infer.py) the fuzzer takes to be its own: the values a
# person would pass. Inputs of these types "fit"; any other value is a type-confused edge case,
# explored and shown only at the edge share's rate.
from case2code_inputs.values import FALLBACK_TYPES

ACCEPT = 0.6            # an inferred type counts as the parameter's when its weight is this share of the top's
_FLOAT_OVER_INT = 1.2   # float evidence must be this much stronger than int's for floats alone
_KIND_OF = {'record': 'dict', 'numstr': 'str', 'any': None, 'oneof': None}
PLAIN_TYPES = {'int': ('int',), 'float': ('float',), 'str': ('str',), 'bool': ('bool',), 'none': ('none',),
               'bytes': ('bytes',), 'list': ('list', ('int',)), 'tuple': ('tuple', ('int',)),
               'set': ('set', ('int',)), 'dict': ('dict', ('str',), ('int',))}


def kind_of(t):
    """The Python type name of values of type `t` (None: any)."""
    if t[0] == 'fixed':
        return t[2] if len(t) > 2 else 'tuple'
    return _KIND_OF.get(t[0], t[0])


def own_types(types, checked=(), tolerant=False):
    """The types a parameter is taken to have (see _strongest); with `checked`, the kinds the code
    tells apart with isinstance() (and None when it tests for it); `tolerant` (the code catches the
    TypeError of a wrong type): any type besides, each less often."""
    own = _strongest(types)
    if checked:
        by_kind = {}
        for w, t in types:
            by_kind.setdefault(kind_of(t), (w, t))
        low = min(w for w, _ in types)
        own = [by_kind.get(kind) or (low, PLAIN_TYPES[kind]) for kind in checked if kind in PLAIN_TYPES] or own
    if tolerant:
        kinds = {kind_of(t) for _, t in own}
        share = 0.3 * max(w for w, _ in own)
        own = own + [(share, t) for t in FALLBACK_TYPES if kind_of(t) not in kinds]
    return own


def _strongest(types):
    """The inferred types a parameter is taken to have: those nearly as strong as the strongest;
    of int and float one: int unless float's evidence is clearly stronger (a person passes whole
    numbers unless something asks for a fraction); of a number and a numeric string, the stronger
    (both when close); of list, tuple and set the strongest; of str and list, when both, only the
    stronger (a string is iterated and indexed like a list)."""
    top = max((w for w, _ in types), default=0.0)
    own = [(w, t) for w, t in types if w >= ACCEPT * top] or list(types)
    weight = {}
    for w, t in own:
        weight[_sort(t)] = max(weight.get(_sort(t), 0.0), w)
    if 'int' in weight and 'float' in weight:
        low = 'int' if weight['float'] >= _FLOAT_OVER_INT * weight['int'] else 'float'
        own = [(w, t) for w, t in own if _sort(t) != low]
        weight.pop(low)
    number = 'int' if 'int' in weight else 'float' if 'float' in weight else None
    if number and 'numstr' in weight and min(weight[number], weight['numstr']) < 0.9 * max(weight[number], weight['numstr']):
        low = number if weight[number] < weight['numstr'] else 'numstr'
        own = [(w, t) for w, t in own if _sort(t) != low]
    containers = sorted((k for k in ('list', 'tuple', 'set') if k in weight), key=lambda k: (-weight[k], k != 'list'))
    if len(containers) > 1:  # one kind of sequence: the strongest (a list when they tie)
        own = [(w, t) for w, t in own if _sort(t) not in containers[1:]]
        for low in containers[1:]:
            weight.pop(low, None)
    if 'str' in weight and 'list' in weight:
        close = min(weight['str'], weight['list']) >= 0.9 * max(weight['str'], weight['list'])
        # A close call between str and list goes to the list: a name that says text already
        # weighed in for the str.
        low = 'str' if close or weight['str'] < weight['list'] else 'list'
        own = [(w, t) for w, t in own if _sort(t) != low]
    return own


def _sort(t):
    """What _strongest weighs a type as: its kind, a fixed-length one's container."""
    return kind_of(t) if t[0] == 'fixed' else t[0]

# Candidates repaired from what their run raised, as a person reads an error and fixes the input:
# a KeyError names the key a mapping argument lacks (`d['HicChrBegin' + name]` wants a key made from
# another argument, which random values almost never hit), so the fuzzer tries the same input with
# that key added to each mapping argument. Each repair is one more execution of the search's
# budget; a repaired input that raises another KeyError is repaired again, up to MAX_REPAIRS.
import ast

MAX_REPAIRS = 40  # repaired candidates per function, at most
_PREFIX = 'e:KeyError: '
_PLAIN = (str, int, float, bool, type(None))


def missing_key(out):
    """The key a KeyError outcome names, or None (not a KeyError, or a key we cannot write)."""
    if not out.startswith(_PREFIX):
        return None
    try:
        key = ast.literal_eval(out[len(_PREFIX):])
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(key, _PLAIN) or (isinstance(key, tuple) and all(isinstance(k, _PLAIN) for k in key)):
        return key
    return None


def with_key(candidate, key, value_of):
    """Copies of `candidate`, one per mapping argument that lacks `key`, with the key added; its
    value is value_of(parameter name, the mapping)."""
    out = []
    for name, value in candidate.items():
        if isinstance(value, dict) and name != '__seeded__' and key not in value:
            repaired = dict(candidate)
            repaired[name] = dict(value)
            repaired[name][key] = value_of(name, value)
            out.append(repaired)
    return out


def value_type(t, mapping):
    """The type of a new value of mapping `mapping` held by a parameter of type `t`: the dict's value
    type, else that of a value it holds, else of a field the code reads."""
    if t[0] == 'dict':
        return t[2]
    for value in mapping.values():
        return _type_of_plain(value)
    if t[0] == 'record' and t[1]:
        return t[1][0][1]
    return ('int',)


def _type_of_plain(value):
    for kind, name in ((bool, 'bool'), (int, 'int'), (float, 'float'), (str, 'str')):
        if isinstance(value, kind):
            return (name,)
    return ('int',)

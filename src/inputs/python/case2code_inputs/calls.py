# Candidates as the fuzzer sees them ({param name: value}) and as calls ({"args": [...], "kwargs":
# {...}} of Python source), in both directions.
import builtins
import copy
import re

VARARGS, VARKW = '*', '**'
_ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+')


class Signature:
    def __init__(self, params):
        self.params = params  # from infer(): name, kind, optional, types
        self.by_name = {p['name']: p for p in params}
        self.has_varargs = any(p['kind'] == 'var_positional' for p in params)
        self.has_varkw = any(p['kind'] == 'var_keyword' for p in params)
        # With *args present, the named positional parameters before it must be passed by position.
        self.positional = [p['name'] for p in params
                           if p['kind'] == 'positional_only' or (self.has_varargs and p['kind'] == 'positional_or_keyword')]

    def to_call(self, candidate):
        """(args, kwargs) of values; omitted optional parameters are simply left out."""
        args = []
        for name in self.positional:
            if name not in candidate:
                break  # a later positional value cannot be passed once one is left out
            args.append(candidate[name])
        else:
            args.extend(candidate.get(VARARGS, ()))
        kwargs = {}
        for p in self.params:
            name = p['name']
            if name in self.positional or p['kind'] in ('var_positional', 'var_keyword'):
                continue
            if name in candidate:
                kwargs[name] = candidate[name]
        for name, value in candidate.get(VARKW, {}).items():
            kwargs[name] = value
        return args, kwargs

    def from_call(self, args, kwargs):
        """The inverse of to_call for values given by a seed; unknown keywords are kept as given."""
        candidate = {}
        positional_params = [p['name'] for p in self.params if p['kind'] in ('positional_only', 'positional_or_keyword')]
        extra = []
        for i, value in enumerate(args):
            if i < len(positional_params):
                candidate[positional_params[i]] = value
            else:
                extra.append(value)
        if extra:
            candidate[VARARGS] = extra
        for name, value in kwargs.items():
            if name in self.by_name and self.by_name[name]['kind'] not in ('var_positional', 'var_keyword'):
                candidate[name] = value
            else:
                candidate.setdefault(VARKW, {})[name] = value
        return candidate


def render(signature, candidate):
    """{"args": [source], "kwargs": {name: source}}: what `case2code exec` takes."""
    args, kwargs = signature.to_call(candidate)
    return {'args': [repr(v) for v in args], 'kwargs': {k: repr(v) for k, v in kwargs.items()}}


def spec_key(spec):
    return '\x00'.join(spec['args']) + '\x01' + '\x00'.join(k + '=' + v for k, v in sorted(spec['kwargs'].items()))


def spec_size(spec):
    return sum(len(s) for s in spec['args']) + sum(len(k) + len(s) + 1 for k, s in spec['kwargs'].items())


def readability_cost(spec):
    """0 for values of a comfortable length; more for one-character values and for long ones."""
    cost = 0.0
    for source in list(spec['args']) + list(spec['kwargs'].values()):
        size = len(source)
        if size <= 2:
            cost += 0.4
        elif size > 30:
            cost += min(3.0, (size - 30) / 25.0)
    return cost


_IMMUTABLE = {int, float, str, bool, bytes, type(None), complex}


def _immutable(value):
    kind = type(value)
    if kind in _IMMUTABLE:
        return True
    return kind is tuple and all(_immutable(item) for item in value)


def copy_call(args, kwargs):
    """Fresh copies, so a function that mutates its arguments cannot change the recorded input.
    Immutable values (the common case) are passed as they are."""
    if not all(_immutable(v) for v in args):
        args = copy.deepcopy(args)
    if not all(_immutable(v) for v in kwargs.values()):
        kwargs = {name: copy.deepcopy(v) for name, v in kwargs.items()}
    else:
        kwargs = dict(kwargs)
    return list(args), kwargs


def round_trips(spec, namespace=None):
    """True if every source evaluates to a value whose repr is the same source."""
    scope = namespace if namespace is not None else {'__builtins__': builtins}
    try:
        for source in list(spec['args']) + list(spec['kwargs'].values()):
            if repr(eval(source, scope)) != source:
                return False
    except Exception:
        return False
    return True


_KEY_PREFIX = {'return': 'r:', 'raise': 'e:'}  # timeouts and memory errors are 't:' and 'm:'


def output_key(verdict, value_text):
    """What makes two outputs 'the same' for diversity: memory addresses do not count, and a
    return never equals a raise."""
    return _KEY_PREFIX[verdict] + _ADDRESS.sub(' at 0x?', value_text)[:2000]

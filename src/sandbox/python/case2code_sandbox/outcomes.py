# Verdicts as plain data: what a call returned or raised, with the caps applied. Every field that
# leaves the process is built here from exact `str` and `int` values, whatever subclass tricks the
# code under test plays (a str whose __len__ lies, a __module__ that is not a string).
import io
import time

# Set once by the host at start-up (repr_cap, output_cap, ...); tools read it through api.config.
config = {'repr_cap': 4096, 'output_cap': 4096, 'max_repr_depth': 500, 'hash_seed': 0}

_CONTAINER_TYPES = frozenset({list, tuple, set, frozenset, dict})


def exact_str(text, cap):
    """`text` as an exact str of at most `cap` characters, and its full length. Uses str's own
    slots, so a subclass's __len__, __getitem__ or __str__ never runs."""
    if type(text) is not str:
        if not isinstance(text, str):
            text = '<not a string>'
        text = str.__getitem__(text, slice(0, None))  # a plain copy of the characters
    length = str.__len__(text)
    if length > cap:
        text = str.__getitem__(text, slice(0, cap))
    return text, length


def ms_since(start):
    return round((time.perf_counter() - start) * 1000, 3)


class CappedWriter(io.TextIOBase):
    """stdout/stderr during a call: keeps the first `cap` characters, counts and drops the rest."""

    def __init__(self, cap):
        self._parts = []
        self._size = 0
        self._cap = cap
        self.dropped = 0

    def writable(self):
        return True

    def write(self, text):
        text, length = exact_str(text if isinstance(text, str) else str(text), max(self._cap - self._size, 0))
        if text:
            self._parts.append(text)
            self._size += str.__len__(text)
        self.dropped += length - str.__len__(text)
        return length

    def getvalue(self):
        return ''.join(self._parts)


def describe(exc):
    """`Type: message` of an exception, capped; never raises."""
    try:
        text = f'{type(exc).__name__}: {exc}'
    except BaseException:
        text = type(exc).__name__
    return exact_str(text, config['repr_cap'])[0]


def exception_outcome(exc, ms, phase=None, stdout=''):
    if isinstance(exc, MemoryError):
        return {'verdict': 'memory', 'ms': ms}
    cls = type(exc)
    try:
        message = str(exc)
    except BaseException as inner:  # a broken __str__ is part of the function's behaviour
        message = f'<unprintable {cls.__name__}: {type(inner).__name__}>'
    out = {'verdict': 'raise', 'type': exact_str(cls.__name__, 200)[0],
           'message': exact_str(message, config['repr_cap'])[0], 'ms': ms}
    try:
        module = type.__getattribute__(cls, '__module__')  # past any metaclass __getattribute__
    except BaseException:
        module = '<unknown>'
    if not isinstance(module, str):
        module = '<not a string>'
    if module != 'builtins':
        out['module'] = exact_str(module, 200)[0]
    if phase:
        out['phase'] = phase
    if stdout:
        out['stdout'] = stdout
    return out


def _too_deep(value, limit):
    """True if containers nest deeper than `limit` (repr would overflow the C stack on Pyodide
    where CPython raises RecursionError). Walks level by level; a level whose items hold no
    container is cleared by one C-level pass."""
    if type(value) not in _CONTAINER_TYPES:
        return False
    level = [value]
    seen = 0
    for _ in range(limit + 1):
        nested = []
        for obj in level:
            items = obj.values() if isinstance(obj, dict) else obj
            if _CONTAINER_TYPES.isdisjoint(map(type, items)):
                continue
            nested.extend(item for item in items if type(item) in _CONTAINER_TYPES)
        if not nested:
            return False
        seen += len(nested)
        if seen > 200000:  # a huge but shallow value: repr copes, and walking it costs too much
            return False
        level = nested
    return True


def safe_repr(value):
    """(repr text as an exact str, full length), capped at repr_cap; raises RecursionError for
    too-deep values."""
    if _too_deep(value, config['max_repr_depth']):
        raise RecursionError('maximum recursion depth exceeded while getting the repr of an object')
    return exact_str(repr(value), config['repr_cap'])


def return_outcome(value, ms, stdout):
    try:
        text, length = safe_repr(value)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return exception_outcome(exc, ms, phase='repr', stdout=stdout)
    out = {'verdict': 'return', 'repr': text, 'ms': ms}
    if length > config['repr_cap']:
        out['truncated'] = True
        out['reprLength'] = length
    if stdout:
        out['stdout'] = stdout
    return out

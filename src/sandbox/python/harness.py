# The in-interpreter half of the sandbox. The worker thread calls init() once, then for each job
# begin() / call() ... / end(), or tool(). Every answer is a JSON string, so nothing but plain data
# crosses back to JavaScript.
import builtins
import gc
import io
import json
import os
import signal
import sys
import time
import warnings

# Imported once at start-up so that restoring sys.modules after a job never forces a slow re-import.
_PRELOAD = (
    'abc', 'array', 'ast', 'base64', 'binascii', 'bisect', 'calendar', 'cmath', 'collections',
    'collections.abc', 'copy', 'dataclasses', 'datetime', 'decimal', 'difflib', 'enum',
    'fractions', 'functools', 'hashlib', 'heapq', 'inspect', 'itertools', 'json', 'keyword',
    'math', 'numbers', 'operator', 'random', 're', 'statistics', 'string', 'struct', 'textwrap',
    'types', 'typing', 'unicodedata', 'string', 'zlib',
)
_CONTAINER_TYPES = frozenset({list, tuple, set, frozenset, dict})
_code_cache = {}  # expression source -> code object: inputs repeat across calls and jobs

_config = {
    'repr_cap': 4096, 'output_cap': 4096, 'max_repr_depth': 500, 'hash_seed': 0,
}


class _CappedWriter(io.TextIOBase):
    """stdout/stderr during a call: keeps the first `cap` characters, counts and drops the rest."""

    def __init__(self, cap):
        self._parts = []
        self._size = 0
        self._cap = cap
        self.dropped = 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self._cap - self._size
        if room > 0:
            kept = text[:room]
            self._parts.append(kept)
            self._size += len(kept)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        return ''.join(self._parts)


_state = None
_tools = {}
_job = None  # the running job: namespace, entry function, error


def preload(tools_json):
    """Import the common modules and load the tools. Runs before the memory snapshot is taken, so
    every interpreter started from the snapshot has them at no cost."""
    for name in _PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    for name, source in json.loads(tools_json).items():
        namespace = {'__name__': 'case2code_tool_' + name, 'harness': _Api}
        exec(compile(source, f'<tool {name}>', 'exec'), namespace)
        _tools[name] = namespace


def init(config_json, checkpoint=None):
    """Harden the interpreter and record the state every job gets back. Runs once per interpreter."""
    global _state
    _config.update(json.loads(config_json))
    if checkpoint is not None:
        _Api.checkpoint = staticmethod(lambda: checkpoint())
    harden(_config['hash_seed'])
    sys.stdin = io.StringIO('')
    gc.collect()
    _state = _State()
    return json.dumps({'python': sys.version.split()[0]})


# ---- one job ---------------------------------------------------------------------------------

def _fresh_namespace(name='__main__'):
    return {'__name__': name, '__builtins__': builtins, '__doc__': None}


def _exception_outcome(exc, ms, phase=None, stdout=''):
    if isinstance(exc, MemoryError):
        return {'verdict': 'memory', 'ms': ms}
    cls = type(exc)
    try:
        message = str(exc)
    except BaseException as inner:  # a broken __str__ is part of the function's behaviour
        message = f'<unprintable {cls.__name__}: {type(inner).__name__}>'
    if len(message) > _config['repr_cap']:
        message = message[:_config['repr_cap']]
    out = {'verdict': 'raise', 'type': cls.__name__, 'message': message, 'ms': ms}
    if cls.__module__ != 'builtins':
        out['module'] = cls.__module__
    if phase:
        out['phase'] = phase
    if stdout:
        out['stdout'] = stdout
    return out


def _too_deep(value, limit):
    """True if containers nest deeper than `limit`: repr would overflow the wasm stack and kill the
    interpreter, where native CPython raises RecursionError. Walks level by level; a level whose
    items hold no container is cleared by one C-level pass (`isdisjoint` over `map(type, ...)`)."""
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
    """(repr text, full length) with the cap applied; raises RecursionError for too-deep values."""
    if _too_deep(value, _config['max_repr_depth']):
        raise RecursionError('maximum recursion depth exceeded while getting the repr of an object')
    text = repr(value)
    return text, len(text)


def _return_outcome(value, ms, stdout):
    try:
        text, length = safe_repr(value)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        return _exception_outcome(exc, ms, phase='repr', stdout=stdout)
    out = {'verdict': 'return', 'repr': text, 'ms': ms}
    cap = _config['repr_cap']
    if length > cap:
        out['repr'] = text[:cap]
        out['truncated'] = True
        out['reprLength'] = length
    if stdout:
        out['stdout'] = stdout
    return out


def _run_captured(fn):
    """Run fn() with stdout/stderr captured and stdin empty; returns (value, exc, ms, output)."""
    writer = _CappedWriter(_config['output_cap'])
    sys.stdout = sys.stderr = writer
    sys.stdin = io.StringIO('')
    value = exc = None
    start = time.perf_counter()
    try:
        value = fn()
    except BaseException as caught:  # noqa: the verdict is the point
        exc = caught
    ms = round((time.perf_counter() - start) * 1000, 3)
    sys.stdin, sys.stdout, sys.stderr = _state.streams
    return value, exc, ms, writer.getvalue()


def begin(code, entry, setup):
    """Define the function (and run the setup) in a fresh namespace; null or a define-error outcome."""
    global _job
    random_module = sys.modules.get('random')
    if random_module is not None:
        random_module.seed(0)
    namespace = _fresh_namespace()
    _job = {'ns': namespace, 'fn': None, 'error': None}

    def define():
        exec(compile(code, '<function>', 'exec'), namespace)
        fn = namespace.get(entry, _MISSING)
        if fn is _MISSING:
            raise NameError(f"name '{entry}' is not defined")
        if not callable(fn):
            raise TypeError(f"'{type(fn).__name__}' object is not callable")
        return fn

    fn, exc, ms, out = _run_captured(define)
    if isinstance(exc, KeyboardInterrupt):
        _job['error'] = {'verdict': 'timeout', 'ms': ms}
    elif exc is not None:
        _job['error'] = _exception_outcome(exc, ms, phase='define', stdout=out)
    elif setup:
        _, exc, ms, out = _run_captured(lambda: exec(compile(setup, '<setup>', 'exec'), namespace))
        if isinstance(exc, KeyboardInterrupt):
            _job['error'] = {'verdict': 'timeout', 'ms': ms}
        elif exc is not None:
            _job['error'] = {'verdict': 'bad-input',
                             'message': f'setup failed: {type(exc).__name__}: {exc}'[:_config['repr_cap']]}
    _job['fn'] = fn
    return json.dumps(_job['error'])


def _compiled(source):
    """The code object of an expression, compiled once: a compile costs far more than the eval."""
    code = _code_cache.get(source)
    if code is None:
        if len(_code_cache) > 4096:
            _code_cache.clear()
        code = _code_cache[source] = compile(source, '<input>', 'eval')
    return code


def _build_arguments(spec, namespace):
    """(args, kwargs) of one call, from its expression sources, evaluated in the job's namespace."""
    kwargs = {}
    if spec.get('kwargsFrom'):
        kwargs.update(eval(_compiled(spec['kwargsFrom']), namespace))
    args_src = spec.get('args') or ()
    kwargs_src = spec.get('kwargs') or {}
    if not args_src and not kwargs_src:
        return [], kwargs
    try:
        # One compile for the whole call is much cheaper than one per argument. Each expression
        # sits on its own lines, so a trailing comment cannot swallow the next one.
        code = _compiled('([' + ''.join(f'(\n{src}\n),' for src in args_src) + '], {' +
                         ''.join(f'{name!r}: (\n{src}\n),' for name, src in kwargs_src.items()) + '})')
    except SyntaxError:
        # Evaluate one by one so the error names the expression that is wrong.
        args = [eval(src, namespace) for src in args_src]
        kwargs.update({name: eval(src, namespace) for name, src in kwargs_src.items()})
        return args, kwargs
    args, named = eval(code, namespace)
    kwargs.update(named)
    return args, kwargs


def _since(start):
    return round((time.perf_counter() - start) * 1000, 3)


def call(call_json):
    """One call of the entry function; the arguments are evaluated fresh, in the job's namespace.
    Building the arguments and calling share one capture of the streams: this is the hot path."""
    if _job['error'] is not None:
        return json.dumps(_job['error'])
    spec = json.loads(call_json)
    writer = _CappedWriter(_config['output_cap'])
    sys.stdout = sys.stderr = writer
    sys.stdin = io.StringIO('')
    start = None  # set once the arguments are built: an exception before it is bad input
    try:
        args, kwargs = _build_arguments(spec, _job['ns'])
        start = time.perf_counter()
        value = _job['fn'](*args, **kwargs)
        outcome = _return_outcome(value, _since(start), writer.getvalue())
    except KeyboardInterrupt:
        outcome = {'verdict': 'timeout', 'ms': _since(start) if start is not None else 0}
    except BaseException as exc:  # noqa: the verdict is the point
        if start is None:
            outcome = {'verdict': 'bad-input', 'message': _describe(exc)}
        else:
            outcome = _exception_outcome(exc, _since(start), stdout=writer.getvalue())
    finally:
        sys.stdin, sys.stdout, sys.stderr = _state.streams
    return json.dumps(outcome)


def _describe(exc):
    try:
        return f'{type(exc).__name__}: {exc}'[:_config['repr_cap']]
    except BaseException:
        return type(exc).__name__


def tool(name, payload_json):
    """Run a trusted tool module's handle(payload); its JSON answer, or an outcome if it failed."""
    handler = _tools[name]['handle']
    payload = json.loads(payload_json)
    start = time.perf_counter()
    try:
        value = handler(payload)
        return json.dumps({'ok': True, 'value': value, 'ms': round((time.perf_counter() - start) * 1000, 3)})
    except KeyboardInterrupt:
        return json.dumps({'ok': False, 'outcome': {'verdict': 'timeout', 'ms': 0}})
    except BaseException as exc:
        ms = round((time.perf_counter() - start) * 1000, 3)
        return json.dumps({'ok': False, 'outcome': _exception_outcome(exc, ms)})
    finally:
        sys.stdin, sys.stdout, sys.stderr = _state.streams


def end():
    """Put back everything the job may have changed. Returns JSON {"recycle": bool}."""
    global _job
    _job = None
    restore(_state)
    return json.dumps({'recycle': False})


class _Api:
    """What tool modules may use from the harness."""
    fresh_namespace = staticmethod(_fresh_namespace)
    run_captured = staticmethod(_run_captured)
    build_arguments = staticmethod(_build_arguments)
    exception_outcome = staticmethod(_exception_outcome)
    return_outcome = staticmethod(_return_outcome)
    safe_repr = staticmethod(safe_repr)
    checkpoint = staticmethod(lambda: None)
    config = _config

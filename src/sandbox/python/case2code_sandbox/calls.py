# Running one job's code: define the function in a fresh namespace, build each call's arguments
# from their source text, call, and turn what happened into an outcome. Shared by both backends.
import builtins
import io
import re
import sys
import time

from case2code_sandbox import limits
from case2code_sandbox.outcomes import CappedWriter, config, describe, exception_outcome, ms_since, return_outcome

# What a call that is not run ends as: after the job's CPU budget is spent, and (for jobs with
# stopAfterTimeout, as scoring sends) after a call of the job ran out of its window.
NOT_RUN = {'verdict': 'timeout', 'ms': 0, 'message': 'not run: the job time budget is spent (its CPU time, or a call that waited to its wall-clock backstop)'}
NOT_RUN_AFTER_TIMEOUT = {'verdict': 'timeout', 'ms': 0, 'message': 'not run: an earlier call of this job ran out of time'}

_code_cache = {}  # expression source -> code object: inputs repeat across calls
_MISSING = object()


def fresh_namespace(name='__main__'):
    return {'__name__': name, '__builtins__': builtins, '__doc__': None}


def _swap_streams(writer):
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdout = sys.stderr = writer
    sys.stdin = io.StringIO('')
    return saved


def run_captured(fn):
    """Run fn() with stdout/stderr captured and stdin empty; returns (value, exc, ms, output). A
    window that ran out shows as a KeyboardInterrupt in `exc`, even if the code caught it."""
    writer = CappedWriter(config['output_cap'])
    saved = _swap_streams(writer)
    value = exc = None
    start = time.perf_counter()
    try:
        value = fn()
    except BaseException as caught:  # noqa: the verdict is the point
        exc = caught
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    if limits.window_expired() and not isinstance(exc, KeyboardInterrupt):
        exc = KeyboardInterrupt('time limit')
    return value, exc, ms_since(start), writer.getvalue()


def _compiled(source):
    """The code object of an expression, compiled once: a compile costs far more than the eval."""
    code = _code_cache.get(source)
    if code is None:
        if len(_code_cache) > 4096:
            _code_cache.clear()
        code = _code_cache[source] = compile(source, '<input>', 'eval')
    return code


# Sources whose value is plain enough to make without the compiler, which costs 10-20 us a call
# (most of a trivial call): decimal ints, floats as repr writes them, True/False/None, and
# strings without escapes, line breaks or NUL (their value is the text between the quotes).
_PLAIN_LITERAL = re.compile(r'-?(?:0|[1-9][0-9]{0,99})|-?[0-9]{1,50}\.[0-9]{1,50}(?:e[+-]?[0-9]{1,3})?'
                            r'|True|False|None|\'[^\'\\\n\r\0]*\'|"[^"\\\n\r\0]*"')
_NAME_CHARS = re.compile(r'[A-Za-z0-9_]*')
_CONSTANTS = {'True': True, 'False': False, 'None': None}
# `examples[3]`: an item of a list the setup made (the official benchmark's calls).
_NAME_INDEX = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\[(0|[1-9][0-9]{0,8})\]')


def _plain_value(source):
    """The value eval(source) has, for a plain literal; _MISSING for anything else."""
    if _PLAIN_LITERAL.fullmatch(source) is None:
        return _MISSING
    first = source[0]
    if first == "'" or first == '"':
        text = source[1:-1]
        # The compiler interns a constant made only of name characters; so do we, so that even
        # an identity test (`s is 'abc'`) sees the same object it would have seen.
        return sys.intern(text) if _NAME_CHARS.fullmatch(text) else text
    if source in _CONSTANTS:
        return _CONSTANTS[source]
    return float(source) if '.' in source else int(source)


def _item_of_named(source, namespace):
    """namespace[name][index] for a `name[index]` source whose name the namespace holds."""
    match = _NAME_INDEX.fullmatch(source)
    if match is None or match.group(1) not in namespace:
        return _MISSING
    return namespace[match.group(1)][int(match.group(2))]


def build_arguments(spec, namespace):
    """(args, kwargs) of one call, from its expression sources, evaluated in the job's namespace."""
    kwargs = {}
    if spec.get('kwargsFrom'):
        source = spec['kwargsFrom']
        named = _item_of_named(source, namespace)
        kwargs.update(eval(_compiled(source), namespace) if named is _MISSING else named)
    args_src = spec.get('args') or ()
    kwargs_src = spec.get('kwargs') or {}
    if not args_src and not kwargs_src:
        return [], kwargs
    args = [_plain_value(src) for src in args_src]
    named = {name: _plain_value(src) for name, src in kwargs_src.items()}
    if _MISSING not in args and _MISSING not in named.values():
        kwargs.update(named)
        return args, kwargs
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


def compile_setup(setup):
    """A job's setup as a code object; the same whether a child or its server compiles it."""
    return compile(setup, '<setup>', 'exec', dont_inherit=True)


class Job:
    """One function job: the code defined once, then its calls in order, sharing the namespace."""

    def __init__(self, code, entry, setup, setup_code=None):
        """`setup_code`: `setup` already compiled (compile_setup), by a server that saw it before."""
        self.namespace = fresh_namespace()
        self.fn = None
        self.error = None  # the outcome every call gets when the code itself failed
        limits.renew_window()
        fn, exc, ms, out = run_captured(lambda: self._define(code, entry))
        if isinstance(exc, KeyboardInterrupt):
            self.error = {'verdict': 'timeout', 'ms': ms}
        elif exc is not None:
            self.error = exception_outcome(exc, ms, phase='define', stdout=out)
        elif setup:
            limits.renew_window()
            _, exc, ms, out = run_captured(lambda: exec(setup_code if setup_code is not None else compile_setup(setup), self.namespace))
            if isinstance(exc, KeyboardInterrupt):
                self.error = {'verdict': 'timeout', 'ms': ms}
            elif exc is not None:
                self.error = {'verdict': 'bad-input', 'message': 'setup failed: ' + describe(exc)}
        self.fn = fn

    def _define(self, code, entry):
        exec(compile(code, '<function>', 'exec'), self.namespace)
        fn = self.namespace.get(entry, _MISSING)
        if fn is _MISSING:
            raise NameError(f"name '{entry}' is not defined")
        if not callable(fn):
            raise TypeError(f"'{type(fn).__name__}' object is not callable")
        return fn

    def call(self, spec):
        """One call; the arguments are evaluated fresh, in the job's namespace. Building the
        arguments and calling share one capture of the streams: this is the hot path."""
        if self.error is not None:
            return self.error
        writer = CappedWriter(config['output_cap'])
        saved = _swap_streams(writer)
        start = None  # set once the arguments are built: an exception before it is bad input
        limits.renew_window()
        try:
            try:
                args, kwargs = build_arguments(spec, self.namespace)
                start = time.perf_counter()
                value = self.fn(*args, **kwargs)
                limits.check_window()
                outcome = return_outcome(value, ms_since(start), writer.getvalue())
            except KeyboardInterrupt:
                outcome = {'verdict': 'timeout', 'ms': ms_since(start) if start is not None else 0}
            except BaseException as exc:  # noqa: the verdict is the point
                if start is None:
                    outcome = {'verdict': 'bad-input', 'message': describe(exc)}
                else:
                    outcome = exception_outcome(exc, ms_since(start), stdout=writer.getvalue())
            finally:
                sys.stdin, sys.stdout, sys.stderr = saved
            if limits.window_expired() and outcome['verdict'] != 'timeout':
                # The code caught the interrupt and went on: the call still ran out of time.
                outcome = {'verdict': 'timeout', 'ms': outcome.get('ms', 0)}
        except KeyboardInterrupt:
            # The window ran out after the code had ended, while what it left was freed (the
            # frames of an exception that held a huge list go at the end of its handler) or its
            # outcome made: the call still ran out of time. Escaping, it ended the process as
            # a crash, by how fast the memory went back.
            outcome = {'verdict': 'timeout', 'ms': ms_since(start) if start is not None else 0}
        limits.stop_window()
        return outcome


def run_calls(runner, job, indices, batcher, budget_spent, before_call):
    """Make the job's calls in `indices` order, each outcome to `batcher`; both backends' one rule
    for the calls not run: once `budget_spent()` says the job's CPU budget is gone (it is looked at
    between calls: the call in flight keeps its own window), and after a call that timed out in a
    job with stopAfterTimeout. `before_call(index)` marks the call in flight."""
    calls = job['calls']
    skipped = None  # the outcome of every call still to come, once they are not run
    for index in indices:
        if skipped is None and budget_spent():
            skipped = NOT_RUN
        if skipped is not None:
            batcher.add(index, skipped)
            continue
        before_call(index)
        outcome = runner.call(calls[index])
        if outcome['verdict'] == 'timeout' and job.get('stopAfterTimeout'):
            skipped = NOT_RUN_AFTER_TIMEOUT
        batcher.add(index, outcome)
    batcher.flush()


def run_tool(handler, payload):
    """A trusted tool's handle(payload) in one window: (outcome, answer). The answer is only
    meaningful when the outcome is a `return`; a timeout or the tool's own exception is the verdict."""
    start = time.perf_counter()
    value = None
    limits.renew_window()
    try:
        value = handler(payload)
        outcome = {'verdict': 'return', 'repr': '', 'ms': ms_since(start)}
    except KeyboardInterrupt:
        outcome = {'verdict': 'timeout', 'ms': ms_since(start)}
    except BaseException as exc:  # a tool's own failure is that call's verdict
        outcome = exception_outcome(exc, ms_since(start))
    finally:
        limits.stop_window()
    return outcome, value


def outcome_item(index, outcome, value=_MISSING):
    """One item of a child's batch line, {"batch": [items]}, the one format both backends' children
    write: the call's index, its outcome and, for a tool that answered, its answer."""
    item = {'index': index, 'outcome': outcome}
    if value is not _MISSING:
        item['value'] = value
    return item


class Batcher:
    """A job's outcomes go out in one batch line at its end, or every STREAM_AFTER_S once it runs
    long: one write instead of one per call (a per-call write was a third of a short call's cost
    on both backends). If the process dies, the outcomes not yet sent are lost with it: its worker
    blames the call in flight (which the child marks before each call) and runs the others again.
    `send(message)` writes one line."""

    STREAM_AFTER_S = 0.05

    def __init__(self, send):
        self.send = send
        self.pending = []
        self.last = time.monotonic()

    def add(self, index, outcome):
        self.pending.append(outcome_item(index, outcome))
        if time.monotonic() - self.last > self.STREAM_AFTER_S:
            self.flush()

    def flush(self):
        if self.pending:
            self.send({'batch': self.pending})
            self.pending = []
        self.last = time.monotonic()


def tool_result(outcome, value):
    """The batch item of a tool call: with its answer when it answered."""
    return outcome_item(0, outcome, value) if outcome['verdict'] == 'return' else outcome_item(0, outcome)


def not_json(exc):
    """The batch item of a tool whose answer cannot be sent."""
    return outcome_item(0, {'verdict': 'crash', 'message': 'tool answer is not JSON: ' + describe(exc)})

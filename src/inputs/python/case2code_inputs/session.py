# One function under test, defined once in a fresh namespace and run many times with coverage. Each
# execution is bounded by a count of steps (see coverage.py), and gets its own sandbox window as a
# backstop for work the tracer cannot see.
from case2code_sandbox import api as harness
from case2code_inputs.calls import output_key
from case2code_inputs.coverage import Codes, Coverage

# Steps one execution may take unless the caller says otherwise: far more than a function needs on
# the small values the fuzzer makes, far fewer than a runaway loop would take in a second.
DEFAULT_MAX_STEPS = 100000

_PLAIN = {int, float, str, bool, type(None)}


class Session:
    """Use as: session = Session(code, entry); if session.error: give up; session.run(args, kwargs,
    max_steps) for each candidate; session.close()."""

    def __init__(self, code, entry):
        self.error = None
        self.namespace = harness.fresh_namespace()
        self.module_code = compile(code, '<function>', 'exec')
        harness.checkpoint()
        _, exc, _, _ = harness.run_captured(lambda: exec(self.module_code, self.namespace))
        if exc is not None:
            kind = 'define-timeout' if isinstance(exc, KeyboardInterrupt) else 'define-failed'
            self.error = (kind, f'{type(exc).__name__}: {exc}'[:300])
            return
        self.fn = self.namespace.get(entry)
        if not callable(self.fn):
            self.error = ('no-function', f'{entry!r} is not a function after running the code')
            return
        harness.checkpoint()  # a window of its own for reading the code's branch points (trusted, ~1 ms)
        self.codes = Codes(self.module_code, code)  # what static_totals and Coverage count
        self.coverage = Coverage(self.codes)
        self.last_steps = 0
        self.last_window_timeout = False  # the sandbox's window, not the step count, ended the last run

    def run(self, args, kwargs, max_steps):
        """(verdict, output key, features) of one call; verdict: return, raise, timeout, memory.

        A timeout is an execution that went past `max_steps` steps (even if the code caught the
        StepLimitReached and carried on), or one the sandbox's window stopped. What the function
        prints is not part of its output: it is captured and dropped.
        """
        fn = self.fn
        coverage = self.coverage
        self.last_window_timeout = False
        harness.checkpoint()
        coverage.start(max_steps)
        try:
            value, exc, _, _ = harness.run_captured(lambda: fn(*args, **kwargs))
        finally:
            features = coverage.stop()
        self.last_steps = coverage.steps
        if coverage.cut:
            return 'timeout', 't:', features
        verdict, out = outcome(value, exc)
        self.last_window_timeout = verdict == 'timeout'
        return verdict, out, features

    def close(self):
        if self.error is None:
            self.coverage.close()


def outcome(value, exc):
    """(verdict, output key) of a call that returned `value` or raised `exc`. A KeyboardInterrupt is
    the sandbox's window running out: a timeout."""
    if exc is not None:
        if isinstance(exc, KeyboardInterrupt):
            return 'timeout', 't:'
        if isinstance(exc, MemoryError):
            return 'memory', 'm:'
        return 'raise', output_key('raise', f'{type(exc).__name__}: {_message(exc)}')
    try:
        text = repr(value) if type(value) in _PLAIN else harness.safe_repr(value)[0]
    except KeyboardInterrupt:
        return 'timeout', 't:'
    except Exception as exc:  # a repr that fails is the function's behaviour, not ours
        return 'raise', output_key('raise', f'{type(exc).__name__}: {_message(exc)}')
    return 'return', output_key('return', text)


def _message(exc):
    try:
        return str(exc)[:200]
    except Exception:
        return '?'

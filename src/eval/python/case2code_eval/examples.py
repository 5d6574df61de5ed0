# Tool: run an official item's `example_str` and describe the `examples` it builds: how many, and a
# short repr of each (for results and reports). The gold code runs first, in the same namespace,
# because some example lists use names the function's module defines; if the gold code itself
# fails, the examples are tried alone.
from case2code_sandbox import api as harness

INPUT_REPR_CAP = 300


def _build(gold, example_str):
    namespace = harness.fresh_namespace()

    def run():
        if gold:
            exec(compile(gold, '<gold>', 'exec'), namespace)
        exec(compile(example_str, '<example_str>', 'exec'), namespace)
        return namespace.get('examples')

    harness.checkpoint()
    value, exc, _ms, _stdout = harness.run_captured(run)
    if isinstance(exc, KeyboardInterrupt):
        raise exc
    return value, exc


def _short_repr(value):
    try:
        text, _length = harness.safe_repr(value)
    except Exception as exc:  # an example whose repr fails is still a valid example
        return f'<unprintable {type(value).__name__}: {type(exc).__name__}>'
    return text if len(text) <= INPUT_REPR_CAP else text[:INPUT_REPR_CAP] + '...'


def handle(payload):
    example_str = payload['example_str']
    examples, exc = _build(payload.get('gold'), example_str)
    if exc is not None and payload.get('gold'):
        examples, exc = _build(None, example_str)
    if exc is not None:
        return {'error': f'example_str failed: {type(exc).__name__}: {exc}'}
    if not isinstance(examples, (list, tuple)):
        return {'error': f'example_str must build a list named examples, got {type(examples).__name__}'}
    bad = [i for i, example in enumerate(examples) if not isinstance(example, dict)]
    if bad:
        return {'error': f'examples[{bad[0]}] is not a dict of keyword arguments'}
    return {'count': len(examples), 'inputs': [_short_repr(example) for example in examples]}

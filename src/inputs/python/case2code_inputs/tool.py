# The `inputs` tool's entry point: handle(payload) dispatches on payload['op'].
#   fuzz     generate inputs by coverage-guided fuzzing (optionally seeded)
#   parse    read a model's answer into calls
#   measure  coverage, distinct outputs and raising share of given calls (for reports and benches)
#   infer    the inferred parameter types and literals (for tests and debugging)
#   select   the selection step alone, on given records (for tests)
from case2code_sandbox import api as harness
from case2code_inputs.coverage import is_arc, static_totals
from case2code_inputs.fuzz import fuzz
from case2code_inputs.infer import infer, type_text
from case2code_inputs.parse import parse_answer
from case2code_inputs.select import select_inputs
from case2code_inputs.session import DEFAULT_MAX_STEPS, Session


def handle(payload):
    op = payload.get('op', 'fuzz')
    if op == 'fuzz':
        return fuzz(payload)
    if op == 'parse':
        return parse_answer(payload)
    if op == 'measure':
        return measure(payload)
    if op == 'infer':
        info = infer(payload['code'], payload['entry'])
        return {
            'params': [{'name': p['name'], 'kind': p['kind'], 'optional': p['optional'],
                        'types': [[round(w, 2), type_text(t)] for w, t in p['types']]} for p in info['params']],
            'literals': info['literals'],
        }
    if op == 'select':
        records = [dict(r, features=frozenset(tuple(f) if isinstance(f, list) else f for f in r['features']))
                   for r in payload['records']]
        chosen, reason = select_inputs(records, int(payload['n']), float(payload.get('maxRaiseShare', 0.2)))
        return {'chosen': chosen, 'reason': reason}
    raise ValueError(f'unknown op {op!r}')


def measure(payload):
    """Run the given calls once each, in order, with coverage and the step limit `maxSteps`; what
    they cover and what they give."""
    session = Session(payload['code'], payload['entry'])
    if session.error:
        return {'error': session.error[0], 'detail': session.error[1]}
    try:
        max_steps = int(payload.get('maxSteps') or DEFAULT_MAX_STEPS)
        features = set()
        outputs = set()
        counts = {'return': 0, 'raise': 0, 'timeout': 0, 'memory': 0, 'bad-input': 0}
        for spec in payload['inputs']:
            harness.checkpoint()
            built, exc, _, _ = harness.run_captured(lambda: harness.build_arguments(spec, session.namespace))
            if exc is not None:
                counts['bad-input'] += 1
                continue
            verdict, out, covered = session.run(built[0], built[1], max_steps)
            counts[verdict] += 1
            features |= covered
            if verdict in ('return', 'raise'):
                outputs.add(out)
        total_arcs, total_lines = static_totals(session.codes)
        return {
            'arcs': [sum(1 for f in features if is_arc(f) and f[1] >= 0), total_arcs],
            'lines': [sum(1 for f in features if not is_arc(f)), total_lines],
            'distinctOutputs': len(outputs),
            'counts': counts,
        }
    finally:
        session.close()

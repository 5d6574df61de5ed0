# The `inputs` tool's entry point: handle(payload) dispatches on payload['op'].
#   fuzz     generate inputs by coverage-guided fuzzing (optionally seeded)
#   parse    read a model's answer into calls
#   measure  coverage, distinct outputs and raising share of given calls; with `rank`, the mutants
#            they kill and their order by what each reveals (the llm generator ranks its inputs so)
#   infer    the inferred parameter types and literals (for tests and debugging)
#   select   the selection step alone, on given records (for tests)
from case2code_sandbox import api as harness
from case2code_inputs.calls import copy_call, spec_size
from case2code_inputs.coverage import is_arc, static_totals
from case2code_inputs.fuzz import fuzz
from case2code_inputs.infer import infer, type_text
from case2code_inputs.parse import parse_answer
from case2code_inputs.mutants import MAX_MUTANTS, MAX_RUNS, Mutants
from case2code_inputs.select import rank, select_inputs
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
        for r in records:
            if 'kills' in r:
                r['kills'] = set(r['kills'])
        chosen, reason = select_inputs(records, int(payload['n']), float(payload.get('maxRaiseShare', 0.2)),
                                       float(payload.get('edgeShare', 1.0)), payload.get('required') or (),
                                       payload.get('maxAdded'))
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
        records = []  # per input: what select.rank weighs
        calls = []
        for spec in payload['inputs']:
            harness.checkpoint()
            built, exc, _, _ = harness.run_captured(lambda: harness.build_arguments(spec, session.namespace))
            if exc is not None:
                counts['bad-input'] += 1
                records.append({'features': frozenset(), 'out': 'b:', 'verdict': 'bad-input', 'size': 0})
                continue
            # The values as built, before the call: the function may change its arguments.
            call = (built[0], built[1], None, 0)
            args, kwargs = copy_call(built[0], built[1])
            verdict, out, covered = session.run(args, kwargs, max_steps)
            counts[verdict] += 1
            features |= covered
            if verdict in ('return', 'raise'):
                outputs.add(out)
                calls.append((len(records), call[:2] + (out, session.last_steps)))
            records.append({'features': covered, 'out': out, 'verdict': verdict, 'size': spec_size(_plain(spec))})
        total_arcs, total_lines = static_totals(session.codes)
        answer = {
            'arcs': [sum(1 for f in features if is_arc(f) and f[1] >= 0), total_arcs],
            'lines': [sum(1 for f in features if not is_arc(f)), total_lines],
            'distinctOutputs': len(outputs),
            'counts': counts,
        }
        if payload.get('rank'):
            harness.checkpoint()
            count = 0
            if calls:
                mutants = Mutants(payload['code'], payload['entry'], session.namespace,
                                  max(8, min(MAX_MUTANTS, MAX_RUNS // len(calls))))
                count = mutants.count
                for (index, _), kills in zip(calls, mutants.kills([c for _, c in calls]) if count else []):
                    records[index]['kills'] = kills
            answer['mutants'] = [len(set().union(*(r.get('kills', set()) for r in records))), count]
            answer['order'] = rank(records, list(range(len(records))))
        return answer
    finally:
        session.close()


def _plain(spec):
    return {'args': list(spec.get('args') or []), 'kwargs': dict(spec.get('kwargs') or {})}

# Choosing N inputs among everything the fuzzer ran: greedy on new coverage, then new outputs, with
# a cap on raising inputs and a preference for small, readable values.
import math


def select_inputs(records, n, max_raise_share=0.2):
    """records: dicts with key, features (set), out (str), verdict ('return'|'raise'|...), size (int).

    Returns (chosen indices in pick order, reason or None). The reason is set when nothing could be
    chosen: 'all-raise' (every valid run raised) or 'no-valid-inputs' (no run returned or raised).
    """
    eligible = [i for i, r in enumerate(records) if r['verdict'] in ('return', 'raise')]
    if not eligible:
        return [], 'no-valid-inputs'
    if not any(records[i]['verdict'] == 'return' for i in eligible):
        return [], 'all-raise'
    max_raise = int(math.floor(n * max_raise_share + 1e-9))
    chosen = []
    taken = set()
    covered = set()
    outputs = set()
    raise_types = set()
    shapes = set()
    raised = 0
    while len(chosen) < n:
        best = None
        best_score = None
        for i in eligible:
            if i in taken:
                continue
            record = records[i]
            raises = record['verdict'] == 'raise'
            if raises and raised >= max_raise:
                continue
            gain = len(record['features'] - covered)
            new_output = record['out'] not in outputs
            # Coverage first; then new outputs (worth less when the output is an exception); then
            # inputs that fit the inferred types, look unlike those chosen, and are easy to read.
            score = (
                gain * 10.0
                + ((1.5 if raises else 6.0) if new_output else 0.0)
                + (1.5 if record.get('fits', True) else 0.0)
                + (1.0 if record.get('shape') not in shapes else 0.0)
                - record.get('cost', min(3.0, record['size'] / 40.0))
            )
            if best_score is None or score > best_score:
                best, best_score = i, score
        if best is None:
            break
        record = records[best]
        chosen.append(best)
        taken.add(best)
        covered |= record['features']
        outputs.add(record['out'])
        shapes.add(record.get('shape'))
        if record['verdict'] == 'raise':
            raised += 1
            raise_types.add(record['out'])
    return chosen, None

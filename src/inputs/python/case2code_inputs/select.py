# Choosing N inputs among everything the fuzzer ran: greedy on what an input reveals of the
# function (new branch arcs and lines, mutants no chosen input kills yet, new outputs), with a cap on
# raising inputs, a cap on type-confused ones (the edge share), a few inputs "near" the types (a
# float for an int parameter) where they reveal what no other does, and a preference for small,
# readable values. The pick order is a ranking: its first k inputs are the greedy choice of k, which is how a
# sample chooses the cases it shows.
import math

# What one more input is worth, by what it adds.
W_FEATURE = 10.0    # per branch arc or line not covered yet
W_KILL = 4.0        # per mutant no chosen input kills yet
W_OUTPUT = 6.0      # a new return value
W_RAISE_OUTPUT = 1.5  # a new exception
W_FITS = 1.5        # its values are of the inferred types
W_SHAPE = 1.0       # its types and sizes are unlike those chosen
NEAR_SHARE = 0.2    # of the chosen, at most this share near the types (each revealing something new)


class _State:
    def __init__(self):
        self.covered = set()
        self.killed = set()
        self.outputs = set()
        self.shapes = set()
        self.raised = 0
        self.confused = 0
        self.near = 0

    def gain(self, record):
        """(features, kills, score) one record would add."""
        features = len(record['features'] - self.covered)
        kills = len(record.get('kills', ()) - self.killed) if record.get('kills') else 0
        new_output = record['out'] not in self.outputs
        raises = record['verdict'] == 'raise'
        score = (
            features * W_FEATURE + kills * W_KILL
            + ((W_RAISE_OUTPUT if raises else W_OUTPUT) if new_output else 0.0)
            + (W_FITS if record.get('fits', True) else 0.0)
            + (W_SHAPE if record.get('shape') not in self.shapes else 0.0)
            - record.get('cost', min(3.0, record['size'] / 40.0))
        )
        return features, kills, score

    def take(self, record):
        self.covered |= record['features']
        self.killed |= record.get('kills') or set()
        self.outputs.add(record['out'])
        self.shapes.add(record.get('shape'))
        self.raised += record['verdict'] == 'raise'
        if not record.get('fits', True):
            if record.get('near'):
                self.near += 1
            else:
                self.confused += 1


def select_inputs(records, n, max_raise_share=0.2, edge_share=1.0, required=(), max_added=None):
    """records: dicts with features (set), out (str), verdict ('return'|'raise'|...), size (int), and
    optionally kills (set of mutant numbers), fits (bool), near (bool: not fitting, but of the other
    kind of number), shape, cost.

    Without `required`: up to n inputs. With `required` (indices every answer keeps, e.g. a model's
    inputs in hybrid mode): those, plus at most `max_added` others, each only if it covers
    something or kills a mutant that the inputs before it did not. At most floor(n * edge_share)
    chosen inputs may be type-confused (fits False), unless fewer than 3 inputs would be left, and
    at most floor(n * NEAR_SHARE) near, each only if it covers something or kills a mutant that the
    inputs before it did not; the caps count the inputs added to the required ones.

    Returns (chosen indices in rank order, reason or None). The reason is set when nothing could be
    chosen: 'all-raise' (every valid run raised) or 'no-valid-inputs' (no run returned or raised).
    """
    eligible = [i for i, r in enumerate(records) if r['verdict'] in ('return', 'raise')]
    required = [i for i in required if records[i]['verdict'] in ('return', 'raise')]
    if not eligible:
        return [], 'no-valid-inputs'
    if not required and not any(records[i]['verdict'] == 'return' for i in eligible):
        return [], 'all-raise'
    max_raise = int(math.floor(n * max_raise_share + 1e-9))
    max_confused = int(math.floor(n * edge_share + 1e-9))
    max_near = int(math.floor(n * NEAR_SHARE + 1e-9))
    state = _State()
    chosen = []
    for i in required:
        state.take(records[i])
        chosen.append(i)
    # The caps are on what is added: the required inputs are kept whatever they are.
    state.raised = state.confused = state.near = 0
    limit = n if not required else len(required) + (n if max_added is None else max_added)
    taken = set(chosen)
    while len(chosen) < limit:
        open_ = [i for i in eligible if i not in taken
                 and not (records[i]['verdict'] == 'raise' and state.raised >= max_raise)]
        fitting_left = any(records[i].get('fits', True) for i in open_)
        allow_confused = state.confused < max_confused or (len(chosen) < 3 and not fitting_left)
        best = best_score = None
        for i in open_:
            record = records[i]
            near = not record.get('fits', True) and record.get('near')
            if near and state.near >= max_near:
                continue
            if not near and not allow_confused and not record.get('fits', True):
                continue
            features, kills, score = state.gain(record)
            if (required or near) and features == 0 and kills == 0:
                continue
            if best_score is None or score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        taken.add(best)
        state.take(records[best])
    if required and not any(records[i]['verdict'] == 'return' for i in chosen):
        # Every kept input raises: one that returns is the most revealing addition of all.
        returning = [i for i in eligible if i not in taken and records[i]['verdict'] == 'return']
        if not returning:
            return [], 'all-raise'
        chosen.append(max(returning, key=lambda i: state.gain(records[i])[2]))
    return (rank(records, chosen) if required else chosen), None


def rank(records, indices):
    """The same indices, in the order the greedy choice would pick them with no caps."""
    state = _State()
    left = list(indices)
    order = []
    while left:
        best = max(left, key=lambda i: (state.gain(records[i])[2], -left.index(i)))
        left.remove(best)
        order.append(best)
        state.take(records[best])
    return order

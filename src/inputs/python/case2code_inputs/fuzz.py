# The coverage-guided input generator (runs inside the sandbox as a tool). It infers parameter types,
# makes and mutates candidates, runs each one with coverage under a step limit, and keeps the
# candidates that reach new code or give new outputs for further mutation. At the end it makes
# mutants of the function (mutants.py), runs the shortlisted candidates on them, and selects N by
# what they reveal: coverage, mutants killed, outputs (select.py). Values are of the inferred types;
# type-confused ones are explored at the edge share's rate and make at most that share of the N.
# Deterministic for a given (seed, function): its random generator is seeded from both, and every
# budget is a count (executions, steps), never a time.
import random

from case2code_sandbox import api as harness
from case2code_inputs.calls import Signature, copy_call, readability_cost, render, round_trips, spec_key
from case2code_inputs.candidates import Candidates
from case2code_inputs.coverage import is_arc, static_totals
from case2code_inputs.infer import infer, type_text
from case2code_inputs.mutants import MAX_MUTANTS, MAX_RUNS, Mutants
from case2code_inputs.repair import MAX_REPAIRS
from case2code_inputs.select import select_inputs
from case2code_inputs.session import DEFAULT_MAX_STEPS, Session

# Steps of all runs of one function together: the search's budget besides its executions (a run
# that takes the full DEFAULT_MAX_STEPS costs about 50 ms on Pyodide, 0.1 s under sys.settrace).
DEFAULT_MAX_TOTAL_STEPS = 3000000

DEFAULT_EDGE_SHARE = 0.05  # share of type-confused inputs among those chosen, at most
_PATIENCE = 25            # fewest executions without new coverage before we call the function saturated
_STUCK = 50               # consecutive duplicate candidates before we call the input space exhausted
_MIN_STEPS = 10000        # the smallest step limit the fuzzer tightens to (see Fuzzer.execute)
_STEP_SLACK = 20          # a run may take this many times the median steps of the runs so far
_MAX_WINDOW_TIMEOUTS = 3  # runs the sandbox's window had to stop before we stop searching
_MAX_SWEEPS = 80          # runs of an input with a parameter's compared constants in turn, at most
_RETYPE_BASES = 3         # failing inputs an alternative type of a parameter is tried on
_MAX_RETYPE_RUNS = 36     # runs spent trying alternative types, at most
_TYPE_ERRORS = ('e:TypeError', 'e:AttributeError')


class Fuzzer:
    def __init__(self, session, info, seed, n, max_steps=DEFAULT_MAX_STEPS, max_total_steps=DEFAULT_MAX_TOTAL_STEPS,
                 edge_share=DEFAULT_EDGE_SHARE):
        self.session = session
        self.signature = Signature(info['params'])
        self.params = info['params']
        self.rng = random.Random(f'case2code:{seed}:{n}')
        # Values from outside the inferred types: as often as they may be chosen (a little more
        # when the search is stuck), since a confused input beyond the edge share is never shown.
        self.base_explore = min(0.12, edge_share)
        self.cands = Candidates(self.params, info['literals'], info.get('links'), self.rng, self.base_explore)
        self.records = []
        self.seen = set()
        self.pool = []
        self.covered = set()
        self.outputs = set()
        self.distinct_returns = 0
        total_arcs, total_lines = static_totals(session.codes)
        self.missing = total_arcs + total_lines  # arcs and lines not covered yet
        self.max_steps = max_steps
        self.step_limit = max_steps
        self.step_counts = []  # of the runs that finished
        self.typical_steps = 0  # their median, now and then
        self.total_steps = 0  # of every run
        self.max_total_steps = max_total_steps
        self.window_timeouts = 0
        self.followups = []  # run next: candidates repaired after what they raised, and sweeps
        self.repairs_left = MAX_REPAIRS
        self.sweeps_left = _MAX_SWEEPS

    # ---- the loop ------------------------------------------------------------------------------

    def execute(self, candidate, seed_spec=None, from_seed=False):
        """Run one candidate unless it was already run (None); else (new coverage?, new output?)."""
        spec = seed_spec if seed_spec is not None else render(self.signature, candidate)
        key = spec_key(spec)
        if key in self.seen:
            return None
        self.seen.add(key)
        args, kwargs = copy_call(*self.signature.to_call(candidate))
        session = self.session
        verdict, out, features = session.run(args, kwargs, self.step_limit)
        self.total_steps += session.last_steps
        if verdict == 'timeout':
            # A runaway (a loop that never ends for this input) is likely to recur. After a timeout,
            # or once a few runs have finished, each execution gets a generous multiple of the
            # median steps so far: exec gives every input a second, but inputs that slow make poor data.
            self.window_timeouts += session.last_window_timeout
            self.step_limit = self._tightened()
        else:
            counts = self.step_counts
            counts.append(session.last_steps)
            if len(counts) in (5, 10, 20) or len(counts) % 40 == 0:
                counts.sort()
                self.typical_steps = counts[len(counts) // 2]
                self.step_limit = self._tightened()
        new_features = features - self.covered
        new_coverage = bool(new_features)
        new_output = out not in self.outputs
        if new_features:
            self.covered |= new_features
            self.missing -= sum(1 for f in new_features if not is_arc(f) or f[1] >= 0)
        self.outputs.add(out)
        if new_output and verdict == 'return':
            self.distinct_returns += 1
        self.records.append({
            'spec': spec, 'features': features, 'out': out, 'verdict': verdict, 'size': len(key),  # ~ spec_size
            'steps': session.last_steps, 'seed': from_seed, 'fits': self.cands.fits(candidate),
            'near': self.cands.near_fits(candidate),
            'candidate': candidate,  # readability, shape and fit are worked out for the shortlist only
            # Only mutants need the final repr check: a seed run from its own source is written as given.
            'seeded': seed_spec is None and candidate.get('__seeded__', False),
        })
        if verdict in ('return', 'raise') and (new_coverage or new_output):
            self.pool.append(candidate)
        if verdict == 'raise' and self.repairs_left > 0 and seed_spec is None:
            repaired = self.cands.repair(candidate, out)[:self.repairs_left]
            self.followups.extend(repaired)
            self.repairs_left -= len(repaired)
        if verdict == 'return' and new_coverage and self.sweeps_left > 0:
            swept = self.cands.sweep(candidate)[:self.sweeps_left]
            self.followups.extend(swept)
            self.sweeps_left -= len(swept)
        return new_coverage, new_output

    def failing(self):
        """Most runs so far raise a TypeError or AttributeError and hardly any return: some
        parameter's inferred type is probably wrong."""
        runs = [r for r in self.records if r['verdict'] in ('return', 'raise')]
        returns = sum(1 for r in runs if r['verdict'] == 'return')
        typed = sum(1 for r in runs if r['out'].startswith(_TYPE_ERRORS))
        return len(runs) >= 8 and returns * 10 <= len(runs) and typed * 2 >= len(runs)

    def retype(self, budget):
        """As a person reads a TypeError and passes another kind of value: each parameter's
        alternative types are tried on a few failing inputs, and the first that takes most of them
        further (they return, or fail after more of the code ran) becomes one of the
        parameter's types (besides those inferred, which may be right for other inputs). Returns
        the executions it took, at most `budget`."""
        executions = 0
        bases = [r for r in self.records if r['out'].startswith(_TYPE_ERRORS) and not r['seed']][-_RETYPE_BASES:]
        for param in self.params:
            if param['kind'] in ('var_positional', 'var_keyword') or not bases:
                continue
            name = param['name']
            for t in self.cands.alternatives(name)[:4]:
                if executions + len(bases) > budget:
                    return executions
                good = []
                for base in bases:
                    if self.execute(self.cands.retyped(base['candidate'], name, t)) is None:
                        continue
                    executions += 1
                    # Progress: it returns, or fails further on (more of the code ran).
                    last = self.records[-1]
                    if last['verdict'] == 'return' or (last['verdict'] == 'raise' and len(last['features']) > len(base['features'])):
                        good.append(last)
                if len(good) * 2 > len(bases):
                    own = self.cands.accepted[name]
                    self.cands.set_types(name, own + [(max(w for w, _ in own), t)])
                    for record in self.records:
                        record['fits'] = self.cands.fits(record['candidate'])
                        record['near'] = self.cands.near_fits(record['candidate'])
                    return executions
        return executions

    def _tightened(self):
        return min(self.max_steps, max(_MIN_STEPS, _STEP_SLACK * self.typical_steps))

    def shortlist(self, n, keep_seeds=False):
        """Indices of the records worth selecting from: per (coverage, output, verdict), the few
        shortest inputs (enough for N when there are few behaviours), and every seed if they are to
        be kept. The others can add nothing those do not, and would only slow the selection down."""
        groups = {}
        records = self.records
        for index, record in enumerate(records):
            if record['verdict'] in ('return', 'raise'):
                # Type-confused inputs apart: the shortest of a behaviour may be one, and not be chosen.
                groups.setdefault((record['features'], record['out'], record['verdict'], record['fits']), []).append(index)
        returning = sum(1 for key in groups if key[2] == 'return' and key[3])  # the ones that can fill N
        keep = max(3, -(-n // max(1, returning)))
        short = []
        rest = []
        for members in groups.values():
            members.sort(key=lambda i: records[i]['size'])
            short.extend(members[:keep])
            rest.append([i for i in members[keep:] if records[i]['fits']])
            if keep_seeds:
                short.extend(i for i in members[keep:] if records[i]['seed'])
        # Few behaviours with few inputs each: more of the others, shortest first, round the
        # behaviours, until N fitting inputs can be chosen (other values of one behaviour still
        # tell mutants apart).
        fitting = sum(1 for i in short if records[i]['fits'])
        depth = 0
        while fitting < n and any(len(members) > depth for members in rest):
            for members in rest:
                if depth < len(members) and fitting < n:
                    short.append(members[depth])
                    fitting += 1
            depth += 1
        short = sorted(set(short))
        for index in short:
            record = records[index]
            record['cost'] = readability_cost(record['spec'])
            record['shape'] = _shape(record['candidate'])
        return short

    def add_kills(self, short, code, entry):
        """Run the shortlisted records on mutants of the function: each gets the set of mutants it
        kills. Returns how many mutants there were. At most MAX_RUNS runs: fewer mutants when
        the shortlist is long."""
        runnable = [i for i in short if self.records[i]['verdict'] in ('return', 'raise')]
        if not runnable:
            return 0
        limit = max(8, min(MAX_MUTANTS, MAX_RUNS // len(runnable)))
        mutants = Mutants(code, entry, self.session.namespace, limit)
        if not mutants.count:
            return 0
        runnable = runnable[:max(1, MAX_RUNS // mutants.count)]
        calls = []
        for i in runnable:
            record = self.records[i]
            args, kwargs = self.signature.to_call(record['candidate'])
            calls.append((args, kwargs, record['out'], record['steps']))
        for i, kills in zip(runnable, mutants.kills(calls)):
            self.records[i]['kills'] = kills
        return mutants.count

    def run(self, n, max_executions, seeds):
        """Search until saturated, exhausted, `max_executions` runs, `max_total_steps` steps in all,
        or too many runs that the sandbox's window had to stop; returns (executions, why it stopped)."""
        rng = self.rng
        executions = 0
        duplicates = 0
        since_new = 0
        since_new_output = 0
        last_new = 0
        stop = 'max-executions'
        warmup = max(2 * n, 12) + len(seeds)  # fresh values get their turn after the seeds too
        queue = list(seeds)
        while executions < max_executions:
            if self.total_steps >= self.max_total_steps:
                stop = 'max-steps'
                break
            if self.window_timeouts >= _MAX_WINDOW_TIMEOUTS:
                stop = 'slow'  # work no step count sees (huge numbers, C loops): not worth the wait
                break
            seed_spec = None
            from_seed = bool(queue)
            if queue:
                candidate, seed_spec = queue.pop(0)
            elif self.followups:
                candidate = self.followups.pop(0)
            elif executions < warmup or not self.pool or rng.random() < 0.25:
                candidate = self.cands.fresh()
            else:
                # Recent finds are mutated more often: they are where the frontier is.
                parent = self.pool[-1 - min(int(rng.expovariate(0.15)), len(self.pool) - 1)]
                candidate = self.cands.mutate(parent)
            try:
                news = self.execute(candidate, seed_spec, from_seed)
            except KeyboardInterrupt:
                # The window ran out in our own steps around an execution: go on, but count it.
                self.window_timeouts += 1
                news = (False, False)
            if news is None:
                duplicates += 1
                if duplicates > _STUCK:
                    stop = 'exhausted'
                    break
                continue
            duplicates = 0
            executions += 1
            since_new = 0 if news[0] else since_new + 1
            since_new_output = 0 if news[1] else since_new_output + 1
            if news[0]:
                last_new = executions
            if executions == warmup and self.failing():
                executions += self.retype(min(_MAX_RETYPE_RUNS, max_executions - executions))
            # Stuck on the inferred types: look further afield until something new turns up.
            self.cands.explore = self.base_explore if since_new < 15 else min(0.35, 3 * self.base_explore)
            # Saturated: nothing new for as long as it took to find the last new thing (at least
            # _PATIENCE runs), so a function whose coverage came quickly is let go quickly. With
            # every line and arc covered only outputs are left to find: less patience; with some
            # still missing, more.
            if self.missing <= 0:
                patience = _PATIENCE * 3 // 5
            else:
                patience = max(_PATIENCE + 10, last_new)
            if since_new >= patience and executions >= warmup + patience and (
                    self.distinct_returns >= n or since_new_output >= patience):
                stop = 'saturated'
                break
        return executions, stop


def _shape(candidate):
    return repr(sorted((name, type(value).__name__, _length_bucket(value))
                       for name, value in candidate.items() if name != '__seeded__'))


def _length_bucket(value):
    try:
        size = len(value)
    except TypeError:
        return 0
    return 0 if size == 0 else 1 if size <= 3 else 2 if size <= 10 else 3


def _seed_candidates(session, signature, seeds):
    """Evaluate the seeds' sources (in the function's namespace, as `exec` would) into candidates."""
    out = []
    for spec in seeds:
        harness.checkpoint()
        built, exc, _, _ = harness.run_captured(lambda: harness.build_arguments(spec, session.namespace))
        if exc is not None:
            continue
        candidate = signature.from_call(*built)
        rendered = render(signature, candidate)
        # A seed whose values do not survive repr keeps its own source; its mutants are dropped later.
        clean = round_trips(rendered, session.namespace)
        candidate['__seeded__'] = not clean
        original = {'args': list(spec.get('args') or []), 'kwargs': dict(spec.get('kwargs') or {})}
        out.append((candidate, None if clean else original))
    return out


def _ours(step, retries=2):
    """Run a step of the tool's own, bounded code. On a machine so busy that the sandbox's window
    ran out during it, the interrupt is not meant for us: renew the window and do the step again."""
    for _ in range(retries):
        try:
            return step()
        except KeyboardInterrupt:
            harness.checkpoint()
    return step()


def fuzz(payload):
    code, entry = payload['code'], payload['entry']
    n = int(payload.get('n', 10))
    try:
        info = _ours(lambda: infer(code, entry))
    except SyntaxError as exc:
        return {'inputs': [], 'reason': 'syntax-error', 'detail': str(exc)[:300]}
    except LookupError as exc:
        return {'inputs': [], 'reason': 'no-function', 'detail': str(exc)}
    session = Session(code, entry)
    if session.error:
        return {'inputs': [], 'reason': session.error[0], 'detail': session.error[1]}
    try:
        edge_share = float(payload['edgeShare'] if payload.get('edgeShare') is not None else DEFAULT_EDGE_SHARE)
        keep_seeds = bool(payload.get('keepSeeds'))
        fuzzer = Fuzzer(session, info, payload.get('seed', 0), n, int(payload.get('maxSteps') or DEFAULT_MAX_STEPS),
                        int(payload.get('maxTotalSteps') or DEFAULT_MAX_TOTAL_STEPS), edge_share)
        seeds = _seed_candidates(session, fuzzer.signature, payload.get('seeds') or [])
        if not fuzzer.params:
            seeds, limit = [({}, None)], 1
        else:
            limit = int(payload.get('maxExecutions', 300)) + len(seeds)
        executions, stop = fuzzer.run(n, limit, seeds)
        records = fuzzer.records
        # Mutants of a seed whose values have no faithful repr cannot be written down: drop them.
        harness.checkpoint()
        for record in records:
            if record['seeded'] and not round_trips(record['spec'], session.namespace):
                record['verdict'] = 'unwritable'
        harness.checkpoint()  # a fresh window for the selection, however the search ended

        short = _ours(lambda: fuzzer.shortlist(n, keep_seeds))
        mutant_count = fuzzer.add_kills(short, code, entry)
        harness.checkpoint()

        def choose():
            listed = [records[i] for i in short]
            required = [k for k, record in enumerate(listed) if record['seed']] if keep_seeds else ()
            chosen, reason = select_inputs(listed, n, float(payload.get('maxRaiseShare', 0.2)), edge_share,
                                           required, n)
            picked = [listed[i] for i in chosen]
            return picked, reason, _stats(session, fuzzer.cands.types, picked, executions, fuzzer.total_steps, stop, records,
                                          mutant_count)

        picked, reason, stats = _ours(choose)
        if reason:
            return {'inputs': [], 'reason': reason, 'detail': _common_failure(records), 'stats': stats}
        return {'inputs': [r['spec'] for r in picked], 'reason': None, 'stats': stats}
    finally:
        session.close()


def _stats(session, types, picked, executions, steps, stop, records, mutant_count):
    total_arcs, total_lines = static_totals(session.codes)
    features = set().union(*(r['features'] for r in picked)) if picked else set()
    arcs = sum(1 for f in features if is_arc(f) and f[1] >= 0)
    lines = sum(1 for f in features if not is_arc(f))
    return {
        'executions': executions, 'steps': steps, 'stop': stop,
        'arcs': [arcs, total_arcs], 'lines': [lines, total_lines],
        'distinctOutputs': len({r['out'] for r in picked}),
        'mutants': [len(set().union(*(r.get('kills') or set() for r in picked))) if picked else 0, mutant_count],
        'raising': sum(1 for r in picked if r['verdict'] == 'raise'),
        'timeouts': sum(1 for r in records if r['verdict'] == 'timeout'),
        'types': {name: type_text(t) for name, t in types.items()},  # each parameter's main type
    }


def _common_failure(records):
    counts = {}
    for record in records:
        if record['verdict'] != 'return':
            counts[record['out']] = counts.get(record['out'], 0) + 1
    if not counts:
        return ''
    top = max(counts, key=counts.get)
    return f'{counts[top]}/{len(records)} runs: {top[2:]}'[:300]

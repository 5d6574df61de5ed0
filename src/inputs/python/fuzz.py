# The coverage-guided input generator (runs inside the sandbox as a tool). It infers parameter types,
# makes and mutates candidates, runs each one with coverage under its own time limit, and keeps the
# candidates that reach new code or give new outputs for further mutation. At the end it selects N.
# Deterministic for a given (seed, function): its random generator is seeded from both.
import io
import random
import sys
import time

_perf_counter = time.perf_counter

_EXPLORE = 0.12        # share of values drawn from outside the inferred types
_PATIENCE = 25         # fewest executions without new coverage before we call the function saturated
_STUCK = 50            # consecutive duplicate candidates before we call the input space exhausted
_KIND_OF = {'fixed': 'tuple', 'record': 'dict', 'numstr': 'str', 'any': None, 'oneof': None}
_CHECKPOINT_S = 0.05  # seconds between two renewals of the sandbox's timeout window
_MIN_LIMIT_MS = 10.0   # the shortest per-execution limit once an execution has timed out
_PLAIN = {int, float, str, bool, type(None)}


class _Sink:
    """stdout/stderr while fuzzing: printed text is not part of an output, so it is dropped."""

    def write(self, text):
        return len(text) if isinstance(text, str) else 0

    def flush(self):
        pass

    def writable(self):
        return True


_SINK = _Sink()


class Session:
    """One function, defined once in a fresh namespace, run many times with coverage."""

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
        self.codes = code_objects(self.module_code)
        self.coverage = Coverage(self.codes)
        self.last_checkpoint = _perf_counter()
        self.last_ms = 0.0

    def run(self, args, kwargs, limit_ms):
        """(verdict, output key, features) of one call; verdict: return, raise, timeout, memory.

        Cheaper than harness.run_captured, which is made for one call: output goes to a sink that
        keeps nothing, and the streams are put back after each call (the function may swap them).
        The sandbox's own timeout window is renewed only now and then (_CHECKPOINT_S): each
        execution is bounded by `limit_ms` here, far inside that window.
        """
        now = _perf_counter()
        if now - self.last_checkpoint > _CHECKPOINT_S:
            harness.checkpoint()
            self.last_checkpoint = now
        fn = self.fn
        coverage = self.coverage
        streams = sys.stdin, sys.stdout, sys.stderr
        value = exc = None
        try:
            sys.stdout = sys.stderr = _SINK
            sys.stdin = io.StringIO('')
            coverage.start(limit_ms)
            try:
                value = fn(*args, **kwargs)
            except BaseException as caught:  # noqa: the verdict is the point
                exc = caught
            features = coverage.stop()
        except BaseException as caught:  # an interrupt between the call and stop()
            features = coverage.stop()
            exc = caught
        finally:
            sys.stdin, sys.stdout, sys.stderr = streams
        self.last_ms = (_perf_counter() - now) * 1000
        if exc is not None:
            if isinstance(exc, (KeyboardInterrupt, CandidateTimeout)):
                return 'timeout', 't:', features
            if isinstance(exc, MemoryError):
                return 'memory', 'm:', features
            return 'raise', output_key('raise', f'{type(exc).__name__}: {_message(exc)}'), features
        try:
            text = repr(value) if type(value) in _PLAIN else harness.safe_repr(value)[0]
        except KeyboardInterrupt:
            return 'timeout', 't:', features
        except Exception as exc:  # a repr that fails is the function's behaviour, not ours
            return 'raise', output_key('raise', f'{type(exc).__name__}: {_message(exc)}'), features
        return 'return', output_key('return', text), features

    def close(self):
        if self.error is None:
            self.coverage.close()


def _message(exc):
    try:
        return str(exc)[:200]
    except Exception:
        return '?'


class Fuzzer:
    def __init__(self, session, info, seed, n):
        self.session = session
        self.signature = Signature(info['params'])
        self.params = info['params']
        self.rng = random.Random(f'case2code:{seed}:{n}')
        self.maker = ValueMaker(self.rng, info['literals'])
        self.records = []
        self.seen = set()
        self.pool = []
        self.covered = set()
        self.outputs = set()
        self.explore = _EXPLORE
        self.distinct_returns = 0
        total_arcs, total_lines = static_totals(session.codes)
        self.missing = total_arcs + total_lines  # arcs and lines not covered yet
        self.durations = []
        self.typical_ms = 0.0
        self.limit_ms = float('inf')
        literals = info['literals']
        self.literals = literals['str'] + literals['int'] + literals['float']
        # The kinds each parameter is expected to have: inputs that fit read better in a prompt.
        self.expected = {}
        for p in self.params:
            kinds = {_KIND_OF.get(t[0], t[0]) for _, t in p['types']}
            if 'float' in kinds:
                kinds.add('int')
            self.expected[p['name']] = kinds

    # ---- candidates ----------------------------------------------------------------------------

    def _pick_type(self, param):
        rng = self.rng
        if rng.random() < self.explore:
            return rng.choice(_FALLBACK_TYPES)
        types = param['types']
        total = sum(w for w, _ in types)
        roll = rng.random() * total
        for weight, t in types:
            roll -= weight
            if roll <= 0:
                return t
        return types[-1][1]

    def fresh(self):
        rng = self.rng
        candidate = {}
        for param in self.params:
            kind = param['kind']
            if kind == 'var_positional':
                element = param['types'][0][1][1]
                values = [self.maker.make(element) for _ in range(rng.choice((0, 1, 2, 2, 3)))]
                if values:
                    candidate[VARARGS] = values
            elif kind == 'var_keyword':
                if rng.random() < 0.3:
                    value_type = param['types'][0][1][2]
                    candidate[VARKW] = {rng.choice(('a', 'b', 'key', 'x')): self.maker.make(value_type)}
            elif param['optional'] and rng.random() < 0.3:
                continue
            elif param['consts'] and rng.random() < 0.3:
                candidate[param['name']] = rng.choice(param['consts'])
            else:
                candidate[param['name']] = self.maker.make(self._pick_type(param))
        return candidate

    def mutate(self, parent):
        rng = self.rng
        candidate = dict(parent)
        named = [p for p in self.params if p['kind'] not in ('var_positional', 'var_keyword')]
        if not named:
            if VARARGS in candidate or any(p['kind'] == 'var_positional' for p in self.params):
                candidate[VARARGS] = self.maker.mutate(list(candidate.get(VARARGS, [])), ('list', ('int',)))
            return candidate
        for _ in range(1 if rng.random() < 0.7 else 2):
            param = rng.choice(named)
            name = param['name']
            roll = rng.random()
            if name not in candidate:
                candidate[name] = self.maker.make(self._pick_type(param))
            elif param['optional'] and roll < 0.08:
                del candidate[name]
            elif roll < 0.18:
                candidate[name] = self.maker.make(self._pick_type(param))
            elif roll < 0.3 and param['consts']:
                candidate[name] = rng.choice(param['consts'])  # what this parameter is compared with
            elif roll < 0.36 and self.literals:
                candidate[name] = rng.choice(self.literals)  # the code's own constants, whatever their type
            elif roll < 0.42 and len(candidate) > 1:
                # A value (or an item) of another parameter: code often compares its parameters.
                other = candidate[rng.choice([key for key in candidate if key != name and key != '__seeded__'] or [name])]
                if isinstance(other, (list, tuple)) and other:
                    other = rng.choice(other)
                candidate[name] = other
            else:
                candidate[name] = self.maker.mutate(candidate[name], param['types'][0][1])
        return candidate

    # ---- the loop ------------------------------------------------------------------------------

    def execute(self, candidate, limit_ms, seed_spec=None):
        """Run one candidate unless it was already run (None); else (new coverage?, new output?)."""
        spec = seed_spec if seed_spec is not None else render(self.signature, candidate)
        key = spec_key(spec)
        if key in self.seen:
            return None
        self.seen.add(key)
        args, kwargs = copy_call(*self.signature.to_call(candidate))
        verdict, out, features = self.session.run(args, kwargs, min(limit_ms, self.limit_ms))
        if verdict == 'timeout':
            # A runaway (a loop that never ends for this input) is likely to recur. After a timeout,
            # or once a few runs have finished, each execution gets a generous multiple of the
            # median time so far: exec gives every input a second, but inputs that slow make poor data.
            self.limit_ms = max(_MIN_LIMIT_MS, 20 * self.typical_ms)
        else:
            durations = self.durations
            durations.append(self.session.last_ms)
            if len(durations) in (5, 10, 20) or len(durations) % 40 == 0:
                durations.sort()
                self.typical_ms = durations[len(durations) // 2]
                self.limit_ms = max(_MIN_LIMIT_MS, 20 * self.typical_ms)
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
            'candidate': candidate,  # readability, shape and fit are worked out for the shortlist only
            # Only mutants need the final repr check: a seed run from its own source is written as given.
            'seeded': seed_spec is None and candidate.get('__seeded__', False),
        })
        if verdict in ('return', 'raise') and (new_coverage or new_output):
            self.pool.append(candidate)
        return new_coverage, new_output

    def shortlist(self, n):
        """Indices of the records worth selecting from: per (coverage, output, verdict), the few
        shortest inputs (enough for N when there are few behaviours). The others can add nothing
        those do not, and would only slow the selection down."""
        groups = {}
        records = self.records
        for index, record in enumerate(records):
            if record['verdict'] in ('return', 'raise'):
                groups.setdefault((record['features'], record['out'], record['verdict']), []).append(index)
        returning = sum(1 for key in groups if key[2] == 'return')
        keep = max(3, -(-n // max(1, returning)))
        short = []
        for members in groups.values():
            members.sort(key=lambda i: records[i]['size'])
            short.extend(members[:keep])
        short.sort()
        for index in short:
            record = records[index]
            record['cost'] = readability_cost(record['spec'])
            record['shape'] = self._shape(record['candidate'])
            record['fits'] = self._fits(record['candidate'])
        return short

    def _shape(self, candidate):
        return repr(sorted((name, type(value).__name__, _length_bucket(value))
                           for name, value in candidate.items() if name != '__seeded__'))

    def _fits(self, candidate):
        for name, value in candidate.items():
            expected = self.expected.get(name)
            if expected and _type_of(value)[0] not in expected:
                return False
        return True

    def run(self, n, max_executions, budget_ms, candidate_ms, seeds):
        started = time.perf_counter()
        rng = self.rng
        executions = 0
        duplicates = 0
        since_new = 0
        since_new_output = 0
        last_new = 0
        stop = 'max-executions'
        warmup = max(2 * n, 12)
        queue = list(seeds)
        while executions < max_executions:
            if (time.perf_counter() - started) * 1000 > budget_ms:
                stop = 'time'
                break
            seed_spec = None
            if queue:
                candidate, seed_spec = queue.pop(0)
            elif executions < warmup or not self.pool or rng.random() < 0.25:
                candidate = self.fresh()
            else:
                # Recent finds are mutated more often: they are where the frontier is.
                parent = self.pool[-1 - min(int(rng.expovariate(0.15)), len(self.pool) - 1)]
                candidate = self.mutate(parent)
            try:
                news = self.execute(candidate, candidate_ms, seed_spec)
            except KeyboardInterrupt:
                news = (False, False)  # the interrupt landed between two executions; go on
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
            # Stuck on the inferred types: look further afield until something new turns up.
            self.explore = _EXPLORE if since_new < 15 else 0.35
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
        return executions, stop, (time.perf_counter() - started) * 1000


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
    session = Session(code, entry)  # renews the sandbox's window: inference may have been slow
    if session.error:
        return {'inputs': [], 'reason': session.error[0], 'detail': session.error[1]}
    try:
        fuzzer = Fuzzer(session, info, payload.get('seed', 0), n)
        seeds = _seed_candidates(session, fuzzer.signature, payload.get('seeds') or [])
        if not fuzzer.params:
            seeds, limit = [({}, None)], 1
        else:
            limit = int(payload.get('maxExecutions', 300)) + len(seeds)
        executions, stop, ms = fuzzer.run(n, limit, float(payload.get('budgetMs', 2000)),
                                          float(payload.get('candidateMs', 100)), seeds)
        records = fuzzer.records
        # Mutants of a seed whose values have no faithful repr cannot be written down: drop them.
        for record in records:
            if record['seeded'] and not round_trips(record['spec'], session.namespace):
                record['verdict'] = 'unwritable'
        harness.checkpoint()  # a fresh window for the selection, however the search ended

        def choose():
            short = fuzzer.shortlist(n)
            chosen, reason = select_inputs([records[i] for i in short], n, float(payload.get('maxRaiseShare', 0.2)))
            picked = [records[short[i]] for i in chosen]
            return picked, reason, _stats(session, info, picked, executions, stop, ms, records)

        picked, reason, stats = _ours(choose)
        if reason:
            return {'inputs': [], 'reason': reason, 'detail': _common_failure(records), 'stats': stats}
        return {'inputs': [r['spec'] for r in picked], 'reason': None, 'stats': stats}
    finally:
        session.close()


def _stats(session, info, picked, executions, stop, ms, records):
    total_arcs, total_lines = static_totals(session.codes)
    features = set().union(*(r['features'] for r in picked)) if picked else set()
    arcs = sum(1 for f in features if is_arc(f) and f[1] >= 0)
    lines = sum(1 for f in features if not is_arc(f))
    return {
        'executions': executions, 'stop': stop, 'ms': round(ms, 1),
        'arcs': [arcs, total_arcs], 'lines': [lines, total_lines],
        'distinctOutputs': len({r['out'] for r in picked}),
        'raising': sum(1 for r in picked if r['verdict'] == 'raise'),
        'timeouts': sum(1 for r in records if r['verdict'] == 'timeout'),
        'types': {p['name']: type_text(p['types'][0][1]) for p in info['params']},
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

# The fuzz tool end to end on the host python: coverage, byte-for-byte determinism for a seed (in one
# process and across processes), budgets that are counts and never clocks, runaway candidates, seeds,
# and rejects with reasons.
import json
import os
import random
import subprocess
import sys
import time
import unittest
from unittest import mock

from case2code_inputs.candidates import Candidates
from case2code_inputs.fuzz import Fuzzer
from case2code_inputs.infer import infer
from case2code_inputs.repair import missing_key, with_key
from case2code_inputs.session import DEFAULT_MAX_STEPS, Session
from case2code_inputs.tool import handle

CLASSIFY = '''def classify(n, word):
    if n > 100 and word == 'magic':
        return 'both'
    if n < 0:
        return 'negative'
    if len(word) > 5:
        return 'long'
    return 'plain'
'''
SPIN = 'def spin(n):\n    while n > 3:\n        pass\n    return n * 2\n'
LOG2 = 'def log2(a):\n    r = 0\n    while a != 0:\n        r += 1\n        a >>= 1\n    return r\n'
LOCK = "def lock(s):\n    if s.count('z') == 9 and s.endswith('!'):\n        return 'open'\n    return 'closed'\n"


def fuzz(code, entry, **settings):
    return handle(dict({'op': 'fuzz', 'code': code, 'entry': entry, 'n': 10, 'seed': 0}, **settings))


def outcomes(code, entry, inputs, max_steps=DEFAULT_MAX_STEPS):
    """Each input run once, as `exec` would run it: its verdict and output key."""
    from case2code_sandbox import api
    session = Session(code, entry)
    try:
        results = []
        for spec in inputs:
            args, kwargs = api.build_arguments(spec, session.namespace)
            results.append(session.run(args, kwargs, max_steps)[:2])
        return results
    finally:
        session.close()


class _JumpingClock:
    """A clock that leaps ahead 10 s at every reading, as on a machine that keeps stalling."""

    def __init__(self, real):
        self.real = real
        self.extra = 0.0

    def __call__(self):
        self.extra += 10.0
        return self.real() + self.extra


class Search(unittest.TestCase):
    def test_reaches_every_line_including_ones_behind_the_codes_literals(self):
        answers = [fuzz(CLASSIFY, 'classify', seed=seed) for seed in range(5)]
        for answer in answers:
            self.assertIsNone(answer['reason'])
            self.assertEqual(len(answer['inputs']), 10)
            self.assertEqual(answer['stats']['types'], {'n': 'int', 'word': 'str'})
            self.assertNotIn('ms', answer['stats'], 'no wall-clock figure in what becomes a record')
        # `n > 100 and word == 'magic'` needs both literals; a seed may still be unlucky.
        complete = [a for a in answers if a['stats']['lines'][0] == a['stats']['lines'][1]]
        self.assertGreaterEqual(len(complete), 4, [a['stats'] for a in answers])
        self.assertTrue(all(a['stats']['distinctOutputs'] >= 4 for a in complete))

    def test_chosen_inputs_run_as_written_with_the_outputs_counted(self):
        answer = fuzz(CLASSIFY, 'classify')
        results = outcomes(CLASSIFY, 'classify', answer['inputs'])
        self.assertTrue(all(verdict in ('return', 'raise') for verdict, _ in results), results)
        self.assertEqual(len({key for _, key in results}), answer['stats']['distinctOutputs'])
        self.assertEqual(sum(1 for verdict, _ in results if verdict == 'raise'), answer['stats']['raising'])

    def test_the_codes_digit_string_literals_reach_a_branch_behind_them(self):
        code = "def f(s):\n    n = int(s)\n    if s == '9137':\n        return 'magic'\n    return n * 2\n"
        answer = fuzz(code, 'f')
        self.assertEqual(answer['stats']['lines'][0], answer['stats']['lines'][1], answer)
        self.assertIn({'args': [], 'kwargs': {'s': "'9137'"}}, answer['inputs'])

    def test_odd_signatures_and_no_parameters(self):
        code = 'def odd(a, /, *rest, key=None, **extra):\n    return (a, len(rest), key, sorted(extra))\n'
        answer = fuzz(code, 'odd')
        self.assertTrue(all(verdict == 'return' for verdict, _ in outcomes(code, 'odd', answer['inputs'])))
        self.assertTrue(all(len(spec['args']) >= 1 for spec in answer['inputs']), 'a is passed by position')
        self.assertEqual(fuzz('def answer():\n    return 42\n', 'answer')['inputs'], [{'args': [], 'kwargs': {}}])

    def test_seeds_reach_code_random_search_does_not(self):
        plain = fuzz(LOCK, 'lock', n=5, maxExecutions=150)
        seeded = fuzz(LOCK, 'lock', n=5, maxExecutions=150, seeds=[{'kwargs': {'s': "'z' * 9 + '!'"}}])
        self.assertNotIn("'open'", json.dumps(outcomes(LOCK, 'lock', plain['inputs'])))
        self.assertIn(('return', "r:'open'"), outcomes(LOCK, 'lock', seeded['inputs']))

    def test_every_failure_has_a_reason(self):
        cases = [
            ("def boom(x):\n    raise ValueError('never')\n", 'boom', 'all-raise'),
            ('import no_such_module_here\ndef f(x):\n    return x\n', 'f', 'define-failed'),
            ('def broken(x)\n    return x\n', 'broken', 'syntax-error'),
            ('def other(x):\n    return x\n', 'ghost', 'no-function'),
        ]
        for code, entry, reason in cases:
            answer = fuzz(code, entry, n=5)
            self.assertEqual((answer['inputs'], answer['reason']), ([], reason), answer)
        self.assertIn('ValueError: never', fuzz(cases[0][0], 'boom')['detail'])


class Determinism(unittest.TestCase):
    def test_same_seed_same_bytes_and_another_seed_other_inputs(self):
        first = json.dumps(fuzz(CLASSIFY, 'classify', seed=7), sort_keys=True)
        second = json.dumps(fuzz(CLASSIFY, 'classify', seed=7), sort_keys=True)
        self.assertEqual(first, second)
        self.assertNotEqual(json.loads(first)['inputs'], fuzz(CLASSIFY, 'classify', seed=8)['inputs'])

    @unittest.skipIf(sys.platform == 'emscripten', 'Pyodide has no processes')
    def test_same_bytes_in_another_process(self):
        script = ('import json, sys; sys.path[:0] = json.loads(sys.argv[1]); from case2code_inputs.tool import handle; '
                  'print(json.dumps([handle({"op": "fuzz", "code": c, "entry": e, "n": 10, "seed": 3}) '
                  'for c, e in json.loads(sys.argv[2])], sort_keys=True))')
        functions = json.dumps([[CLASSIFY, 'classify'], [SPIN, 'spin'], [LOG2, 'log2'], [LOCK, 'lock']])
        env = dict(os.environ, PYTHONHASHSEED='0')
        runs = [subprocess.run([sys.executable, '-c', script, json.dumps(sys.path), functions], env=env,
                               capture_output=True, text=True, check=True).stdout for _ in range(2)]
        self.assertEqual(runs[0], runs[1])
        self.assertEqual(len(json.loads(runs[0])), 4)

    def test_no_clock_decides_anything(self):
        functions = [(CLASSIFY, 'classify'), (SPIN, 'spin'), (LOG2, 'log2')]
        steady = [fuzz(code, entry) for code, entry in functions]
        clocks = ('perf_counter', 'monotonic', 'time', 'process_time')
        patches = [mock.patch.object(time, name, _JumpingClock(getattr(time, name))) for name in clocks]
        for patch in patches:
            patch.start()
        try:
            stalling = [fuzz(code, entry) for code, entry in functions]
        finally:
            for patch in patches:
                patch.stop()
        self.assertEqual(json.dumps(steady, sort_keys=True), json.dumps(stalling, sort_keys=True))


class Budgets(unittest.TestCase):
    def test_a_runaway_candidate_is_cut_and_never_chosen(self):
        answer = fuzz(SPIN, 'spin', maxSteps=20000)
        self.assertGreater(answer['stats']['timeouts'], 0, 'some candidates looped')
        self.assertTrue(all(verdict == 'return' for verdict, _ in outcomes(SPIN, 'spin', answer['inputs'])))

    def test_after_a_runaway_the_limit_tightens(self):
        stats = fuzz(LOG2, 'log2')['stats']
        self.assertGreaterEqual(stats['timeouts'], 1, stats)
        # The first runaway may use the whole limit; the ones after it 10,000 steps at most.
        self.assertLessEqual(stats['steps'], DEFAULT_MAX_STEPS + 10000 * stats['timeouts'] + 20000, stats)

    def test_the_search_stops_at_its_counts(self):
        self.assertEqual(fuzz(CLASSIFY, 'classify', maxExecutions=20)['stats']['executions'], 20)
        stats = fuzz(SPIN, 'spin', maxTotalSteps=50000, maxSteps=20000)['stats']
        self.assertEqual(stats['stop'], 'max-steps')
        self.assertLess(stats['steps'], 50000 + 20001)

    def test_runs_the_window_stopped_end_the_search(self):
        # KeyboardInterrupt is how a spent sandbox window shows; here the code raises it itself.
        code = 'def f(n):\n    if n > 1:\n        raise KeyboardInterrupt\n    return n\n'
        stats = fuzz(code, 'f')['stats']
        self.assertEqual(stats['stop'], 'slow')
        self.assertEqual(stats['timeouts'], 3)


class TargetedVariants(unittest.TestCase):
    """Inputs random values would almost never hit: a key a KeyError names, a constant swept in,
    an argument looked up in another, a type a TypeError asks for, the other kind of number."""

    def returning(self, code, entry, answer):
        return [spec for spec, (verdict, _) in zip(answer['inputs'], outcomes(code, entry, answer['inputs']))
                if verdict == 'return']

    def test_a_key_error_names_the_key_the_mapping_is_given(self):
        code = "def f(sizes, name):\n    return sizes['Total'] - sizes['Begin' + name]\n"
        answer = fuzz(code, 'f')
        self.assertIsNone(answer['reason'], answer)
        self.assertTrue(self.returning(code, 'f', answer), answer['inputs'])

    def test_the_constants_a_parameter_is_compared_with_are_swept_in(self):
        code = ("def f(square, direction):\n    x = ord(square[0])\n    y = int(square[1])\n"
                "    if direction == '>':\n        x += 1\n    elif direction == '<':\n        x -= 1\n"
                "    elif direction == '+':\n        y += 1\n    elif direction == '-':\n        y -= 1\n"
                "    return chr(x) + str(y)\n")
        stats = fuzz(code, 'f')['stats']
        self.assertEqual(stats['lines'][0], stats['lines'][1], stats)
        self.assertEqual(stats['types']['square'], 'str')

    def test_an_argument_is_made_to_agree_with_the_one_it_is_looked_up_in(self):
        code = "def f(month, value, summary):\n    if summary.get(month) is None:\n        return 'new'\n    return 'known'\n"
        answer = fuzz(code, 'f')
        self.assertEqual(answer['stats']['distinctOutputs'], 2, answer)
        code = 'def f(xs, x):\n    if x in xs:\n        return xs.index(x)\n    return -1\n'
        stats = fuzz(code, 'f')['stats']
        self.assertEqual(stats['arcs'][0], stats['arcs'][1], stats)

    def test_type_errors_everywhere_make_the_search_try_another_type(self):
        # Nothing in `f` says what `x` is (an int, then); the helper needs a string.
        code = 'def shout(s):\n    return s.upper() + "!"\n\ndef f(x):\n    return shout(x)\n'
        answer = fuzz(code, 'f')
        self.assertIsNone(answer['reason'], answer)
        self.assertGreaterEqual(len(self.returning(code, 'f', answer)), 5, answer['inputs'])

    def test_a_retype_counts_failing_further_on_as_progress(self):
        # `host` reads as a list or a string; re.match needs a string, after which every input
        # still fails (on `n`): a string takes the inputs further, so it becomes one of host's types.
        code = ("import re\n\ndef f(host, n):\n    if len(host) > 40:\n        return 0\n    m = re.match(r'.*', host)\n"
                "    size = len(m.group(0))\n    return size + n.no_such_attribute\n")
        session = Session(code, 'f')
        try:
            fuzzer = Fuzzer(session, infer(code, 'f'), 0, 10)
            self.assertEqual(fuzzer.cands.expected['host'], {'list'})
            fuzzer.run(10, 300, [])
            self.assertIn('str', fuzzer.cands.expected['host'])
        finally:
            session.close()

    def test_the_other_kind_of_number_is_shown_only_where_it_reveals_something(self):
        code = "def f(h, s):\n    i = int(h * 6.0) % 6\n    if s == 0:\n        return 'grey'\n    if i == 0:\n        return 'red'\n    return 'other'\n"
        answer = fuzz(code, 'f')
        h_values = [spec['kwargs']['h'] for spec in answer['inputs'] if 'h' in spec['kwargs']]
        floats = [v for v in h_values if '.' in v]
        self.assertTrue(1 <= len(floats) <= 2, h_values)
        self.assertEqual(answer['stats']['arcs'][0], answer['stats']['arcs'][1], answer['stats'])

    def test_parameters_that_bind_builtins_are_never_passed(self):
        answer = fuzz('def f(items, len=len, marker=object()):\n    return len(items)\n', 'f')
        self.assertTrue(answer['inputs'])
        self.assertFalse([spec for spec in answer['inputs'] if {'len', 'marker'} & set(spec['kwargs'])], answer['inputs'])

    def test_one_behaviour_still_gets_n_inputs(self):
        answer = fuzz("def f(d, key):\n    d[key] = 1\n", 'f')
        self.assertEqual(len(answer['inputs']), 10, answer)


class Variants(unittest.TestCase):
    """Targeted variants one by one (candidates.py, repair.py), with a fixed generator."""

    def candidates(self, code, seed=0):
        info = infer(code, 'f')
        return Candidates(info['params'], info['literals'], info['links'], random.Random(seed), 0.0)

    def test_agreeing_makes_the_key_one_of_the_mappings_or_puts_it_in(self):
        made = set()
        for seed in range(30):
            cands = self.candidates('def f(d, k):\n    return d.get(k)\n', seed)
            out = cands.agree({'d': {'apple': 1, 'pear': 2}, 'k': 'plum'})
            if out is not None:
                self.assertIn(out['k'], out['d'])
                made.add('put' if out['k'] == 'plum' else 'taken')
        self.assertEqual(made, {'put', 'taken'})

    def test_agreeing_with_a_sequence_takes_an_item(self):
        for seed in range(10):
            out = self.candidates('def f(xs, x):\n    return x in xs\n', seed).agree({'xs': [4, 5, 6], 'x': 9})
            if out is not None:
                self.assertIn(out['x'], out['xs'])

    def test_agreeing_with_a_string_takes_a_piece_of_it(self):
        for seed in range(10):
            out = self.candidates('def f(a, b):\n    return a.endswith(b)\n', seed).agree({'a': 'example.com', 'b': 'zz'})
            if out is not None:
                self.assertIn(out['b'], out['a'])

    def test_a_sweep_puts_each_compared_constant_in_turn(self):
        cands = self.candidates("def f(op, n):\n    if op == '+':\n        return n + 1\n    if op == '-':\n        return n - 1\n    return n\n")
        swept = cands.sweep({'op': 'x', 'n': 3})
        self.assertIn({'op': '+', 'n': 3}, swept)
        self.assertIn({'op': '-', 'n': 3}, swept)

    def test_a_key_error_is_read_back_into_the_missing_key(self):
        self.assertEqual(missing_key("e:KeyError: 'HicChrBeginA'"), 'HicChrBeginA')
        self.assertEqual(missing_key('e:KeyError: (1, 2)'), (1, 2))
        self.assertIsNone(missing_key("e:ValueError: 'x'"))
        self.assertIsNone(missing_key('e:KeyError: <object at 0x?>'))
        repaired = with_key({'d': {'a': 1}, 'e': {}, 'n': 3}, 'b', lambda name, mapping: 0)
        self.assertEqual(repaired, [{'d': {'a': 1, 'b': 0}, 'e': {}, 'n': 3}, {'d': {'a': 1}, 'e': {'b': 0}, 'n': 3}])


class Measure(unittest.TestCase):
    def test_coverage_outputs_and_verdicts_of_given_calls(self):
        inputs = [{'kwargs': {'n': '1'}}, {'kwargs': {'n': '2'}}, {'kwargs': {'n': '9'}}, {'kwargs': {'n': 'undefined'}}]
        answer = handle({'op': 'measure', 'code': SPIN, 'entry': 'spin', 'inputs': inputs, 'maxSteps': 1000})
        self.assertEqual(answer['counts'], {'return': 2, 'raise': 0, 'timeout': 1, 'memory': 0, 'bad-input': 1})
        self.assertEqual(answer['distinctOutputs'], 2)
        self.assertEqual(answer['lines'][0], answer['lines'][1])


if __name__ == '__main__':
    unittest.main()

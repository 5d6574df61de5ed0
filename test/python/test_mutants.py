# Mutants made and run inside the sandbox's tool: one change each, killed by the inputs that tell
# them apart from the original, a runaway mutant cut by a count of steps; and the selection that
# prefers inputs killing mutants, caps type-confused inputs at the edge share, keeps required
# inputs (hybrid) and ranks what it chose.
import unittest

from case2code_inputs.mutants import Mutants, sites
from case2code_inputs.select import rank, select_inputs
from case2code_inputs.session import Session
from case2code_inputs.tool import handle

import ast

BOUNDARY = "def grade(score):\n    if score >= 50:\n        return 'pass'\n    return 'fail'\n"


def runs(code, entry, calls):
    """(mutants, kills per call) with the original's outcomes as the session sees them."""
    session = Session(code, entry)
    try:
        mutants = Mutants(code, entry, session.namespace)
        prepared = []
        for args in calls:
            _, out, _ = session.run(list(args), {}, 100000)
            prepared.append((list(args), {}, out, session.last_steps))
        return mutants, mutants.kills(prepared)
    finally:
        session.close()


class Making(unittest.TestCase):
    def test_every_kind_of_site_is_found_in_walk_order(self):
        code = "def f(a, b):\n    '''doc'''\n    if a < b and not a:\n        return a + 1\n    return True\n"
        kinds = [change[0] for _, change in sites(ast.parse(code).body[0])]
        self.assertEqual(sorted(set(kinds)), ['binop', 'boolop', 'compare', 'flip', 'not', 'nudge', 'return-none'])
        self.assertNotIn('doc', str(kinds))

    def test_every_site_makes_a_mutant_that_defines_with_its_ticks_placed(self):
        code = ("def f(xs, n):\n    total = 0\n    for x in xs:\n        while n > 0 and not x:\n            n -= 1\n"
                "    key = lambda v: -v\n    return sorted([x * 2 for x in xs if x != 3], key=key)[:n] or None\n")
        session = Session(code, 'f')
        try:
            mutants = Mutants(code, 'f', session.namespace, limit=100)
            self.assertEqual(mutants.count, len(sites(ast.parse(code).body[0])))
        finally:
            session.close()

    def test_a_nested_or_missing_entry_has_no_mutants(self):
        code = "class A:\n    def f(self):\n        return 1\n"
        session = Session("def g():\n    return 1\n", 'g')
        self.assertEqual(Mutants(code, 'f', session.namespace).count, 0)
        session.close()


class Killing(unittest.TestCase):
    def test_only_the_boundary_value_kills_the_swapped_comparison(self):
        mutants, kills = runs(BOUNDARY, 'grade', [(80,), (20,), (50,)])
        self.assertGreater(mutants.count, 2)
        # `>=` -> `>` differs on 50 only; `return None` is told apart by every input.
        only_boundary = kills[2] - kills[0] - kills[1]
        self.assertTrue(only_boundary, kills)

    def test_a_mutant_that_loops_forever_is_cut_by_steps_and_counts_as_killed(self):
        code = "def count_down(n):\n    while n > 0:\n        n -= 1\n    return n\n"
        mutants, kills = runs(code, 'count_down', [(5,)])
        # `n -= 1` -> `n += 1` never ends: it is cut after a bounded number of ticks, deterministically.
        again = runs(code, 'count_down', [(5,)])[1]
        self.assertEqual(kills, again)
        self.assertTrue(kills[0])

    def test_mutants_see_the_modules_helpers(self):
        code = "def helper(x):\n    return x * 2\n\ndef f(x):\n    return helper(x) + 1\n"
        mutants, kills = runs(code, 'f', [(3,)])
        self.assertGreater(mutants.count, 0)
        self.assertTrue(kills[0])


def record(features, out, verdict='return', size=5, kills=(), fits=True):
    return {'features': frozenset(features), 'out': out, 'verdict': verdict, 'size': size,
            'kills': set(kills), 'fits': fits, 'shape': None, 'cost': 0.0}


class Selecting(unittest.TestCase):
    def test_with_equal_coverage_the_input_that_kills_more_mutants_goes_first(self):
        records = [record({1}, 'r:a', kills={0}), record({1}, 'r:b', kills={0, 1, 2})]
        chosen, reason = select_inputs(records, 1)
        self.assertIsNone(reason)
        self.assertEqual(chosen, [1])

    def test_type_confused_inputs_are_capped_at_the_edge_share(self):
        # The confused ones reveal more (three new arcs each): only the cap keeps them out.
        records = [record({i} if i % 2 == 0 else {i, 100 + i, 200 + i}, f'r:{i}', fits=i % 2 == 0) for i in range(20)]
        chosen, _ = select_inputs(records, 10, edge_share=0.05)
        self.assertEqual(sum(not records[i]['fits'] for i in chosen), 0)
        chosen, _ = select_inputs(records, 10, edge_share=0.2)
        self.assertEqual(sum(not records[i]['fits'] for i in chosen), 2)

    def test_required_inputs_are_kept_and_only_revealing_ones_added(self):
        records = [record({1}, 'r:a'), record({1}, 'r:a2'), record({1, 2}, 'r:b'), record({1}, 'r:c', kills={4})]
        chosen, reason = select_inputs(records, 10, required=[0], max_added=5)
        self.assertIsNone(reason)
        self.assertEqual(sorted(chosen), [0, 2, 3])  # 1 adds an output only: not added

    def test_numbers_near_the_type_are_chosen_only_where_they_reveal_something_and_few(self):
        fitting = [record({1}, f'r:{i}') for i in range(8)]
        near = [dict(record({10 + i}, f'r:n{i}', fits=False), near=True) for i in range(4)]
        idle = [dict(record({1}, f'r:m{i}', fits=False), near=True) for i in range(3)]  # nothing new
        records = fitting + near + idle
        chosen, _ = select_inputs(records, 10, edge_share=0.05)
        picked_near = [i for i in chosen if records[i].get('near')]
        self.assertEqual(len(picked_near), 2)  # floor(10 * NEAR_SHARE)
        self.assertTrue(all(i < 12 for i in picked_near))  # each adds a feature

    def test_with_required_inputs_the_caps_count_only_what_is_added(self):
        required = [record({1}, f'e:{i}', verdict='raise') for i in range(5)]
        added = [record({2}, 'e:x', verdict='raise'), record({3}, 'e:y', verdict='raise')]
        chosen, _ = select_inputs(required + added + [record({4}, 'r:ok')], 10, required=range(5), max_added=10)
        self.assertEqual(sorted(chosen), [0, 1, 2, 3, 4, 5, 6, 7])  # 2 raising added: 20% of 10

    def test_the_ranking_puts_the_most_revealing_first(self):
        records = [record({1}, 'r:a'), record({1, 2, 3}, 'r:b', kills={1}), record({1, 2}, 'r:c')]
        self.assertEqual(rank(records, [0, 1, 2])[0], 1)


class InTheTool(unittest.TestCase):
    def test_fuzz_reports_the_mutants_its_inputs_kill(self):
        answer = handle({'op': 'fuzz', 'code': BOUNDARY, 'entry': 'grade', 'n': 6, 'seed': 0})
        killed, made = answer['stats']['mutants']
        self.assertGreater(made, 0)
        self.assertEqual(killed, made, answer)  # the literal's neighbours 49, 50 are tried
        self.assertIn('50', [s['kwargs']['score'] for s in answer['inputs']])

    def test_measure_ranks_given_calls(self):
        calls = [{'kwargs': {'score': v}} for v in ('80', '90', '20', '50')]
        answer = handle({'op': 'measure', 'code': BOUNDARY, 'entry': 'grade', 'inputs': calls, 'rank': True})
        self.assertEqual(sorted(answer['order']), [0, 1, 2, 3])
        self.assertNotEqual(answer['order'][:2], [0, 1], 'two passes are not the most revealing pair')
        self.assertEqual(answer['mutants'][0], answer['mutants'][1])

    def test_hybrid_keeps_every_seed(self):
        seeds = [{'kwargs': {'score': v}} for v in ('70', '71', '72')]
        answer = handle({'op': 'fuzz', 'code': BOUNDARY, 'entry': 'grade', 'n': 10, 'seed': 0, 'seeds': seeds, 'keepSeeds': True})
        given = [s['kwargs']['score'] for s in answer['inputs']]
        self.assertTrue({'70', '71', '72'} <= set(given), given)
        self.assertLessEqual(len(given), 3 + 10)
        self.assertTrue(any(int(v) < 50 for v in given), 'a fuzz input adds the other branch')

    def test_with_no_edge_share_every_input_fits_its_type(self):
        code = "def f(words):\n    if isinstance(words, list):\n        return len(words)\n    return -1\n"
        answer = handle({'op': 'fuzz', 'code': code, 'entry': 'f', 'n': 10, 'seed': 0, 'edgeShare': 0})
        self.assertTrue(all(s['kwargs']['words'].startswith('[') for s in answer['inputs']), answer['inputs'])


if __name__ == '__main__':
    unittest.main()

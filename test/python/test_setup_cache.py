# The fork server's cache of compiled setups: the same outcomes as a setup compiled in the child.
import unittest

from case2code_sandbox.calls import Job
from case2code_sandbox.server import SetupCache, _check_line

SETUP = 'examples = [dict(x=1), dict(x=[2, 3])]\n'
CODE = 'def f(x):\n    return x * 2\n'


class SetupCacheTest(unittest.TestCase):
    def test_a_cached_setup_gives_the_same_outcomes(self):
        cache = SetupCache()
        code = cache.get(SETUP)
        self.assertIs(cache.get(SETUP), code)  # compiled once
        calls = [{'kwargsFrom': f'examples[{i}]'} for i in range(2)]
        plain = [Job(CODE, 'f', SETUP).call(c) for c in calls]
        cached = [Job(CODE, 'f', SETUP, code).call(c) for c in calls]
        strip = lambda outcomes: [{k: v for k, v in o.items() if k != 'ms'} for o in outcomes]
        self.assertEqual(strip(cached), strip(plain))
        self.assertEqual([o['repr'] for o in cached], ['2', '[2, 3, 2, 3]'])

    def test_what_does_not_compile_is_left_to_the_child(self):
        cache = SetupCache()
        self.assertIsNone(cache.get('examples = [\n'))
        job = Job(CODE, 'f', 'examples = [\n', cache.get('examples = [\n'))
        self.assertEqual(job.call({'kwargsFrom': 'examples[0]'})['verdict'], 'bad-input')
        self.assertIsNone(cache.get(''))
        self.assertIsNone(cache.get('x = 1\n' * SetupCache.MAX_CHARS))

    def test_the_cache_stays_within_its_bound(self):
        cache = SetupCache()
        cache.MAX_TOTAL = 100
        for i in range(20):
            cache.get(f'x = {i + 10**20}\n')
        self.assertLessEqual(cache.total, 100)
        self.assertIn(f'x = {19 + 10**20}\n', cache.codes)
        self.assertNotIn(f'x = {10**20}\n', cache.codes)




class CheckLineTest(unittest.TestCase):
    """The fork server checks each line of a child and passes the checked bytes on unchanged."""

    OK = b'{"batch":[{"index":0,"outcome":{"verdict":"return","repr":"1","ms":0.1}}]}'

    def test_a_good_line_passes_on_as_written(self):
        expected = {0, 1}
        answered, body = _check_line(self.OK, expected, 10_000, tool=False)
        self.assertEqual((answered, expected), ([0], {1}))
        self.assertEqual(body, self.OK[len(b'{"batch":'):-1])

    def test_bad_lines_are_refused(self):
        bad = [
            b'{"batch" :[{"index":0,"outcome":{"verdict":"return"}}]}',  # not the child's own shape
            b'{"batch":[]}',
            b'{"batch":[{"index":0,"outcome":{"verdict":"return","ms":NaN}}]}',
            b'{"batch":[{"index":0,"outcome":{"verdict":"return"},"extra":1}]}',
            b'{"batch":[{"index":0,"outcome":{"verdict":"return"},"value":1}]}',  # a value for a function job
            b'{"batch":[{"index":5,"outcome":{"verdict":"return"}}]}',
            b'{"batch":[{"index":true,"outcome":{"verdict":"return"}}]}',
            b'{"batch":[{"index":0,"outcome":{"verdict":"forged"}}]}',
            b'{"batch":[{"index":0,"outcome":{"verdict":"return"}}],"batch":[]}',
        ]
        for line in bad:
            self.assertIsInstance(_check_line(line, {0}, 10_000, tool=False), str, line)
        self.assertIsInstance(_check_line(self.OK, {0}, 10, tool=False), str)  # over the size limit

    def test_a_tool_may_answer_with_a_value(self):
        line = b'{"batch":[{"index":0,"outcome":{"verdict":"return","repr":"","ms":1},"value":[1,2]}]}'
        self.assertEqual(_check_line(line, {0}, 10_000, tool=True)[0], [0])

if __name__ == '__main__':
    unittest.main()

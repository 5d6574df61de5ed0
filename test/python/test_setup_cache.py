# The fork server's cache of compiled setups: the same outcomes as a setup compiled in the child.
import unittest

from case2code_sandbox.calls import Job
from case2code_sandbox.server import SetupCache

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


if __name__ == '__main__':
    unittest.main()

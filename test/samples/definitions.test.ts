// The definitions a function's code carries, hashed by normalised code: a helper is the same
// definition wherever it is carried, whatever its comments, docstring, decorators or layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definitionsOf } from '../../src/samples/definitions.js';

const helper = `def _clamp(value, low, high):
    if low > high:
        raise ValueError("empty range")
    return max(low, min(high, value))
`;

const hashOf = (code: string, name: string) => definitionsOf(code).find((d) => d.name === name)?.hash;

test('every top-level def, async def and class, in order; nested ones and look-alikes in strings are not definitions', () => {
  const code = `import math

LIMIT = 10


${helper}

class Box:
    def area(self):
        return 1


async def fetch(x):
    return x


def scale(value, width):
    """Scale.

def not_a_definition(): pass
"""
    def inner(v):
        return v * 2
    text = '''
class AlsoNot:
'''
    return _clamp(inner(value), 0, width)
`;
  assert.deepEqual(definitionsOf(code).map((d) => d.name), ['_clamp', 'Box', 'fetch', 'scale']);
});

test('a helper carried into another function\'s code has the hash it has as an entry', () => {
  const carried = `${helper}\n\ndef percent_of(part, whole):\n    return _clamp(round(100 * part / whole), 0, 100)\n`;
  assert.equal(hashOf(carried, '_clamp'), hashOf(helper, '_clamp'));
  assert.notEqual(hashOf(carried, 'percent_of'), hashOf(helper, '_clamp'));
});

test('comments, docstrings, decorators, indentation width, quotes, one-line bodies and grouping parentheses do not count', () => {
  const base = hashOf(helper, '_clamp');
  const variants = [
    `@functools.lru_cache(maxsize=None)\ndef _clamp(value, low, high):\n    '''Clamp value into [low, high].'''\n    # the range must not be empty\n    if low > high:\n        raise ValueError('empty range')\n    return max(low, min(high, value))  # done\n`,
    `def _clamp(value, low, high):\n  if low > high:\n    raise ValueError("empty range")\n\n  return max(low,\n             min(high, value))\n`,
    `def _clamp(value, low, high):\n    if (low >\n            high):\n        raise ValueError("""empty range""")\n    return (max(low, min(high, value)))\n`,
    `def _clamp(value, low, high):\n    if low > \\\n            high:\n        raise ValueError("empty range")\n    return max(low, min(high, value))\n`,
  ];
  for (const variant of variants) assert.equal(hashOf(variant, '_clamp'), base, variant);
  assert.equal(hashOf('def f(x): return x + 1\n', 'f'), hashOf('def f(x):\n    return x + 1\n', 'f'));
  assert.equal(hashOf('class E(Exception):\n    """Raised."""\n', 'E'), hashOf('class E(Exception):\n    pass\n', 'E'));
});

test('code that does something else is another definition', () => {
  const base = hashOf(helper, '_clamp');
  const others = [
    helper.replace('low > high', 'low >= high'),
    helper.replace('"empty range"', '"Empty range"'),
    helper.replace('_clamp', '_clip'),
    // The same lines at another depth: the return belongs to the if.
    `def _clamp(value, low, high):\n    if low > high:\n        raise ValueError("empty range")\n        return max(low, min(high, value))\n`,
    // An f-string docstring is an expression, not a docstring.
    helper.replace('):\n', '):\n    f"{value}"\n'),
    // After assert, parentheses make a tuple.
    helper.replace('    return', '    assert (low, "x")\n    return'),
  ];
  const withAssert = helper.replace('    return', '    assert low, "x"\n    return');
  for (const other of others) assert.notEqual(hashOf(other, other.includes('_clip') ? '_clip' : '_clamp'), base, other);
  assert.notEqual(hashOf(others[others.length - 1], '_clamp'), hashOf(withAssert, '_clamp'));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanPassAtK, passAtK } from '../../src/eval/pass-at-k.js';

/** The definition, with exact binomials, to check the product form against. */
function byDefinition(n: number, c: number, k: number): number {
  const choose = (a: number, b: number): number => {
    if (b < 0 || b > a) return 0;
    let r = 1;
    for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
    return r;
  };
  return 1 - choose(n - c, k) / choose(n, k);
}

test('pass@1 is the fraction of correct samples', () => {
  assert.equal(passAtK(5, 2, 1), 0.4);
  assert.equal(passAtK(1, 1, 1), 1);
  assert.equal(passAtK(1, 0, 1), 0);
});

test('pass@k by hand: n=5, c=2 gives pass@2 = 1 - C(3,2)/C(5,2) = 0.7, pass@5 = 1', () => {
  assert.ok(Math.abs(passAtK(5, 2, 2) - 0.7) < 1e-12);
  assert.equal(passAtK(5, 2, 5), 1);
  assert.equal(passAtK(5, 0, 5), 0);
});

test('the product form agrees with the binomial definition', () => {
  for (let n = 1; n <= 12; n++) {
    for (let c = 0; c <= n; c++) {
      for (let k = 1; k <= n; k++) assert.ok(Math.abs(passAtK(n, c, k) - byDefinition(n, c, k)) < 1e-9, `n=${n} c=${c} k=${k}`);
    }
  }
});

test('k above n and impossible counts are refused', () => {
  assert.throws(() => passAtK(3, 1, 5), /at least 5 samples/);
  assert.throws(() => passAtK(3, 4, 1), RangeError);
  assert.throws(() => passAtK(0, 0, 1), RangeError);
});

test('the mean over items', () => {
  assert.equal(meanPassAtK([{ n: 2, correct: 2 }, { n: 2, correct: 0 }], 1), 0.5);
  assert.equal(meanPassAtK([], 1), 0);
});

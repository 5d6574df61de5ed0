// The unbiased pass@k estimator of Chen et al. (2021): the chance that at least one of k samples,
// drawn without replacement from n of which c are correct, is correct.

/** 1 - C(n-c, k) / C(n, k), computed as a product so large n does not overflow. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || k < 1 || c < 0 || c > n) {
    throw new RangeError(`pass@k needs integers n >= 1, 0 <= c <= n, k >= 1 (got n=${n}, c=${c}, k=${k})`);
  }
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples per item, got ${n}`);
  if (n - c < k) return 1;
  if (k === 1) return c / n; // the same value, without the product's rounding
  let allWrong = 1;
  for (let i = n - c + 1; i <= n; i++) allWrong *= 1 - k / i;
  return 1 - allWrong;
}

/** The mean of pass@k over items, each given as {n, correct}. */
export function meanPassAtK(items: { n: number; correct: number }[], k: number): number {
  if (items.length === 0) return 0;
  let sum = 0;
  for (const item of items) sum += passAtK(item.n, item.correct, k);
  return sum / items.length;
}

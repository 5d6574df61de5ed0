// A small character diff for one expected/actual pair: the common start and end are shared, the
// middle differs. Outputs are mostly one-line reprs, where this shows the spot that differs at a
// glance without a general diff algorithm.

export interface DiffParts {
  prefix: string;
  expected: string;
  actual: string;
  suffix: string;
}

export function diffParts(expected: string, actual: string): DiffParts {
  let start = 0;
  const shortest = Math.min(expected.length, actual.length);
  while (start < shortest && expected[start] === actual[start]) start++;
  let end = 0;
  while (end < shortest - start && expected[expected.length - 1 - end] === actual[actual.length - 1 - end]) end++;
  return {
    prefix: expected.slice(0, start),
    expected: expected.slice(start, expected.length - end),
    actual: actual.slice(start, actual.length - end),
    suffix: expected.slice(expected.length - end),
  };
}

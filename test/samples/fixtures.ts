// Synthetic filtered functions for the samples tests: varied names, parameters and cases.
import type { CasesRecord } from '../../src/contract/index.js';
import type { Case } from '../../src/contract/index.js';

export function syntheticRecord(i: number, options: { cluster?: string } = {}): CasesRecord {
  const caseCount = 3 + (i % 6);
  const cases: Case[] = [];
  for (let k = 0; k < caseCount; k++) {
    const input = k % 2 === 0 ? { args: [String(k * 7 + i), `'w${k}'`] } : { args: [String(k)], kwargs: { label: `'x${k}'` } };
    const output: Case['output'] = k === 2 ? { verdict: 'raise', type: 'ValueError', message: `bad value ${k}` } : { verdict: 'return', repr: `'${k}-${i}'` };
    cases.push({ input, output });
  }
  return {
    id: `fn-${i}`,
    entry: `helper_${i}`,
    code: `def helper_${i}(count, label='a'):\n    if count == 2:\n        raise ValueError('bad value 2')\n    return f'{count}-${i}'\n`,
    params: [
      { name: 'count', annotation: null, default: null, kind: 'positional_or_keyword' },
      { name: 'label', annotation: null, default: "'a'", kind: 'positional_or_keyword' },
    ],
    source: { path: `mod${i}.py` },
    ...(options.cluster ? { cluster: options.cluster } : {}),
    cases,
  };
}

/**
 * The layout of a prompt with the function-specific text masked: the name and literals are
 * replaced, and a line already seen is dropped, so the number of cases shown does not count.
 */
export function skeleton(prompt: string, entry: string): string {
  const masked = prompt
    .replaceAll(entry, 'F')
    .replace(/'[^'\n]*'/g, 'S')
    .replace(/\b\d+\b/g, 'N')
    .split('\n');
  return [...new Set(masked)].join('\n');
}

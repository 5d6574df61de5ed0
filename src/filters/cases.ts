// Function-level filters over the cases that survived: a function is worth a sample only when its
// cases show behaviour that can be learned from them. Uninformative cases are dropped with the
// reason: too few cases, all or nearly all raising, one output (`trivial`) or fewer than
// `minOutcomes` distinct ones, one output for most inputs, every return equal to an argument.
import { outputKey, returnsArgument, type Case } from '../contract/index.js';
import { FILTER_OPTIONS } from './options.js';

export interface CaseFilterOptions {
  /** Fewest cases a function must keep. */
  minCases: number;
  /** Fewest distinct outcomes (return values and exceptions) its cases must show. */
  minOutcomes: number;
  /** Largest share of raising cases (more is "nearly all raising"). */
  maxRaiseShare: number;
  /** Largest share of cases with one and the same outcome ("one output for most"). */
  maxSameShare: number;
}

const table = FILTER_OPTIONS.table;
export const DEFAULT_CASE_FILTER: CaseFilterOptions = {
  minCases: table.minCases.default!,
  minOutcomes: table.minOutcomes.default!,
  maxRaiseShare: table.maxCaseRaiseShare.default!,
  maxSameShare: table.maxSameOutputShare.default!,
};

/** The reason to drop a function with these cases, or undefined to keep it. */
export function judgeCases(cases: Case[], options: Partial<CaseFilterOptions> = {}): { reason: string; detail: string } | undefined {
  const settings = { ...DEFAULT_CASE_FILTER, ...options };
  if (cases.length < settings.minCases) return { reason: 'too-few-cases', detail: `${cases.length} usable cases, need ${settings.minCases}` };
  const raising = cases.filter((c) => c.output.verdict === 'raise');
  if (raising.length === cases.length) {
    const types = [...new Set(raising.map((c) => (c.output.verdict === 'raise' ? c.output.type : '')))];
    return { reason: 'all-raise', detail: `every case raises (${types.join(', ')})` };
  }
  const counts = new Map<string, number>();
  for (const c of cases) counts.set(outputKey(c), (counts.get(outputKey(c)) ?? 0) + 1);
  if (counts.size === 1) return { reason: 'trivial', detail: `every case gives ${outputKey(cases[0]).slice(2, 120)}` };
  if (raising.length > settings.maxRaiseShare * cases.length) {
    return { reason: 'mostly-raise', detail: `${raising.length} of ${cases.length} cases raise` };
  }
  if (counts.size < settings.minOutcomes) {
    return { reason: 'few-outcomes', detail: `${counts.size} distinct outcomes in ${cases.length} cases, need ${settings.minOutcomes}` };
  }
  const [top, most] = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  if (most > settings.maxSameShare * cases.length) {
    return { reason: 'one-output', detail: `${most} of ${cases.length} cases give ${top.slice(2, 100)}` };
  }
  const echo = returnsAnArgument(cases);
  if (echo) return { reason: 'returns-argument', detail: `every return is one of its arguments (${echo} cases)` };
  return undefined;
}

/** How many cases return, if every one returns one of its own arguments unchanged; else 0. */
export function returnsAnArgument(cases: Case[]): number {
  const returning = cases.filter((c) => c.output.verdict === 'return');
  return returning.length > 0 && returning.every(returnsArgument) ? returning.length : 0;
}

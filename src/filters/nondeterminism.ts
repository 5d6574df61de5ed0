// Nondeterminism: the same calls run a second time in an interpreter with another hash seed. A call
// whose result changed (set order, hash(), id(), time, random) cannot be a case; a function whose
// results mostly change is dropped as a whole.
import type { CallOutcome } from '../contract/index.js';

/** True when two outcomes state the same thing (timings and stdout do not count). */
export function sameOutcome(a: CallOutcome, b: CallOutcome): boolean {
  if (a.verdict !== b.verdict) return false;
  if (a.verdict === 'return' && b.verdict === 'return') return a.repr === b.repr;
  if (a.verdict === 'raise' && b.verdict === 'raise') return a.type === b.type && a.message === b.message;
  return true;
}

export interface RerunComparison {
  /** Positions (in the compared lists) whose outcomes differ. */
  differing: number[];
  /** True when more than half of the compared calls differ: drop the function. */
  functionIsNondeterministic: boolean;
}

export function compareRuns(first: CallOutcome[], second: CallOutcome[]): RerunComparison {
  if (first.length !== second.length) throw new Error(`compareRuns: ${first.length} outcomes against ${second.length}`);
  const differing: number[] = [];
  first.forEach((outcome, i) => {
    if (!sameOutcome(outcome, second[i])) differing.push(i);
  });
  return { differing, functionIsNondeterministic: differing.length * 2 > first.length };
}

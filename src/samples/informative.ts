// Whether the cases a prompt shows reveal what the function does. The filter stage judges all of a
// function's cases; this judges the subset one sample shows, which is what a model learns from.
import { outputKey, returnsArgument, type Case } from '../contract/index.js';

/** Fewest distinct outcomes (return values and exceptions) shown cases should have. */
export const MIN_SHOWN_OUTCOMES = 3;

export type ShownProblem = 'few-outcomes' | 'all-raise' | 'returns-argument';

/**
 * Why these shown cases hide the function, or undefined when they do not: fewer than `minOutcomes`
 * distinct outcomes, every case raising, or every return equal to one of its arguments.
 */
export function shownProblem(shown: Case[], minOutcomes = MIN_SHOWN_OUTCOMES): ShownProblem | undefined {
  const returning = shown.filter((c) => c.output.verdict === 'return');
  if (returning.length === 0) return 'all-raise';
  if (returning.every(returnsArgument)) return 'returns-argument';
  if (new Set(shown.map(outputKey)).size < minOutcomes) return 'few-outcomes';
  return undefined;
}

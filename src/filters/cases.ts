// Function-level filters over the cases that survived: a function is worth a sample only when its
// cases show behaviour that can be learned from them.
import { outputKey, type Case } from '../contract/index.js';
import { FILTER_OPTIONS } from './options.js';

export interface CaseFilterOptions {
  /** Fewest cases a function must keep. */
  minCases: number;
}

export const DEFAULT_CASE_FILTER: CaseFilterOptions = { minCases: FILTER_OPTIONS.table.minCases.default! };

/** The reason to drop a function with these cases, or undefined to keep it. */
export function judgeCases(cases: Case[], options: CaseFilterOptions = DEFAULT_CASE_FILTER): { reason: string; detail: string } | undefined {
  if (cases.length < options.minCases) return { reason: 'too-few-cases', detail: `${cases.length} usable cases, need ${options.minCases}` };
  if (cases.every((c) => c.output.verdict === 'raise')) {
    const types = [...new Set(cases.map((c) => (c.output.verdict === 'raise' ? c.output.type : '')))];
    return { reason: 'all-raise', detail: `every case raises (${types.join(', ')})` };
  }
  const outputs = new Set(cases.map(outputKey));
  if (outputs.size === 1) return { reason: 'trivial', detail: `every case gives ${outputKey(cases[0]).slice(2, 120)}` };
  return undefined;
}

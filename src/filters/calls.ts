// Call-level filters: decide, for each call of a function, whether its outcome is good enough to
// become a case. Pure functions over outcomes, so they are easy to test and to run anywhere.
import type { Case, CallSpec } from '../contract/index.js';
import type { CallOutcome } from '../contract/index.js';
import { FILTER_OPTIONS } from './options.js';

/** Why one call was dropped; `index` is the call's position in the record's `inputs`. */
export interface CallDrop {
  index: number;
  reason: string;
  detail?: string;
}

export interface CallFilterOptions {
  /** Longest output repr (characters) a case may show. */
  reprCap: number;
}

export const DEFAULT_CALL_FILTER: CallFilterOptions = { reprCap: FILTER_OPTIONS.table.caseReprCap.default! };

/** `0x` then hex digits: how CPython prints object addresses, which change from run to run. */
export const MEMORY_ADDRESS = /0x[0-9a-fA-F]+/;

/** Verdicts that say nothing about the function's behaviour on the input. */
const UNUSABLE_VERDICTS = new Set(['timeout', 'memory', 'crash', 'bad-input']);

/** The reason to drop this outcome, or undefined when it can be a case. */
export function judgeOutcome(outcome: CallOutcome, options: CallFilterOptions = DEFAULT_CALL_FILTER): { reason: string; detail?: string } | undefined {
  if (UNUSABLE_VERDICTS.has(outcome.verdict)) {
    const message = 'message' in outcome ? outcome.message : undefined;
    return { reason: outcome.verdict, detail: message };
  }
  if (outcome.verdict === 'raise') {
    // A failure to define the function or to repr the result is not behaviour worth showing.
    if (outcome.phase === 'define') return { reason: 'define-error', detail: `${outcome.type}: ${outcome.message}` };
    if (outcome.phase === 'repr') return { reason: 'repr-error', detail: `${outcome.type}: ${outcome.message}` };
    if (MEMORY_ADDRESS.test(outcome.message)) return { reason: 'memory-address', detail: outcome.message.slice(0, 200) };
    if (outcome.message.length > options.reprCap) return { reason: 'output-too-long', detail: `message of ${outcome.message.length} chars` };
    return undefined;
  }
  if (outcome.verdict === 'return') {
    const length = outcome.reprLength ?? outcome.repr.length;
    if (outcome.truncated || length > options.reprCap) return { reason: 'output-too-long', detail: `repr of ${length} chars` };
    if (MEMORY_ADDRESS.test(outcome.repr)) return { reason: 'memory-address', detail: outcome.repr.slice(0, 200) };
    return undefined;
  }
  return { reason: 'unknown-verdict' };
}

/** A stable text for a call, so that two identical calls are recognised as one. */
export function callKey(input: CallSpec): string {
  const kwargs = Object.entries(input.kwargs ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([input.args ?? [], kwargs, input.kwargsFrom ?? null]);
}

/**
 * Splits a function's calls into usable ones (their indices) and drops with reasons. A repeated
 * call (same arguments) is kept once: showing it twice teaches nothing.
 */
export function filterCalls(
  inputs: CallSpec[],
  outputs: CallOutcome[],
  options: CallFilterOptions = DEFAULT_CALL_FILTER,
): { kept: number[]; dropped: CallDrop[] } {
  const kept: number[] = [];
  const dropped: CallDrop[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const outcome = outputs[index];
    if (!outcome) {
      dropped.push({ index, reason: 'missing-output' });
      return;
    }
    const verdict = judgeOutcome(outcome, options);
    if (verdict) {
      dropped.push({ index, ...verdict });
      return;
    }
    const key = callKey(input);
    if (seen.has(key)) {
      dropped.push({ index, reason: 'duplicate-input' });
      return;
    }
    seen.add(key);
    kept.push(index);
  });
  return { kept, dropped };
}

/** The case a usable outcome makes: only what a sample states (no timings, no stdout). */
export function toCase(input: CallSpec, outcome: CallOutcome): Case {
  if (outcome.verdict === 'return') return { input, output: { verdict: 'return', repr: outcome.repr } };
  if (outcome.verdict === 'raise') return { input, output: { verdict: 'raise', type: outcome.type, message: outcome.message } };
  throw new Error(`toCase: a ${outcome.verdict} outcome is not a case`);
}

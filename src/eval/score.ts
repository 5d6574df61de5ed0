// Score one answer: extract its code, run it on every case of the item in the sandbox, and pass it
// only if every outcome matches exactly (floats within `floatTolerance` when one is given). A
// failed answer gets one reason, taken from what went wrong first (a define-time failure, else the
// first case that did not match). `eval` and `serve` both score here, so an answer gets the same
// verdict from either.
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../contract/index.js';
import { benchRaiseText } from './bench-format.js';
import { extractCode } from './extract-code.js';
import { reprsMatch } from './float-match.js';
import type { EvalItem, Expected } from './items.js';
import { officialRaiseText } from './official.js';

/** Why an answer failed. `setup-error` is the item's fault, not the answer's: its setup could not
 * run here, so no answer was run (see EvalItem.setupError). */
export const FAIL_REASONS = ['no-code', 'syntax-error', 'missing-function', 'wrong-output', 'raised', 'timeout', 'truncated', 'setup-error'] as const;
export type FailReason = (typeof FAIL_REASONS)[number];

/** A model's answer for one item. */
export interface Answer {
  text: string;
  /** The model stopped at its token limit: the answer fails as `truncated` without running. */
  truncated: boolean;
  /** Code to run as it is, instead of the code found in `text` (an API caller sent code, not a completion). */
  code?: string;
}

export interface ScoreOptions {
  /** Per-call CPU window for the answer's code (default: the sandbox's). */
  timeoutMs?: number;
  /** Floats in returned reprs match within this tolerance (default: exact match). */
  floatTolerance?: number;
}

export interface FailingCase {
  /** Index of the case in the item. */
  case: number;
  input: string;
  expected: string;
  actual: string;
}

export interface SampleResult {
  sample: number;
  passed: boolean;
  reason?: FailReason;
  /** One line on what happened, for failures. */
  detail?: string;
  casesPassed: number;
  cases: number;
  failing?: FailingCase;
  code: string;
}

const SYNTAX_ERRORS = new Set(['SyntaxError', 'IndentationError', 'TabError']);
const ITEM_BUDGET_IN_TIMEOUTS = 5;

export async function scoreAnswer(
  sandbox: Sandbox,
  item: EvalItem,
  answer: Answer,
  sample: number,
  options: ScoreOptions = {},
): Promise<SampleResult> {
  const cases = item.calls.length;
  const code = answer.code ?? extractCode(answer.text);
  const failed = (reason: FailReason, detail: string, extra: Partial<SampleResult> = {}): SampleResult => ({
    sample, passed: false, reason, detail, casesPassed: 0, cases, code, ...extra,
  });
  if (item.setupError !== undefined) return failed('setup-error', `the item could not be set up here: ${item.setupError}`);
  if (answer.truncated) return failed('truncated', 'the completion hit the token limit');
  if (code.trim() === '') return failed('no-code', 'the answer holds no code');

  // An answer that loops forever would otherwise cost a window per case. One timeout fails the
  // answer, so the cases after it are not run (they count as not passed), and one budget for the
  // item bounds the rest (a correct answer needing longer than this on all cases together is rare).
  const perCall = options.timeoutMs ?? sandbox.info.limits.timeoutMs;
  const totalMs = perCall * ITEM_BUDGET_IN_TIMEOUTS;
  const outcomes = await sandbox.runFunction({ code, entry: item.entry, setup: item.setup, calls: item.calls, timeoutMs: options.timeoutMs, totalMs, stopAfterTimeout: true });
  const first = outcomes[0];
  if (first?.verdict === 'raise' && first.phase === 'define') {
    const detail = `while defining the code: ${first.type}: ${first.message}`;
    if (SYNTAX_ERRORS.has(first.type)) return failed('syntax-error', detail);
    if (isMissingEntry(first, item.entry)) return failed('missing-function', detail);
    return failed('raised', detail);
  }

  let casesPassed = 0;
  let failure: { reason: FailReason; failing: FailingCase } | undefined;
  outcomes.forEach((outcome, index) => {
    if (matches(item.expected[index], outcome, item, options.floatTolerance)) {
      casesPassed++;
      return;
    }
    failure ??= {
      reason: reasonFor(outcome),
      failing: { case: index, input: item.inputs[index], expected: item.expected[index].text, actual: actualText(outcome, item) },
    };
  });
  if (!failure) return { sample, passed: true, casesPassed, cases, code };
  const { reason, failing } = failure;
  return failed(reason, `case ${failing.case}: expected ${clip(failing.expected)}, got ${clip(failing.actual)}`, { casesPassed, failing });
}

function isMissingEntry(outcome: { type: string; message: string }, entry: string): boolean {
  if (outcome.type === 'NameError') return outcome.message === `name '${entry}' is not defined`;
  return outcome.type === 'TypeError' && /object is not callable$/.test(outcome.message);
}

function matches(expected: Expected, outcome: CallOutcome, item: EvalItem, floatTolerance: number | undefined): boolean {
  if (expected.verdict === 'return') {
    return outcome.verdict === 'return' && !outcome.truncated && reprsMatch(expected.text, outcome.repr, floatTolerance);
  }
  return (outcome.verdict === 'raise' || outcome.verdict === 'memory') && actualText(outcome, item) === expected.text;
}

function reasonFor(outcome: CallOutcome): FailReason {
  if (outcome.verdict === 'timeout') return 'timeout';
  if (outcome.verdict === 'return') return 'wrong-output';
  return 'raised';
}

/** What the code gave, written like the benchmark writes its expected outputs. */
export function actualText(outcome: CallOutcome, item: Pick<EvalItem, 'format'>): string {
  const raiseText = item.format === 'official' ? officialRaiseText : benchRaiseText;
  switch (outcome.verdict) {
    case 'return':
      return outcome.truncated ? `${outcome.repr}... [repr cut at ${outcome.repr.length} of ${outcome.reprLength} characters]` : outcome.repr;
    case 'raise':
      return raiseText(outcome);
    case 'memory':
      return raiseText({ type: 'MemoryError', message: '' });
    case 'timeout':
      return `[timeout after ${Math.round(outcome.ms)} ms${outcome.message ? `: ${outcome.message}` : ''}]`;
    case 'crash':
      return `[interpreter crashed: ${outcome.message}]`;
    case 'bad-input':
      return `[the call could not be made: ${outcome.message}]`;
  }
}

function clip(text: string, max = 120): string {
  return text.length <= max ? text : text.slice(0, max) + '...';
}

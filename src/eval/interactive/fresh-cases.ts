// Differential testing against the reference: inputs the model never saw, written by the fuzzer
// for the reference code, with the reference's own outcomes as the expected outputs. An input is
// kept only when two runs of the reference agree on it (a nondeterministic output cannot be
// expected of anyone), and when the reference returns or raises on it (not a timeout or a crash).
import { INPUTS_OPTIONS, runFuzz } from '../../inputs/index.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { CallOutcome, CallSpec } from '../../contract/index.js';
import { callText } from '../../contract/index.js';
import type { EvalItem, Expected } from '../items.js';
import { actualText } from '../score.js';

export interface FreshCases {
  calls: CallSpec[];
  inputs: string[];
  expected: Expected[];
  /** Why there are none, when the fuzzer found no input the reference answers the same twice. */
  note?: string;
}

export async function freshCases(sandbox: Sandbox, item: EvalItem, settings: { n: number; seed: number }): Promise<FreshCases> {
  const none = (note: string): FreshCases => ({ calls: [], inputs: [], expected: [], note });
  if (!item.gold || settings.n === 0) return none('no reference code or no fresh inputs asked for');
  const defaults = INPUTS_OPTIONS.resolve();
  const fuzzed = await runFuzz(sandbox, { id: item.id, entry: item.entry, code: item.gold, params: [], source: {} }, {
    n: settings.n, seed: settings.seed, maxExecutions: defaults.maxExecutions, maxTotalSteps: defaults.maxTotalSteps,
    maxSteps: defaults.maxSteps, maxRaiseShare: defaults.maxRaiseShare, edgeShare: defaults.edgeShare,
  });
  if (fuzzed.reason || fuzzed.inputs.length === 0) return none(`the fuzzer found no inputs: ${fuzzed.reason ?? 'none'}${fuzzed.detail ? ` (${fuzzed.detail})` : ''}`);
  const job = { code: item.gold, entry: item.entry, setup: item.setup, calls: fuzzed.inputs };
  const [first, second] = await Promise.all([sandbox.runFunction(job), sandbox.runFunction(job)]);
  const kept: FreshCases = { calls: [], inputs: [], expected: [] };
  fuzzed.inputs.forEach((call, i) => {
    const expected = expectedOf(first[i], item);
    if (!expected || expected.text !== expectedOf(second[i], item)?.text) return;
    kept.calls.push(call);
    kept.inputs.push(callText(item.entry, call));
    kept.expected.push(expected);
  });
  return kept.calls.length > 0 ? kept : none('no fuzzed input gave the reference the same outcome twice');
}

function expectedOf(outcome: CallOutcome | undefined, item: EvalItem): Expected | undefined {
  if (outcome?.verdict === 'return' && !outcome.truncated) return { verdict: 'return', text: outcome.repr };
  if (outcome?.verdict === 'raise' && !outcome.phase) return { verdict: 'raise', text: actualText(outcome, item) };
  return undefined;
}

// Two more tasks from the same executions, CRUXEval-style: output prediction (the code and a call:
// what does it return?) and input prediction (the code and a value: which call returns it?). Each
// row keeps the structured call and the repr it gave, so `case2code verify` re-executes it: for
// output prediction the answer is the repr, for input prediction any call that returns the value
// is right, and the row's own call is one.
import { outputKey, returnsArgument, type Case, type CallSpec, type CasesRecord } from '../contract/index.js';
import { pythonCall } from './calls.js';
import type { Rng } from './random.js';

export interface PredictionSample {
  /** `<function id>:<index of the case among the function's cases>`. */
  id: string;
  /** The function's id, the same as its bench item's. */
  function: string;
  entry: string;
  code: string;
  input: CallSpec;
  /** The repr the call returned. */
  output: string;
  prompt: string;
  completion: string;
}

export const PREDICTION_FORMATS = ['output_prediction', 'input_prediction'] as const;
export type PredictionFormat = (typeof PREDICTION_FORMATS)[number];

/** A call as the prompts and answers write it: its arguments as given. */
export function predictionCall(entry: string, input: CallSpec): string {
  return pythonCall(entry, input, [], 'as-given');
}

function fenced(code: string): string {
  return '```python\n' + code.trimEnd() + '\n```';
}

export function outputPredictionPrompt(code: string, entry: string, input: CallSpec): string {
  return [
    `Here is a Python function \`${entry}\`:`,
    fenced(code),
    `Complete the assertion with the value the call returns, written as Python prints its repr:`,
    fenced(`assert ${predictionCall(entry, input)} == ??`),
    'Answer with the value only.',
  ].join('\n\n');
}

export function inputPredictionPrompt(code: string, entry: string, output: string): string {
  return [
    `Here is a Python function \`${entry}\`:`,
    fenced(code),
    `Find arguments for which the call returns this value, and complete the assertion:`,
    fenced(`assert ${entry}(??) == ${output}`),
    `Answer with the call only, as \`${entry}(...)\`; any call that returns the value is right.`,
  ].join('\n\n');
}

/**
 * The cases to ask about: up to `count` that return (an exception's message is no value to
 * predict) something other than one of their arguments (that would give the answer away), with
 * distinct results, chosen at random. Their indices among the function's cases, in case order.
 */
export function choosePredicted(cases: Case[], count: number, rng: Rng): number[] {
  const seen = new Set<string>();
  const eligible: number[] = [];
  cases.forEach((c, i) => {
    if (c.output.verdict !== 'return' || returnsArgument(c) || seen.has(outputKey(c))) return;
    seen.add(outputKey(c));
    eligible.push(i);
  });
  return rng.shuffle(eligible).slice(0, count).sort((a, b) => a - b);
}

export function predictionSamples(record: CasesRecord, format: PredictionFormat, indices: number[]): PredictionSample[] {
  return indices.map((index) => {
    const c = record.cases[index];
    const output = c.output.verdict === 'return' ? c.output.repr : '';
    const row = { id: `${record.id}:${index}`, function: record.id, entry: record.entry, code: record.code, input: c.input, output };
    return format === 'output_prediction'
      ? { ...row, prompt: outputPredictionPrompt(row.code, row.entry, row.input), completion: row.output }
      : { ...row, prompt: inputPredictionPrompt(row.code, row.entry, row.output), completion: predictionCall(row.entry, row.input) };
  });
}

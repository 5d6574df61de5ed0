// Our own `bench` format (BenchItemSchema, written by `case2code run`): the cases carry their calls
// and expected outcomes directly, so an item needs no Python to prepare.
import { callText, type BenchItem, type Case } from '../contract/index.js';
import type { EvalItem, Expected } from './items.js';

export function benchItem(record: BenchItem, source: { path: string; line: number }): EvalItem {
  const shown = new Set(record.shown.map((c) => JSON.stringify(c)));
  return {
    id: record.id,
    entry: record.entry,
    prompt: record.prompt,
    format: 'bench',
    calls: record.cases.map((c) => c.input),
    inputs: record.cases.map((c) => callText(record.entry, c.input)),
    expected: record.cases.map(expectedFromCase),
    gold: record.code,
    shown: record.cases.flatMap((c, i) => (shown.has(JSON.stringify(c)) ? [i] : [])),
    source,
  };
}

export function expectedFromCase(c: Case): Expected {
  return c.output.verdict === 'return'
    ? { verdict: 'return', text: c.output.repr }
    : { verdict: 'raise', text: benchRaiseText(c.output) };
}

/** A raise in the bench format: `Type: message` (the type as the sandbox names it). */
export function benchRaiseText(outcome: { type: string; message: string }): string {
  return `${outcome.type}: ${outcome.message}`;
}

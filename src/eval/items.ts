// What the evaluator works on, whatever the benchmark file looked like: an item is a prompt, the
// calls to make, and what each call must give, written in the benchmark's own format.
import type { CallSpec } from '../contract/index.js';

export type BenchmarkFormat = 'bench' | 'official';

/** What one call must give. `text` is the expected value in the benchmark's format. */
export type Expected = { verdict: 'return'; text: string } | { verdict: 'raise'; text: string };

export interface EvalItem {
  id: string;
  entry: string;
  /** What the model is shown. */
  prompt: string;
  format: BenchmarkFormat;
  calls: CallSpec[];
  /** Readable form of each call's input, for results and the report. */
  inputs: string[];
  /** Python run after the model's code, in its namespace (the official `example_str`). */
  setup?: string;
  expected: Expected[];
  /** The reference solution, when the benchmark has one. */
  gold?: string;
  /** Where the item came from, for error messages. */
  source: { path: string; line: number };
}

/** A broken benchmark or samples file: every message names the file, the line and the reason. */
export class EvalInputError extends Error {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 20).join('\n');
    const more = problems.length > 20 ? `\n... and ${problems.length - 20} more` : '';
    super(`${problems.length} problem(s) in the input:\n${shown}${more}`);
    this.name = 'EvalInputError';
  }
}

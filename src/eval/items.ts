// What the evaluator works on, whatever the benchmark file looked like: an item is a prompt, the
// calls to make, and what each call must give, written in the benchmark's own format.
import type { CallSpec } from '../contract/index.js';

export type BenchmarkFormat = 'bench' | 'official';

/** What one call must give. `text` is the expected value in the benchmark's format. */
export type Expected = { verdict: 'return'; text: string } | { verdict: 'raise'; text: string };

export interface EvalItem {
  id: string;
  entry: string;
  /** What the model is shown (in the prompt style the benchmark was loaded with). */
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
  /** Indices of the cases the prompt shows; the others are held out (interactive mode). */
  shown?: number[];
  /**
   * Why the item could not be prepared (its `example_str` failed here, or builds another number
   * of examples than it has outputs). Such an item has no calls; it is reported as `setup-error`,
   * counts as not passed, and no answer is asked for or run.
   */
  setupError?: string;
  /** Where the item came from, for error messages. */
  source: { path: string; line: number };
}

/** One problem of an input file: the file, the line (absent for the file as a whole), the reason. */
export interface InputProblem {
  file: string;
  line?: number;
  reason: string;
}

/** `file:line: reason`, the way every message about an input names its place. */
export function describeProblem(problem: InputProblem): string {
  return `${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}: ${problem.reason}`;
}

/** A broken benchmark or completions file: every problem carries its file, line and reason. */
export class EvalInputError extends Error {
  override readonly name = 'EvalInputError';

  constructor(readonly problems: InputProblem[]) {
    const shown = problems.slice(0, 20).map(describeProblem).join('\n');
    const more = problems.length > 20 ? `\n... and ${problems.length - 20} more` : '';
    super(`${problems.length} problem(s) in the input:\n${shown}${more}`);
  }
}

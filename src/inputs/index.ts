// The inputs stage: for each function, about ten diverse, valid inputs of realistic, inferred types.
// Three generators:
//   fuzz   (default) coverage-guided search inside the sandbox, no model; the inputs are chosen by
//          what they reveal: coverage, mutants of the function told apart, outputs;
//   llm    a writer model proposes inputs, parsed and checked in the sandbox;
//   hybrid the model's inputs are kept and seed the fuzzer, which adds inputs only where they
//          kill mutants or cover arcs the model's missed.
// Every generator gives its inputs ranked by what they reveal: a sample shows a prefix of them.
import { LlmError, type LlmClient } from '../llm/client.js';
import { mapOrdered } from '../io/ordered.js';
import { keep, reject, type StageItem } from '../pipeline/stage.js';
import type { FunctionRecord, InputsRecord, Reject } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { writeWithLlm, type LlmInputs } from './llm-writer.js';
import { DEFAULT_EDGE_SHARE, DEFAULT_MAX_STEPS, DEFAULT_MAX_TOTAL_STEPS, measureInputs, runFuzz, type FuzzSettings } from './tool-calls.js';

export { inputsTools, INPUTS_TOOL, type PythonTool } from './tools.js';
export {
  measureInputs, runFuzz, parseAnswer, DEFAULT_EDGE_SHARE, DEFAULT_MAX_STEPS, DEFAULT_MAX_TOTAL_STEPS,
  type FuzzAnswer, type FuzzSettings, type FuzzStats, type Measurement,
} from './tool-calls.js';

export type GeneratorName = 'fuzz' | 'llm' | 'hybrid';

export interface InputsOptions {
  generator?: GeneratorName;
  /** Inputs wanted per function (default 10). */
  n?: number;
  /** Seed of the fuzzer's random choices (default 0): same seed, same inputs. */
  seed?: number;
  /** Required for `llm` and `hybrid`. */
  llm?: LlmClient;
  /**
   * Per-function search budget of the fuzzer, in counts (default 300 executions, 3,000,000 steps
   * of all runs together): the same seed gives the same inputs on any machine, however busy.
   */
  budget?: { executions?: number; steps?: number };
  /**
   * Steps one execution may take, fuzzing or measuring a model's inputs (default 100,000): calls of
   * the function's own code and loop iterations. A run cut there counts as a timeout.
   */
  maxSteps?: number;
  /** Largest share of raising inputs among those chosen (default 0.2). */
  maxRaiseShare?: number;
  /** Largest share of type-confused inputs (a value outside the inferred types) among those the
   * fuzzer chooses (default 0.05: none of 10). */
  edgeShare?: number;
  /** Requests per function for the llm writer, follow-ups included (default 3). */
  llmRounds?: number;
  /** Functions in flight (default: 2 per sandbox worker for fuzz, 64 with a model). */
  concurrency?: number;
}

const STAGE = 'inputs';

export function generateInputs(
  sandbox: Sandbox,
  functions: AsyncIterable<FunctionRecord> | Iterable<FunctionRecord>,
  options: InputsOptions = {},
): AsyncIterable<StageItem<InputsRecord>> {
  const generator = options.generator ?? 'fuzz';
  if (generator !== 'fuzz' && !options.llm) throw new Error(`the ${generator} generator needs an LLM client (options.llm)`);
  const concurrency = options.concurrency ?? (generator === 'fuzz' ? sandbox.info.workers * 2 : 64);
  return mapOrdered(functions, concurrency, (fn) => inputsForFunction(sandbox, fn, options));
}

/** One function through the chosen generator: a record with inputs, or a reject with the reason. */
export async function inputsForFunction(sandbox: Sandbox, fn: FunctionRecord, options: InputsOptions = {}): Promise<StageItem<InputsRecord>> {
  const generator = options.generator ?? 'fuzz';
  const n = options.n ?? 10;
  const fail = (reason: string, detail?: string): StageItem<InputsRecord> => reject(rejectOf(fn, reason, detail));
  let written: LlmInputs | undefined;
  let llmFailure: string | undefined;
  if (generator !== 'fuzz') {
    try {
      written = await writeWithLlm(sandbox, options.llm!, fn, n, options.llmRounds ?? 3);
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      llmFailure = `${error.kind}: ${error.message}`.slice(0, 300);
      if (generator === 'llm') return fail('llm-failed', llmFailure);
    }
  }
  const llmMeta = written && { rounds: written.rounds, accepted: written.inputs.length, dropped: written.dropped, truncated: written.truncated, model: options.llm!.options.model };

  if (generator === 'llm') {
    if (written!.inputs.length === 0) return fail('no-valid-inputs', `the model gave no usable input; dropped: ${JSON.stringify(written!.dropped)}`);
    const measured = await measureInputs(sandbox, fn, written!.inputs, options.maxSteps ?? DEFAULT_MAX_STEPS, true);
    if (!('counts' in measured)) return fail(measured.error, measured.detail);
    if (measured.counts.return === 0) return fail('all-raise', `counts: ${JSON.stringify(measured.counts)}`);
    const { counts, order, ...quality } = measured;
    // Ranked like the fuzzer's, so that the cases a sample shows are the most revealing ones.
    const ranked = order && order.length === written!.inputs.length ? order.map((i) => written!.inputs[i]) : written!.inputs;
    return keep({ ...fn, inputs: ranked, generator: { name: 'llm', n, ...llmMeta, ...quality, raising: counts.raise } });
  }

  const settings: FuzzSettings = {
    n,
    seed: options.seed ?? 0,
    maxExecutions: options.budget?.executions ?? 300,
    maxTotalSteps: options.budget?.steps ?? DEFAULT_MAX_TOTAL_STEPS,
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxRaiseShare: options.maxRaiseShare ?? 0.2,
    edgeShare: options.edgeShare ?? DEFAULT_EDGE_SHARE,
    seeds: written?.inputs,
    keepSeeds: generator === 'hybrid',
  };
  const answer = await runFuzz(sandbox, fn, settings);
  if (answer.reason || answer.inputs.length === 0) return fail(answer.reason ?? 'no-valid-inputs', answer.detail);
  const meta: Record<string, unknown> = { name: generator, n, seed: settings.seed, ...answer.stats };
  if (generator === 'hybrid') meta.llm = llmFailure ? { failed: llmFailure } : llmMeta;
  return keep({ ...fn, inputs: answer.inputs, generator: meta });
}

function rejectOf(fn: FunctionRecord, reason: string, detail?: string): Reject {
  const out: Reject = { stage: STAGE, reason, id: fn.id, entry: fn.entry, source: fn.source };
  if (detail) out.detail = detail;
  return out;
}

// The inputs stage: for each function, about ten diverse, valid inputs of realistic, inferred types.
// Three generators:
//   fuzz   (default) coverage-guided search inside the sandbox, no model; the inputs are chosen by
//          what they reveal: coverage, mutants of the function told apart, outputs;
//   llm    a writer model proposes inputs, parsed and checked in the sandbox;
//   hybrid the model's inputs are kept and seed the fuzzer, which adds inputs only where they
//          kill mutants or cover arcs the model's missed.
// Every generator gives its inputs ranked by what they reveal: a sample shows a prefix of them.
import { LlmError, type LlmClient } from '../llm/client.js';
import { mapKept } from '../io/ordered.js';
import {
  ConfigurationError, keep, reject,
  type Figures, type FunctionRecord, type InputsRecord, type OptionInput, type Reject, type Stage, type StageItem,
} from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { writeWithLlm, type LlmInputs } from './llm-writer.js';
import { INPUTS_OPTIONS, type InputsSettings } from './options.js';
import { measureInputs, runFuzz, type FuzzSettings } from './tool-calls.js';

export { inputsTools, INPUTS_TOOL, type PythonTool } from './tools.js';
export { INPUTS_OPTIONS, GENERATORS, type GeneratorName, type InputsSettings } from './options.js';
export {
  measureInputs, runFuzz, parseAnswer,
  type FuzzAnswer, type FuzzSettings, type FuzzStats, type Measurement,
} from './tool-calls.js';

export interface InputsOptions extends OptionInput<(typeof INPUTS_OPTIONS)['table']> {
  /** Required for `llm` and `hybrid`. */
  llm?: LlmClient;
  /** Functions in flight (default: 2 per sandbox worker for fuzz, the client's concurrency with a model). */
  concurrency?: number;
}

const STAGE = 'inputs';

/** The inputs stage: functions in, the same records with inputs (or rejects with reasons) out. */
export function inputsStage(sandbox: Sandbox, options: InputsOptions = {}): Stage<FunctionRecord, InputsRecord> {
  const { llm, concurrency, ...given } = options;
  const settings = INPUTS_OPTIONS.resolve(given);
  if (settings.generator !== 'fuzz' && !llm) throw new ConfigurationError(`the ${settings.generator} generator needs a model (--llm-base-url and --llm-model)`);
  const inFlight = concurrency ?? (settings.generator === 'fuzz' ? sandbox.info.workers * 2 : llm!.options.concurrency ?? 64);
  return {
    name: STAGE,
    run: (items) => mapKept(items, inFlight, (fn) => inputsFor(sandbox, fn, settings, llm)),
    figures: (record) => {
      const figures: Figures = { inputsPerFunction: { [record.inputs.length]: 1 } };
      const lines = record.generator?.lines;
      if (Array.isArray(lines) && typeof lines[0] === 'number' && typeof lines[1] === 'number' && lines[1] > 0) {
        figures.coverage = { [(Math.min(10, Math.floor((lines[0] / lines[1]) * 10)) / 10).toFixed(1)]: 1 };
      }
      return figures;
    },
  };
}

/** One function through the chosen generator: a record with inputs, or a reject with the reason. */
export function inputsForFunction(sandbox: Sandbox, fn: FunctionRecord, options: InputsOptions = {}): Promise<StageItem<InputsRecord>> {
  const { llm, concurrency: _concurrency, ...given } = options;
  return inputsFor(sandbox, fn, INPUTS_OPTIONS.resolve(given), llm);
}

async function inputsFor(sandbox: Sandbox, fn: FunctionRecord, settings: InputsSettings, llm?: LlmClient): Promise<StageItem<InputsRecord>> {
  const { generator, inputs: n } = settings;
  const fail = (reason: string, detail?: string): StageItem<InputsRecord> => reject(rejectOf(fn, reason, detail));
  let written: LlmInputs | undefined;
  let llmFailure: string | undefined;
  if (generator !== 'fuzz') {
    try {
      written = await writeWithLlm(sandbox, llm!, fn, n, settings.llmRounds);
    } catch (error) {
      if (!(error instanceof LlmError)) throw error;
      llmFailure = `${error.failure}: ${error.message}`.slice(0, 300);
      if (generator === 'llm') return fail('llm-failed', llmFailure);
    }
  }
  const llmMeta = written && { rounds: written.rounds, accepted: written.inputs.length, dropped: written.dropped, truncated: written.truncated, model: llm!.options.model };

  if (generator === 'llm') {
    if (written!.inputs.length === 0) return fail('no-valid-inputs', `the model gave no usable input; dropped: ${JSON.stringify(written!.dropped)}`);
    const measured = await measureInputs(sandbox, fn, written!.inputs, settings.maxSteps, true);
    if (!('counts' in measured)) return fail(measured.error, measured.detail);
    if (measured.counts.return === 0) return fail('all-raise', `counts: ${JSON.stringify(measured.counts)}`);
    const { counts, order, ...quality } = measured;
    // Ranked like the fuzzer's, so that the cases a sample shows are the most revealing ones.
    const ranked = order && order.length === written!.inputs.length ? order.map((i) => written!.inputs[i]) : written!.inputs;
    return keep({ ...fn, inputs: ranked, generator: { name: 'llm', n, ...llmMeta, ...quality, raising: counts.raise } });
  }

  const fuzz: FuzzSettings = {
    n,
    seed: settings.seed,
    maxExecutions: settings.maxExecutions,
    maxTotalSteps: settings.maxTotalSteps,
    maxSteps: settings.maxSteps,
    maxRaiseShare: settings.maxRaiseShare,
    edgeShare: settings.edgeShare,
    seeds: written?.inputs,
    keepSeeds: generator === 'hybrid',
  };
  const answer = await runFuzz(sandbox, fn, fuzz);
  if (answer.reason || answer.inputs.length === 0) return fail(answer.reason ?? 'no-valid-inputs', answer.detail);
  const meta: Record<string, unknown> = { name: generator, n, seed: fuzz.seed, ...answer.stats };
  if (generator === 'hybrid') meta.llm = llmFailure ? { failed: llmFailure } : llmMeta;
  return keep({ ...fn, inputs: answer.inputs, generator: meta });
}

function rejectOf(fn: FunctionRecord, reason: string, detail?: string): Reject {
  const out: Reject = { stage: STAGE, reason, id: fn.id, entry: fn.entry, source: fn.source };
  if (detail) out.detail = detail;
  return out;
}

// A run's options resolved group by group, the settings that decide its output, and its stages
// built from them. The coordinator and every worker (a queue worker, a Slurm array task) build a
// run the same way, from the same options (a worker reads them from the run directory), so a task
// gives the same bytes wherever it runs.
import path from 'node:path';
import { ConfigurationError, pick, type ProgressSink } from '../contract/index.js';
import { execStage } from '../execute/index.js';
import { EXTRACT_OPTIONS, extractionStage, extractTools } from '../extract/index.js';
import { FILTER_OPTIONS, filterStage } from '../filters/index.js';
import { INPUTS_OPTIONS, inputsStage, inputsTools } from '../inputs/index.js';
import { LlmClient } from '../llm/client.js';
import { LLM_OPTIONS, llmClientOptions } from '../llm/options.js';
import { SANDBOX_OPTIONS } from '../sandbox/options.js';
import { Sandbox } from '../sandbox/sandbox.js';
import { SAMPLES_OPTIONS, samplesStage } from '../samples/index.js';
import { checkRunKeys, DEFAULT_EMBEDDED_LIMIT, EXECUTOR_OPTIONS, RUN_OPTIONS, type Case2CodeRunOptions } from './options.js';
import { RunDirectory } from './run-dir.js';
import type { RunStages } from './runner.js';

export const EMBEDDED_CORPUS = 'embedded:python-stdlib';

/** Every group of a run resolved: its defaults applied, its values checked. */
export function resolveRun(options: Case2CodeRunOptions) {
  const { sources = [], onProgress: _progress, tool: _tool, ...flags } = options;
  checkRunKeys(flags, 'run options');
  const values = flags as Record<string, unknown>;
  const run = RUN_OPTIONS.resolve(pick(RUN_OPTIONS, values));
  return {
    sources,
    run: { ...run, limit: run.limit ?? (sources.length === 0 ? DEFAULT_EMBEDDED_LIMIT : undefined) },
    executor: EXECUTOR_OPTIONS.resolve(pick(EXECUTOR_OPTIONS, values)),
    extract: EXTRACT_OPTIONS.resolve(pick(EXTRACT_OPTIONS, values)),
    inputs: INPUTS_OPTIONS.resolve(pick(INPUTS_OPTIONS, values)),
    filters: FILTER_OPTIONS.resolve(pick(FILTER_OPTIONS, values)),
    samples: SAMPLES_OPTIONS.resolve(pick(SAMPLES_OPTIONS, values)),
    sandbox: SANDBOX_OPTIONS.resolve(pick(SANDBOX_OPTIONS, values)),
    llm: LLM_OPTIONS.resolve(pick(LLM_OPTIONS, values)),
  };
}

export type ResolvedRun = ReturnType<typeof resolveRun>;

/** The settings that decide the output: a resumed run must have the same ones (the executor is not one). */
export function runSettings(resolved: ResolvedRun): Record<string, unknown> {
  const { run, extract, inputs, filters, samples, sandbox, llm } = resolved;
  return {
    sources: resolved.sources.length > 0 ? resolved.sources.map((s) => path.resolve(s)) : [EMBEDDED_CORPUS],
    limit: run.limit ?? null,
    shardSize: run.shardSize,
    sourceShardFiles: run.sourceShardFiles,
    extract: { ...extract, decontaminate: extract.decontaminate.map((f) => path.resolve(f)), rules: extract.rules ? path.resolve(extract.rules) : null },
    inputs,
    filters,
    samples,
    sandbox: { hashSeed: sandbox.hashSeed, timeoutMs: sandbox.timeoutMs, memoryMb: sandbox.memoryMb, reprCap: sandbox.reprCap },
    model: inputs.generator === 'fuzz' ? null : { model: llm.llmModel, mode: llm.llmMode, temperature: llm.llmTemperature, maxTokens: llm.llmMaxTokens },
  };
}

/**
 * The options as a worker elsewhere needs them: file paths absolute, nothing that acts once
 * (`fresh`), no callbacks. Written to the run directory as run-options.json.
 */
export function portableOptions(options: Case2CodeRunOptions): Record<string, unknown> {
  const { onProgress: _progress, tool: _tool, fresh: _fresh, ...rest } = options;
  const out: Record<string, unknown> = { ...rest };
  const absolute = (value: unknown) => (typeof value === 'string' ? path.resolve(value) : value);
  out.sources = (options.sources ?? []).map((s) => path.resolve(s));
  out.output = path.resolve(options.output ?? RUN_OPTIONS.table.output.default!);
  for (const key of ['rules', 'llmCache', 'python'] as const) if (options[key] !== undefined && String(options[key]).includes('/')) out[key] = absolute(options[key]);
  if (options.decontaminate) out.decontaminate = options.decontaminate.map((f) => path.resolve(f));
  return out;
}

export interface OpenedRun {
  resolved: ResolvedRun;
  settings: Record<string, unknown>;
  stages: RunStages;
  sandbox: Sandbox;
  close(): Promise<void>;
}

export interface OpenRunOptions {
  onProgress?: ProgressSink;
  /** Called before each request to the model (e.g. a rate limit shared by every worker). */
  beforeLlmRequest?: () => Promise<void>;
}

/** Starts the sandboxes (and the model client) of a run and builds its stages. */
export async function openRun(options: Case2CodeRunOptions, extra: OpenRunOptions = {}): Promise<OpenedRun> {
  const resolved = resolveRun(options);
  const { run, sandbox: sandboxFlags } = resolved;
  const llmOptions = llmClientOptions(resolved.llm, resolved.inputs.seed);
  if (resolved.inputs.generator !== 'fuzz' && !llmOptions) {
    throw new ConfigurationError(`--generator ${resolved.inputs.generator} needs a model: give --llm-base-url and --llm-model (or llmBaseUrl and llmModel in the config file)`);
  }
  const [sandbox, rerun] = await Promise.all([
    Sandbox.start({ ...sandboxFlags, tools: { ...extractTools(), ...inputsTools() } }),
    // The nondeterminism check: the same calls under another hash seed, in a pool of its own.
    Sandbox.start({ ...sandboxFlags, hashSeed: sandboxFlags.hashSeed + 1 }),
  ]);
  const llm = llmOptions && resolved.inputs.generator !== 'fuzz' ? new LlmClient({ ...llmOptions, beforeRequest: extra.beforeLlmRequest }) : undefined;
  const close = async () => {
    llm?.close();
    await Promise.all([sandbox.close(), rerun.close()]);
  };
  try {
    // The interpreter that runs the functions decides their outputs (messages, reprs), so a run
    // is resumed (and its tasks run) only on the same backend and Python version.
    const settings = { ...runSettings(resolved), interpreter: interpreterOf(sandbox) };
    // Dedup is split: signatures per corpus part (in the source's tasks), one merge (coordinate.ts).
    const source = await extractionStage(sandbox, { ...resolved.extract, dedup: false });
    const stages = [
      inputsStage(sandbox, { ...resolved.inputs, llm }),
      execStage(sandbox),
      filterStage({ ...resolved.filters, rerun }),
      samplesStage(resolved.samples),
    ];
    const dedup = resolved.extract.dedup ? { threshold: resolved.extract.nearThreshold } : undefined;
    const dir = new RunDirectory(run.output);
    return { resolved, settings, sandbox, stages: { dir, source, stages, dedup, onProgress: extra.onProgress }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export const interpreterOf = (sandbox: Sandbox): string => `${sandbox.info.backend} python ${sandbox.info.python}`;

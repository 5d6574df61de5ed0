// `case2code run` as a library call: corpus -> extract -> inputs -> exec -> filter -> samples, in a
// resumable run directory, then the dataset, the card and the report. It only composes: each stage
// is built from its own options group and counted by the runner. The CLI only parses flags.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError, pick, type FunctionRecord } from '../contract/index.js';
import { embeddedStdlibPath, readCorpus } from '../corpus/index.js';
import { execStage } from '../execute/index.js';
import { EXTRACT_OPTIONS, extractionStage, extractTools } from '../extract/index.js';
import { FILTER_OPTIONS, filterStage } from '../filters/index.js';
import { INPUTS_OPTIONS, inputsStage, inputsTools } from '../inputs/index.js';
import { LlmClient } from '../llm/client.js';
import { LLM_OPTIONS, llmClientOptions } from '../llm/options.js';
import { SANDBOX_OPTIONS } from '../sandbox/options.js';
import { Sandbox } from '../sandbox/sandbox.js';
import { SAMPLES_OPTIONS, samplesStage } from '../samples/index.js';
import { assemble, type RunSummary } from './assemble.js';
import { checkRunKeys, DEFAULT_EMBEDDED_LIMIT, RUN_OPTIONS, type Case2CodeRunOptions } from './options.js';
import { RunDirectory } from './run-dir.js';
import { runSharded } from './runner.js';

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
    extract: EXTRACT_OPTIONS.resolve(pick(EXTRACT_OPTIONS, values)),
    inputs: INPUTS_OPTIONS.resolve(pick(INPUTS_OPTIONS, values)),
    filters: FILTER_OPTIONS.resolve(pick(FILTER_OPTIONS, values)),
    samples: SAMPLES_OPTIONS.resolve(pick(SAMPLES_OPTIONS, values)),
    sandbox: SANDBOX_OPTIONS.resolve(pick(SANDBOX_OPTIONS, values)),
    llm: LLM_OPTIONS.resolve(pick(LLM_OPTIONS, values)),
  };
}

export type ResolvedRun = ReturnType<typeof resolveRun>;

/** The settings that decide the output: a resumed run must have the same ones. */
export function runSettings(resolved: ResolvedRun): Record<string, unknown> {
  const { run, extract, inputs, filters, samples, sandbox, llm } = resolved;
  return {
    sources: resolved.sources.length > 0 ? resolved.sources.map((s) => path.resolve(s)) : [EMBEDDED_CORPUS],
    limit: run.limit ?? null,
    shardSize: run.shardSize,
    extract: { ...extract, decontaminate: extract.decontaminate.map((f) => path.resolve(f)), rules: extract.rules ? path.resolve(extract.rules) : null },
    inputs,
    filters,
    samples,
    sandbox: { hashSeed: sandbox.hashSeed, timeoutMs: sandbox.timeoutMs, memoryMb: sandbox.memoryMb, reprCap: sandbox.reprCap },
    model: inputs.generator === 'fuzz' ? null : { model: llm.llmModel, mode: llm.llmMode, temperature: llm.llmTemperature, maxTokens: llm.llmMaxTokens },
  };
}

export async function runCase2Code(options: Case2CodeRunOptions = {}): Promise<RunSummary & { shards: number; seconds: number }> {
  const started = performance.now();
  const resolved = resolveRun(options);
  const { run, sandbox: sandboxFlags } = resolved;
  const llmOptions = llmClientOptions(resolved.llm, resolved.inputs.seed);
  if (resolved.inputs.generator !== 'fuzz' && !llmOptions) {
    throw new ConfigurationError(`--generator ${resolved.inputs.generator} needs a model: give --llm-base-url and --llm-model (or llmBaseUrl and llmModel in the config file)`);
  }
  if (run.fresh) rmSync(run.output, { recursive: true, force: true });
  const sources = resolved.sources.length > 0 ? resolved.sources : [embeddedStdlibPath()];
  const [sandbox, rerun] = await Promise.all([
    Sandbox.start({ ...sandboxFlags, tools: { ...extractTools(), ...inputsTools() } }),
    // The nondeterminism check: the same calls under another hash seed, in a pool of its own.
    Sandbox.start({ ...sandboxFlags, hashSeed: sandboxFlags.hashSeed + 1 }),
  ]);
  const llm = llmOptions && resolved.inputs.generator !== 'fuzz' ? new LlmClient(llmOptions) : undefined;
  const dir = new RunDirectory(run.output);
  try {
    // The interpreter that runs the functions decides their outputs (messages, reprs), so a run
    // is resumed only on the same backend and Python version.
    const settings = { ...runSettings(resolved), interpreter: `${sandbox.info.backend} python ${sandbox.info.python}` };
    dir.open(settings);
    // Dedup keeps state across the whole stream, so on resume the source runs again from the start.
    const source = await extractionStage(sandbox, resolved.extract);
    const stages = [
      inputsStage(sandbox, { ...resolved.inputs, llm }),
      execStage(sandbox),
      filterStage({ ...resolved.filters, rerun }),
      samplesStage(resolved.samples),
    ];
    const result = await runSharded<FunctionRecord>({
      dir,
      source: { stage: source, items: () => readCorpus(sources, resolved.extract), limit: run.limit, idOf: (record) => record.id },
      stages,
      shardSize: run.shardSize,
      concurrency: run.concurrency,
      onProgress: options.onProgress,
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = await assemble({ dir, stages: dir.stageTotals(result.stages, result.shards), shards: result.shards, settings, tool: options.tool ?? 'case2code', seconds });
    return { ...summary, shards: result.shards, seconds };
  } finally {
    llm?.close();
    await Promise.all([sandbox.close(), rerun.close()]);
  }
}

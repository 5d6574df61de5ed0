// `case2code run` as a library call: corpus -> extract -> inputs -> exec -> filter -> samples, in a
// resumable run directory, then the dataset, the card and the report. The CLI only parses flags.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { embeddedStdlibPath, readCorpus } from '../corpus/index.js';
import { decontaminate, dedupFunctions, extractFunctions, extractTools, loadContamination } from '../extract/index.js';
import { filterStage } from '../filters/index.js';
import { DEFAULT_EDGE_SHARE, generateInputs, inputsTools } from '../inputs/index.js';
import { LlmClient, type LlmOptions } from '../llm/client.js';
import type { FunctionRecord } from '../records.js';
import type { StageItem } from './stage.js';
import { Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { samplesStage } from '../samples/stage.js';
import { assemble, type RunSummary } from './assemble.js';
import { RunDirectory } from './run-dir.js';
import { runSharded, type RunnerEvent } from './runner.js';
import { execStage, inputsStage } from './stages.js';

export const EMBEDDED_CORPUS = 'embedded:python-stdlib';


export interface Case2CodeRunOptions {
  /** Corpus sources; empty means the standard library inside the Pyodide package. */
  sources: string[];
  out: string;
  generator: 'fuzz' | 'llm' | 'hybrid';
  /** Stop after this many extracted functions. */
  limit?: number;
  seed: number;
  /** Inputs written per function. */
  inputsPerFunction: number;
  /** Largest share of type-confused inputs the fuzzer chooses (default 0.05). */
  edgeShare?: number;
  testFraction: number;
  /** Functions per shard: the unit of resume (and, later, of distribution). */
  shardSize: number;
  /** Shards in flight at once. */
  concurrency?: number;
  /** Longest output repr a case may show. */
  maxReprChars: number;
  minCases: number;
  /** Benchmark JSONL files: functions sharing long n-grams with them are dropped. */
  decontaminate?: string[];
  sandbox: SandboxOptions;
  llm?: LlmOptions;
  /** Delete an existing run directory first instead of resuming it. */
  fresh?: boolean;
  onEvent?: (event: RunnerEvent) => void;
  tool?: string;
}

/** The settings that decide the output: a resumed run must have the same ones. */
export function runSettings(options: Case2CodeRunOptions): Record<string, unknown> {
  return {
    sources: options.sources.length > 0 ? options.sources.map((s) => path.resolve(s)) : [EMBEDDED_CORPUS],
    generator: options.generator,
    limit: options.limit ?? null,
    seed: options.seed,
    inputsPerFunction: options.inputsPerFunction,
    edgeShare: options.edgeShare ?? DEFAULT_EDGE_SHARE,
    testFraction: options.testFraction,
    shardSize: options.shardSize,
    maxReprChars: options.maxReprChars,
    minCases: options.minCases,
    decontaminate: (options.decontaminate ?? []).map((f) => path.resolve(f)),
    hashSeed: options.sandbox.hashSeed ?? 0,
    timeoutMs: options.sandbox.timeoutMs ?? null,
    memoryMb: options.sandbox.memoryMb ?? null,
    model: options.generator === 'fuzz' ? null : (options.llm?.model ?? null),
  };
}

export async function runCase2Code(options: Case2CodeRunOptions): Promise<RunSummary & { shards: number; seconds: number }> {
  const started = performance.now();
  if (options.fresh) rmSync(options.out, { recursive: true, force: true });
  if (options.generator !== 'fuzz' && !options.llm) throw new Error(`--generator ${options.generator} needs a model: give --llm-base-url and --llm-model (or "llm" in the config file)`);
  const sources = options.sources.length > 0 ? options.sources : [embeddedStdlibPath()];
  const contamination = options.decontaminate?.length ? await loadContamination(options.decontaminate) : undefined;
  // The source: corpus files -> functions -> decontamination -> dedup (near-duplicate clusters).
  // Dedup keeps state across the whole stream, so on resume it runs again from the start.
  const functions = (): AsyncIterable<StageItem<FunctionRecord>> => {
    let stream = extractFunctions(sandbox, readCorpus(sources));
    if (contamination) stream = decontaminate(stream, contamination);
    return dedupFunctions(stream);
  };

  const hashSeed = options.sandbox.hashSeed ?? 0;
  const [sandbox, rerun] = await Promise.all([
    Sandbox.start({ ...options.sandbox, tools: { ...extractTools(), ...inputsTools() } }),
    // The nondeterminism check: the same calls under another hash seed, in a pool of its own.
    Sandbox.start({ ...options.sandbox, hashSeed: hashSeed + 1 }),
  ]);
  const dir = new RunDirectory(options.out);
  try {
    // The interpreter that runs the functions decides their outputs (messages, reprs), so a run
    // is resumed only on the same backend and Python version.
    const settings = { ...runSettings(options), interpreter: `${sandbox.info.backend} python ${sandbox.info.python}` };
    dir.open(settings);
    const llm = options.llm && options.generator !== 'fuzz' ? new LlmClient(options.llm) : undefined;
    const stages = [
      inputsStage((functions) =>
        // The fuzzer's budgets are counts (executions, steps): a resumed or busy run makes the same inputs.
        generateInputs(sandbox, functions, { generator: options.generator, n: options.inputsPerFunction, seed: options.seed, llm, edgeShare: options.edgeShare }),
      ),
      execStage(sandbox),
      filterStage({ rerun, reprCap: options.maxReprChars, minCases: options.minCases }),
      samplesStage({ seed: options.seed, testFraction: options.testFraction }),
    ];
    const result = await runSharded<FunctionRecord>({
      dir,
      source: {
        name: 'extract',
        items: functions,
        limit: options.limit,
        idOf: (record) => record.id,
      },
      stages,
      shardSize: options.shardSize,
      concurrency: options.concurrency ?? 2,
      onEvent: options.onEvent,
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = await assemble({ dir, stages: result.stages, shards: result.shards, settings, tool: options.tool ?? 'case2code', seconds });
    return { ...summary, shards: result.shards, seconds };
  } finally {
    await Promise.all([sandbox.close(), rerun.close()]);
  }
}

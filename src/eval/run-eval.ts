// `case2code eval` as a library call: load the benchmark, get answers (saved or from a model),
// score them, and write the results, the summary and the report.
import { JsonlWriter } from '../io/jsonl.js';
import { LlmClient, type LlmOptions } from '../llm/client.js';
import { Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import type { PythonTool } from '../sandbox/types.js';
import { answersFromModel, answersFromSamples, samplesPerItem, type AnswerSource } from './answers.js';
import { loadBenchmark } from './benchmark.js';
import { checkKs, EvalTally, evaluateItems, type EvalSummary, type ItemResult } from './evaluate.js';
import { OFFICIAL_TOOLS } from './official.js';
import { writeReport } from './report-html.js';
import { readSamples } from './samples.js';
import { EvalInputError } from './items.js';

/** The tools a sandbox needs for evaluation; pass them to Sandbox.start when you bring your own. */
export const EVAL_TOOLS: Record<string, PythonTool> = { ...OFFICIAL_TOOLS };

export interface RunEvalOptions {
  benchmark: string;
  /** Saved completions; otherwise `model` must be given. */
  samples?: string;
  model?: LlmOptions;
  /** Samples per item (default: 1 with a model; the most any id has in a samples file). */
  n?: number;
  k?: number[];
  temperature?: number;
  maxTokens?: number;
  /** Per-item results, JSONL. */
  output?: string;
  /** Offline HTML report. */
  report?: string;
  /** Per-call timeout for the model's code. */
  timeoutMs?: number;
  /** A started sandbox (with EVAL_TOOLS), or the options to start one. */
  sandbox?: Sandbox | SandboxOptions;
  /** Warnings (unknown ids in the samples file, ...); default: stderr. */
  warn?: (message: string) => void;
  /** Called after each item with how many are done out of how many (the CLI draws a bar). */
  onItem?: (done: number, total: number) => void;
}

export interface RunEvalResult {
  summary: EvalSummary;
  results: ItemResult[];
}

export async function runEval(options: RunEvalOptions): Promise<RunEvalResult> {
  if (Boolean(options.samples) === Boolean(options.model)) throw new Error('eval needs either samples or a model, not both');
  const warn = options.warn ?? ((message: string) => process.stderr.write(`eval: ${message}\n`));
  const ks = options.k ?? [1];
  const samples = options.samples ? await readSamples(options.samples) : undefined;
  if (samples && samples.size === 0) throw new EvalInputError([`${options.samples}: no samples (expected {"id", "completion"} lines)`]);
  const n = options.n ?? (samples ? samplesPerItem(samples) : 1);
  checkKs(n, ks);

  const owned = !(options.sandbox instanceof Sandbox);
  const sandbox = options.sandbox instanceof Sandbox ? options.sandbox : await Sandbox.start({ ...options.sandbox, tools: EVAL_TOOLS });
  const client = options.model ? new LlmClient(options.model) : undefined;
  try {
    const items = await loadBenchmark(sandbox, options.benchmark);
    let answers: AnswerSource;
    if (samples) {
      warnAboutSamples(samples, items.map((item) => item.id), n, warn);
      answers = answersFromSamples(samples, n);
    } else {
      answers = answersFromModel(client!, n, { temperature: options.temperature, maxTokens: options.maxTokens });
    }

    const out = options.output ? new JsonlWriter(options.output) : undefined;
    const tally = new EvalTally(n, ks);
    const results: ItemResult[] = [];
    // With a model, keep enough items in flight for the client's own concurrency.
    const concurrency = Math.max(sandbox.info.workers * 8, client ? Math.ceil((options.model!.concurrency ?? 64) / n) : 0);
    try {
      for await (const result of evaluateItems(sandbox, items, answers, { n, k: ks, timeoutMs: options.timeoutMs, concurrency })) {
        tally.add(result);
        results.push(result);
        await out?.write(result);
        options.onItem?.(results.length, items.length);
      }
    } finally {
      await out?.close();
    }
    const summary = tally.summary();
    if (options.report) await writeReport(options.report, { summary, results, items, benchmark: options.benchmark });
    return { summary, results };
  } finally {
    client?.close();
    if (owned) await sandbox.close();
  }
}

function warnAboutSamples(samples: Map<string, unknown[]>, ids: string[], n: number, warn: (m: string) => void): void {
  const known = new Set(ids);
  const unknown = [...samples.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) warn(`${unknown.length} id(s) in the samples file are not in the benchmark and are ignored, e.g. ${unknown.slice(0, 3).join(', ')}`);
  const short = ids.filter((id) => (samples.get(id)?.length ?? 0) < n);
  if (short.length > 0) warn(`${short.length} item(s) have fewer than ${n} samples; the missing ones fail as no-code, e.g. ${short.slice(0, 3).join(', ')}`);
  const long = ids.filter((id) => (samples.get(id)?.length ?? 0) > n);
  if (long.length > 0) warn(`${long.length} item(s) have more than ${n} samples; only the first ${n} are scored`);
}

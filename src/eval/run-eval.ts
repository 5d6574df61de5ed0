// `case2code eval` as a library call: load the benchmark, get answers (saved, from a model, or from
// a model that may query the hidden function), score them, and write the results, the summary and
// the report.
import { inputsTools } from '../inputs/tools.js';
import { JsonlWriter } from '../io/jsonl.js';
import { LlmClient, type LlmOptions } from '../llm/client.js';
import { Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import type { PythonTool } from '../sandbox/types.js';
import { answersFromCompletions, answersFromModel, mostAnswersPerId, type AnswerSource } from './answers.js';
import { loadBenchmark } from './benchmark.js';
import { readCompletions } from './completions.js';
import { checkKs, EvalTally, evaluateItems, type EvalSummary, type EvaluateOptions, type ItemResult } from './evaluate.js';
import { InteractiveEval, type InteractiveOptions } from './interactive/interactive.js';
import { EvalInputError } from './items.js';
import { OFFICIAL_TOOLS } from './official.js';
import { DEFAULT_PROMPT_STYLE, type PromptStyle } from './prompts.js';
import { writeEvalReport } from './report-html.js';

/** The tools a sandbox needs for evaluation; pass them to Sandbox.start when you bring your own
 * (interactive mode also needs the fuzzer's: INTERACTIVE_TOOLS). */
export const EVAL_TOOLS: Record<string, PythonTool> = { ...OFFICIAL_TOOLS };
export const INTERACTIVE_TOOLS: Record<string, PythonTool> = { ...OFFICIAL_TOOLS, ...inputsTools() };

export interface RunEvalOptions {
  benchmark: string;
  /** Saved completions (either layout, see readCompletions); otherwise `model` must be given. */
  completions?: string;
  model?: LlmOptions;
  /** Samples per item (default: 1 with a model; the most any id has in a completions file). */
  samplesPerItem?: number;
  k?: number[];
  temperature?: number;
  maxTokens?: number;
  /** The prompt of official-format items (default `official`). */
  promptStyle?: PromptStyle;
  /** Floats in returned values match within this tolerance (default: off, exact match). */
  floatTolerance?: number;
  /** Interactive Case2Code: the model may query the hidden function before it answers (needs `model`). */
  interactive?: InteractiveOptions;
  /** Per-item results, JSONL. */
  output?: string;
  /** Offline HTML report. */
  report?: string;
  /** Per-call timeout for the model's code. */
  timeoutMs?: number;
  /** A started sandbox (with EVAL_TOOLS, or INTERACTIVE_TOOLS), or the options to start one. */
  sandbox?: Sandbox | SandboxOptions;
  /** Warnings (unknown ids in the completions file, ...); default: stderr. */
  warn?: (message: string) => void;
  /** Called after each item with how many are done out of how many (the CLI draws a bar). */
  onItem?: (done: number, total: number) => void;
}

export interface RunEvalResult {
  summary: EvalSummary;
  results: ItemResult[];
}

export async function runEval(options: RunEvalOptions): Promise<RunEvalResult> {
  if (Boolean(options.completions) === Boolean(options.model)) throw new Error('eval needs either completions or a model, not both');
  if (options.interactive && !options.model) throw new Error('interactive eval needs a model (it answers queries during the conversation)');
  const warn = options.warn ?? ((message: string) => process.stderr.write(`eval: ${message}\n`));
  const ks = options.k ?? [1];
  const promptStyle = options.promptStyle ?? DEFAULT_PROMPT_STYLE;
  const completions = options.completions ? await readCompletions(options.completions) : undefined;
  if (completions && completions.size === 0) {
    throw new EvalInputError([{ file: options.completions!, reason: 'no completions (expected {"id", "completion"} or {"gen_answer_id", "completions"} lines)' }]);
  }
  const n = options.samplesPerItem ?? (completions ? mostAnswersPerId(completions) : 1);
  checkKs(n, ks);
  if (options.floatTolerance !== undefined && !(options.floatTolerance >= 0)) throw new Error(`float tolerance must be a number >= 0, got ${options.floatTolerance}`);

  const owned = !(options.sandbox instanceof Sandbox);
  const tools = options.interactive ? INTERACTIVE_TOOLS : EVAL_TOOLS;
  const sandbox = options.sandbox instanceof Sandbox ? options.sandbox : await Sandbox.start({ ...options.sandbox, tools });
  const client = options.model && !options.interactive ? new LlmClient(options.model) : undefined;
  const interactive = options.interactive ? new InteractiveEval(sandbox, options.model!, { ...options.interactive, temperature: options.temperature, maxTokens: options.maxTokens }) : undefined;
  try {
    const items = await loadBenchmark(sandbox, options.benchmark, { promptStyle });
    let answers: AnswerSource;
    if (completions) {
      warnAboutCompletions(completions, items.map((item) => item.id), n, warn);
      answers = answersFromCompletions(completions, n);
    } else if (interactive) {
      answers = interactive.answers(n);
    } else {
      answers = answersFromModel(client!, n, { temperature: options.temperature, maxTokens: options.maxTokens });
    }

    const settings: Record<string, unknown> = {
      prompt_style: promptStyle,
      float_tolerance: options.floatTolerance ?? null,
      timeout_ms: options.timeoutMs ?? sandbox.info.limits.timeoutMs,
      backend: sandbox.info.backend,
      python: sandbox.info.python,
      ...(interactive ? { interactive: interactive.settings() } : {}),
    };
    const out = options.output ? new JsonlWriter(options.output) : undefined;
    const tally = new EvalTally(n, ks, settings);
    const results: ItemResult[] = [];
    const modelConcurrency = options.model ? Math.ceil((options.model.concurrency ?? 64) / n) : 0;
    // With a model, keep enough items in flight for the client's own concurrency.
    const evaluate: EvaluateOptions = {
      n, k: ks, timeoutMs: options.timeoutMs, floatTolerance: options.floatTolerance,
      concurrency: Math.max(sandbox.info.workers * 8, modelConcurrency),
      ...(interactive ? { score: (item, answer, sample) => interactive.score(item, answer, sample, { timeoutMs: options.timeoutMs, floatTolerance: options.floatTolerance }) } : {}),
    };
    try {
      let index = 0;
      for await (const result of evaluateItems(sandbox, items, answers, evaluate)) {
        tally.add(result, items[index++]);
        results.push(result);
        await out?.write(result);
        options.onItem?.(results.length, items.length);
      }
    } finally {
      await out?.close();
    }
    const summary = tally.summary();
    if (options.report) await writeEvalReport(options.report, { summary, results, items, benchmark: options.benchmark });
    return { summary, results };
  } finally {
    client?.close();
    interactive?.close();
    if (owned) await sandbox.close();
  }
}

function warnAboutCompletions(completions: Map<string, unknown[]>, ids: string[], n: number, warn: (m: string) => void): void {
  const known = new Set(ids);
  const unknown = [...completions.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) warn(`${unknown.length} id(s) in the completions file are not in the benchmark and are ignored, e.g. ${unknown.slice(0, 3).join(', ')}`);
  const short = ids.filter((id) => (completions.get(id)?.length ?? 0) < n);
  if (short.length > 0) warn(`${short.length} item(s) have fewer than ${n} completions; the missing ones fail as no-code, e.g. ${short.slice(0, 3).join(', ')}`);
  const long = ids.filter((id) => (completions.get(id)?.length ?? 0) > n);
  if (long.length > 0) warn(`${long.length} item(s) have more than ${n} completions; only the first ${n} are scored`);
}

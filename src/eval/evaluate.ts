// The evaluation loop: for each item, get n answers, score each in the sandbox, and report the item
// (how many answers passed, why the others failed, the first failing case). pass@k is averaged
// over items at the end. An item whose setup failed is reported as `setup-error` without asking
// for or running any answer, and counts as not passed.
import { mapOrdered } from '../io/ordered.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { AnswerSource } from './answers.js';
import type { EvalItem, BenchmarkFormat } from './items.js';
import { meanPassAtK, passAtK } from './pass-at-k.js';
import { FAIL_REASONS, scoreAnswer, type Answer, type FailingCase, type FailReason, type SampleResult, type ScoreOptions } from './score.js';

export interface ItemResult {
  id: string;
  entry: string;
  format: BenchmarkFormat;
  n: number;
  correct: number;
  /** `pass`: every sample passed; `fail`: none did; `partial`: some did; `setup-error`: the item
   * could not be prepared here (see `detail`), so no sample ran. */
  verdict: 'pass' | 'fail' | 'partial' | 'setup-error';
  /** The first failed sample's reason. */
  reason: FailReason | null;
  detail?: string;
  /** The first failed sample's first failing case. */
  failing?: FailingCase;
  pass_at_k: Record<string, number>;
  samples: SampleResult[];
}

export interface SetupErrorEntry {
  id: string;
  /** The benchmark file's line of the item. */
  line: number;
  reason: string;
}

export interface EvalSummary {
  items: number;
  /** Samples per item. */
  n: number;
  pass_at_k: Record<string, number>;
  /** Failure reasons counted over samples (items x n). */
  reasons: Record<FailReason, number>;
  samples: number;
  passedSamples: number;
  /** Items that could not be set up here (counted as not passed), each with its reason. */
  setup_errors: SetupErrorEntry[];
  /** How the answers were judged, so two scores can be compared. */
  settings: Record<string, unknown>;
  seconds: number;
}

export interface EvaluateOptions extends ScoreOptions {
  /** Samples per item. */
  n: number;
  k: number[];
  /** Items in flight at once (default: 8 per sandbox worker). */
  concurrency?: number;
  /** Scores one answer (default: scoreAnswer; interactive mode adds its own cases). */
  score?: (item: EvalItem, answer: Answer, sample: number) => Promise<SampleResult>;
}

export function checkKs(n: number, ks: number[]): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`samples per item must be a positive integer, got ${n}`);
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
    if (k > n) throw new Error(`pass@${k} needs at least ${k} samples per item (${n}); raise --samples-per-item or drop k = ${k}`);
  }
}

/** Item results in item order, as they complete. */
export function evaluateItems(
  sandbox: Sandbox,
  items: Iterable<EvalItem> | AsyncIterable<EvalItem>,
  answers: AnswerSource,
  options: EvaluateOptions,
): AsyncIterable<ItemResult> {
  checkKs(options.n, options.k);
  const concurrency = options.concurrency ?? sandbox.info.workers * 8;
  const score = options.score ?? ((item, answer, i) => scoreAnswer(sandbox, item, answer, i, options));
  return mapOrdered(items, concurrency, async (item) => {
    if (item.setupError !== undefined) {
      const none: Answer = { text: '', truncated: false };
      return itemResult(item, await Promise.all(Array.from({ length: options.n }, (_, i) => scoreAnswer(sandbox, item, none, i))), options.k);
    }
    const texts = await answers(item);
    if (texts.length !== options.n) throw new Error(`item ${item.id}: expected ${options.n} answers, got ${texts.length}`);
    const samples = await Promise.all(texts.map((answer, i) => score(item, answer, i)));
    return itemResult(item, samples, options.k);
  });
}

export function itemResult(item: EvalItem, samples: SampleResult[], ks: number[]): ItemResult {
  const n = samples.length;
  const correct = samples.filter((s) => s.passed).length;
  const firstFailure = samples.find((s) => !s.passed);
  return {
    id: item.id,
    entry: item.entry,
    format: item.format,
    n,
    correct,
    verdict: item.setupError !== undefined ? 'setup-error' : correct === n ? 'pass' : correct === 0 ? 'fail' : 'partial',
    reason: firstFailure?.reason ?? null,
    ...(firstFailure?.detail ? { detail: firstFailure.detail } : {}),
    ...(firstFailure?.failing ? { failing: firstFailure.failing } : {}),
    pass_at_k: Object.fromEntries(ks.map((k) => [String(k), passAtK(n, correct, k)])),
    samples,
  };
}

/** Adds up item results as they stream by. */
export class EvalTally {
  private readonly counts: { n: number; correct: number }[] = [];
  private readonly reasons = Object.fromEntries(FAIL_REASONS.map((r) => [r, 0])) as Record<FailReason, number>;
  private readonly setupErrors: SetupErrorEntry[] = [];
  private readonly started = performance.now();

  constructor(
    private readonly n: number,
    private readonly ks: number[],
    private readonly settings: Record<string, unknown> = {},
  ) {}

  add(result: ItemResult, item?: EvalItem): void {
    this.counts.push({ n: result.n, correct: result.correct });
    for (const sample of result.samples) if (sample.reason) this.reasons[sample.reason]++;
    if (result.verdict === 'setup-error') this.setupErrors.push({ id: result.id, line: item?.source.line ?? 0, reason: item?.setupError ?? result.detail ?? '' });
  }

  summary(): EvalSummary {
    const samples = this.counts.reduce((sum, c) => sum + c.n, 0);
    const passedSamples = this.counts.reduce((sum, c) => sum + c.correct, 0);
    return {
      items: this.counts.length,
      n: this.n,
      pass_at_k: Object.fromEntries(this.ks.map((k) => [String(k), meanPassAtK(this.counts, k)])),
      reasons: { ...this.reasons },
      samples,
      passedSamples,
      setup_errors: [...this.setupErrors],
      settings: { ...this.settings },
      seconds: (performance.now() - this.started) / 1000,
    };
  }
}

// The scoring routes: POST /v1/score (the cases travel with the answer) and POST
// /v1/benchmarks/{name}/score (the cases stay on the server; the answer names an item by id). Both
// take one request or a batch, and score each answer with eval's own scorer, so an answer gets the
// same verdict from `case2code eval` and from the server.
import type { EvalItem } from '../eval/items.js';
import { scoreAnswer, type Answer, type SampleResult, type ScoreOptions } from '../eval/score.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Admission } from './admission.js';
import { BadRequestError, NotFoundError } from './errors.js';
import type { ServeMetrics } from './metrics.js';
import type { ResolvedServeOptions } from './options.js';
import { answerOf, BenchmarkScoreRequestSchema, itemOf, parseAll, ScoreRequestSchema, splitBatch } from './requests.js';

export interface ScoreResult {
  id?: string;
  passed: boolean;
  cases_passed: number;
  cases: number;
  /** Why it failed (a FailReason of eval), or null. */
  reason: string | null;
  detail: string | null;
  first_failure: { case: number; input: string; expected: string; actual: string } | null;
}

export interface ScoringContext {
  sandbox: Sandbox;
  admission: Admission;
  metrics: ServeMetrics;
  options: ResolvedServeOptions;
  benchmarks: Map<string, Map<string, EvalItem>>;
}

export async function scoreRoute(context: ScoringContext, body: unknown): Promise<unknown> {
  const { requests, batch } = splitBatch(body, context.options);
  const parsed = parseAll(requests, ScoreRequestSchema, batch, context.options);
  const limit = context.sandbox.info.limits.timeoutMs;
  const slow = parsed.flatMap((r, i) => (r.timeout_ms !== undefined && r.timeout_ms > limit ? [`${batch ? `requests[${i}].` : ''}timeout_ms: ${r.timeout_ms} is more than the server's per-call limit ${limit}`] : []));
  if (slow.length) throw new BadRequestError('the request is refused', slow);
  const jobs = parsed.map((request, i) => ({
    item: itemOf(request, i),
    answer: answerOf(request),
    options: { timeoutMs: request.timeout_ms, floatTolerance: request.float_tolerance ?? context.options.floatTolerance },
  }));
  const results = await scoreAll(context, jobs);
  return batch ? { results } : results[0];
}

export async function benchmarkScoreRoute(context: ScoringContext, name: string, body: unknown): Promise<unknown> {
  const benchmark = context.benchmarks.get(name);
  if (!benchmark) throw new NotFoundError(`no benchmark named ${JSON.stringify(name)}; this server has: ${[...context.benchmarks.keys()].join(', ') || 'none (start it with --benchmark NAME=FILE)'}`);
  const { requests, batch } = splitBatch(body, context.options);
  const parsed = parseAll(requests, BenchmarkScoreRequestSchema, batch, context.options);
  const unknown = parsed.flatMap((r, i) => (benchmark.has(r.id) ? [] : [`${batch ? `requests[${i}].` : ''}id: ${JSON.stringify(r.id)}`]));
  if (unknown.length) throw new NotFoundError(`no such item in benchmark ${JSON.stringify(name)}: ${unknown.slice(0, 20).join('; ')}${unknown.length > 20 ? `; ... and ${unknown.length - 20} more` : ''}`);
  const jobs = parsed.map((request) => ({ item: benchmark.get(request.id)!, answer: answerOf(request), options: { floatTolerance: context.options.floatTolerance } }));
  const results = (await scoreAll(context, jobs)).map((result, i) => ({ id: parsed[i].id, ...result }));
  return batch ? { results } : results[0];
}

/** Admits every answer first (all or none: 429), then scores them side by side. */
async function scoreAll(context: ScoringContext, jobs: Array<{ item: EvalItem; answer: Answer; options: ScoreOptions }>): Promise<ScoreResult[]> {
  context.admission.admit(jobs.length);
  return Promise.all(jobs.map(async ({ item, answer, options }) => {
    try {
      const result = await scoreAnswer(context.sandbox, item, answer, 0, options);
      context.metrics.answers.inc({ result: result.passed ? 'passed' : (result.reason ?? 'failed') });
      return resultJson(result);
    } finally {
      context.admission.done();
    }
  }));
}

function resultJson(result: SampleResult): ScoreResult {
  return {
    passed: result.passed,
    cases_passed: result.casesPassed,
    cases: result.cases,
    reason: result.reason ?? null,
    detail: result.detail ?? null,
    first_failure: result.failing ?? null,
  };
}

// The request bodies of the scoring routes, checked field by field. Every problem names its place
// in the body (`requests[3].cases[0].output.verdict`) and the reason; unknown fields are refused, so
// a misspelt field is an error, not a silent default. Size limits answer 413, not 400.
import { z } from 'zod';
import { callText } from '../contract/index.js';
import { expectedFromCase } from '../eval/bench-format.js';
import type { EvalItem } from '../eval/items.js';
import type { Answer } from '../eval/score.js';
import { BadRequestError, TooLargeError } from './errors.js';
import type { ResolvedServeOptions } from './options.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const CaseSchema = z.strictObject({
  input: z.strictObject({
    args: z.array(z.string()).optional(),
    kwargs: z.record(z.string().regex(IDENTIFIER, 'argument names are Python identifiers'), z.string()).optional(),
  }),
  output: z.discriminatedUnion('verdict', [
    z.strictObject({ verdict: z.literal('return'), repr: z.string() }),
    z.strictObject({ verdict: z.literal('raise'), type: z.string().min(1), message: z.string() }),
  ]),
});

const AnswerFields = {
  /** A model's completion: the code is found in it as eval finds it (the first fenced block). */
  completion: z.string().optional(),
  /** Code to run as it is. */
  code: z.string().optional(),
};

export const ScoreRequestSchema = z.strictObject({
  ...AnswerFields,
  entry: z.string().regex(IDENTIFIER, 'entry must be a Python identifier'),
  cases: z.array(CaseSchema).min(1, 'at least one case'),
  /** Floats in returned values match within this tolerance (default: the server's). */
  float_tolerance: z.number().min(0).optional(),
  /** Per-call CPU window in ms, at most the server's (default: the server's). */
  timeout_ms: z.number().int().positive().optional(),
});
export type ScoreRequest = z.infer<typeof ScoreRequestSchema>;

export const BenchmarkScoreRequestSchema = z.strictObject({ ...AnswerFields, id: z.string().min(1) });
export type BenchmarkScoreRequest = z.infer<typeof BenchmarkScoreRequestSchema>;

/** `{"requests": [...]}` or a single request: the requests, and whether it was a batch. */
export function splitBatch(body: unknown, limits: ResolvedServeOptions): { requests: unknown[]; batch: boolean } {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'requests' in body) {
    const keys = Object.keys(body);
    if (keys.length !== 1) throw new BadRequestError('a batch is {"requests": [...]} and nothing else', keys.filter((k) => k !== 'requests').map((k) => `${k}: unknown field`));
    const requests = (body as { requests: unknown }).requests;
    if (!Array.isArray(requests)) throw new BadRequestError('requests must be a list');
    if (requests.length === 0) throw new BadRequestError('requests is empty');
    if (requests.length > limits.maxBatch) throw new TooLargeError(`a batch holds at most ${limits.maxBatch} requests (the server's --max-batch), got ${requests.length}`);
    return { requests, batch: true };
  }
  return { requests: [body], batch: false };
}

/** Each request parsed with `schema`; all problems of a batch are reported together. */
export function parseAll<T>(requests: unknown[], schema: z.ZodType<T>, batch: boolean, limits: ResolvedServeOptions): T[] {
  const problems: string[] = [];
  const parsed: T[] = [];
  requests.forEach((request, i) => {
    const prefix = batch ? `requests[${i}]` : '';
    const result = schema.safeParse(request);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)'}: ${issue.message}`);
      return;
    }
    const value = result.data as { completion?: string; code?: string; cases?: unknown[] };
    const where = (field: string) => [prefix, field].filter(Boolean).join('.');
    if ((value.completion === undefined) === (value.code === undefined)) problems.push(`${where('completion')}: give exactly one of completion or code`);
    const text = value.completion ?? value.code ?? '';
    if (text.length > limits.maxCodeChars) throw new TooLargeError(`${where(value.code !== undefined ? 'code' : 'completion')}: ${text.length} characters, more than the server's --max-code-chars ${limits.maxCodeChars}`);
    if (value.cases && value.cases.length > limits.maxCases) throw new TooLargeError(`${where('cases')}: ${value.cases.length} cases, more than the server's --max-cases ${limits.maxCases}`);
    parsed.push(result.data);
  });
  if (problems.length > 0) throw new BadRequestError(batch ? 'the batch is refused as a whole' : 'the request is refused', problems);
  return parsed;
}

export function answerOf(request: { completion?: string; code?: string }): Answer {
  return request.code !== undefined ? { text: request.code, code: request.code, truncated: false } : { text: request.completion ?? '', truncated: false };
}

/** A /v1/score request as an item in our bench format (raises as `Type: message`). */
export function itemOf(request: ScoreRequest, index: number): EvalItem {
  const calls = request.cases.map((c) => ({ ...(c.input.args ? { args: c.input.args } : {}), ...(c.input.kwargs ? { kwargs: c.input.kwargs } : {}) }));
  return {
    id: `request-${index}`,
    entry: request.entry,
    prompt: '',
    format: 'bench',
    calls,
    inputs: calls.map((call) => callText(request.entry, call)),
    expected: request.cases.map(expectedFromCase),
    source: { path: 'request', line: index },
  };
}

// What can go wrong talking to a model server, as kinds a caller can branch on, and which kinds are
// worth another try.
import OpenAI from 'openai';
import { Case2CodeError } from '../contract/index.js';

export type LlmFailure = 'rate-limit' | 'timeout' | 'server' | 'bad-request' | 'connection' | 'garbage';

/** A model request that failed for good; `failure` says how (the error's kind is always `llm`). */
export class LlmError extends Case2CodeError {
  override readonly name = 'LlmError';
  constructor(
    readonly failure: LlmFailure,
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After), if it said. */
    readonly retryAfterSeconds?: number,
    /** How many HTTP attempts were made before giving up. */
    public attempts = 1,
  ) {
    super('llm', message);
  }
}

/** Kinds that a later attempt may fix. A bad request stays bad. */
export function isRetryable(failure: LlmFailure): boolean {
  return failure !== 'bad-request';
}

/** Turn whatever the SDK (or our own checks) threw into an LlmError. */
export function classify(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'the request timed out');
  if (error instanceof OpenAI.APIUserAbortError) return new LlmError('timeout', 'the request was aborted');
  if (error instanceof OpenAI.APIConnectionError) return new LlmError('connection', `connection failed: ${error.message}`);
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const retryAfter = retryAfterSeconds(error.headers);
    const message = `HTTP ${status}: ${error.message}`;
    if (status === 429) return new LlmError('rate-limit', message, status, retryAfter);
    if (status === 408) return new LlmError('timeout', message, status, retryAfter);
    if (status >= 500) return new LlmError('server', message, status, retryAfter);
    return new LlmError('bad-request', message, status);
  }
  if (error instanceof SyntaxError) return new LlmError('garbage', `the answer is not JSON: ${error.message}`);
  return new LlmError('connection', String((error as Error)?.message ?? error));
}

/** `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, in seconds. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * How long to wait before attempt `attempt + 1`: the server's Retry-After when it gave one (capped),
 * otherwise exponential backoff with full jitter, so many clients do not retry in lockstep.
 */
export function backoffMs(attempt: number, error: LlmError, baseMs: number, maxMs: number, random = Math.random): number {
  if (error.retryAfterSeconds !== undefined) return Math.min(error.retryAfterSeconds * 1000, maxMs) + random() * baseMs * 0.1;
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

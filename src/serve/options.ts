// Every setting of `case2code serve`, with its default, in one table. A CLI flag's name is its key
// here in kebab case (`maxBodyBytes` -> `--max-body-bytes`).
import type { Sandbox, SandboxOptions } from '../sandbox/sandbox.js';

export interface ServeOptions {
  /** Interface to listen on (default 127.0.0.1). Anything but loopback needs a token. */
  host?: string;
  /** TCP port (default 8000; 0 picks a free one). */
  port?: number;
  /** Bearer token every request but GET /healthz must carry (default: none on loopback). */
  token?: string;
  /** Benchmarks to score against by id: name -> JSONL file (our bench format or the official one). */
  benchmarks?: Record<string, string>;
  /** Largest request body in bytes (default 8 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Most requests in one batch (default 512); more gets 413. */
  maxBatch?: number;
  /** Most cases in one /v1/score request (default 1000). */
  maxCases?: number;
  /** Longest completion or code, in characters (default 200,000). */
  maxCodeChars?: number;
  /**
   * Answers admitted at once, running or waiting for a worker (default 1024). A request that
   * would go past it gets 429 with Retry-After; a batch counts as its number of answers.
   */
  queueLimit?: number;
  /** Wall-clock limit of one HTTP request once admitted (default 60 s); past it the answer is 504
   * (never a score: wall time does not decide results). */
  requestTimeoutMs?: number;
  /** Floats in returned values match within this tolerance (default: off, exact match). Benchmark
   * scores use it; /v1/score requests may set their own. */
  floatTolerance?: number;
  /** Longest `run_timeout` a /run_code request gets, in ms of CPU time (default 10 s). */
  maxRunTimeoutMs?: number;
  /** How long a graceful shutdown waits for requests in flight before it cuts them (default 30 s). */
  shutdownGraceMs?: number;
  /** A started sandbox (with SERVE_TOOLS), or the options to start one. */
  sandbox?: Sandbox | SandboxOptions;
  /** Where start-up notes and warnings go (default: stderr). */
  log?: (message: string) => void;
}

export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  port: 8000,
  maxBodyBytes: 8 * 1024 * 1024,
  maxBatch: 512,
  maxCases: 1000,
  maxCodeChars: 200_000,
  queueLimit: 1024,
  requestTimeoutMs: 60_000,
  shutdownGraceMs: 30_000,
  maxRunTimeoutMs: 10_000,
} as const;

/** The environment variable the token is read from when no token is given. */
export const TOKEN_ENV = 'CASE2CODE_SERVE_TOKEN';

export type ResolvedServeOptions = Required<Pick<ServeOptions, keyof typeof SERVE_DEFAULTS>> & ServeOptions;

/** Defaults filled in and every figure checked; throws ServeConfigError on a setting that cannot work. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved = { ...SERVE_DEFAULTS, ...defined } as ResolvedServeOptions;
  for (const key of ['maxBodyBytes', 'maxBatch', 'maxCases', 'maxCodeChars', 'queueLimit', 'requestTimeoutMs', 'shutdownGraceMs', 'maxRunTimeoutMs'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) throw new ServeConfigError(`${key} must be a whole number >= 1 (got ${value})`);
  }
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) throw new ServeConfigError(`port must be 0 to 65535 (got ${resolved.port})`);
  if (resolved.maxBatch > resolved.queueLimit) {
    throw new ServeConfigError(`maxBatch (${resolved.maxBatch}) must not exceed queueLimit (${resolved.queueLimit}): such a batch could never be admitted`);
  }
  if (resolved.floatTolerance !== undefined && !(resolved.floatTolerance >= 0)) throw new ServeConfigError(`floatTolerance must be >= 0 (got ${resolved.floatTolerance})`);
  if (resolved.token !== undefined && resolved.token.length < 16) throw new ServeConfigError('the token must be at least 16 characters');
  if (!resolved.token && !isLoopback(resolved.host)) {
    throw new ServeConfigError(`listening on ${resolved.host} (not loopback) needs a bearer token: --token or ${TOKEN_ENV}`);
  }
  return resolved;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** A setting of the server that cannot work (a bad figure, no token off loopback). */
export class ServeConfigError extends Error {
  override readonly name = 'ServeConfigError';
}

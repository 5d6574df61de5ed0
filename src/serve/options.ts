// Every setting of `case2code serve`, with its default, in one option table (contract/options.ts):
// a CLI flag's name is its key in kebab case (`maxBodyBytes` -> `--max-body-bytes`).
import { ConfigurationError, defineOptions, opt, type OptionInput, type OptionValues } from '../contract/index.js';
import type { Sandbox, SandboxOptions } from '../sandbox/sandbox.js';

/** The server's settings, stated once: the library (startScoreServer), the flags and their help. */
export const SERVE_OPTIONS = defineOptions('serve', {
  host: opt.string('interface to listen on (anything but loopback needs a token)', '127.0.0.1'),
  port: opt.int('TCP port (0: any free port)', 8000, { min: 0, max: 65535 }),
  token: opt.string(`bearer token for every route but /healthz, at least 16 characters (default: $CASE2CODE_SERVE_TOKEN; none on loopback)`),
  queueLimit: opt.int('answers admitted at once, running or waiting for a worker (a batch counts its answers); past it 429 with Retry-After', 1024, { min: 1 }),
  maxBodyBytes: opt.int('largest request body in bytes; larger gets 413', 8 * 1024 * 1024, { min: 1 }),
  maxBatch: opt.int('most requests in one batch; more gets 413', 512, { min: 1 }),
  maxCases: opt.int('most cases in one /v1/score request', 1000, { min: 1 }),
  maxCodeChars: opt.int('longest completion or code, in characters', 200_000, { min: 1 }),
  requestTimeoutMs: opt.int('wall-clock limit of one request once admitted; past it 504, never a score', 60_000, { min: 1 }),
  maxRunTimeoutMs: opt.int('longest run_timeout a /run_code request gets, in ms of CPU time', 10_000, { min: 1 }),
  shutdownGraceMs: opt.int('how long SIGTERM waits for requests in flight before it cuts them', 30_000, { min: 1 }),
  floatTolerance: opt.number('floats in returned values match within this tolerance (default: off, exact match); /v1/score requests may set their own', undefined, { min: 0 }),
});

export interface ServeOptions extends OptionInput<(typeof SERVE_OPTIONS)['table']> {
  /** Benchmarks to score against by id: name -> JSONL file (our bench format or the official one). */
  benchmarks?: Record<string, string>;
  /** A started sandbox (with SERVE_TOOLS), or the options to start one. */
  sandbox?: Sandbox | SandboxOptions;
  /** Where start-up notes and warnings go (default: stderr). */
  log?: (message: string) => void;
}

/** The environment variable the token is read from when no token is given. */
export const TOKEN_ENV = 'CASE2CODE_SERVE_TOKEN';

export type ResolvedServeOptions = OptionValues<(typeof SERVE_OPTIONS)['table']> & Omit<ServeOptions, keyof (typeof SERVE_OPTIONS)['table']>;

/** Defaults filled in and every figure checked; throws ServeConfigError on a setting that cannot work. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  const { benchmarks, sandbox, log, ...given } = options;
  let resolved: ResolvedServeOptions;
  try {
    resolved = { ...SERVE_OPTIONS.resolve(given), benchmarks, sandbox, log };
  } catch (error) {
    throw new ServeConfigError((error as Error).message);
  }
  if (resolved.maxBatch > resolved.queueLimit) {
    throw new ServeConfigError(`maxBatch (${resolved.maxBatch}) must not exceed queueLimit (${resolved.queueLimit}): such a batch could never be admitted`);
  }
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
export class ServeConfigError extends ConfigurationError {
  override name = 'ServeConfigError';
}

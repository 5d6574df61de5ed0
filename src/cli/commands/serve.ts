import type { Command } from 'commander';
import { SERVE_DEFAULTS, TOKEN_ENV } from '../../serve/options.js';
import { startScoreServer } from '../../serve/server.js';
import { addSandboxFlags, sandboxOptionsFrom, toInt } from '../sandbox-options.js';

export function registerServe(program: Command): void {
  addSandboxFlags(
    program
      .command('serve')
      .description('serve scores over HTTP for RL trainers: /v1/score, /v1/benchmarks/{name}/score, SandboxFusion-compatible /run_code, /healthz, /metrics')
      .option('--host <host>', `interface to listen on (anything but loopback needs a token)`, SERVE_DEFAULTS.host)
      .option('--port <n>', 'TCP port (0: any free port)', toInt, SERVE_DEFAULTS.port)
      .option('--token <token>', `bearer token for every route but /healthz (default: $${TOKEN_ENV}; none on loopback)`)
      .option('--benchmark <name=file>', 'a benchmark to score by id at /v1/benchmarks/NAME/score (our bench format or the official one); repeatable', collectBenchmark, {})
      .option('--queue-limit <n>', `answers admitted at once, running or waiting; past it 429 (default ${SERVE_DEFAULTS.queueLimit})`, toInt)
      .option('--max-body-bytes <n>', `largest request body (default ${SERVE_DEFAULTS.maxBodyBytes})`, toInt)
      .option('--max-batch <n>', `most requests in one batch (default ${SERVE_DEFAULTS.maxBatch})`, toInt)
      .option('--max-cases <n>', `most cases in one /v1/score request (default ${SERVE_DEFAULTS.maxCases})`, toInt)
      .option('--max-code-chars <n>', `longest completion or code (default ${SERVE_DEFAULTS.maxCodeChars})`, toInt)
      .option('--request-timeout-ms <ms>', `wall-clock limit of one request once admitted; past it 504, never a score (default ${SERVE_DEFAULTS.requestTimeoutMs})`, toInt)
      .option('--max-run-timeout-ms <ms>', `longest run_timeout of /run_code, CPU time (default ${SERVE_DEFAULTS.maxRunTimeoutMs})`, toInt)
      .option('--shutdown-grace-ms <ms>', `how long SIGTERM waits for requests in flight (default ${SERVE_DEFAULTS.shutdownGraceMs})`, toInt)
      .option('--float-tolerance <tol>', 'floats in returned values match within this tolerance (default: off, exact match)', Number),
  ).action(async (flags) => {
    const server = await startScoreServer({
      host: flags.host,
      port: flags.port,
      token: flags.token ?? (process.env[TOKEN_ENV] || undefined),
      benchmarks: flags.benchmark,
      queueLimit: flags.queueLimit,
      maxBodyBytes: flags.maxBodyBytes,
      maxBatch: flags.maxBatch,
      maxCases: flags.maxCases,
      maxCodeChars: flags.maxCodeChars,
      requestTimeoutMs: flags.requestTimeoutMs,
      maxRunTimeoutMs: flags.maxRunTimeoutMs,
      shutdownGraceMs: flags.shutdownGraceMs,
      floatTolerance: flags.floatTolerance,
      sandbox: sandboxOptionsFrom(flags),
    });
    const info = server.sandbox.info;
    const loaded = Object.entries(server.benchmarks).map(([name, b]) => `${name}=${b.items} items${b.setupErrors.length ? ` (${b.setupErrors.length} setup errors)` : ''}`);
    process.stderr.write(`case2code serve: listening on ${server.url} (${info.backend} sandbox, python ${info.python}, ${info.workers} workers${loaded.length ? `; benchmarks: ${loaded.join(', ')}` : ''})\n`);
    const stop = (signal: string) => {
      // close() stops listening before it yields; the line below is then true when it is read.
      const closed = server.close();
      process.stderr.write(`case2code serve: ${signal}: finishing the requests in flight, taking no new ones\n`);
      closed.then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`case2code serve: shutdown failed: ${error?.message ?? error}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

function collectBenchmark(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) throw new Error(`--benchmark takes NAME=FILE, got "${value}"`);
  const name = value.slice(0, at);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`--benchmark name "${name}" may hold letters, digits, _ . - only (it is part of a URL)`);
  if (name in previous) throw new Error(`--benchmark ${name} is given twice`);
  return { ...previous, [name]: value.slice(at + 1) };
}

import type { Command } from 'commander';
import { pick } from '../../contract/index.js';
import { SANDBOX_OPTIONS } from '../../sandbox/options.js';
import { SERVE_OPTIONS, TOKEN_ENV } from '../../serve/options.js';
import { startScoreServer } from '../../serve/server.js';
import { addFlags, givenFlags } from '../flags.js';

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('serve scores over HTTP for RL trainers: /v1/score, /v1/benchmarks/{name}/score, SandboxFusion-compatible /run_code, /healthz, /metrics')
    .option('--benchmark <name=file>', 'a benchmark to score by id at /v1/benchmarks/NAME/score (our bench format or the official one); repeatable', collectBenchmark, {});
  addFlags(command, [SERVE_OPTIONS, SANDBOX_OPTIONS]);
  command.action(async () => {
    const flags = givenFlags(command);
    const options = pick(SERVE_OPTIONS, flags);
    const server = await startScoreServer({
      ...options,
      token: options.token ?? (process.env[TOKEN_ENV] || undefined),
      benchmarks: command.opts().benchmark,
      sandbox: pick(SANDBOX_OPTIONS, flags),
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

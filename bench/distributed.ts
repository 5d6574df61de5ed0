// `npm run bench -- distributed`: the same run on each executor, against local: functions per
// second with one and two queue workers and on the machine's Slurm cluster (start both with
// `bash .ci/services`), the per-function cost of each stage (from the tasks' timings, what
// `case2code status` shows), and the LLM client at scale against a 200 ms scripted server.
// DISTRIBUTED_BENCH_LIMIT (default 120) functions of the embedded standard library.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStatus } from '../src/pipeline/status.js';
import { measureClientAtScale } from '../test/helpers/llm-scale.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const REDIS = process.env.CASE2CODE_TEST_REDIS ?? 'redis://127.0.0.1:6390';
const LIMIT = process.env.DISTRIBUTED_BENCH_LIMIT ?? '120';
const FLAGS = ['--limit', LIMIT, '--shard-size', '10', '--source-shard-files', '16', '--seed', '1'];

function start(args: string[]): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', args[0] === 'worker' ? 'ignore' : 'inherit'], env: { ...process.env, CASE2CODE_QUIET: '1' } });
  return { child, done: new Promise((resolve) => child.on('exit', resolve)) };
}

async function measure(label: string, args: string[], workers = 0, workerFlags: string[] = []): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-dist-'));
  const queue = `c2c-bench-${process.pid}-${label.replace(/\W+/g, '-')}`;
  const pool = Array.from({ length: workers }, () => start(['worker', '--redis', REDIS, '--queue', queue, ...workerFlags]));
  try {
    const started = performance.now();
    const code = await start(['run', '--output', out, ...FLAGS, ...args, ...(workers > 0 ? ['--queue', queue] : [])]).done;
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) {
      console.log(`${label}: failed (exit ${code})`);
      return;
    }
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const functions = summary.stages.find((s: { stage: string }) => s.stage === 'extract').kept;
    const costs = runStatus(out).stages.map((s) => `${s.stage} ${s.secondsPerFunction?.toFixed(3) ?? '-'}`).join(', ');
    console.log(`${label}: ${functions} functions in ${seconds.toFixed(1)} s = ${(functions / seconds).toFixed(2)} functions/s; task seconds per function: ${costs}`);
  } finally {
    for (const worker of pool) worker.child.kill('SIGTERM');
    await Promise.all(pool.map((w) => w.done));
    rmSync(out, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await measure('local (2 interpreters)', ['--workers', '2', '--concurrency', '2']);
  await measure('queue, 1 worker (2 interpreters)', ['--executor', 'queue', '--redis', REDIS, '--workers', '2'], 1, ['--concurrency', '2']);
  await measure('queue, 2 workers (1 interpreter each)', ['--executor', 'queue', '--redis', REDIS, '--workers', '1'], 2);
  await measure('slurm, one node, 2 array tasks at once (1 interpreter each)', ['--executor', 'slurm', '--workers', '1', '--cpus-per-task', '1']);
  const llm = await measureClientAtScale({ requests: 4096, concurrency: 512, latencyMs: 200 });
  console.log(
    `llm client, 200 ms scripted server in another process: ${llm.mostInFlight} requests in flight at most, ` +
      `${llm.cpuMsPerRequest.toFixed(3)} ms client CPU per request, ${llm.requestsPerSecond.toFixed(0)} requests/s`,
  );
}

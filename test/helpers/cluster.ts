// The real engines of the executor tests: Redis and the one-node Slurm cluster that `.ci/services`
// starts (CI runs it before the tests). A test that needs one and cannot reach it fails, saying how
// to start it; only CASE2CODE_SKIP_CLUSTER=1 turns that into a skip, with the reason printed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRedis } from '../../src/executors/redis.js';

export const REDIS_URL = process.env.CASE2CODE_TEST_REDIS ?? 'redis://127.0.0.1:6390';
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const HOW = 'start the services with `bash .ci/services` (as .ci/run does), or set CASE2CODE_SKIP_CLUSTER=1 to skip these tests';

/** Why the engines cannot be used, or undefined when both answer. */
export async function clusterProblem(): Promise<string | undefined> {
  try {
    await checkRedis(REDIS_URL);
  } catch (error) {
    return `${(error as Error).message}; ${HOW}`;
  }
  const sinfo = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { encoding: 'utf8', timeout: 10_000 });
  if (sinfo.error || sinfo.status !== 0) return `Slurm does not answer (sinfo: ${sinfo.error?.message ?? sinfo.stderr.trim()}); ${HOW}`;
  if (!/^(idle|mixed|allocated)/m.test(sinfo.stdout)) return `the Slurm node is not usable (sinfo: ${sinfo.stdout.trim()}); ${HOW}`;
  return undefined;
}

/** For `test(name, { skip: await skipReason() }, ...)`: fails loudly unless skipping was asked for. */
export async function requireCluster(): Promise<string | false> {
  const problem = await clusterProblem();
  if (!problem) return false;
  if (process.env.CASE2CODE_SKIP_CLUSTER === '1') return `skipped on request: ${problem}`;
  throw new Error(problem);
}

export interface Cli {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function startCli(args: string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CASE2CODE_QUIET: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr })));
  });
  return { child, exited };
}

export async function cli(args: string[], env: Record<string, string> = {}) {
  return startCli(args, env).exited;
}

/** Polls `check` every `everyMs` until it gives a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 120_000, everyMs = 10): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface LeaseFile {
  task: string;
  stage: string;
  pid: number;
  slurm?: string;
}

/** The leases of a run's tasks right now (tasks/<task>.running.json). */
export function leases(dir: string): LeaseFile[] {
  const tasks = path.join(dir, 'tasks');
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks)
    .filter((name) => name.endsWith('.running.json'))
    .flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(path.join(tasks, name), 'utf8')) as LeaseFile];
      } catch {
        return [];
      }
    });
}

/** Every file of a data directory, by relative path. */
export function dataFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of readdirSync(dir, { recursive: true }) as string[]) if (/\.(jsonl|parquet|md)$/.test(f)) files.set(f, readFileSync(path.join(dir, f)));
  return files;
}

/** The names of the files that differ between two data directories (none: byte-identical). */
export function differingFiles(expected: string, actual: string): string[] {
  const a = dataFiles(expected);
  const b = dataFiles(actual);
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((name) => !a.get(name) || !b.get(name) || !a.get(name)!.equals(b.get(name)!)).sort();
}

// Issue 9's speed goals, in one run: marginal functions/s (a 10x run minus a 1x run, so start-up
// and warm-up cancel) of each backend against the reference design (one fresh python3 process per
// function, 2 at a time) on the 100 official fixture functions. Targets: native >= 25x, Pyodide
// >= 15x; native per-function overhead (a trivial function, one worker) <= 3 ms.
import { spawn } from 'node:child_process';
import { EVAL_TOOLS } from '../src/eval/run-eval.js';
import { keepAll } from '../src/contract/index.js';
import { execStage } from '../src/execute/index.js';
import { findPython } from '../src/sandbox/native/python.js';
import { Sandbox, type BackendName } from '../src/sandbox/sandbox.js';
import type { ExecJobRecord } from '../src/contract/index.js';
import { fixtureJobs } from './fixture.js';

const WORKERS = 2;
const SMALL = 1;
const LARGE = 10;

// What the reference harness did around each function: limits, no stdin, kwargs from `examples`.
const GUARD_PRELUDE = `
import json, resource, sys, io
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
resource.setrlimit(resource.RLIMIT_CPU, (5, 5))
sys.stdin = io.StringIO('')
`;

function baselineScript(job: ExecJobRecord): string {
  return `${GUARD_PRELUDE}
__code = ${JSON.stringify(job.code)}
__setup = ${JSON.stringify(job.setup ?? '')}
__ns = {'__name__': '__main__'}
exec(__code, __ns)
exec(__setup, __ns)
__out = []
for __ex in __ns['examples']:
    __real_stdout = sys.stdout
    sys.stdout = io.StringIO()
    try:
        __out.append({'return': repr(__ns[${JSON.stringify(job.entry)}](**__ex))})
    except Exception as __e:
        __out.append({'error': str(type(__e)) + ': ' + str(__e)})
    finally:
        sys.stdout = __real_stdout
print(json.dumps(__out))
`;
}

function runPython(python: string, script: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-c', script], { stdio: ['ignore', 'ignore', 'ignore'], env: { PATH: process.env.PATH ?? '', PYTHONHASHSEED: '0' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/** Functions per second that the extra (LARGE - SMALL) copies of `jobs` took. */
function marginal(jobs: number, small: number, large: number): number {
  return (jobs * (LARGE - SMALL)) / Math.max(large - small, 1e-9);
}

async function baselineSeconds(python: string, jobs: ExecJobRecord[]): Promise<number> {
  return timed(async () => {
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) await runPython(python, baselineScript(jobs[next++]));
    };
    await Promise.all(Array.from({ length: WORKERS }, lane));
  });
}

async function drain(sandbox: Sandbox, jobs: ExecJobRecord[]): Promise<void> {
  for await (const _ of execStage(sandbox).run(keepAll(jobs)));
}

const repeat = <T>(items: T[], times: number): T[] => Array.from({ length: times }, () => items).flat();

async function backendRate(backend: BackendName, jobs: ExecJobRecord[]): Promise<{ rate: number; startup: number } | { error: string }> {
  let sandbox: Sandbox;
  const startup = await timed(async () => {
    sandbox = await Sandbox.start({ backend, workers: WORKERS });
  }).catch((error: Error) => error);
  if (startup instanceof Error) return { error: startup.message.split('\n')[0] };
  try {
    await drain(sandbox!, jobs); // warm-up
    const small = await timed(() => drain(sandbox!, repeat(jobs, SMALL)));
    const large = await timed(() => drain(sandbox!, repeat(jobs, LARGE)));
    return { rate: marginal(jobs.length, small, large), startup };
  } finally {
    await sandbox!.close();
  }
}

/** Milliseconds per trivial function on one native worker: the fork server's own cost. */
async function nativeOverheadMs(): Promise<number> {
  const sandbox = await Sandbox.start({ backend: 'native', workers: 1 });
  try {
    const job = (i: number): ExecJobRecord => ({ id: String(i), code: 'def f(x):\n    return x\n', entry: 'f', inputs: [{ args: ['1'] }] });
    const jobs = (n: number) => Array.from({ length: n }, (_, i) => job(i));
    await drain(sandbox, jobs(50));
    const small = await timed(() => drain(sandbox, jobs(100)));
    const large = await timed(() => drain(sandbox, jobs(1000)));
    return ((large - small) / 900) * 1000;
  } finally {
    await sandbox.close();
  }
}

/** Functions/s of the reference design with this interpreter command (a 3x run minus a 1x run). */
async function referenceRate(python: string, jobs: ExecJobRecord[]): Promise<number> {
  const small = await baselineSeconds(python, repeat(jobs, SMALL));
  const large = await baselineSeconds(python, repeat(jobs, 3));
  // The reference design has no start-up to cancel: a 3x run keeps the bench short.
  return (jobs.length * 2) / Math.max(large - small, 1e-9);
}

export async function run(): Promise<void> {
  const loader = await Sandbox.start({ workers: WORKERS, tools: EVAL_TOOLS });
  const jobs = await fixtureJobs(loader).finally(() => loader.close());
  // The reference as the issue states it (`python3` on PATH, which may be a launcher script such as
  // a pyenv shim) and as the bare interpreter binary the native backend runs: a launcher adds its
  // own start-up to every process, so the second is the fair comparison of the designs.
  const onPath = await referenceRate('python3', jobs);
  const binary = findPython().executable;
  const bare = binary === 'python3' ? onPath : await referenceRate(binary, jobs);
  console.log(`reference (one process per function, ${WORKERS} at a time): python3 on PATH ${onPath.toFixed(1)} functions/s; ${binary} itself ${bare.toFixed(1)} functions/s`);
  const reference = onPath;
  for (const [backend, target] of [['native', 25], ['pyodide', 15]] as const) {
    const result = await backendRate(backend, jobs);
    if ('error' in result) {
      console.log(`${backend}: could not start: ${result.error}`);
      continue;
    }
    const ratio = result.rate / reference;
    console.log(
      `${backend} (${WORKERS} workers): start-up ${result.startup.toFixed(2)} s, marginal ${result.rate.toFixed(0)} functions/s = ` +
        `${ratio.toFixed(1)}x python3 on PATH (target >= ${target}x) ${ratio >= target ? 'ok' : 'BELOW TARGET'}, ${(result.rate / bare).toFixed(1)}x the bare binary`,
    );
  }
  const overhead = await nativeOverheadMs();
  console.log(`native per-function overhead (trivial function, 1 worker): ${overhead.toFixed(2)} ms (target <= 3 ms) ${overhead <= 3 ? 'ok' : 'ABOVE TARGET'}`);
}

// Issue 2's speed goal: the 100 fixture functions, 5 times over, through the pool (2 workers),
// against the reference design (one python3 subprocess per function with a guard prelude, 2 at a
// time), in the same run. Target: at least 15x.
import { spawn } from 'node:child_process';
import { EVAL_TOOLS } from '../src/eval/run-eval.js';
import { executeRecords } from '../src/execute/execute.js';
import { Sandbox } from '../src/sandbox/sandbox.js';
import type { ExecJobRecord } from '../src/records.js';
import { fixtureJobs } from './fixture.js';

const REPEATS = 5;
const WORKERS = 2;

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

function runPython(script: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'ignore', 'ignore'], env: { PATH: process.env.PATH ?? '', PYTHONHASHSEED: '0' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function baselineRate(jobs: ExecJobRecord[]): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) await runPython(baselineScript(jobs[next++]));
  };
  await Promise.all(Array.from({ length: WORKERS }, lane));
  return jobs.length / ((performance.now() - started) / 1000);
}

export async function run(): Promise<void> {
  const startedAt = performance.now();
  const sandbox = await Sandbox.start({ workers: WORKERS, tools: EVAL_TOOLS });
  const startup = (performance.now() - startedAt) / 1000;
  try {
    const jobs = await fixtureJobs(sandbox);
    const replay = Array.from({ length: REPEATS }, () => jobs).flat();
    const calls = replay.reduce((sum, job) => sum + job.inputs.length, 0);
    const started = performance.now();
    let done = 0;
    for await (const _ of executeRecords(sandbox, replay)) done++;
    const seconds = (performance.now() - started) / 1000;
    const poolRate = done / seconds;
    const stats = await sandbox.stats();

    const baseline = await baselineRate(jobs);
    console.log(`sandbox start-up (snapshot + ${WORKERS} workers + spare): ${startup.toFixed(1)} s, layers: ${sandbox.info.layers.filter((l) => l.active).length} active`);
    console.log(`pool (${WORKERS} workers):   ${done} functions, ${calls} calls in ${seconds.toFixed(2)} s -> ${poolRate.toFixed(0)} functions/s, ${(calls / seconds).toFixed(0)} calls/s`);
    console.log(`baseline (python3 per function, ${WORKERS} at a time): ${baseline.toFixed(1)} functions/s`);
    console.log(`ratio: ${(poolRate / baseline).toFixed(1)}x (target >= 15x); pool recycled ${stats.recycled}, hard kills ${stats.hardKills}`);
  } finally {
    await sandbox.close();
  }
}

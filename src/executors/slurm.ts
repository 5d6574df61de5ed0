// The Slurm executor: each phase's tasks become a job array (`sbatch --array=0-N%throttle`), one
// array task per run task, split into several arrays when there are more tasks than the cluster's
// MaxArraySize. Array tasks are requeued when warned of their end (`--signal`, `--requeue`); the
// coordinator waits for the arrays, then resubmits only the tasks without their markers.
// `--detach` submits the arrays and a small follow-up job that depends on them and runs the
// coordinator again (which submits the next phase), so a detached run goes on to its end alone;
// a later `case2code run ... --executor slurm` takes over from it (cancels the pending follow-up,
// waits for the arrays in flight) and merges.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutorError } from '../contract/index.js';
import type { Executor, FailedTask } from '../pipeline/executor.js';
import { taskName, type Task } from '../pipeline/tasks.js';
import type { ExecutorContext, ExecutorSettings } from './index.js';

// The command line of case2code itself (the array tasks run it), by path: no import up the layers.
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const POLL_MS = 1_500;
const CHAIN_VARIABLE = 'CASE2CODE_SLURM_CHAIN';

interface Submission {
  job: string;
  kind: 'tasks' | 'follow-up';
  tasks: string[];
  chain: string | null;
  at: string;
}

export async function slurmExecutor(context: ExecutorContext, settings: ExecutorSettings): Promise<Executor> {
  const root = path.resolve(context.dir.root);
  const slurmDir = path.join(root, 'slurm');
  const log = path.join(slurmDir, 'submissions.jsonl');
  await checkSlurm();
  const maxArraySize = await clusterMaxArraySize();
  // Tasks submitted in one detached chain count against its retries; a run started by hand starts afresh.
  const chain = process.env[CHAIN_VARIABLE] ?? (settings.detach ? randomBytes(6).toString('hex') : null);
  const self = process.env.SLURM_JOB_ID;

  const submissions = (): Submission[] =>
    existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  const record = (submission: Submission) => appendFileSync(log, JSON.stringify(submission) + '\n');
  const isDone = (task: Task) =>
    task.kind === 'extract' ? context.dir.isDone(context.stages.source.name, task.part) : context.stages.stages.every((s) => context.dir.isDone(s.name, task.shard));

  /** Jobs of this run still known to the scheduler (pending, running, completing). */
  async function live(kind?: Submission['kind']): Promise<Set<string>> {
    const ours = new Set(submissions().filter((s) => !kind || s.kind === kind).map((s) => s.job));
    if (ours.size === 0) return new Set();
    const listing = await command('squeue', ['-h', '-o', '%F %i %T']);
    const alive = new Set<string>();
    for (const line of listing.split('\n')) {
      const [arrayJob, job] = line.trim().split(/\s+/);
      for (const id of [arrayJob, job?.split('_')[0]]) if (id && ours.has(id)) alive.add(id);
    }
    return alive;
  }

  async function waitFor(jobs: Set<string>): Promise<void> {
    while (jobs.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const now = await live();
      for (const job of [...jobs]) if (!now.has(job)) jobs.delete(job);
    }
  }

  /** Arrays for `tasks` (several when they exceed MaxArraySize); returns their job ids. */
  async function submitArrays(tasks: Task[], phase: string): Promise<string[]> {
    mkdirSync(path.join(slurmDir, 'logs'), { recursive: true });
    const jobs: string[] = [];
    const perArray = Math.max(1, maxArraySize - 1);
    for (let start = 0; start < tasks.length; start += perArray) {
      const names = tasks.slice(start, start + perArray).map(taskName);
      const stamp = `${phase}-${Date.now()}-${randomBytes(3).toString('hex')}`;
      const list = path.join(slurmDir, `${stamp}.tasks`);
      writeFileSync(list, names.join('\n') + '\n');
      const script = path.join(slurmDir, `${stamp}.sh`);
      writeFileSync(script, arrayScript(list, root), { mode: 0o755 });
      const throttle = settings.arrayThrottle ? `%${settings.arrayThrottle}` : '';
      const job = await sbatch([
        `--job-name=c2c-${phase}`,
        `--array=0-${names.length - 1}${throttle}`,
        `--output=${path.join(slurmDir, 'logs', '%A_%a.log')}`,
        `--cpus-per-task=${settings.cpusPerTask}`,
        '--requeue',
        '--signal=B:USR1@120',
        ...common(),
        script,
      ]);
      record({ job, kind: 'tasks', tasks: names, chain, at: new Date().toISOString() });
      jobs.push(job);
    }
    return jobs;
  }

  function common(): string[] {
    const args: string[] = [];
    if (settings.partition) args.push(`--partition=${settings.partition}`);
    if (settings.time) args.push(`--time=${settings.time}`);
    if (settings.sbatchArgs) args.push(...settings.sbatchArgs.split(/\s+/).filter(Boolean));
    return args;
  }

  /** The coordinator again, once the arrays end (whatever their exit): it submits what comes next. */
  async function submitFollowUp(after: string[]): Promise<string> {
    const script = path.join(slurmDir, 'follow-up.sh');
    writeFileSync(script, followUpScript(context.dir.optionsFile()), { mode: 0o755 });
    const job = await sbatch([
      '--job-name=c2c-follow-up',
      `--dependency=afterany:${after.join(':')}`,
      `--output=${path.join(slurmDir, 'logs', 'follow-up-%j.log')}`,
      '--cpus-per-task=1',
      `--export=ALL,${CHAIN_VARIABLE}=${chain}`,
      ...common(),
      script,
    ]);
    record({ job, kind: 'follow-up', tasks: [], chain, at: new Date().toISOString() });
    return job;
  }

  return {
    name: 'slurm',
    async run(tasks, phase) {
      // Take over from a detached chain: its pending follow-up is cancelled, its arrays finish.
      const followUps = [...(await live('follow-up'))].filter((job) => job !== self);
      if (followUps.length > 0) await command('scancel', followUps);
      await waitFor(await live('tasks'));
      const attemptsOf = (name: string) => submissions().filter((s) => s.kind === 'tasks' && s.chain === chain && chain !== null && s.tasks.includes(name)).length;
      let remaining = tasks.filter((task) => !isDone(task));
      for (let round = 0; remaining.length > 0; round++) {
        const allowed = remaining.filter((task) => (chain ? attemptsOf(taskName(task)) : round) <= settings.taskRetries);
        if (allowed.length === 0) break;
        const jobs = await submitArrays(allowed, phase);
        if (settings.detach) {
          const followUp = await submitFollowUp(jobs);
          return {
            detached: true,
            message:
              `submitted ${allowed.length} ${phase} task(s) as Slurm job ${jobs.join(', ')} (follow-up job ${followUp} submits the next phase); ` +
              `follow with: case2code status ${root}; the run merges by itself, or run the same command again without --detach to take over`,
          };
        }
        await waitFor(new Set(jobs));
        remaining = remaining.filter((task) => !isDone(task));
      }
      const failed: FailedTask[] = remaining.map((task) => ({
        task: taskName(task),
        reason: context.dir.readFailure(taskName(task))?.reason ?? `the array task ended without finishing it (cancelled, killed, out of time or memory): see ${path.join(slurmDir, 'logs')}`,
      }));
      return { detached: false, failed };
    },
    async close() {},
  };
}

/** One array task: the task named on line SLURM_ARRAY_TASK_ID + 1 of the list; requeued when warned of its end. */
function arrayScript(list: string, root: string): string {
  return `#!/bin/bash
# case2code: one task of a run per array task (written by src/executors/slurm.ts).
task="$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" ${quote(list)})"
${quote(process.execPath)} ${quote(CLI)} worker --run ${quote(root)} --task "$task" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null; scontrol requeue "\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}"; exit 0' USR1
wait "$child"
`;
}

function followUpScript(options: string): string {
  return `#!/bin/bash
# case2code: the coordinator of a detached run, once the arrays it waits for have ended.
exec ${quote(process.execPath)} ${quote(CLI)} run --config ${quote(options)}
`;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** Slurm's commands are there and the controller answers. */
export async function checkSlurm(): Promise<void> {
  await command('sbatch', ['--version']);
  await command('squeue', ['-h', '-o', '%i']);
}

async function sbatch(args: string[]): Promise<string> {
  const out = await command('sbatch', ['--parsable', ...args]);
  const job = out.trim().split(';')[0];
  if (!/^\d+$/.test(job)) throw new ExecutorError(`sbatch answered "${out.trim()}" instead of a job id`);
  return job;
}

async function clusterMaxArraySize(): Promise<number> {
  const config = await command('scontrol', ['show', 'config']);
  const match = /^MaxArraySize\s*=\s*(\d+)/m.exec(config);
  return match ? Number(match[1]) : 1001;
}

/** A Slurm command's stdout; a missing command or a failure is an ExecutorError saying which. */
function command(name: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(name, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ExecutorError(
          error.code === 'ENOENT'
            ? `${name} not found on PATH: the slurm executor needs Slurm's commands (sbatch, squeue, scancel, scontrol) on this machine, e.g. apt-get install slurm-client`
            : `${name}: ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new ExecutorError(`${name} ${args.join(' ')} failed (exit ${code}): ${err.trim() || out.trim()}`));
    });
  });
}

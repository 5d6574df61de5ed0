// `case2code status DIR`: what a run's tasks are doing, read from the run directory alone (the
// one thing every executor and every worker shares): per stage, the parts or shards done, running
// (a live lease), failed (with the reason of the last failure) and waiting, and functions per
// second across all workers (from the timings the tasks write).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { RunDirectory, type Lease, type TaskFailure, type Timing } from './run-dir.js';

/** The stages of `case2code run`, in order: the source over corpus parts, then the shard stages. */
export const RUN_STAGE_NAMES = ['extract', 'inputs', 'exec', 'filter', 'samples'] as const;

export interface StageStatus {
  stage: string;
  /** Parts (extract) or shards (later stages); undefined while not known yet. */
  total?: number;
  done: number;
  running: number;
  failed: number;
  waiting?: number;
  /** Functions per second across workers: extracted (extract), taken in (later stages). */
  perSecond?: number;
  /** Wall seconds a task spends per function, over every task of the stage (one worker's cost). */
  secondsPerFunction?: number;
}

export interface RunStatus {
  dir: string;
  stages: StageStatus[];
  failures: TaskFailure[];
  leases: Lease[];
  /** The corpus is read to its end (the part count is final). */
  corpusComplete: boolean;
  planned: boolean;
  finished: boolean;
}

export function runStatus(root: string): RunStatus {
  const dir = new RunDirectory(root);
  const plan = dir.readPlan();
  const complete = dir.corpusComplete();
  const parts = plan?.parts ?? complete?.parts ?? dir.corpusParts();
  const taskDir = path.join(root, 'tasks');
  const names = existsSync(taskDir) ? readdirSync(taskDir) : [];
  const leases = names.filter((n) => n.endsWith('.running.json')).flatMap((n) => dir.liveLease(n.replace(/\.running\.json$/, '')) ?? []);
  const timings = dir.timings();
  const [source, ...shardStages] = RUN_STAGE_NAMES;
  const isDoneTask = (task: string): boolean => {
    const [kind, n] = task.split('-');
    return kind === 'extract' ? dir.isDone(source, Number(n)) : shardStages.every((stage) => dir.isDone(stage, Number(n)));
  };
  const failures = names
    .filter((n) => n.endsWith('.failed.json'))
    .flatMap((n) => dir.readFailure(n.replace(/\.failed\.json$/, '')) ?? [])
    .filter((f) => !isDoneTask(f.task) && !leases.some((l) => l.task === f.task));

  const row = (stage: string, total: number | undefined): StageStatus => {
    let done = 0;
    const count = total ?? 0;
    for (let n = 0; n < count; n++) if (dir.isDone(stage, n)) done++;
    const running = leases.filter((l) => l.stage === stage && (total === undefined || Number(l.task.split('-')[1]) < total)).length;
    const failed = failures.filter((f) => f.stage === stage).length;
    const ran = timings.filter((t) => t.stage === stage);
    return {
      stage,
      total,
      done,
      running,
      failed,
      waiting: total === undefined ? undefined : Math.max(0, total - done - running - failed),
      ...rates(ran, stage === source),
    };
  };
  const stages = [
    row(source, plan || complete ? parts : undefined),
    ...shardStages.map((stage) => row(stage, plan?.shards)),
  ];
  if (!plan && !complete) stages[0] = { ...stages[0], done: countDone(dir, source, parts), waiting: undefined };
  return {
    dir: root,
    stages,
    failures,
    leases,
    corpusComplete: Boolean(complete),
    planned: Boolean(plan),
    finished: existsSync(path.join(root, 'summary.json')) && Boolean(plan) && stages.every((s) => s.total === undefined || s.done === s.total),
  };
}

function countDone(dir: RunDirectory, stage: string, parts: number): number {
  let done = 0;
  for (let n = 0; n < parts; n++) if (dir.isDone(stage, n)) done++;
  return done;
}

function rates(ran: Timing[], source: boolean): Pick<StageStatus, 'perSecond' | 'secondsPerFunction'> {
  if (ran.length === 0) return {};
  const functions = ran.reduce((n, t) => n + (source ? t.kept : t.in), 0);
  const span = (Math.max(...ran.map((t) => t.finished)) - Math.min(...ran.map((t) => t.started))) / 1000;
  const busy = ran.reduce((s, t) => s + (t.finished - t.started) / 1000, 0);
  return {
    perSecond: span > 0 ? functions / span : undefined,
    secondsPerFunction: functions > 0 ? busy / functions : undefined,
  };
}

/** The status as the command prints it. */
export function statusText(status: RunStatus): string {
  const rows = [['stage', 'done', 'running', 'failed', 'waiting', 'functions/s', 's/function/task']];
  for (const s of status.stages) {
    rows.push([
      s.stage,
      `${s.done}/${s.total ?? '?'}`,
      String(s.running),
      String(s.failed),
      s.waiting === undefined ? '?' : String(s.waiting),
      s.perSecond === undefined ? '-' : s.perSecond.toFixed(2),
      s.secondsPerFunction === undefined ? '-' : s.secondsPerFunction.toFixed(3),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const table = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
  const lines = [`run ${status.dir}: ${status.finished ? 'finished (data/ written)' : status.planned ? 'shards planned' : status.corpusComplete ? 'corpus read, extracting' : 'reading and extracting the corpus'}`, table];
  const workers = new Set(status.leases.map((l) => l.worker));
  if (status.leases.length > 0) lines.push(`running on ${workers.size} worker(s): ${status.leases.map((l) => `${l.task} (${l.stage}) on ${l.worker}${l.slurm ? ` [slurm ${l.slurm}]` : ''}`).join(', ')}`);
  for (const f of status.failures) lines.push(`failed: ${f.task} in ${f.stage} (attempt ${f.attempts ?? 1}, ${f.worker}): ${f.reason}`);
  return lines.join('\n');
}

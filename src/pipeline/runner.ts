// The tasks of a sharded run, each run alone from the run directory. An extract task reads one
// part of the corpus, runs the extraction (without dedup) on it and writes the functions, their
// rejects, their dedup signatures and the stats; a shard task runs every later stage on one shard
// of the plan (coordinate.ts). Each (stage, part or shard) result is written whole, its stats file
// last, so a kill -9 at any moment loses at most the work in flight, and doing a task again writes
// the same bytes: each stage's result depends only on its shard's records (randomness seeded by
// record id). Stages do not know about shards; executors decide where tasks run.
// Counting goes through drainStage (run-stage.ts), the same path a stage run alone takes.
import os from 'node:os';
import { keepAll, type FunctionRecord, type ProgressSink, type Reject, type Stage, type StageItem } from '../contract/index.js';
import { dedupSignature, type DedupOptions } from '../extract/index.js';
import { drainStage } from './run-stage.js';
import { CORPUS_PART_STAGE, PLAN_STAGE, type RunDirectory } from './run-dir.js';
import { taskName, type Task } from './tasks.js';

/** What every task of a run needs; the coordinator and each worker build it the same way. */
export interface RunStages {
  dir: RunDirectory;
  /** The source stage (corpus items in, functions out), run on each part of the corpus. */
  source: Stage<any, FunctionRecord>;
  /** The stages run on each shard of the plan, in order. */
  stages: Stage<any, any>[];
  /** Dedup settings when the run dedups (the signatures are made per part, the merge is global). */
  dedup?: DedupOptions;
  onProgress?: ProgressSink;
}

/** This process, as a worker name in leases, failures and timings. */
export const WORKER_NAME = `${os.hostname()}:${process.pid}`;

/** Runs one task (what is already done is skipped), holding a lease on it while it runs. */
export async function runTask(run: RunStages, task: Task, worker = WORKER_NAME): Promise<void> {
  const name = taskName(task);
  let stage = task.kind === 'extract' ? run.source.name : run.stages[0]?.name ?? PLAN_STAGE;
  const started = new Date().toISOString();
  const { SLURM_ARRAY_JOB_ID: array, SLURM_ARRAY_TASK_ID: index } = process.env;
  const slurm = array && index ? { slurm: `${array}_${index}` } : {};
  const lease = () => run.dir.writeLease({ task: name, stage, worker, host: os.hostname(), pid: process.pid, started, ...slurm });
  lease();
  const heartbeat = setInterval(lease, 5_000);
  heartbeat.unref();
  try {
    const onStage = (now: string) => {
      stage = now;
      lease();
    };
    if (task.kind === 'extract') await extractPart(run, task.part, worker);
    else await processShard(run, task.shard, { worker, onStage });
    run.dir.clearFailure(name);
  } catch (error) {
    const previous = run.dir.readFailure(name);
    run.dir.writeFailure({ task: name, stage, reason: reasonOf(error), worker, attempts: (previous?.attempts ?? 0) + 1, at: new Date().toISOString() });
    throw error;
  } finally {
    clearInterval(heartbeat);
    run.dir.removeLease(name);
  }
}

function reasonOf(error: unknown): string {
  const e = error as Error;
  return (e?.name && e.name !== 'Error' ? `${e.name}: ` : '') + String(e?.message ?? error).split('\n')[0].slice(0, 300);
}

/** One part of the corpus through the source stage: functions, rejects, signatures, stats. */
export async function extractPart(run: RunStages, part: number, worker = WORKER_NAME): Promise<void> {
  const { dir, source } = run;
  if (dir.isDone(source.name, part)) {
    run.onProgress?.({ type: 'shard', stage: source.name, shard: part, stats: dir.readStats(source.name, part), skipped: true });
    return;
  }
  const started = Date.now();
  const items = dir.readRecords<StageItem<unknown>>(CORPUS_PART_STAGE, part);
  const kept: FunctionRecord[] = [];
  const rejects: Reject[] = [];
  const stats = await drainStage(source, fromArray(items), { keep: (r) => void kept.push(r), reject: (r) => void rejects.push(r) }, run.onProgress);
  const { dedup } = run;
  dir.writeShard(source.name, part, kept, rejects, stats, () => {
    if (dedup && (dedup.near ?? true)) dir.writeSignatures(source.name, part, kept.map((record) => dedupSignature(record.code, dedup)));
  });
  dir.writeTiming({ stage: source.name, n: part, in: stats.in, kept: stats.kept, started, finished: Date.now(), worker });
  run.onProgress?.({ type: 'shard', stage: source.name, shard: part, stats, skipped: false });
}

/**
 * Runs every stage not yet done on one shard of the plan. This is the unit a distributed executor
 * hands to a worker: it needs only the run directory and the shard number.
 */
export async function processShard(
  run: RunStages,
  shard: number,
  options: { worker?: string; onStage?: (stage: string) => void } = {},
): Promise<number> {
  const { dir, stages, onProgress } = run;
  let records: unknown[] | undefined;
  let previous = PLAN_STAGE;
  for (const stage of stages) {
    if (dir.isDone(stage.name, shard)) {
      records = undefined; // read from disk only if a later stage needs it
      onProgress?.({ type: 'shard', stage: stage.name, shard, stats: dir.readStats(stage.name, shard), skipped: true });
    } else {
      options.onStage?.(stage.name);
      const started = Date.now();
      records ??= dir.readRecords(previous, shard);
      const kept: unknown[] = [];
      const rejects: Reject[] = [];
      // The stats written are this shard's alone; the report adds the shards up.
      const stats = await drainStage(stage, keepAll(records), { keep: (r) => void kept.push(r), reject: (r) => void rejects.push(r) });
      dir.writeShard(stage.name, shard, kept, rejects, stats);
      dir.writeTiming({ stage: stage.name, n: shard, in: stats.in, kept: stats.kept, started, finished: Date.now(), worker: options.worker ?? WORKER_NAME });
      onProgress?.({ type: 'shard', stage: stage.name, shard, stats, skipped: false });
      records = kept;
    }
    previous = stage.name;
  }
  return shard;
}

async function* fromArray<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

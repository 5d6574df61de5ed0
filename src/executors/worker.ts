// The other side of the queue and Slurm executors: a process that runs tasks of runs it finds in
// a shared run directory. It builds each run's stages from the run's own options (the same way the
// coordinator does), checks that it would make the same outputs (same settings, same interpreter),
// and runs tasks with the same code as the local executor.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { openRun, type OpenedRun } from '../pipeline/build.js';
import type { Case2CodeRunOptions } from '../pipeline/options.js';
import { RunDirectory } from '../pipeline/run-dir.js';
import { runTask } from '../pipeline/runner.js';
import { parseTask } from '../pipeline/tasks.js';
import type { QueueJobData } from './queue.js';
import { checkRedis, redisConnection, sharedRateLimit } from './redis.js';

/** The stages of the run in `dir`, built from its run-options.json and checked against its manifest. */
async function openStoredRun(dir: string, extra: { beforeLlmRequest?: () => Promise<void> } = {}): Promise<OpenedRun> {
  const runDir = new RunDirectory(dir);
  const options = runDir.readOptions() as Case2CodeRunOptions;
  const opened = await openRun({ ...options, output: dir }, extra);
  try {
    runDir.check(opened.settings);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/** One task of one run (a Slurm array task): opens the run, runs the task, closes. */
export async function runOneTask(dir: string, task: string): Promise<void> {
  const opened = await openStoredRun(dir);
  try {
    await runTask(opened.stages, parseTask(task));
  } finally {
    await opened.close();
  }
}

export interface QueueWorkerOptions {
  redis: string;
  queue: string;
  /** Tasks this worker runs at once (each uses the run's sandbox workers). */
  concurrency?: number;
  /** How long a task's lock lasts without renewal: a dead worker's task is taken over after about this long. */
  lockMs?: number;
  onEvent?: (line: string) => void;
}

export interface QueueWorker {
  /** Finishes the tasks in hand, then stops. */
  close(): Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  await checkRedis(options.redis);
  const runs = new Map<string, Promise<OpenedRun>>();
  const limiterConnection: Redis = redisConnection(options.redis);
  const say = options.onEvent ?? (() => {});
  const lockMs = options.lockMs ?? 30_000;
  const workerConnection = redisConnection(options.redis);
  const worker = new Worker<QueueJobData>(
    options.queue,
    async (job) => {
      const { dir, task, llmRequestsPerSecond } = job.data;
      let opened = runs.get(dir);
      if (!opened) {
        const gate = llmRequestsPerSecond ? sharedRateLimit(limiterConnection, `case2code:llm-rate:${dir}`, llmRequestsPerSecond) : undefined;
        opened = openStoredRun(dir, { beforeLlmRequest: gate });
        runs.set(dir, opened);
        opened.catch(() => runs.delete(dir)); // a later job tries again
      }
      say(`${task} of ${dir}: started (attempt ${job.attemptsMade + 1})`);
      const run = await opened;
      new RunDirectory(dir).check(run.settings); // the run may have been started afresh meanwhile
      await runTask(run.stages, parseTask(task));
      say(`${task} of ${dir}: done`);
    },
    {
      connection: workerConnection,
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(1_000, Math.floor(lockMs / 2)),
      // A task whose worker died is retried on another worker; one that kills its workers again
      // and again fails with "job stalled more than allowable limit".
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, error) => say(`${job?.data.task ?? '?'} of ${job?.data.dir ?? '?'}: failed (${error.message})`));
  worker.on('error', (error) => say(`worker error: ${error.message}`));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      for (const opened of runs.values()) await (await opened.catch(() => undefined))?.close();
      limiterConnection.disconnect();
      workerConnection.disconnect();
    },
  };
}

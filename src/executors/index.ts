// Executors decide only where the tasks of a run execute: `local` in this process, `slurm` as job
// arrays, `queue` on workers that share a Redis queue and the run directory. The tasks, what they
// write and so the data are the same on each (pipeline/runner.ts, pipeline/coordinate.ts).
import { ConfigurationError } from '../contract/index.js';
import type { Executor } from '../pipeline/executor.js';
import type { EXECUTOR_OPTIONS } from '../pipeline/options.js';
import type { OptionValues } from '../contract/index.js';
import type { RunDirectory } from '../pipeline/run-dir.js';
import type { RunStages } from '../pipeline/runner.js';
import { localExecutor } from './local.js';
import { queueExecutor } from './queue.js';
import { checkSlurm, slurmExecutor } from './slurm.js';
import { checkRedis } from './redis.js';

export type ExecutorSettings = OptionValues<(typeof EXECUTOR_OPTIONS)['table']>;

export interface ExecutorContext {
  dir: RunDirectory;
  /** The run's stages in this process (the local executor runs them; others only name them). */
  stages: RunStages;
  /** Tasks at once in this process (local). */
  concurrency: number;
}

/** Fails fast, before any interpreter starts, when the executor's engine cannot be reached. */
export async function checkExecutor(settings: ExecutorSettings): Promise<void> {
  if (settings.detach && settings.executor !== 'slurm') throw new ConfigurationError(`--detach needs --executor slurm (got ${settings.executor})`);
  if (settings.executor === 'queue') await checkRedis(settings.redis);
  if (settings.executor === 'slurm') await checkSlurm();
}

export async function createExecutor(settings: ExecutorSettings, context: ExecutorContext): Promise<Executor> {
  if (settings.detach && settings.executor !== 'slurm') throw new ConfigurationError(`--detach needs --executor slurm (got ${settings.executor})`);
  switch (settings.executor) {
    case 'local':
      return localExecutor(context);
    case 'queue':
      return queueExecutor(context, settings);
    case 'slurm':
      return slurmExecutor(context, settings);
  }
}

export { localExecutor } from './local.js';
export { queueExecutor, QUEUE_JOB, type QueueJobData } from './queue.js';
export { slurmExecutor, checkSlurm } from './slurm.js';
export { startQueueWorker, runOneTask, type QueueWorker, type QueueWorkerOptions } from './worker.js';
export { checkRedis } from './redis.js';

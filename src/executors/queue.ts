// The queue executor, the coordinator's side: each task becomes a BullMQ job on Redis, processed
// by `case2code worker --redis URL` on any number of machines that share the run directory.
// BullMQ gives what a fleet needs: attempts with exponential backoff, and a job whose worker died
// (its lock expired) is handed to another worker. A job's id is fixed by the run and the task, so
// enqueueing twice (a coordinator restarted) adds it once.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Executor, FailedTask } from '../pipeline/executor.js';
import { taskName } from '../pipeline/tasks.js';
import type { ExecutorContext, ExecutorSettings } from './index.js';
import { checkRedis, redisConnection } from './redis.js';

/** The name of every job (its data says which run and which task). */
export const QUEUE_JOB = 'case2code-task';

export interface QueueJobData {
  /** The run directory, absolute: workers read run-options.json there. */
  dir: string;
  task: string;
  /** Requests per second to the model across every worker (the run's llmRequestsPerSecond). */
  llmRequestsPerSecond?: number;
}

export async function queueExecutor(context: ExecutorContext, settings: ExecutorSettings): Promise<Executor> {
  await checkRedis(settings.redis);
  const root = path.resolve(context.dir.root);
  const runKey = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const connection = redisConnection(settings.redis);
  const queue = new Queue<QueueJobData>(settings.queue, { connection });
  const eventsConnection = redisConnection(settings.redis);
  const events = new QueueEvents(settings.queue, { connection: eventsConnection });
  await events.waitUntilReady();
  // One waiter per task in flight listens on both: thousands are expected, not a leak.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  return {
    name: 'queue',
    async run(tasks) {
      const jobs: Job<QueueJobData>[] = [];
      for (const task of tasks) {
        const name = taskName(task);
        const jobId = `${runKey}.${name}`;
        // A job left finished by an earlier attempt of this run is replaced, so the task runs again.
        const old = await queue.getJob(jobId);
        if (old && ['completed', 'failed'].includes(await old.getState())) await old.remove();
        jobs.push(
          await queue.add(QUEUE_JOB, { dir: root, task: name, llmRequestsPerSecond: settings.llmRequestsPerSecond }, {
            jobId,
            attempts: settings.taskRetries + 1,
            backoff: { type: 'exponential', delay: settings.retryBackoffMs },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          }),
        );
      }
      const failed: FailedTask[] = [];
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await job.waitUntilFinished(events);
          } catch (error) {
            failed.push({ task: job.data.task, reason: (error as Error).message });
          }
        }),
      );
      // The markers are the truth: a job "completed" without them (its files removed meanwhile) failed.
      for (const task of tasks) {
        const name = taskName(task);
        if (failed.some((f) => f.task === name)) continue;
        const done = task.kind === 'extract' ? context.dir.isDone(context.stages.source.name, task.part) : context.stages.stages.every((s) => context.dir.isDone(s.name, task.shard));
        if (!done) failed.push({ task: name, reason: 'the job completed but its results are missing from the run directory' });
      }
      return { detached: false, failed: failed.sort((a, b) => (a.task < b.task ? -1 : 1)) };
    },
    async close() {
      await events.close();
      await queue.close();
      // BullMQ leaves connections it was given open: they are ours to close.
      connection.disconnect();
      eventsConnection.disconnect();
    },
  };
}

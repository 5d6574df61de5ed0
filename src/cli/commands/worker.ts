import type { Command } from 'commander';
import { ConfigurationError } from '../../contract/index.js';
import { runOneTask, startQueueWorker } from '../../executors/index.js';
import { EXECUTOR_OPTIONS } from '../../pipeline/options.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run tasks of `case2code run --executor queue` from Redis (any number of workers, on machines sharing the run directory)')
    .option('--redis <url>', `Redis URL (default ${EXECUTOR_OPTIONS.table.redis.default})`)
    .option('--queue <name>', `BullMQ queue name (default ${EXECUTOR_OPTIONS.table.queue.default})`)
    .option('--concurrency <n>', 'tasks at once in this worker (default 1)', (v) => positive('--concurrency', v))
    .option('--lock-ms <n>', "a task's lock without renewal: a dead worker's task moves to another after about this long (default 30000)", (v) => positive('--lock-ms', v))
    .option('--run <dir>', 'run one task of this run directory and exit (what a Slurm array task does)')
    .option('--task <name>', 'with --run: the task, e.g. extract-00000 or shard-00003')
    .action(async (flags: { redis?: string; queue?: string; concurrency?: number; lockMs?: number; run?: string; task?: string }) => {
      if (flags.run || flags.task) {
        if (!flags.run || !flags.task) throw new ConfigurationError('--run and --task go together');
        await runOneTask(flags.run, flags.task);
        return;
      }
      const say = (line: string) => process.stderr.write(`worker ${process.pid}: ${line}\n`);
      const worker = await startQueueWorker({
        redis: flags.redis ?? EXECUTOR_OPTIONS.table.redis.default!,
        queue: flags.queue ?? EXECUTOR_OPTIONS.table.queue.default!,
        concurrency: flags.concurrency,
        lockMs: flags.lockMs,
        onEvent: say,
      });
      say(`ready on ${flags.queue ?? EXECUTOR_OPTIONS.table.queue.default} at ${flags.redis ?? EXECUTOR_OPTIONS.table.redis.default}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          say('stopping after the tasks in hand');
          void worker.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigurationError(`${flag}: expected a whole number of at least 1, got "${value}"`);
  return n;
}

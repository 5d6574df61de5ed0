// The local executor: tasks run in this process, a few at once, through the run's own stages.
import type { Executor } from '../pipeline/executor.js';
import { runTask } from '../pipeline/runner.js';
import { taskName, type Task } from '../pipeline/tasks.js';
import type { ExecutorContext } from './index.js';

export function localExecutor(context: ExecutorContext): Executor {
  return {
    name: 'local',
    async run(tasks) {
      // A failure here is usually a bug or a broken setting: stop taking tasks, let those in
      // flight finish (their results are kept), then raise the first error as it was.
      let failure: unknown;
      const queue: Task[] = [...tasks];
      const lane = async () => {
        for (let task = queue.shift(); task && failure === undefined; task = queue.shift()) {
          try {
            await runTask(context.stages, task);
          } catch (error) {
            failure ??= Object.assign(error as object, { task: taskName(task) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(context.concurrency, tasks.length)) }, lane));
      if (failure !== undefined) throw failure;
      return { detached: false, failed: [] };
    },
    async close() {},
  };
}

// What the coordinator asks of an executor: run these tasks somewhere (this process, a Slurm job
// array, workers on a Redis queue) and say when each is done or has failed for good. An executor
// decides only where tasks run; what a task does and what it writes is the same everywhere.
import type { Task } from './tasks.js';

export interface FailedTask {
  task: string;
  reason: string;
}

export type ExecutorResult =
  | { detached: false; failed: FailedTask[] }
  /** The tasks were handed over and go on without this process (Slurm `--detach`). */
  | { detached: true; message: string };

export interface Executor {
  readonly name: string;
  /** Runs the tasks (of one phase: the corpus parts, or the shards) to their markers. */
  run(tasks: Task[], phase: 'extract' | 'shards'): Promise<ExecutorResult>;
  close(): Promise<void>;
}

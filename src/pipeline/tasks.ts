// The units of work of a run, as an executor sees them. Each needs only the run directory and its
// number: an `extract` task turns one part of the corpus (a fixed run of source files) into
// functions and their dedup signatures; a `shard` task runs every later stage on one shard of the
// planned functions. A task is done when its markers exist, so running one twice (a worker that
// died after writing, a requeued array task) rewrites the same bytes.
import { ConfigurationError } from '../contract/index.js';

export type Task = { kind: 'extract'; part: number } | { kind: 'shard'; shard: number };

const pad = (n: number): string => String(n).padStart(5, '0');

/** `extract-00003`, `shard-00012`: file names, job ids and log lines. */
export function taskName(task: Task): string {
  return task.kind === 'extract' ? `extract-${pad(task.part)}` : `shard-${pad(task.shard)}`;
}

export function parseTask(name: string): Task {
  const match = /^(extract|shard)-(\d+)$/.exec(name.trim());
  if (!match) throw new ConfigurationError(`not a task name: "${name}" (expected extract-NNNNN or shard-NNNNN)`);
  const n = Number(match[2]);
  return match[1] === 'extract' ? { kind: 'extract', part: n } : { kind: 'shard', shard: n };
}

export const extractTask = (part: number): Task => ({ kind: 'extract', part });
export const shardTask = (shard: number): Task => ({ kind: 'shard', shard });

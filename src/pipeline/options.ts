// The options of `case2code run`: its own (output, limit, shards) and every stage's group, as one
// flat set of keys, each stated once in its group's table. A library call, the flags and a
// `--config` file give the same keys; an unknown one is an error naming it.
import { ConfigurationError, defineOptions, opt, type OptionInput, type OptionTable, type ProgressSink } from '../contract/index.js';
import { EXTRACT_OPTIONS } from '../extract/index.js';
import { FILTER_OPTIONS } from '../filters/index.js';
import { INPUTS_OPTIONS } from '../inputs/index.js';
import { LLM_OPTIONS } from '../llm/options.js';
import { SANDBOX_OPTIONS } from '../sandbox/options.js';
import { SAMPLES_OPTIONS } from '../samples/index.js';

/** Functions taken from the embedded standard library when no source and no limit are given. */
export const DEFAULT_EMBEDDED_LIMIT = 400;

export const RUN_OPTIONS = defineOptions('run', {
  output: opt.string('run directory (rerun the same command to resume)', 'case2code-out'),
  limit: opt.int(`stop after this many functions (default ${DEFAULT_EMBEDDED_LIMIT} for the embedded corpus, none otherwise)`, undefined, { min: 0 }),
  shardSize: opt.int('functions per shard, the unit of resume', 50, { min: 1 }),
  concurrency: opt.int('shards in flight at once (local executor)', 2, { min: 1 }),
  sourceShardFiles: opt.int('source files per corpus part, the unit of extraction (each part is one task)', 256, { min: 1 }),
  fresh: opt.boolean('delete the run directory first instead of resuming it'),
});

/** Where the tasks of a run execute. None of these change the output: a run may resume on another. */
export const EXECUTOR_OPTIONS = defineOptions('executor', {
  executor: opt.choice(['local', 'slurm', 'queue'] as const, 'where tasks run: this process, a Slurm job array, or workers on a Redis queue', 'local'),
  taskRetries: opt.int('attempts after the first for a task that fails (queue: with backoff; slurm: resubmitted)', 2, { min: 0 }),
  redis: opt.string('queue executor: Redis URL shared with the workers (`case2code worker --redis URL`)', 'redis://127.0.0.1:6379'),
  queue: opt.string('queue executor: BullMQ queue name (workers use the same)', 'case2code'),
  retryBackoffMs: opt.int('queue executor: first backoff before a retry, in ms (doubles each retry)', 2_000, { min: 0 }),
  llmRequestsPerSecond: opt.int('queue executor: LLM requests per second across all workers (a Redis rate limit; default: none)', undefined, { min: 1 }),
  detach: opt.boolean('slurm executor: submit the job arrays and return; `case2code status DIR` follows them, a later run merges'),
  partition: opt.string('slurm executor: partition (sbatch --partition; default: the cluster\'s default)'),
  time: opt.string('slurm executor: time limit per task (sbatch --time, e.g. 2:00:00; default: the partition\'s)'),
  cpusPerTask: opt.int('slurm executor: cores per task (sbatch --cpus-per-task)', 1, { min: 1 }),
  arrayThrottle: opt.int('slurm executor: array tasks running at once (sbatch --array=...%N; default: no limit)', undefined, { min: 1 }),
  sbatchArgs: opt.string('slurm executor: extra sbatch arguments, split at spaces, e.g. --sbatch-args="--account=abc --qos=low"'),
});

/** Every group a run reads, in the order its flags are listed. */
export const RUN_GROUPS = [RUN_OPTIONS, EXECUTOR_OPTIONS, EXTRACT_OPTIONS, INPUTS_OPTIONS, FILTER_OPTIONS, SAMPLES_OPTIONS, SANDBOX_OPTIONS, LLM_OPTIONS] as const;

type Groups = typeof RUN_GROUPS;
type Flat<G extends readonly { table: OptionTable }[]> = G extends readonly [infer H, ...infer R]
  ? (H extends { table: infer T extends OptionTable } ? OptionInput<T> : never) & (R extends readonly { table: OptionTable }[] ? Flat<R> : unknown)
  : unknown;

export type RunFlags = Flat<Groups>;

export interface Case2CodeRunOptions extends RunFlags {
  /** Corpus sources; none: the standard library inside the Pyodide package (first DEFAULT_EMBEDDED_LIMIT functions). */
  sources?: string[];
  onProgress?: ProgressSink;
  /** The name the card and report give the tool (default `case2code`). */
  tool?: string;
}

/** Checks that every key belongs to one of the run's groups (a `--config` file, a library call). */
export function checkRunKeys(values: Record<string, unknown>, where: string): void {
  const known = new Set(RUN_GROUPS.flatMap((group) => Object.keys(group.table)));
  for (const extra of ['sources', 'onProgress', 'tool']) known.add(extra);
  for (const key of Object.keys(values)) {
    if (!known.has(key)) throw new ConfigurationError(`${where}: unknown option "${key}"${closest(key, [...known])}`);
  }
}

function closest(key: string, known: string[]): string {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
  return near ? ` (did you mean "${near}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

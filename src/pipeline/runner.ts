// The resumable, sharded runner of `case2code run`. A source stage (extract over a corpus) is cut
// into shards of `shardSize` kept records; every later stage runs shard by shard, and each (stage,
// shard) result is written atomically. Rerunning the same command skips what is done, so a kill -9
// at any moment loses at most the work in flight, and the output is the same as an uninterrupted
// run as long as each stage's result depends only on its shard's records (randomness seeded by
// record id). Stages do not know about shards: an executor can hand shards to other machines.
// Counting goes through drainStage (run-stage.ts), the same path a stage run alone takes.
import { keepAll, ResumeMismatchError, StageCounter, type ProgressSink, type Reject, type Stage, type StageItem } from '../contract/index.js';
import { mapOrdered } from '../io/ordered.js';
import { countedOutput, drainStage } from './run-stage.js';
import type { RunDirectory } from './run-dir.js';

export interface SourceSpec<T> {
  stage: Stage<any, T>;
  /** Started at most once per run; on resume it starts again from the beginning (see below). */
  items: () => AsyncIterable<StageItem<any>>;
  /** Stop after this many kept records. */
  limit?: number;
  idOf: (record: T) => string;
}

export interface RunnerOptions<T> {
  dir: RunDirectory;
  source: SourceSpec<T>;
  stages: Stage<any, any>[];
  shardSize: number;
  /** Shards in flight at once (each stage batches inside as well). */
  concurrency: number;
  onProgress?: ProgressSink;
}

export interface RunnerResult {
  shards: number;
  stages: string[];
}

export async function runSharded<T>(options: RunnerOptions<T>): Promise<RunnerResult> {
  const { dir, stages } = options;
  const processed = mapOrdered(sourceShards(options), options.concurrency, (shard) =>
    processShard(dir, options.source.stage.name, stages, shard, options.onProgress),
  );
  let shards = 0;
  for await (const _ of processed) shards++;
  return { shards, stages: [options.source.stage.name, ...stages.map((s) => s.name)] };
}

/**
 * Runs every stage not yet done on one shard whose source records are written. This is the unit a
 * distributed executor hands to a worker: it needs only the run directory and the shard number.
 */
export async function processShard(
  dir: RunDirectory,
  sourceName: string,
  stages: Stage<any, any>[],
  shard: number,
  onProgress?: ProgressSink,
): Promise<number> {
  let records: unknown[] | undefined;
  let previous = sourceName;
  for (const stage of stages) {
    if (dir.isDone(stage.name, shard)) {
      records = undefined; // read from disk only if a later stage needs it
      onProgress?.({ type: 'shard', stage: stage.name, shard, stats: dir.readStats(stage.name, shard), skipped: true });
    } else {
      records ??= dir.readRecords(previous, shard);
      const kept: unknown[] = [];
      const rejects: Reject[] = [];
      // The stats written are this shard's alone; the report adds the shards up.
      const stats = await drainStage(stage, keepAll(records), { keep: (r) => void kept.push(r), reject: (r) => void rejects.push(r) });
      dir.writeShard(stage.name, shard, kept, rejects, stats);
      onProgress?.({ type: 'shard', stage: stage.name, shard, stats, skipped: false });
      records = kept;
    }
    previous = stage.name;
  }
  return shard;
}

/**
 * Yields shard numbers as the source fills them. When the source finished in an earlier attempt,
 * its shards are yielded at once. Otherwise it runs again from the start (its results must be
 * deterministic); shards already written are compared, not rewritten, so a changed corpus is
 * caught instead of mixing two corpora in one run.
 */
async function* sourceShards<T>(options: RunnerOptions<T>): AsyncIterable<number> {
  const { dir, source, shardSize } = options;
  const name = source.stage.name;
  const complete = dir.sourceComplete(name);
  if (complete) {
    for (let shard = 0; shard < complete.shards; shard++) {
      options.onProgress?.({ type: 'shard', stage: name, shard, stats: dir.readStats(name, shard), skipped: true });
      yield shard;
    }
    return;
  }
  const counter = new StageCounter(source.stage);
  let shard = 0;
  let kept: T[] = [];
  let rejects: Reject[] = [];
  let total = 0;
  const flush = (): number => {
    const stats = counter.take();
    if (dir.isDone(name, shard)) {
      const stored = dir.readRecords<T>(name, shard).map(source.idOf);
      const now = kept.map(source.idOf);
      if (JSON.stringify(stored) !== JSON.stringify(now)) {
        throw new ResumeMismatchError(`${name} shard ${shard} differs from the one written before: the sources changed since this run started; use --fresh or another --output`);
      }
    } else {
      dir.writeShard(name, shard, kept, rejects, stats);
    }
    options.onProgress?.({ type: 'shard', stage: name, shard, stats, skipped: false });
    kept = [];
    rejects = [];
    return shard++;
  };
  const limit = source.limit ?? Infinity;
  if (limit > 0) {
    for await (const item of countedOutput(source.stage, source.items(), counter, options.onProgress)) {
      if (item.kind === 'reject') {
        rejects.push(item.reject);
        continue;
      }
      kept.push(item.record);
      total++;
      if (kept.length === shardSize) yield flush();
      if (total >= limit) break;
    }
  }
  if (kept.length > 0 || rejects.length > 0 || shard === 0) yield flush();
  dir.markSourceComplete(name, shard);
}

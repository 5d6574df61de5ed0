// The resumable, sharded runner. A source stage (e.g. extract over a corpus) is cut into shards of
// `shardSize` kept records; every later stage runs shard by shard, and each (stage, shard) result
// is written atomically. Rerunning the same command skips what is done, so a kill -9 at any moment
// loses at most the work in flight, and the output is the same as an uninterrupted run as long as
// each stage's result depends only on its shard's records (randomness seeded by record id).
// Stages do not know about shards: a later executor can hand shards to other machines.
import { mapOrdered } from '../io/ordered.js';
import type { Reject } from '../records.js';
import { RunDirectory, type ShardStats } from './run-dir.js';
import type { ReportingStage, StageItem } from './stage.js';

/** A stage as the runner takes it: any Stage, optionally summing up each shard (see stage.ts). */
export type ShardStage<In, Out> = ReportingStage<In, Out>;

export interface SourceSpec<T> {
  name: string;
  /** Started at most once per run; on resume it starts again from the beginning (see below). */
  items: () => AsyncIterable<StageItem<T>>;
  /** Stop after this many kept records. */
  limit?: number;
  idOf: (record: T) => string;
}

export type RunnerEvent =
  /** The source kept or rejected one more record (its shard is not written yet). */
  | { type: 'source'; kept: number; rejected: number }
  | { type: 'shard'; stage: string; shard: number; stats: ShardStats; skipped: boolean };

export interface RunnerOptions<T> {
  dir: RunDirectory;
  source: SourceSpec<T>;
  stages: ShardStage<any, any>[];
  shardSize: number;
  /** Shards in flight at once (each stage batches inside as well). */
  concurrency?: number;
  onEvent?: (event: RunnerEvent) => void;
}

export interface RunnerResult {
  shards: number;
  stages: string[];
}

export async function runSharded<T>(options: RunnerOptions<T>): Promise<RunnerResult> {
  const { dir, stages } = options;
  const shardIndices = sourceShards(options);
  const processed = mapOrdered(shardIndices, options.concurrency ?? 2, (shard) =>
    processShard(dir, options.source.name, stages, shard, options.onEvent),
  );
  let shards = 0;
  for await (const _ of processed) shards++;
  return { shards, stages: [options.source.name, ...stages.map((s) => s.name)] };
}

/**
 * Runs every stage not yet done on one shard whose source records are written. This is the unit a
 * distributed executor would hand to a worker: it needs only the run directory and the shard number.
 */
export async function processShard(
  dir: RunDirectory,
  sourceName: string,
  stages: ShardStage<any, any>[],
  shard: number,
  onEvent?: (event: RunnerEvent) => void,
): Promise<number> {
  let records: unknown[] | undefined;
  let previous = sourceName;
  for (const stage of stages) {
    if (dir.isDone(stage.name, shard)) {
      records = undefined; // read from disk only if a later stage needs it
      onEvent?.({ type: 'shard', stage: stage.name, shard, stats: dir.readStats(stage.name, shard), skipped: true });
    } else {
      records ??= dir.readRecords(previous, shard);
      records = await runStageOnShard(dir, stage, shard, records, onEvent);
    }
    previous = stage.name;
  }
  return shard;
}

async function runStageOnShard(
  dir: RunDirectory,
  stage: ShardStage<any, any>,
  shard: number,
  input: unknown[],
  onEvent: RunnerOptions<unknown>['onEvent'],
): Promise<unknown[]> {
  const kept: unknown[] = [];
  const rejects: Reject[] = [];
  for await (const item of stage.run(fromArray(input))) {
    if (item.kind === 'keep') kept.push(item.record);
    else rejects.push(item.reject);
  }
  const stats: ShardStats = { stage: stage.name, shard, in: input.length, kept: kept.length, rejects: countRejects(rejects) };
  const extra = stage.describe?.(kept, rejects);
  if (extra) stats.extra = extra;
  dir.writeShard(stage.name, shard, kept, rejects, stats);
  onEvent?.({ type: 'shard', stage: stage.name, shard, stats, skipped: false });
  return kept;
}

/**
 * Yields shard numbers as the source fills them. When the source finished in an earlier attempt,
 * its shards are yielded at once. Otherwise it runs again from the start (its results must be
 * deterministic); shards already written are compared, not rewritten, so a changed corpus is
 * caught instead of mixing two corpora in one run.
 */
async function* sourceShards<T>(options: RunnerOptions<T>): AsyncIterable<number> {
  const { dir, source, shardSize } = options;
  const complete = dir.sourceComplete(source.name);
  if (complete) {
    for (let shard = 0; shard < complete.shards; shard++) {
      options.onEvent?.({ type: 'shard', stage: source.name, shard, stats: dir.readStats(source.name, shard), skipped: true });
      yield shard;
    }
    return;
  }
  let shard = 0;
  let kept: T[] = [];
  let rejects: Reject[] = [];
  let total = 0;
  let rejected = 0;
  const flush = (): number => {
    const stats: ShardStats = { stage: source.name, shard, in: kept.length + rejects.length, kept: kept.length, rejects: countRejects(rejects) };
    if (dir.isDone(source.name, shard)) {
      const stored = dir.readRecords<T>(source.name, shard).map(source.idOf);
      const now = kept.map(source.idOf);
      if (JSON.stringify(stored) !== JSON.stringify(now)) {
        throw new Error(`${source.name} shard ${shard} differs from the one written before: the sources changed since this run started; use --fresh or another --out`);
      }
    } else {
      dir.writeShard(source.name, shard, kept, rejects, stats);
    }
    options.onEvent?.({ type: 'shard', stage: source.name, shard, stats, skipped: false });
    kept = [];
    rejects = [];
    return shard++;
  };
  const limit = source.limit ?? Infinity;
  if (limit > 0) {
    for await (const item of source.items()) {
      if (item.kind === 'keep') {
        kept.push(item.record);
        total++;
      } else {
        rejects.push(item.reject);
        rejected++;
      }
      options.onEvent?.({ type: 'source', kept: total, rejected });
      if (kept.length === shardSize) yield flush();
      if (total >= limit) break;
    }
  }
  if (kept.length > 0 || rejects.length > 0 || shard === 0) yield flush();
  dir.markSourceComplete(source.name, shard);
}

function countRejects(rejects: Reject[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const r of rejects) {
    const byReason = (counts[r.stage] ??= {});
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  }
  return counts;
}

async function* fromArray<T>(items: T[]): AsyncIterable<T> {
  yield* items;
}

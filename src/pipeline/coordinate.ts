// The coordinator of a sharded run. Shards are planned once, from the run directory alone:
//   1. the corpus is cut into parts of a fixed number of source files, in corpus order, and each
//      part is extracted by a task (anywhere), which also writes the dedup signatures;
//   2. one global merge reads the parts in corpus order and decides, exactly as the streaming dedup
//      does, which functions are kept (exact hash, then MinHash LSH); --limit takes the first N;
//   3. the functions are sorted by id (a content hash) and cut into shards of `shardSize`;
//   4. each shard runs the later stages in a task (anywhere).
// A resumed run redoes only tasks without their marker, on whatever executor it is given, and an
// existing plan is never recomputed. With a limit the parts are extracted in waves until enough
// functions are kept: the result depends only on corpus order, not on the waves' sizes.
import {
  addStats, emptyStats, ExecutorError, ResumeMismatchError,
  type FunctionRecord, type Reject, type StageItem, type StageStats,
} from '../contract/index.js';
import { DedupMerger } from '../extract/index.js';
import { jsonLines } from '../io/atomic.js';
import type { Executor, ExecutorResult } from './executor.js';
import type { RunDirectory, RunPlanFile } from './run-dir.js';
import type { RunStages } from './runner.js';
import { extractTask, shardTask } from './tasks.js';

export interface CoordinateOptions {
  run: RunStages;
  executor: Executor;
  /** The corpus as source items, in order; read again from the start on resume (and checked). */
  corpus: () => AsyncIterable<StageItem<unknown>>;
  limit?: number;
  shardSize: number;
  /** Source files per corpus part. */
  partFiles: number;
  /** Parts extracted in the first wave when a limit may leave the rest unneeded. */
  firstWave?: number;
}

export type CoordinateResult =
  | { done: true; shards: number; stages: StageStats[] }
  | { done: false; message: string };

export async function coordinate(options: CoordinateOptions): Promise<CoordinateResult> {
  const { run, executor } = options;
  const { dir } = run;
  let plan = dir.readPlan();
  if (!plan) {
    const parts = new CorpusParts(dir, options.corpus, options.partFiles);
    const limit = options.limit ?? Infinity;
    let wanted = Number.isFinite(limit) ? Math.max(1, options.firstWave ?? 2) : Infinity;
    for (;;) {
      const available = limit > 0 ? await parts.ensure(wanted) : 0;
      const missing = range(available).filter((part) => !dir.isDone(run.source.name, part)).map(extractTask);
      if (missing.length > 0) {
        const result = await executor.run(missing, 'extract');
        if (result.detached) return { done: false, message: result.message };
        failIfAny(result, dir);
      }
      const merged = mergeParts(run, available, limit);
      if (merged.enough || parts.complete || limit === 0) {
        plan = writePlan(dir, merged, options.shardSize);
        break;
      }
      // Not enough functions yet: estimate how many more parts the limit needs, with a margin.
      const perPart = merged.kept.length / Math.max(1, available);
      wanted = available + Math.max(1, Math.ceil(((limit - merged.kept.length) / Math.max(perPart, 0.5)) * 1.25));
    }
  } else {
    for (let part = 0; part < plan.parts; part++) {
      run.onProgress?.({ type: 'shard', stage: run.source.name, shard: part, stats: dir.readStats(run.source.name, part), skipped: true });
    }
  }
  const last = run.stages[run.stages.length - 1]?.name;
  const missing = range(plan.shards).filter((shard) => !last || !dir.isDone(last, shard)).map(shardTask);
  if (missing.length > 0) {
    const result = await executor.run(missing, 'shards');
    if (result.detached) return { done: false, message: result.message };
    failIfAny(result, dir);
  }
  // Shards done before this attempt are reported too, so the board and the totals are whole.
  for (let shard = 0; shard < plan.shards; shard++) {
    if (missing.some((task) => task.kind === 'shard' && task.shard === shard)) continue;
    for (const stage of run.stages) run.onProgress?.({ type: 'shard', stage: stage.name, shard, stats: dir.readStats(stage.name, shard), skipped: true });
  }
  const stages = [plan.extract, ...dir.stageTotals(run.stages.map((s) => s.name), plan.shards)];
  return { done: true, shards: plan.shards, stages };
}

function failIfAny(result: Extract<ExecutorResult, { detached: false }>, dir: RunDirectory): void {
  if (result.failed.length === 0) return;
  const shown = result.failed.slice(0, 5).map((f) => `${f.task}: ${f.reason}`).join('; ');
  throw new ExecutorError(
    `${result.failed.length} task(s) failed after every retry (${shown}${result.failed.length > 5 ? '; ...' : ''}); ` +
      `what finished is kept: see case2code status ${dir.root}, then run the same command again`,
  );
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * The corpus cut into parts of `partFiles` source files (rejects of the reader travel in the part
 * they fall in). Parts written by an earlier attempt are read again and compared, so a changed
 * corpus is caught instead of mixing two corpora in one run.
 */
class CorpusParts {
  private iterator?: AsyncIterator<StageItem<unknown>>;
  private read = 0;
  complete: boolean;

  constructor(
    private readonly dir: RunDirectory,
    private readonly corpus: () => AsyncIterable<StageItem<unknown>>,
    private readonly partFiles: number,
  ) {
    this.complete = dir.corpusComplete() !== undefined;
  }

  /** Makes at least `wanted` parts exist, or all of them; returns how many exist. */
  async ensure(wanted: number): Promise<number> {
    const done = this.dir.corpusComplete();
    if (done) {
      this.complete = true;
      return done.parts;
    }
    const existing = this.dir.corpusParts();
    const target = Math.max(wanted, existing);
    this.iterator ??= this.corpus()[Symbol.asyncIterator]();
    while (this.read < target) {
      const { items, ended } = await this.nextPart();
      if (items.length > 0) {
        const text = jsonLines(items);
        if (this.read < existing) {
          if (this.dir.corpusPartText(this.read) !== text) {
            throw new ResumeMismatchError(`corpus part ${this.read} differs from the one written before: the sources changed since this run started; use --fresh or another --output`);
          }
        } else this.dir.writeCorpusPart(this.read, text);
        this.read++;
      }
      if (ended) {
        if (this.read < existing) throw new ResumeMismatchError(`the corpus now has ${this.read} parts, fewer than the ${existing} written before: the sources changed; use --fresh or another --output`);
        this.dir.markCorpusComplete(this.read);
        this.complete = true;
        break;
      }
    }
    return this.read;
  }

  private async nextPart(): Promise<{ items: StageItem<unknown>[]; ended: boolean }> {
    const items: StageItem<unknown>[] = [];
    let files = 0;
    while (files < this.partFiles) {
      const next = await this.iterator!.next();
      if (next.done) return { items, ended: true };
      items.push(next.value);
      if (next.value.kind === 'keep') files++;
    }
    return { items, ended: false };
  }
}

interface Merged {
  kept: FunctionRecord[];
  rejects: Reject[];
  /** Parts the run uses: all read, or up to the one where the limit was reached. */
  parts: number;
  enough: boolean;
  extract: StageStats;
}

/** The global dedup over parts 0..parts-1 in corpus order, and the limit. */
function mergeParts(run: RunStages, parts: number, limit: number): Merged {
  const { dir, source, dedup } = run;
  const merger = dedup ? new DedupMerger(dedup) : undefined;
  const extract = emptyStats(source.name);
  const kept: FunctionRecord[] = [];
  const rejects: Reject[] = [];
  let used = 0;
  for (let part = 0; part < parts && kept.length < limit; part++) {
    used = part + 1;
    addStats(extract, dir.readStats(source.name, part));
    const records = dir.readRecords<FunctionRecord>(source.name, part);
    const signatures = merger?.needsSignatures ? dir.readSignatures(source.name, part, dedup!.numPerm ?? 128) : [];
    records.forEach((record, i) => {
      const where = { id: record.id, entry: record.entry, source: record.source };
      if (kept.length >= limit) {
        rejects.push({ stage: 'limit', reason: 'over-limit', ...where, detail: `--limit ${limit} reached in corpus order` });
        return;
      }
      const decision = merger ? merger.decide(record, signatures[i]) : ({ keep: true } as const);
      if (decision.keep) kept.push(merger ? { ...record, cluster: record.id } : record);
      else rejects.push(decision.reject);
    });
  }
  extract.kept = kept.length;
  for (const r of rejects) {
    const byReason = (extract.rejects[r.stage] ??= {});
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
  }
  return { kept, rejects, parts: used, enough: kept.length >= limit, extract };
}

/** Shards by content hash: the kept functions sorted by id, cut into runs of `shardSize`. */
function writePlan(dir: RunDirectory, merged: Merged, shardSize: number): RunPlanFile {
  const sorted = merged.kept.map((record, order) => ({ record, order })).sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : a.order - b.order));
  const shards: FunctionRecord[][] = [];
  for (let i = 0; i < sorted.length; i += shardSize) shards.push(sorted.slice(i, i + shardSize).map((entry) => entry.record));
  if (shards.length === 0) shards.push([]);
  const plan: RunPlanFile = { shards: shards.length, parts: merged.parts, extract: merged.extract };
  dir.writePlan(shards, merged.rejects, plan);
  return plan;
}

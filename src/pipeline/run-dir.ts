// The run directory: settings, the corpus cut into parts, each stage's output, rejects and stats,
// one set of files per part or shard, and what the workers are doing. Every file is written whole
// (write, then rename), so any number of workers on a shared file system may write into it.
//   manifest.json                         the settings that decide the output
//   run-options.json                      the options of the run (how workers rebuild its stages)
//   stages/corpus/<part>.jsonl            the source files of one part of the corpus, in order
//   stages/corpus/complete.json           the corpus is read to its end: how many parts it made
//   stages/extract/<part>.jsonl           functions of that part, before dedup (+ .rejects.jsonl)
//   stages/extract/<part>.minhash         their dedup signatures (numPerm little-endian u32 each)
//   stages/extract/<part>.stats.json      counts (the part's "done" marker, written last)
//   stages/plan/<shard>.jsonl             the functions of each shard, after the global dedup
//   stages/plan/rejects.jsonl             what the global dedup (and --limit) dropped
//   stages/plan/plan.json                 shards, parts used, the extract row (written last)
//   stages/<stage>/<shard>.jsonl          kept records (+ .rejects.jsonl, .stats.json marker)
//   tasks/<task>.running.json             a worker's lease on a task (refreshed while it runs)
//   tasks/<task>.failed.json              the last failure of a task not done yet, with its reason
//   tasks/timing/<stage>-<n>.json         when a stage ran on a part or shard, on which worker
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonLines, removePartials, writeFileAtomic } from '../io/atomic.js';
import { addStats, emptyStats, ResumeMismatchError, type Reject, type StageStats } from '../contract/index.js';
import { processAlive } from '../io/process.js';

export const PLAN_STAGE = 'plan';
export const CORPUS_PART_STAGE = 'corpus';

export interface RunPlanFile {
  shards: number;
  /** Corpus parts whose functions the run uses (with --limit, the parts up to the last one taken). */
  parts: number;
  /** The extract row of the funnel: the parts' extraction, then the global dedup and the limit. */
  extract: StageStats;
}

export interface Lease {
  task: string;
  stage: string;
  worker: string;
  host: string;
  pid: number;
  started: string;
  /** The Slurm array task running it (`JOB_INDEX`), when it runs in one. */
  slurm?: string;
}

export interface TaskFailure {
  task: string;
  stage: string;
  reason: string;
  worker: string;
  attempts?: number;
  at: string;
}

export interface Timing {
  stage: string;
  n: number;
  in: number;
  kept: number;
  started: number;
  finished: number;
  worker: string;
}

/** A lease not refreshed for this long belongs to a worker that is gone. */
export const LEASE_STALE_MS = 30_000;

export class RunDirectory {
  constructor(readonly root: string) {}

  /** Checks the settings of an existing run, or records them for a new one. */
  open(settings: Record<string, unknown>): { resumed: boolean } {
    mkdirSync(this.root, { recursive: true });
    removePartials(this.root);
    const file = path.join(this.root, 'manifest.json');
    if (existsSync(file)) {
      this.check(settings);
      return { resumed: true };
    }
    writeFileAtomic(file, JSON.stringify({ settings }, null, 2) + '\n');
    return { resumed: false };
  }

  /** A worker's check: the run exists and was made with these settings (the same interpreter, ...). */
  check(settings: Record<string, unknown>): void {
    const file = path.join(this.root, 'manifest.json');
    if (!existsSync(file)) throw new ResumeMismatchError(`${this.root} has no manifest.json: not a case2code run directory (or not started yet)`);
    const previous = JSON.parse(readFileSync(file, 'utf8'));
    if (JSON.stringify(previous.settings) !== JSON.stringify(settings)) {
      const changed = changedKeys(previous.settings ?? {}, settings);
      throw new ResumeMismatchError(`${this.root} holds a run with other settings (${changed.join(', ')} differ); use another --output, or --fresh to start over`);
    }
  }

  shardName(shard: number): string {
    return String(shard).padStart(5, '0');
  }

  file(stage: string, shard: number, kind: 'out' | 'rejects' | 'stats' | 'minhash'): string {
    const suffix = { out: '.jsonl', rejects: '.rejects.jsonl', stats: '.stats.json', minhash: '.minhash' }[kind];
    return path.join(this.root, 'stages', stage, this.shardName(shard) + suffix);
  }

  isDone(stage: string, shard: number): boolean {
    return existsSync(this.file(stage, shard, 'stats'));
  }

  /** Every shard's stats of each stage, added up: what the report and the card show. */
  stageTotals(stages: string[], shards: number): StageStats[] {
    return stages.map((stage) => {
      const total = emptyStats(stage);
      for (let shard = 0; shard < shards; shard++) if (this.isDone(stage, shard)) addStats(total, this.readStats(stage, shard));
      return total;
    });
  }

  /** Writes a stage's shard: output and rejects first, the stats (done marker) last. */
  writeShard(stage: string, shard: number, kept: unknown[], rejects: Reject[], stats: StageStats, before?: () => void): void {
    writeFileAtomic(this.file(stage, shard, 'out'), jsonLines(kept));
    writeFileAtomic(this.file(stage, shard, 'rejects'), jsonLines(rejects));
    before?.();
    writeFileAtomic(this.file(stage, shard, 'stats'), JSON.stringify(stats) + '\n');
  }

  readRecords<T>(stage: string, shard: number): T[] {
    return readLines<T>(this.file(stage, shard, 'out'));
  }

  readRejects(stage: string, shard: number): Reject[] {
    return readLines<Reject>(this.file(stage, shard, 'rejects'));
  }

  readStats(stage: string, shard: number): StageStats {
    return JSON.parse(readFileSync(this.file(stage, shard, 'stats'), 'utf8'));
  }

  // The corpus, cut into parts.

  corpusPartText(part: number): string | undefined {
    const file = this.file(CORPUS_PART_STAGE, part, 'out');
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  writeCorpusPart(part: number, text: string): void {
    writeFileAtomic(this.file(CORPUS_PART_STAGE, part, 'out'), text);
  }

  /** Parts written so far (they are written in order, so they are 0..n-1). */
  corpusParts(): number {
    let n = 0;
    while (existsSync(this.file(CORPUS_PART_STAGE, n, 'out'))) n++;
    return n;
  }

  corpusComplete(): { parts: number } | undefined {
    return readJson(path.join(this.root, 'stages', CORPUS_PART_STAGE, 'complete.json'));
  }

  markCorpusComplete(parts: number): void {
    writeFileAtomic(path.join(this.root, 'stages', CORPUS_PART_STAGE, 'complete.json'), JSON.stringify({ parts }) + '\n');
  }

  writeSignatures(stage: string, part: number, signatures: Uint32Array[]): void {
    const perm = signatures[0]?.length ?? 0;
    const all = new Uint32Array(signatures.length * perm);
    signatures.forEach((signature, i) => all.set(signature, i * perm));
    const bytes = Buffer.alloc(all.length * 4);
    for (let i = 0; i < all.length; i++) bytes.writeUInt32LE(all[i], i * 4);
    writeFileAtomic(this.file(stage, part, 'minhash'), bytes);
  }

  readSignatures(stage: string, part: number, numPerm: number): Uint32Array[] {
    const bytes = readFileSync(this.file(stage, part, 'minhash'));
    const out: Uint32Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += numPerm * 4) {
      const signature = new Uint32Array(numPerm);
      for (let i = 0; i < numPerm; i++) signature[i] = bytes.readUInt32LE(offset + i * 4);
      out.push(signature);
    }
    return out;
  }

  // The plan: shards after the global dedup.

  readPlan(): RunPlanFile | undefined {
    return readJson(path.join(this.root, 'stages', PLAN_STAGE, 'plan.json'));
  }

  writePlan(shards: unknown[][], rejects: Reject[], plan: RunPlanFile): void {
    shards.forEach((records, shard) => writeFileAtomic(this.file(PLAN_STAGE, shard, 'out'), jsonLines(records)));
    writeFileAtomic(path.join(this.root, 'stages', PLAN_STAGE, 'rejects.jsonl'), jsonLines(rejects));
    writeFileAtomic(path.join(this.root, 'stages', PLAN_STAGE, 'plan.json'), JSON.stringify(plan) + '\n');
  }

  // The run's options, for workers to rebuild its stages.

  writeOptions(options: Record<string, unknown>): void {
    writeFileAtomic(this.optionsFile(), JSON.stringify(options, null, 2) + '\n');
  }

  optionsFile(): string {
    return path.join(this.root, 'run-options.json');
  }

  readOptions(): Record<string, unknown> {
    const options = readJson<Record<string, unknown>>(this.optionsFile());
    if (!options) throw new ResumeMismatchError(`${this.root} has no run-options.json: not a case2code run directory (or not started yet)`);
    return options;
  }

  // What the workers are doing.

  private taskFile(task: string, kind: 'running' | 'failed'): string {
    return path.join(this.root, 'tasks', `${task}.${kind}.json`);
  }

  writeLease(lease: Lease): void {
    writeFileAtomic(this.taskFile(lease.task, 'running'), JSON.stringify(lease) + '\n');
  }

  removeLease(task: string): void {
    rmSync(this.taskFile(task, 'running'), { force: true });
  }

  /** The task's lease, when its worker is still alive (refreshed recently, its process still there). */
  liveLease(task: string): Lease | undefined {
    const file = this.taskFile(task, 'running');
    let lease: Lease | undefined;
    let age: number;
    try {
      lease = JSON.parse(readFileSync(file, 'utf8'));
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    if (!lease || age > LEASE_STALE_MS) return undefined;
    if (lease.host === os.hostname() && !processAlive(lease.pid)) return undefined;
    return lease;
  }

  writeFailure(failure: TaskFailure): void {
    writeFileAtomic(this.taskFile(failure.task, 'failed'), JSON.stringify(failure) + '\n');
  }

  readFailure(task: string): TaskFailure | undefined {
    return readJson(this.taskFile(task, 'failed'));
  }

  clearFailure(task: string): void {
    rmSync(this.taskFile(task, 'failed'), { force: true });
  }

  writeTiming(timing: Timing): void {
    writeFileAtomic(path.join(this.root, 'tasks', 'timing', `${timing.stage}-${this.shardName(timing.n)}.json`), JSON.stringify(timing) + '\n');
  }

  timings(): Timing[] {
    const dir = path.join(this.root, 'tasks', 'timing');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => {
        const timing = readJson<Timing>(path.join(dir, name));
        return timing ? [timing] : [];
      });
  }
}

function readLines<T>(file: string): T[] {
  const text = readFileSync(file, 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as T);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The settings that differ, as dotted paths (`inputs.seed`), so the message names the option. */
function changedKeys(before: Record<string, unknown>, now: Record<string, unknown>, prefix = ''): string[] {
  return Object.keys({ ...before, ...now }).flatMap((key) => {
    const [a, b] = [before[key], now[key]];
    if (JSON.stringify(a) === JSON.stringify(b)) return [];
    const nested = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    return nested(a) && nested(b) ? changedKeys(a, b, `${prefix}${key}.`) : [`${prefix}${key}`];
  });
}

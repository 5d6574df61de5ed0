// The run directory: settings, then each stage's output, rejects and stats, one set of files per
// shard. A shard of a stage is done when its stats file exists (it is written last).
//   manifest.json
//   stages/<stage>/<shard>.jsonl          kept records
//   stages/<stage>/<shard>.rejects.jsonl  rejects with reasons
//   stages/<stage>/<shard>.stats.json     counts (the shard's "done" marker)
//   stages/<source>/complete.json         the source is exhausted: how many shards it made
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jsonLines, removePartials, writeFileAtomic } from '../io/atomic.js';
import { addStats, emptyStats, ResumeMismatchError, type Reject, type StageStats } from '../contract/index.js';

export class RunDirectory {
  constructor(readonly root: string) {}

  /** Checks the settings of an existing run, or records them for a new one. */
  open(settings: Record<string, unknown>): { resumed: boolean } {
    mkdirSync(this.root, { recursive: true });
    removePartials(this.root);
    const file = path.join(this.root, 'manifest.json');
    const wanted = JSON.stringify(settings);
    if (existsSync(file)) {
      const previous = JSON.parse(readFileSync(file, 'utf8'));
      if (JSON.stringify(previous.settings) !== wanted) {
        const changed = changedKeys(previous.settings ?? {}, settings);
        throw new ResumeMismatchError(`${this.root} holds a run with other settings (${changed.join(', ')} differ); use another --output, or --fresh to start over`);
      }
      return { resumed: true };
    }
    writeFileAtomic(file, JSON.stringify({ settings }, null, 2) + '\n');
    return { resumed: false };
  }

  shardName(shard: number): string {
    return String(shard).padStart(5, '0');
  }

  file(stage: string, shard: number, kind: 'out' | 'rejects' | 'stats'): string {
    const suffix = kind === 'out' ? '.jsonl' : kind === 'rejects' ? '.rejects.jsonl' : '.stats.json';
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
  writeShard(stage: string, shard: number, kept: unknown[], rejects: Reject[], stats: StageStats): void {
    writeFileAtomic(this.file(stage, shard, 'out'), jsonLines(kept));
    writeFileAtomic(this.file(stage, shard, 'rejects'), jsonLines(rejects));
    writeFileAtomic(this.file(stage, shard, 'stats'), JSON.stringify(stats) + '\n');
  }

  readRecords<T>(stage: string, shard: number): T[] {
    const text = readFileSync(this.file(stage, shard, 'out'), 'utf8');
    return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as T);
  }

  readStats(stage: string, shard: number): StageStats {
    return JSON.parse(readFileSync(this.file(stage, shard, 'stats'), 'utf8'));
  }

  sourceComplete(stage: string): { shards: number } | undefined {
    const file = path.join(this.root, 'stages', stage, 'complete.json');
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  }

  markSourceComplete(stage: string, shards: number): void {
    writeFileAtomic(path.join(this.root, 'stages', stage, 'complete.json'), JSON.stringify({ shards }) + '\n');
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

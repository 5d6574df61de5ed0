// Gathers the stats of every (stage, shard) of a run into one summary: the funnel, reject reasons
// and each stage's extra figures (histograms and counts are summed over shards).
import type { RunDirectory, ShardStats } from '../pipeline/run-dir.js';

export interface StageSummary {
  stage: string;
  in: number;
  kept: number;
  /** reject stage -> reason -> count */
  rejects: Record<string, Record<string, number>>;
  extra: Record<string, unknown>;
}

export function summarise(dir: RunDirectory, stages: string[], shards: number): StageSummary[] {
  return stages.map((stage) => {
    const summary: StageSummary = { stage, in: 0, kept: 0, rejects: {}, extra: {} };
    for (let shard = 0; shard < shards; shard++) {
      if (dir.isDone(stage, shard)) addShard(summary, dir.readStats(stage, shard));
    }
    return summary;
  });
}

export function addShard(summary: StageSummary, stats: ShardStats): void {
  summary.in += stats.in;
  summary.kept += stats.kept;
  for (const [rejectStage, reasons] of Object.entries(stats.rejects)) {
    const into = (summary.rejects[rejectStage] ??= {});
    for (const [reason, n] of Object.entries(reasons)) into[reason] = (into[reason] ?? 0) + n;
  }
  summary.extra = mergeFigures(summary.extra, stats.extra ?? {}) as Record<string, unknown>;
}

/** Numbers add up; objects merge key by key; anything else keeps the first value seen. */
export function mergeFigures(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (isObject(a) && isObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeFigures(out[k], v) : v;
    return out;
  }
  return a ?? b;
}

/** A histogram: how many items had each value. */
export function histogram(values: (number | string)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

/** Sums of reasons, most frequent first, for one stage's own rejects and for all of them. */
export function topReasons(summary: StageSummary, limit = 3): string {
  const all = Object.entries(summary.rejects).flatMap(([stage, reasons]) =>
    Object.entries(reasons).map(([reason, n]) => [stage === summary.stage ? reason : `${stage}:${reason}`, n] as const),
  );
  return all
    .sort((x, y) => y[1] - x[1])
    .slice(0, limit)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

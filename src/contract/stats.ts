// What a stage did, counted by the runner (never by the stage itself): items in, records kept,
// rejects per stage and reason, and the stage's own figures summed over its records. The same
// counter serves a stage run alone and a shard of `case2code run`, so both report one funnel.
import type { Figures, Stage, StageItem } from './stage.js';

export interface StageStats {
  stage: string;
  /** Items that went in: records, and rejects passed on from earlier (a source: files read). */
  in: number;
  kept: number;
  /** Rejects that came out: reject stage -> reason -> count (a stage may reject at several levels). */
  rejects: Record<string, Record<string, number>>;
  /** The stage's figures, summed over the records it kept. */
  figures: Figures;
}

export const emptyStats = (stage: string): StageStats => ({ stage, in: 0, kept: 0, rejects: {}, figures: {} });

export class StageCounter {
  stats: StageStats;

  constructor(private readonly stage: Pick<Stage<any, any>, 'name' | 'figures'>) {
    this.stats = emptyStats(stage.name);
  }

  /** The stats counted since the last take (e.g. one shard's), and a fresh start. */
  take(): StageStats {
    const taken = this.stats;
    this.stats = emptyStats(this.stage.name);
    return taken;
  }

  /** Counts the items as they go in. */
  async *input<T>(items: AsyncIterable<StageItem<T>>): AsyncIterable<StageItem<T>> {
    for await (const item of items) {
      this.stats.in++;
      yield item;
    }
  }

  /** Counts one item that came out. */
  output(item: StageItem<unknown>): void {
    if (item.kind === 'keep') {
      this.stats.kept++;
      const figures = this.stage.figures?.(item.record);
      if (figures) this.stats.figures = mergeFigures(this.stats.figures, figures) as Figures;
    } else {
      const byReason = (this.stats.rejects[item.reject.stage] ??= {});
      byReason[item.reject.reason] = (byReason[item.reject.reason] ?? 0) + 1;
    }
  }
}

/** Rejected items of a stage's stats, all reasons together. */
export const rejectedCount = (stats: Pick<StageStats, 'rejects'>): number =>
  Object.values(stats.rejects).reduce((n, reasons) => n + Object.values(reasons).reduce((a, b) => a + b, 0), 0);

/** One stage's stats over several shards (or workers): counts add up, figures merge. */
export function addStats(into: StageStats, more: StageStats): StageStats {
  into.in += more.in;
  into.kept += more.kept;
  for (const [stage, reasons] of Object.entries(more.rejects)) {
    const byReason = (into.rejects[stage] ??= {});
    for (const [reason, n] of Object.entries(reasons)) byReason[reason] = (byReason[reason] ?? 0) + n;
  }
  into.figures = mergeFigures(into.figures, more.figures) as Figures;
  return into;
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

/** How many values fall in each bucket: a histogram as figures. */
export function countBy(values: (string | number)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

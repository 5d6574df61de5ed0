// The shape every pipeline stage has: a stream of records in, a stream of kept records and rejects
// out. A stage never knows whether it runs alone, in `case2code run`, or on a queue worker.
import type { Reject } from '../records.js';

export type StageItem<T> = { kind: 'keep'; record: T } | { kind: 'reject'; reject: Reject };

export interface Stage<In, Out> {
  readonly name: string;
  run(input: AsyncIterable<In>): AsyncIterable<StageItem<Out>>;
}

export const keep = <T>(record: T): StageItem<T> => ({ kind: 'keep', record });
export const reject = <T = never>(value: Reject): StageItem<T> => ({ kind: 'reject', reject: value });

/** Counts of kept records and of rejects per reason: a stage's stats. */
export class Funnel {
  readonly reasons: Record<string, number> = {};
  kept = 0;
  seen = 0;

  count(item: StageItem<unknown>): void {
    this.seen++;
    if (item.kind === 'keep') this.kept++;
    else this.reasons[item.reject.reason] = (this.reasons[item.reject.reason] ?? 0) + 1;
  }

  toJSON() {
    const reasons = Object.fromEntries(Object.entries(this.reasons).sort((a, b) => b[1] - a[1]));
    return { seen: this.seen, kept: this.kept, rejected: this.seen - this.kept, reasons };
  }
}

/** A stage that can also sum up what it kept in a batch (figures for the run stats and report). */
export interface ReportingStage<In, Out> extends Stage<In, Out> {
  describe?(kept: Out[], rejects: Reject[]): Record<string, unknown>;
}

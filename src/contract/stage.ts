// The one shape of every stage: a stream of items in, a stream of items out. An item is a kept
// record or a reject (rejection is data, not an exception). A stage never knows whether it runs
// alone (`case2code inputs`), inside `case2code run`, on a shard of a cluster job or on a queue
// worker: the runners feed it and count what comes out.
import type { Reject } from './records.js';

export type StageItem<T> = { kind: 'keep'; record: T } | { kind: 'reject'; reject: Reject };

export const keep = <T>(record: T): StageItem<T> => ({ kind: 'keep', record });
export const reject = <T = never>(value: Reject): StageItem<T> => ({ kind: 'reject', reject: value });

/**
 * Figures a stage reports about one record it kept. Over a stage's output they add up: numbers are
 * summed, objects merged key by key (see mergeFigures), so a histogram is `{bucket: 1}` per record.
 */
export interface Figures {
  [key: string]: number | Figures;
}

export interface Stage<In, Out> {
  /** The stage's name: its folder in a run directory and its row in the funnel. */
  readonly name: string;
  /**
   * Yields, in input order, what each input item becomes: kept records and rejects with reasons.
   * A reject that comes in passes through in its place; the runner counts it once.
   */
  run(items: AsyncIterable<StageItem<In>>): AsyncIterable<StageItem<Out>>;
  /** This record's share of the stage's figures (verdict counts, coverage buckets, ...). */
  figures?(record: Out): Figures;
}

/** Stages applied one after the other, seen from outside as one stage (e.g. extract, then dedup). */
export function chainStages<In, Out>(name: string, stages: Stage<any, any>[]): Stage<In, Out> {
  const last = stages[stages.length - 1];
  return {
    name,
    run: (items) => stages.reduce<AsyncIterable<StageItem<any>>>((stream, stage) => stage.run(stream), items),
    ...(last?.figures ? { figures: (record: Out) => last.figures!(record) } : {}),
  };
}

/** A stream of records as kept items: what a runner feeds a stage. */
export async function* keepAll<T>(records: AsyncIterable<T> | Iterable<T>): AsyncIterable<StageItem<T>> {
  for await (const record of records) yield keep(record);
}

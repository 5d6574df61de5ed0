// The one code path every command runs a stage through: items in (read and checked by io/ or the
// corpus readers), the stage, then each item out counted (StageCounter), reported to the progress
// sink and handed to a sink that writes it. `case2code extract | inputs | exec` write to JSONL
// files; `case2code run` writes shards (runner.ts): the same counting, so one funnel.
import {
  StageCounter,
  type ProgressSink, type Reject, type Stage, type StageItem, type StageStats,
} from '../contract/index.js';
import { JsonlWriter } from '../io/jsonl.js';
import { writeFileAtomic } from '../io/atomic.js';

export interface ItemSink<Out> {
  /** Return false to stop the stage there (e.g. a run's --limit). */
  keep(record: Out): Promise<boolean | void> | boolean | void;
  reject(reject: Reject): Promise<void> | void;
}

/** What `stage` makes of `items`, each item counted into `counter` and reported as it comes out. */
export async function* countedOutput<In, Out>(
  stage: Stage<In, Out>,
  items: AsyncIterable<StageItem<In>>,
  counter: StageCounter,
  onProgress?: ProgressSink,
): AsyncIterable<StageItem<Out>> {
  for await (const item of stage.run(counter.input(items))) {
    counter.output(item);
    onProgress?.({ type: 'item', stage: stage.name, stats: counter.stats });
    yield item;
  }
}

/** Runs `stage` over `items` into `sink`; returns what was counted. */
export async function drainStage<In, Out>(
  stage: Stage<In, Out>,
  items: AsyncIterable<StageItem<In>>,
  sink: ItemSink<Out>,
  onProgress?: ProgressSink,
): Promise<StageStats> {
  const counter = new StageCounter(stage);
  for await (const item of countedOutput(stage, items, counter, onProgress)) {
    if (item.kind === 'reject') await sink.reject(item.reject);
    else if ((await sink.keep(item.record)) === false) break;
  }
  return counter.stats;
}

export interface StageFilesOptions<In> {
  stage: Stage<In, unknown>;
  input: AsyncIterable<StageItem<In>>;
  /** Kept records, JSONL. */
  output: string;
  /** Rejects with reasons (default `<output>.rejects.jsonl`). */
  rejects?: string;
  onProgress?: ProgressSink;
}

/** A stage run alone: kept records to `output`, rejects beside it, and the stats to `<output>.stats.json`. */
export async function runStageToFiles<In>(options: StageFilesOptions<In>): Promise<StageStats> {
  const out = new JsonlWriter(options.output);
  const rejects = new JsonlWriter(options.rejects ?? `${options.output}.rejects.jsonl`);
  let stats: StageStats;
  try {
    stats = await drainStage(options.stage, options.input, { keep: (record) => out.write(record), reject: (r) => rejects.write(r) }, options.onProgress);
  } finally {
    await Promise.all([out.close(), rejects.close()]);
  }
  writeFileAtomic(`${options.output}.stats.json`, JSON.stringify(stats, null, 2) + '\n');
  return stats;
}

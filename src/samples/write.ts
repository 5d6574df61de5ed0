// Writes a dataset directory from SampleSets, in a layout `datasets.load_dataset` reads:
//   <dir>/<format>/<split>.jsonl and .parquet   (sft, chat, pretrain: train; bench and the
//                                                prediction formats: train and test)
//   <dir>/README.md                              the dataset card (configs, counts, how it was made)
// The test split exists only in the formats that do not teach the Case2Code answer (bench, and the
// prediction tasks, which show the code of their own functions only); the bench items of train
// functions hold their structured cases, which `case2code verify` checks the text formats against.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { JsonlWriter } from '../io/jsonl.js';
import { FORMATS, type FormatName, type SampleSet } from './formats.js';
import { writeParquet } from './parquet.js';
import { PREDICTION_FORMATS } from './predictions.js';
import type { Split, SplitMoves } from './split.js';

export interface DatasetCounts {
  functions: { train: number; test: number };
  /** Rows per file, keyed `format/split`. */
  files: Record<string, number>;
  /** Functions moved off their per-record side so that no definition is on both sides. */
  moved?: SplitMoves;
}

/** The formats with a test split. */
export const TEST_FORMATS: readonly FormatName[] = ['bench', ...PREDICTION_FORMATS];

/** The splits a format has files for. */
export function splitsOf(format: FormatName): Split[] {
  return TEST_FORMATS.includes(format) ? ['train', 'test'] : ['train'];
}

/** The (format, split) pairs a sample goes to. */
export function destinations(sample: SampleSet): { format: FormatName; split: Split }[] {
  const formats = sample.split === 'test' ? TEST_FORMATS : FORMATS;
  return formats.map((format) => ({ format, split: sample.split }));
}

export class DatasetWriter {
  private readonly jsonl = new Map<string, JsonlWriter>();
  private readonly rows = new Map<string, Record<string, unknown>[]>();
  readonly counts: DatasetCounts = { functions: { train: 0, test: 0 }, files: {} };

  constructor(readonly dir: string, private readonly options: { parquet?: boolean } = {}) {
    // Every file exists, even when empty, so that the card's configs always resolve.
    for (const format of FORMATS) {
      for (const split of splitsOf(format)) this.open(format, split);
    }
  }

  private open(format: FormatName, split: Split): string {
    const key = `${format}/${split}`;
    if (!this.jsonl.has(key)) {
      mkdirSync(path.join(this.dir, format), { recursive: true });
      this.jsonl.set(key, new JsonlWriter(path.join(this.dir, format, `${split}.jsonl`)));
      this.rows.set(key, []);
      this.counts.files[key] = 0;
    }
    return key;
  }

  async add(sample: SampleSet): Promise<void> {
    this.counts.functions[sample.split]++;
    for (const { format, split } of destinations(sample)) {
      const key = this.open(format, split);
      const value = sample[format];
      for (const row of Array.isArray(value) ? value : [value]) {
        await this.jsonl.get(key)!.write(row);
        if (this.options.parquet !== false) this.rows.get(key)!.push(row as unknown as Record<string, unknown>);
        this.counts.files[key]++;
      }
    }
  }

  async close(): Promise<DatasetCounts> {
    for (const [key, writer] of this.jsonl) {
      await writer.close();
      if (this.options.parquet === false) continue;
      const [format, split] = key.split('/') as [FormatName, Split];
      writeParquet(path.join(this.dir, format, `${split}.parquet`), format, this.rows.get(key)!);
    }
    return this.counts;
  }
}

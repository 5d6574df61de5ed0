// The samples stage: each filtered function becomes a SampleSet (all formats, its split, and the
// template it used). Per-record and seeded, so a shard can be built anywhere.
import { keep, type Stage } from '../pipeline/stage.js';
import type { CasesRecord } from '../filters/index.js';
import { buildSamples, type SampleSet } from './formats.js';
import { splitOf } from './split.js';

export interface SamplesOptions {
  seed: number | string;
  /** Share of functions (by cluster) put in the test split. */
  testFraction: number;
}

export function samplesStage(options: SamplesOptions): Stage<CasesRecord, SampleSet> {
  return {
    name: 'samples',
    async *run(input) {
      for await (const record of input) yield keep(buildSamples(record, splitOf(record, options.testFraction, options.seed), options.seed));
    },
  };
}

// The samples stage: each filtered function becomes a SampleSet (all formats, its split, and the
// template it used). Per-record and seeded, so a shard can be built anywhere.
import { keep, type ReportingStage } from '../pipeline/stage.js';
import type { CasesRecord } from '../filters/index.js';
import { buildSamples, type SampleSet } from './formats.js';
import { splitOf } from './split.js';

export interface SamplesOptions {
  seed: number | string;
  /** Share of functions (by cluster) put in the test split. */
  testFraction: number;
}

export function samplesStage(options: SamplesOptions): ReportingStage<CasesRecord, SampleSet> {
  return {
    name: 'samples',
    async *run(input) {
      for await (const record of input) yield keep(buildSamples(record, splitOf(record, options.testFraction, options.seed), options.seed));
    },
    describe: (kept) => ({
      split: countBy(kept.map((s) => s.split)),
      shown: countBy(kept.map((s) => s.template.shown)),
      templates: {
        rendering: countBy(kept.map((s) => s.template.rendering)),
        instruction: countBy(kept.map((s) => `#${s.template.instruction}`)),
        header: countBy(kept.map((s) => (s.template.header ? 'with header' : 'no header'))),
        order: countBy(kept.map((s) => s.template.order)),
        style: countBy(kept.map((s) => s.template.style)),
      },
    }),
  };
}

function countBy(values: (string | number)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

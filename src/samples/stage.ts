// The samples stage: each filtered function becomes a SampleSet (all formats, its split, and the
// template it used). Per-record and seeded, so a shard can be built anywhere. The split it gives is
// the per-record one; assemble makes it leak-free across records (split.ts).
import { defineOptions, keep, opt, SEED_OPTION, type CasesRecord, type OptionInput, type Stage } from '../contract/index.js';
import { buildSamples, DEFAULT_PREDICTIONS, type SampleSet } from './formats.js';
import { MIN_SHOWN_OUTCOMES } from './informative.js';
import { splitOf } from './split.js';

export const SAMPLES_OPTIONS = defineOptions('samples', {
  seed: SEED_OPTION,
  testFraction: opt.number('share of functions (by near-duplicate cluster) in the test split', 0.1, { min: 0, max: 1 }),
  predictionCases: opt.int('cases per function turned into output- and input-prediction samples (each format; 0 for none)', DEFAULT_PREDICTIONS, { min: 0 }),
  minShownOutcomes: opt.int('fewest distinct outcomes a prompt\'s shown cases should have; held-out cases are swapped in when the function has them', MIN_SHOWN_OUTCOMES, { min: 1 }),
});

export type SamplesOptions = OptionInput<(typeof SAMPLES_OPTIONS)['table']>;

export const SAMPLES_STAGE = 'samples';

export function samplesStage(options: SamplesOptions = {}): Stage<CasesRecord, SampleSet> {
  const { seed, testFraction, predictionCases, minShownOutcomes } = SAMPLES_OPTIONS.resolve(options);
  const build = { predictions: predictionCases, minShownOutcomes };
  return {
    name: SAMPLES_STAGE,
    async *run(items) {
      for await (const item of items) {
        yield item.kind === 'reject' ? item : keep(buildSamples(item.record, splitOf(item.record, testFraction, seed), seed, build));
      }
    },
    figures: (sample) => ({
      split: { [sample.split]: 1 },
      predictions: { output: sample.output_prediction.length, input: sample.input_prediction.length },
      shown: { [sample.template.shown]: 1 },
      templates: {
        rendering: { [sample.template.rendering]: 1 },
        instruction: { [`#${sample.template.instruction}`]: 1 },
        header: { [sample.template.header ? 'with header' : 'no header']: 1 },
        order: { [sample.template.order]: 1 },
        style: { [sample.template.style]: 1 },
      },
    }),
  };
}


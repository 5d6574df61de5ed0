// The inputs stage's options, stated once (library, flags, --config, and what the fuzzer is sent).
// The fuzzer's budgets are counts (executions, steps), never time: the same seed gives the same
// inputs on any machine, however busy.
import { defineOptions, opt, SEED_OPTION, type OptionValues } from '../contract/index.js';

export const GENERATORS = ['fuzz', 'llm', 'hybrid'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

export const INPUTS_OPTIONS = defineOptions('inputs', {
  generator: opt.choice(GENERATORS, 'fuzz (coverage-guided, no model), llm (a writer model), or hybrid (the model\'s inputs seed the fuzzer)', 'fuzz'),
  inputs: opt.int('inputs written per function', 10, { min: 1, max: 1000 }),
  seed: SEED_OPTION,
  maxExecutions: opt.int('fuzz budget: executions per function', 300, { min: 1 }),
  maxTotalSteps: opt.int('fuzz budget: steps of all executions of one function together', 3_000_000, { min: 1 }),
  maxSteps: opt.int('steps one execution may take (calls of its own code, loop iterations); past them it counts as a timeout', 100_000, { min: 1 }),
  maxRaiseShare: opt.number('largest share of raising inputs among those chosen', 0.2, { min: 0, max: 1 }),
  edgeShare: opt.number('largest share of type-confused inputs (a value outside the inferred types) the fuzzer chooses; 0.05 is none of 10', 0.05, { min: 0, max: 1 }),
  llmRounds: opt.int('requests per function for the llm writer, follow-ups included', 3, { min: 1 }),
});

export type InputsSettings = OptionValues<(typeof INPUTS_OPTIONS)['table']>;

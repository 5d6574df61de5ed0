// The output formats of one function: `sft` (prompt/completion), `chat` (messages), `pretrain`
// (the cases as doctest lines with the function), `bench` (an evaluation item in one fixed prompt
// template, with every case and the reference code), and the CRUXEval-style `output_prediction`
// and `input_prediction` rows made from some of its cases (predictions.ts).
import type { BenchItem, Case, Param } from '../contract/index.js';
import type { CasesRecord } from '../contract/index.js';
import { pythonCall, exceptionText, outcomeText } from './calls.js';
import { definitionsOf } from './definitions.js';
import { MIN_SHOWN_OUTCOMES } from './informative.js';
import { choosePredicted, PREDICTION_FORMATS, predictionSamples, type PredictionFormat, type PredictionSample } from './predictions.js';
import { rngFor } from './random.js';
import { chooseShown, renderPrompt, type TemplateChoice } from './templates.js';

export interface SftSample { id: string; prompt: string; completion: string }
export interface ChatSample { id: string; messages: { role: 'user' | 'assistant'; content: string }[] }
export interface PretrainSample { id: string; text: string }

/** Everything the samples stage makes from one function. */
export interface SampleSet {
  id: string;
  entry: string;
  split: 'train' | 'test';
  cluster?: string;
  /** Normalised-code hashes of the definitions its code carries (entry and helpers), for the split. */
  definitions: string[];
  template: TemplateChoice;
  sft: SftSample;
  chat: ChatSample;
  pretrain: PretrainSample;
  bench: BenchItem;
  output_prediction: PredictionSample[];
  input_prediction: PredictionSample[];
}

export const FORMATS = ['sft', 'chat', 'pretrain', 'bench', ...PREDICTION_FORMATS] as const;
export type FormatName = (typeof FORMATS)[number];

export interface BuildOptions {
  /** Cases per function turned into rows of each prediction format. */
  predictions?: number;
  /** Fewest distinct outcomes the shown cases should have, when the function has them. */
  minShownOutcomes?: number;
}

export const DEFAULT_PREDICTIONS = 1;

/** The answer a model should give: the reference code in a fenced block. */
export function completionFor(code: string): string {
  return '```python\n' + code.trimEnd() + '\n```';
}

/** Doctest lines for cases: `>>> call` then the result, or a traceback ending in the exception. */
export function doctestLines(entry: string, cases: Case[], params: Param[] = []): string {
  return cases
    .map((c) => {
      const call = `>>> ${pythonCall(entry, c.input, params)}`;
      if (c.output.verdict === 'raise') return `${call}\nTraceback (most recent call last):\n  ...\n${exceptionText(c)}`;
      return `${call}\n${outcomeText(c)}`;
    })
    .join('\n');
}

/** The fixed evaluation prompt: the same words for every item, so scores compare across runs. */
export function benchPrompt(entry: string, shown: Case[]): string {
  return [
    `The Python function \`${entry}\` is hidden. Here is what some calls to it returned or raised:`,
    doctestLines(entry, shown),
    `Write \`${entry}\` so that it behaves the same way on these calls and on others like them. Answer with the complete function in one \`\`\`python code block.`,
  ].join('\n\n');
}

export function pretrainText(record: CasesRecord): string {
  return `"""Examples of ${record.entry}:\n\n${doctestLines(record.entry, record.cases, record.params)}\n"""\n\n${record.code.trimEnd()}\n`;
}

export function buildSamples(record: CasesRecord, split: 'train' | 'test', seed: number | string, options: BuildOptions = {}): SampleSet {
  const { predictions = DEFAULT_PREDICTIONS, minShownOutcomes = MIN_SHOWN_OUTCOMES } = options;
  const shown = chooseShown(record.cases, rngFor(seed, record.id, 'shown'), minShownOutcomes);
  const { prompt, template } = renderPrompt({ id: record.id, entry: record.entry, params: record.params ?? [], shown }, rngFor(seed, record.id, 'prompt'));
  const completion = completionFor(record.code);
  const bench: BenchItem = {
    id: record.id,
    entry: record.entry,
    prompt: benchPrompt(record.entry, shown),
    shown,
    cases: record.cases,
    code: record.code,
    ...(record.cluster ? { cluster: record.cluster } : {}),
    source: record.source,
  };
  return {
    id: record.id,
    entry: record.entry,
    split,
    ...(record.cluster ? { cluster: record.cluster } : {}),
    definitions: [...new Set(definitionsOf(record.code).map((d) => d.hash))],
    template,
    sft: { id: record.id, prompt, completion },
    chat: { id: record.id, messages: [{ role: 'user', content: prompt }, { role: 'assistant', content: completion }] },
    pretrain: { id: record.id, text: pretrainText(record) },
    bench,
    // Each task asks about cases of its own choosing, so the two do not repeat one pair.
    ...Object.fromEntries(
      PREDICTION_FORMATS.map((format) => [format, predictionSamples(record, format, choosePredicted(record.cases, predictions, rngFor(seed, record.id, format)))]),
    ) as Record<PredictionFormat, PredictionSample[]>,
  };
}

// The dataset card (README.md of the data directory): YAML configs so `load_dataset(dir, name)`
// finds the files, the counts, and how the data was made.
import path from 'node:path';
import { FORMATS } from './formats.js';
import { splitsOf, type DatasetCounts } from './write.js';

export interface CardInput {
  counts: DatasetCounts;
  settings: Record<string, unknown>;
  /** Kept/rejected counts per stage, for the "how it was made" table. */
  funnel: { stage: string; seen: number; kept: number }[];
  tool: string;
}

export function datasetCard(input: CardInput): string {
  const { counts } = input;
  const configs = FORMATS.map((name) => [name, splitsOf(name)] as const);
  const moved = counts.moved ?? { toTrain: 0, toTest: 0 };
  const yaml = [
    '---',
    'license: other',
    'task_categories:',
    '- text-generation',
    'tags:',
    '- code',
    '- case2code',
    'configs:',
    ...configs.flatMap(([name, splits]) => [
      `- config_name: ${name}`,
      ...(name === 'sft' ? ['  default: true'] : []),
      '  data_files:',
      ...splits.flatMap((split) => [`  - split: ${split}`, `    path: ${name}/${split}.parquet`]),
    ]),
    '---',
  ];
  const rows = Object.entries(counts.files).map(([key, n]) => `| \`${key}\` | ${n} |`);
  const funnel = input.funnel.map((s) => `| ${s.stage} | ${s.seen} | ${s.kept} |`);
  const settings = Object.entries(input.settings).map(([k, v]) => `| ${k} | \`${JSON.stringify(portable(v))}\` |`);
  return [
    ...yaml,
    '',
    '# Case2Code samples',
    '',
    'Each sample asks for a Python function given some of its input/output cases (the Case2Code task:',
    'infer the hidden function from how it behaves). Every case was produced by running the reference',
    `function in a sandboxed Python interpreter, and kept only when it was reproducible. Made by ${input.tool}.`,
    '',
    `Functions: ${counts.functions.train} in train, ${counts.functions.test} in test. The split is by`,
    'near-duplicate cluster, so no cluster has members on both sides, and by definition: no function',
    '(an entry or a helper carried in another function\'s code, compared by a hash of its code without',
    'comments, docstrings, decorators or layout) is on both sides. To keep it so, functions that share a',
    'definition or a cluster move together to the side most of them are on:',
    `${moved.toTrain + moved.toTest} functions were moved (${moved.toTrain} from test to train, ${moved.toTest} from train to test).`,
    '',
    '## Files',
    '',
    '| file | rows |',
    '| --- | --- |',
    ...rows,
    '',
    'Every file exists as `.jsonl` and `.parquet`. Formats:',
    '- `sft`: `{"id", "prompt", "completion"}`; the completion is the reference code in a python block.',
    '- `chat`: `{"id", "messages": [{"role": "user", ...}, {"role": "assistant", ...}]}`.',
    '- `pretrain`: `{"id", "text"}`: the cases as doctest lines, then the function.',
    '- `bench`: `{"id", "entry", "prompt", "shown", "cases", "code", "cluster", "source"}`: evaluation',
    '  items with one fixed prompt template; `cases` holds every case with its expected output. In',
    '  Parquet, `shown`, `cases` and `source` are JSON text. `bench/train` covers the train functions.',
    '- `output_prediction`: `{"id", "function", "entry", "code", "input", "output", "prompt", "completion"}`:',
    '  given the code and a call, the value it returns (CRUXEval-O style); the completion is its repr.',
    '- `input_prediction`: the same fields; given the code and a returned value, a call that returns it',
    '  (CRUXEval-I style); the completion is the call that was run, and any call returning `output` is',
    '  right. `function` is the id of the function\'s bench item; `input` is the call as Python',
    '  expressions (`args`, `kwargs`), JSON text in Parquet.',
    '',
    '```python',
    'from datasets import load_dataset',
    'sft = load_dataset("json", data_files="sft/train.jsonl", split="train")',
    'bench = load_dataset("parquet", data_files={"test": "bench/test.parquet"}, split="test")',
    '```',
    '',
    '## How it was made',
    '',
    '| stage | in | kept |',
    '| --- | --- | --- |',
    ...funnel,
    '',
    '| setting | value |',
    '| --- | --- |',
    ...settings,
    '',
    'The functions keep the licences of the code they were taken from (see each item\'s `source`).',
    '',
  ].join('\n');
}

/** A setting as the card states it: a path of the machine that made the data by its file name only. */
function portable(value: unknown): unknown {
  if (typeof value === 'string') return path.isAbsolute(value) ? path.basename(value) : value;
  if (Array.isArray(value)) return value.map(portable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, portable(v)]));
  return value;
}

// The extract stage's options, stated once (library, flags, --config). Rules beyond these few are
// set with a rules file (a JSON object over DEFAULT_RULES, see rules.ts).
import { defineOptions, opt, type OptionInput } from '../contract/index.js';
import { DEFAULT_MAX_BYTES } from '../corpus/index.js';
import { PRIVATE_ENTRIES } from './rules.js';

export const EXTRACT_OPTIONS = defineOptions('extract', {
  field: opt.string('JSONL/Parquet field holding the file text', 'content'),
  maxBytes: opt.int('skip source files larger than this many bytes', DEFAULT_MAX_BYTES, { min: 1 }),
  rules: opt.string('JSON file overriding extraction rules (see src/extract/rules.ts)'),
  minLines: opt.int('fewest body lines of a function'),
  maxLines: opt.int('most body lines of a function'),
  maxChars: opt.int('longest function source, in characters'),
  maxCodeChars: opt.int('longest emitted code with what it carries (helpers, classes, constants), in characters'),
  privateEntries: opt.choice(PRIVATE_ENTRIES, 'private functions (_name) as entries: keep, documented (only with a docstring) or drop; they are carried as helpers either way (default: the rules, keep)'),
  dedup: opt.boolean('drop exact and near duplicates (MinHash/LSH)', true),
  nearThreshold: opt.number('estimated Jaccard similarity at which two functions are near duplicates (names normalised)', 0.8, { min: 0, max: 1 }),
  decontaminate: opt.list('benchmark JSONL files: drop functions sharing a long token n-gram with them'),
  ngram: opt.int('tokens per n-gram for decontamination', 10, { min: 1 }),
});

export type ExtractFlags = OptionInput<(typeof EXTRACT_OPTIONS)['table']>;

// The filter stage's options, stated once (library, flags, --config).
import { defineOptions, opt, type OptionInput } from '../contract/index.js';

export const FILTER_OPTIONS = defineOptions('filters', {
  caseReprCap: opt.int('longest output (repr or exception message, in characters) a case may show', 500, { min: 1 }),
  minCases: opt.int('fewest cases a function must keep', 3, { min: 1 }),
  minOutcomes: opt.int('fewest distinct outcomes (return values and exceptions) its cases must show', 3, { min: 1 }),
  maxCaseRaiseShare: opt.number('largest share of a function\'s cases that may raise (more is "nearly all raising")', 0.8, { min: 0, max: 1 }),
  maxSameOutputShare: opt.number('largest share of a function\'s cases with one and the same outcome', 0.75, { min: 0, max: 1 }),
});

export type FilterFlags = OptionInput<(typeof FILTER_OPTIONS)['table']>;

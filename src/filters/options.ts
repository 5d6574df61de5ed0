// The filter stage's options, stated once (library, flags, --config).
import { defineOptions, opt, type OptionInput } from '../contract/index.js';

export const FILTER_OPTIONS = defineOptions('filters', {
  caseReprCap: opt.int('longest output (repr or exception message, in characters) a case may show', 500, { min: 1 }),
  minCases: opt.int('fewest cases a function must keep', 3, { min: 1 }),
});

export type FilterFlags = OptionInput<(typeof FILTER_OPTIONS)['table']>;

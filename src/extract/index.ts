// Find standalone, executable functions in source files; dedup and decontaminate them.
export { extractFunctions, type ExtractOptions } from './extract.js';
export { extractTools } from './tools.js';
export { DEFAULT_RULES, resolveRules, type ExtractRules } from './rules.js';
export { dedupFunctions, type DedupOptions } from './dedup.js';
export { decontaminate, loadContamination, type ContaminationIndex } from './decontaminate.js';
export { extractFile, formatFunnel, type ExtractFileOptions, type ExtractStats } from './extract-file.js';
export { verifyFunctions, type Verdict } from './verify.js';
export { codeTokens } from './tokens.js';

// Find standalone, executable functions in source files; decontaminate and dedup them. The
// `extract` stage a user sees (alone or in `run`) is the chain built by extractionStage.
import { readFileSync } from 'node:fs';
import { chainStages, ConfigurationError, type FunctionRecord, type Stage } from '../contract/index.js';
import type { SourceFile } from '../corpus/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { decontaminateStage, loadContamination } from './decontaminate.js';
import { dedupStage } from './dedup.js';
import { EXTRACT_STAGE, extractStage, type ExtractOptions } from './extract.js';
import { EXTRACT_OPTIONS, type ExtractFlags } from './options.js';
import type { ExtractRules } from './rules.js';

export { extractStage, EXTRACT_STAGE, type ExtractOptions } from './extract.js';
export { extractTools } from './tools.js';
export { DEFAULT_RULES, resolveRules, type ExtractRules } from './rules.js';
export { dedupStage, dedupSignature, DedupMerger, type DedupOptions } from './dedup.js';
export { decontaminateStage, loadContamination, type ContaminationIndex } from './decontaminate.js';
export { checkStandalone, type StandaloneCheck } from './standalone.js';
export { EXTRACT_OPTIONS, type ExtractFlags } from './options.js';
export { codeTokens } from './tokens.js';

export interface ExtractionOptions extends ExtractFlags, Omit<ExtractOptions, 'rules'> {
  /** Rules over DEFAULT_RULES, given in code (the `rules` flag names a JSON file of them). */
  ruleOverrides?: Partial<ExtractRules>;
}

/** Source files in, functions out: extract, then decontaminate (when benchmarks are given), then dedup. */
export async function extractionStage(sandbox: Sandbox, options: ExtractionOptions = {}): Promise<Stage<SourceFile, FunctionRecord>> {
  const { ruleOverrides, batchChars, batchFiles, inFlight, ...flags } = options;
  const settings = EXTRACT_OPTIONS.resolve(flags);
  const rules: Partial<ExtractRules> = { ...(settings.rules ? readRules(settings.rules) : {}), ...ruleOverrides };
  if (settings.minLines !== undefined) rules.minBodyLines = settings.minLines;
  if (settings.maxLines !== undefined) rules.maxBodyLines = settings.maxLines;
  if (settings.maxChars !== undefined) rules.maxChars = settings.maxChars;
  if (settings.maxCodeChars !== undefined) rules.maxCodeChars = settings.maxCodeChars;
  if (settings.privateEntries !== undefined) rules.privateEntries = settings.privateEntries;
  const stages: Stage<any, any>[] = [extractStage(sandbox, { rules, batchChars, batchFiles, inFlight, maxBytes: settings.maxBytes })];
  if (settings.decontaminate.length > 0) stages.push(decontaminateStage(await loadContamination(settings.decontaminate, { n: settings.ngram })));
  if (settings.dedup) stages.push(dedupStage({ threshold: settings.nearThreshold }));
  return chainStages(EXTRACT_STAGE, stages);
}

function readRules(file: string): Partial<ExtractRules> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(`rules file ${file}: ${(error as Error).message}`);
  }
}

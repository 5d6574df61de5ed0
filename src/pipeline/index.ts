// The pipeline's public API: the runners (one stage into files, or a whole run in shards), the
// composed `case2code run` and its options, the dataset assembly and verification.
export { runStageToFiles, drainStage, countedOutput, type ItemSink, type StageFilesOptions } from './run-stage.js';
export { runSharded, processShard, type SourceSpec, type RunnerOptions, type RunnerResult } from './runner.js';
export { RunDirectory } from './run-dir.js';
export { assemble, type RunSummary } from './assemble.js';
export { runCase2Code, resolveRun, runSettings, EMBEDDED_CORPUS, type ResolvedRun } from './case2code.js';
export { RUN_OPTIONS, RUN_GROUPS, DEFAULT_EMBEDDED_LIMIT, checkRunKeys, type Case2CodeRunOptions, type RunFlags } from './options.js';
export { verifyDataset, dataDirOf, type VerifyResult, type VerifyProblem } from './verify.js';

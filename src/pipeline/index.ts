// The pipeline's public API: the runners (one stage into files, or a whole run in shards), the
// composed `case2code run` and its options, the dataset assembly and verification.
export { runStageToFiles, drainStage, countedOutput, type ItemSink, type StageFilesOptions } from './run-stage.js';
export { runTask, extractPart, processShard, type RunStages } from './runner.js';
export { coordinate, type CoordinateOptions, type CoordinateResult } from './coordinate.js';
export { openRun, portableOptions, type OpenedRun } from './build.js';
export { runStatus, statusText, type RunStatus, type StageStatus } from './status.js';
export { taskName, parseTask, type Task } from './tasks.js';
export type { Executor, ExecutorResult, FailedTask } from './executor.js';
export { RunDirectory } from './run-dir.js';
export { assemble, type RunSummary } from './assemble.js';
export { runCase2Code, resolveRun, runSettings, EMBEDDED_CORPUS, type ResolvedRun, type RunResult } from './case2code.js';
export { RUN_OPTIONS, EXECUTOR_OPTIONS, RUN_GROUPS, DEFAULT_EMBEDDED_LIMIT, checkRunKeys, type Case2CodeRunOptions, type RunFlags } from './options.js';
export { verifyDataset, dataDirOf, type VerifyResult, type VerifyProblem } from './verify.js';

// The pipeline's public API: the stage contract, the resumable sharded runner, the composed
// `case2code run`, the dataset assembly and verification.
export * from './stage.js';
export { runSharded, processShard, type ShardStage, type SourceSpec, type RunnerEvent, type RunnerOptions, type RunnerResult } from './runner.js';
export { RunDirectory, type ShardStats } from './run-dir.js';
export { assemble, summaryTable, type RunSummary } from './assemble.js';
export { runCase2Code, runSettings, EMBEDDED_CORPUS, type Case2CodeRunOptions } from './case2code.js';
export { verifyDataset, dataDirOf, type VerifyResult, type VerifyProblem } from './verify.js';
export { execStage, inputsStage } from './stages.js';
export { ProgressBoard } from './progress-board.js';

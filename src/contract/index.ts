// The contract every part of case2code shares: the records that cross stages, the stage shape,
// its statistics, progress events and the errors by kind. It imports nothing of the project, so
// every layer may import it.
export * from './records.js';
export * from './stage.js';
export * from './stats.js';
export * from './progress.js';
export * from './errors.js';
export * from './options.js';

// The library surface: everything the CLI does, a program can do. The contract (records, stage
// shape, stats, option tables, errors by kind) and the sandbox are at the top level; each stage
// is a namespace named after its folder.
export * from './contract/index.js';
export { Sandbox, BACKENDS, type BackendName, type SandboxInfo, type SandboxOptions } from './sandbox/sandbox.js';
export { SANDBOX_OPTIONS } from './sandbox/options.js';
export { SandboxConfigError, SandboxStartError } from './sandbox/errors.js';
export { DEFAULT_LIMITS, type FunctionJob, type PythonTool, type SandboxLimits, type ToolOutcome } from './sandbox/types.js';
export { LlmClient, LlmError, type LlmFailure, type LlmOptions } from './llm/client.js';
export { LLM_OPTIONS, llmClientOptions } from './llm/options.js';
export { readRecords } from './io/records.js';
export * as corpus from './corpus/index.js';
export * as extract from './extract/index.js';
export * as inputs from './inputs/index.js';
export * as execute from './execute/index.js';
export * as filters from './filters/index.js';
export * as samples from './samples/index.js';
export * as pipeline from './pipeline/index.js';
export * as executors from './executors/index.js';
export * as evaluation from './eval/index.js';
export * as serve from './serve/index.js';

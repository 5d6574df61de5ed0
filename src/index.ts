// The library surface: everything the CLI does, a program can do. Each stage is a namespace named
// after its folder; the sandbox and the record types are at the top level.
export { Sandbox, BACKENDS, type BackendName, type SandboxInfo, type SandboxOptions } from './sandbox/sandbox.js';
export { SandboxConfigError, SandboxStartError } from './sandbox/errors.js';
export { DEFAULT_LIMITS, type CallOutcome, type CallSpec, type FunctionJob, type PythonTool, type SandboxLimits, type ToolOutcome, type Verdict } from './sandbox/types.js';
export * from './records.js';
export { executeRecords } from './execute/execute.js';
export { execFile } from './execute/exec-file.js';
export { LlmClient, type LlmOptions } from './llm/client.js';
export * as corpus from './corpus/index.js';
export * as extract from './extract/index.js';
export * as inputs from './inputs/index.js';
export * as filters from './filters/index.js';
export * as samples from './samples/index.js';
export * as pipeline from './pipeline/index.js';
export * as evaluation from './eval/index.js';

// The sandbox's public vocabulary: what a job is, what a tool call answers, the limits. What a
// call can end as (CallOutcome) is a record of the contract.
import type { CallOutcome, CallSpec } from '../contract/index.js';

/** A function and the calls to make on it; the calls share one fresh module namespace, in order. */
export interface FunctionJob {
  code: string;
  entry: string;
  calls: CallSpec[];
  /** Python run after `code`, in the same namespace (e.g. the benchmark's `examples = [...]`). */
  setup?: string;
  /** Per-call wall-clock budget for this job; defaults to the pool's. */
  timeoutMs?: number;
  /** A budget for the whole job: calls after it is spent are not run and end as `timeout`. */
  totalMs?: number;
  /** Once a call ends as `timeout`, the calls after it are not run either (they end as `timeout`,
   * "not run"). Scoring sets it: one timeout fails an answer, and an answer that loops would
   * otherwise spend a window on every case (a reward server's worst answer). */
  stopAfterTimeout?: boolean;
}

/** A tool call's answer: the tool's JSON value, or why it could not give one. */
export type ToolOutcome<T> = { ok: true; value: T; ms: number } | { ok: false; outcome: CallOutcome };

/** Limits of one worker; every figure is stated here once, with its default in DEFAULT_LIMITS. */
export interface SandboxLimits {
  /** Per-call CPU time before the call ends as `timeout`; sleeping code is stopped by a wall-clock
   * backstop a few times longer. Counting CPU, not wall time, keeps verdicts the same on a busy machine. */
  timeoutMs: number;
  /** Memory one function may use beyond the interpreter's own (address space natively, heap on Pyodide). */
  memoryMb: number;
  /** Longest repr kept; longer ones are cut and flagged `truncated`. */
  reprCap: number;
  /** Longest captured stdout/stderr per call. */
  outputCap: number;
  /** Largest file a function may write (native). */
  fileSizeMb: number;
  /** Most open descriptors of a function's process (native). */
  openFiles: number;
  /** Most threads of a function's process (native; new processes are refused outright). */
  threads: number;
  /** Largest JSON answer of a tool, in bytes. */
  maxToolAnswerBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 1000,
  memoryMb: 512,
  reprCap: 4096,
  outputCap: 4096,
  fileSizeMb: 16,
  openFiles: 256,
  threads: 64,
  maxToolAnswerBytes: 64 * 1024 * 1024,
};

/** A trusted Python tool: `module` (dotted) inside a package folder under `root`, with handle(payload). */
export interface PythonTool {
  root: string;
  module: string;
}

/** Counters the pool keeps; `blocked` counts refusals by the Pyodide guards, seen from the host. */
export interface PoolStats {
  jobs: number;
  calls: number;
  /** Workers started to replace one that died or broke the protocol. */
  replaced: number;
  /** Workers killed by the host's own backstop (silent too long). */
  hardKills: number;
  /** Jobs given a crash verdict because their worker broke the protocol. */
  protocolViolations: number;
  blocked: Record<string, number>;
}

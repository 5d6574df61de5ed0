// The sandbox's public vocabulary: what a job is and what a call can end as.

/** One call of the entry function. Each string is Python source, evaluated inside the sandbox. */
export interface CallSpec {
  args?: string[];
  kwargs?: Record<string, string>;
  /** An expression giving a mapping of keyword arguments (e.g. `examples[3]`), merged before `kwargs`. */
  kwargsFrom?: string;
}

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
}

export type Verdict = 'return' | 'raise' | 'timeout' | 'memory' | 'crash' | 'bad-input';

export type CallOutcome =
  | { verdict: 'return'; repr: string; ms: number; truncated?: true; reprLength?: number; stdout?: string }
  | {
      verdict: 'raise';
      type: string;
      message: string;
      ms: number;
      /** Set when the class is not a builtin, e.g. `json.decoder` for JSONDecodeError. */
      module?: string;
      /** `define` when the function's own code (or the entry lookup) failed, not the call. */
      phase?: 'define' | 'repr';
      stdout?: string;
    }
  | { verdict: 'timeout'; ms: number; message?: string }
  | { verdict: 'memory'; ms: number }
  | { verdict: 'crash'; message: string }
  | { verdict: 'bad-input'; message: string };

/** A tool call's answer: the tool's JSON value, or why it could not give one. */
export type ToolOutcome<T> = { ok: true; value: T; ms: number } | { ok: false; outcome: CallOutcome };

export interface SandboxLimits {
  /** Per-call wall clock before the interrupt (KeyboardInterrupt inside Python). */
  timeoutMs: number;
  /** Extra time after the interrupt before the worker is terminated and replaced. */
  hardKillGraceMs: number;
  /** Heap cap of one interpreter (wasm linear memory). */
  memoryMb: number;
  /** Longest repr kept; longer ones are cut and flagged `truncated`. */
  reprCap: number;
  /** Longest captured stdout/stderr per call. */
  outputCap: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 1000,
  hardKillGraceMs: 1500,
  memoryMb: 512,
  reprCap: 4096,
  outputCap: 4096,
};

export interface PoolOptions extends SandboxLimits {
  workers: number;
  hashSeed: number;
  /** Replace a worker after this many jobs, to bound state leaks and wasm heap growth. */
  recycleAfterJobs: number;
  /** Keep one loaded interpreter waiting so a recycle does not stall the pool. */
  warmSpare: boolean;
  /** Trusted Python modules loaded into every interpreter at start-up: name -> source. */
  tools: Record<string, string>;
}

/** Counters the pool keeps; `blocked` counts refusals by the wasm-level guards, seen from the host. */
export interface PoolStats {
  jobs: number;
  calls: number;
  recycled: number;
  hardKills: number;
  crashes: number;
  blocked: Record<string, number>;
}

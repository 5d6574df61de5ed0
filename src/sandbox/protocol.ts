// Messages between the pool (host side) and a worker thread.
import type { CallOutcome, FunctionJob } from './types.js';

export type PoolJob =
  | ({ kind: 'function' } & FunctionJob)
  | {
      kind: 'tool';
      tool: string;
      payload: unknown;
      /** The window between two `harness.checkpoint()` calls. */
      timeoutMs?: number;
      /** A cap on the whole tool call, checkpoints or not. */
      totalMs?: number;
    };

export interface WorkerInit {
  harnessSource: string;
  tools: Record<string, string>;
  hashSeed: number;
  memoryMb: number;
  reprCap: number;
  outputCap: number;
  /** Start from this memory image instead of booting the interpreter. */
  snapshot?: Uint8Array;
  /** Boot, send back a memory image, and do nothing else. */
  makeSnapshot?: boolean;
  interruptBuffer: SharedArrayBuffer;
  progressBuffer: SharedArrayBuffer;
}

/** One finished call; `value` is a tool's JSON answer. */
export interface CallResult {
  index: number;
  outcome: CallOutcome;
  value?: unknown;
}

/** `indices`: the calls still to run (all of them the first time; the rest after a worker was lost). */
export type ToWorker = { type: 'job'; jobId: number; job: PoolJob; indices: number[] };

export type FromWorker =
  | { type: 'ready'; python: string; pyodide: string }
  | { type: 'calls'; jobId: number; results: CallResult[] }
  | { type: 'done'; jobId: number; recycle: boolean; results: CallResult[] }
  | { type: 'blocked'; what: string }
  | { type: 'snapshot'; bytes: Uint8Array }
  | { type: 'fatal'; message: string; jobId?: number };

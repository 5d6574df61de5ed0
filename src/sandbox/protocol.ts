// The line protocol between the host and a worker process, the same for both backends. Each side
// writes one JSON object per line; the worker's stdin carries requests, its stdout answers.
//
//   host -> worker   {type: 'init', ...backend init}             once, first
//                    {type: 'job', id, job, indices}             one at a time: the next job is sent
//                                                                only after the previous one's 'done'
//   worker -> host   {type: 'ready', python, layers}             once, after init
//                    {type: 'outcome', id, index, outcome, value?}  exactly one outcome per index sent,
//                    {type: 'outcomes', id, results: [{index, outcome, value?}]}  one at a time or in batches
//                    {type: 'done', id}                          after the job's last outcome
//                    {type: 'alive', id}                         a call past its wall-clock backstop
//                                                                that is computing, not waiting (a
//                                                                busy machine): the host waits longer
//                    {type: 'blocked', what}                     a guard refused something (Pyodide)
//
// The worker runs untrusted code, so the host believes nothing it says: every line is checked
// (messages.ts) and a worker that breaks the protocol is killed and its job given a crash verdict.
import type { FunctionJob } from './types.js';
import type { CallOutcome } from '../contract/index.js';

/** How often, at most, a worker puts off a wall-clock backstop in one run because the code was
 * computing (each time it says 'alive'). The workers keep copies: child.py's WALL_LOOKS, and
 * worker-main.ts's (a Pyodide worker may read only its own folder). */
export const BACKSTOP_LOOKS = 20;

export type PoolJob =
  | ({ kind: 'function' } & FunctionJob)
  | {
      kind: 'tool';
      tool: string;
      payload: unknown;
      /** The window between two `harness.checkpoint()` calls, in CPU milliseconds. */
      timeoutMs?: number;
      /** A cap on the whole tool call, checkpoints or not, in CPU milliseconds. */
      totalMs?: number;
    };

/** `indices`: the calls still to run (all of them the first time; the rest after a worker was lost). */
export interface JobRequest {
  type: 'job';
  id: number;
  job: PoolJob;
  indices: number[];
}

/** The limits and caps every worker gets in its init message, whatever the backend. */
export interface WorkerOptions {
  reprCap: number;
  outputCap: number;
  hashSeed: number;
  timeoutMs: number;
  memoryMb: number;
  fileSizeMb: number;
  openFiles: number;
  threads: number;
  maxToolAnswerBytes: number;
}

export type { CallOutcome };

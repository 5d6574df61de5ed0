// Messages between the main thread and the interpreter thread of one Pyodide worker process.
import type { CallOutcome, PoolJob, WorkerOptions } from '../protocol.js';
import type { SharedBuffers } from './channel.js';

/** The init message a Pyodide worker reads first (the host's half of pyodideLaunch). */
export interface PyodideInit {
  type: 'init';
  options: WorkerOptions;
  /** name -> dotted module with handle(payload), importable from pythonRoots. */
  tools: Record<string, string>;
  /** Real directories holding Python packages: case2code_sandbox's root and the tools' roots. */
  pythonRoots: string[];
  /** The pyodide npm package's folder (default: resolved from here). */
  pyodideDir?: string;
  /** Tests only: leave out the Python-side guards, to show the wasm gate holds on its own. */
  pythonGuards?: boolean;
}

export interface InterpreterData {
  init: PyodideInit;
  buffers: SharedBuffers;
  /** pyodide.asm.wasm, compiled once by the main thread: an interpreter thread started after a
   * hard stop instantiates it without compiling it again. */
  wasm: WebAssembly.Module;
}

/** One run: the calls of a job still owed, on a pristine interpreter. */
export interface RunRequest {
  id: number;
  job: PoolJob;
  indices: number[];
}

export interface RunReport {
  type: 'ran';
  /** Outcomes written (for indices[0..answered)). */
  answered: number;
  defined: boolean;
  /** What ended the run early, for the call in flight. */
  death?: CallOutcome;
  /** This thread's JS state is in doubt: start a new interpreter thread. */
  recycle: boolean;
}

export type ToMain =
  | { type: 'ready'; python: string; pyodide: string; layers: Record<string, string> }
  | { type: 'failed'; message: string }
  | RunReport;

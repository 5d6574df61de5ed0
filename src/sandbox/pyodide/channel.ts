// What the two threads of a Pyodide worker process share. The interpreter thread runs Python; the
// main thread keeps the protocol and the clock, because only a thread that is not running Python
// can notice that Python ran too long. They share one SharedArrayBuffer of counters, the
// interpreter's interrupt buffer, and the process's stdout, which one writer holds at a time.
import fs from 'node:fs';

/** Int32 slots. */
export const SLOT = {
  /** Bumped whenever a time window opens or closes. */
  GENERATION: 0,
  /** 1 while a window is open (between `harness.checkpoint()`/a call's start and its end). */
  WINDOW_OPEN: 1,
  /** 1 once the run's CPU budget is spent (the interpreter reads it through /dev/c2c-clock). */
  BUDGET_SPENT: 2,
  /** Outcome lines of the current run already written to stdout (the rest wait in `out`). */
  FLUSHED: 3,
  /** 1 once the run's code is defined: a death after that is blamed on one call. */
  DEFINED: 4,
  /** 1 while the interpreter is inside Python for a run. */
  RUNNING: 5,
  /** Who holds stdout: FREE, INTERPRETER, or MAIN (taking the interpreter down). */
  STDOUT: 6,
  /** The GENERATION the main thread interrupted: an interrupt is for the window it was meant for,
   * never for the next one (Python asks through /dev/c2c-clock before it raises). */
  INTERRUPTED: 7,
  /** Bytes of whole lines waiting in `out`. */
  OUT_BYTES: 8,
  /** The index of the call running, -1 before the first: outcomes come in batches, so at a death
   * the call to blame is this one, not the first unanswered (Python sets it through the clock). */
  IN_FLIGHT: 9,
} as const;

/** Bits of the byte /dev/c2c-clock reads as. */
export const CLOCK_BUDGET_SPENT = 1;
export const CLOCK_WINDOW_EXPIRED = 2;

/** Float64 slots (after the Int32 ones). */
export const CLOCK = {
  /** process.cpuUsage() (user + system, µs) when the current window opened. */
  WINDOW_CPU_US: 0,
  /** Wall time (ms since the epoch, from the monotonic clock) when the current window opened. */
  WINDOW_WALL_MS: 1,
  /** CPU µs when the current run started: the run's budget counts from here. */
  RUN_CPU_US: 2,
  /** Wall time of the run's start or of its last outcome, whichever is later. */
  HEARD_WALL_MS: 3,
} as const;

export const STDOUT_FREE = 0;
export const STDOUT_INTERPRETER = 1;
export const STDOUT_MAIN = 2;

const INT_SLOTS = 16;
const FLOAT_SLOTS = 8;

export interface Shared {
  ints: Int32Array;
  clock: Float64Array;
  /** Protocol lines the interpreter thread has made but not yet written: it writes them in one go
   * (a write per outcome was an eighth of a job's cost); if it is stopped first, the main thread
   * writes them. Only whole lines are ever counted in OUT_BYTES. */
  out: Uint8Array;
  /** Pyodide's interrupt buffer: SIGINT in it makes Python raise KeyboardInterrupt at its next check. */
  interrupt: Int32Array;
}

export const OUT_CAPACITY = 1 << 20;

export interface SharedBuffers {
  state: SharedArrayBuffer;
  interrupt: SharedArrayBuffer;
  out: SharedArrayBuffer;
}

/** The signal number Pyodide's interrupt buffer takes for KeyboardInterrupt (POSIX SIGINT). */
export const SIGINT = 2;

export function createShared(): SharedBuffers {
  return { state: new SharedArrayBuffer(INT_SLOTS * 4 + FLOAT_SLOTS * 8), interrupt: new SharedArrayBuffer(4), out: new SharedArrayBuffer(OUT_CAPACITY) };
}

export function openShared(buffers: SharedBuffers): Shared {
  return {
    ints: new Int32Array(buffers.state, 0, INT_SLOTS),
    clock: new Float64Array(buffers.state, INT_SLOTS * 4, FLOAT_SLOTS),
    out: new Uint8Array(buffers.out),
    interrupt: new Int32Array(buffers.interrupt),
  };
}

const OUTCOME_LINE = Buffer.from('{"type":"outcome"');

/** How many outcome lines `bytes` (whole protocol lines) holds. */
export function countOutcomeLines(bytes: Uint8Array): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let count = 0;
  for (let at = 0; at < buffer.length; ) {
    if (buffer.compare(OUTCOME_LINE, 0, OUTCOME_LINE.length, at, at + OUTCOME_LINE.length) === 0) count++;
    const end = buffer.indexOf(10, at);
    if (end < 0) break;
    at = end + 1;
  }
  return count;
}

/** CPU time of the whole process so far, in µs. */
export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Milliseconds on a clock that every thread of the process reads alike. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Write `text` to the process's stdout (fd 1), all of it, blocking. */
export function writeAll(text: string | Uint8Array): void {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // the host is slow to read
    }
  }
}

// The three character devices through which Python talks to its worker (pyodide_entry.py), and
// the outbox of protocol lines the interpreter thread writes:
//   /dev/c2c-job    read: the job (or, at set-up, the init message), as JSON
//   /dev/c2c-out    write: Python's lines ({"batch": [{"index", "outcome", "value"?}]}, the line a
//                   native child writes; {"defined"}, ...), checked here as server.py checks a
//                   child's, then written as protocol messages with the job's id
//   /dev/c2c-clock  write r / s: a time window opens / closes (after `c` and an int32: the index of
//                   the call it opens for); read: flags (budget spent, expired)
import { CLOCK, CLOCK_BUDGET_SPENT, CLOCK_WINDOW_EXPIRED, OUT_CAPACITY, SLOT, STDOUT_FREE, STDOUT_INTERPRETER, countOutcomeLines, cpuMicros, wallMs, writeAll, type Shared } from './channel.js';
import type { WorkerOptions } from '../protocol.js';
import type { RunRequest } from './threads.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Emscripten's FS is untyped */
const VERDICTS = new Set(['return', 'raise', 'timeout', 'memory', 'crash', 'bad-input']);
const ITEM_KEYS = new Set(['index', 'outcome', 'value']);
/** A long run writes what it has at least this often. */
const FLUSH_EVERY_MS = 50;

/** Thrown through the wasm frames when Python breaks the channel's rules: its run ends there. */
export class ChannelBreach extends Error {}

interface Run {
  /** Absent while the Python side sets itself up. */
  request?: RunRequest;
  setupAnswer: string[];
  /** Why the harness gave up, if it said so. */
  harnessError?: string;
  input: Buffer;
  inputAt: number;
  expected: Set<number>;
  pendingLine: Buffer[];
  pendingBytes: number;
  lineLimit: number;
}

export class Devices {
  private run?: Run;
  private lastFlush = 0;
  private readonly blockedCounts = new Map<string, number>();

  constructor(private readonly shared: Shared, private readonly options: WorkerOptions) {}

  register(FS: any): void {
    registerDevice(FS, 'c2c-job', 0o444, { read: (buffer, offset, length) => this.readInput(buffer, offset, length) });
    registerDevice(FS, 'c2c-out', 0o222, { write: (bytes) => this.onOutput(bytes) });
    registerDevice(FS, 'c2c-clock', 0o666, {
      read: (buffer, offset, length) => {
        if (length < 1) return 0;
        buffer[offset] = this.clockFlags();
        return 1;
      },
      write: (bytes) => {
        // `c` and a little-endian int32: the call about to run (see SLOT.IN_FLIGHT); then commands.
        let at = 0;
        if (bytes[0] === 0x63 /* c */ && bytes.length >= 5) {
          Atomics.store(this.shared.ints, SLOT.IN_FLIGHT, bytes.readInt32LE(1));
          at = 5;
        }
        for (; at < bytes.length; at++) this.onClock(bytes[at]);
      },
    });
  }

  /** The set-up: `init` is what Python reads; its one answer line comes back from endSetup(). */
  beginSetup(init: string): void {
    this.run = { input: Buffer.from(init, 'utf8'), inputAt: 0, setupAnswer: [], expected: new Set(), pendingLine: [], pendingBytes: 0, lineLimit: 0 };
  }

  endSetup(): string {
    const said = this.run?.setupAnswer.join('') ?? '';
    this.run = undefined;
    return said;
  }

  beginRun(request: RunRequest): void {
    const o = this.options;
    this.run = {
      request,
      setupAnswer: [],
      input: Buffer.from(JSON.stringify({ job: request.job, indices: request.indices }), 'utf8'),
      inputAt: 0,
      expected: new Set(request.indices),
      pendingLine: [],
      pendingBytes: 0,
      // As server.py: an outcome is bounded by the caps (JSON may escape a character as \uXXXX).
      lineLimit: request.job.kind === 'tool' ? o.maxToolAnswerBytes : 6 * (o.reprCap * 2 + o.outputCap * 2) + 4096,
    };
    this.lastFlush = performance.now();
  }

  /** Ends the run: its refusals are reported and every line it made is written. */
  endRun(): { harnessError?: string } {
    const harnessError = this.run?.harnessError;
    this.run = undefined;
    for (const what of this.blockedCounts.keys()) this.emit(JSON.stringify({ type: 'blocked', what: what.slice(0, 100) }));
    this.blockedCounts.clear();
    this.flush();
    return { harnessError };
  }

  /** A guard refused something: counted per run and reported once per kind, not once per try. */
  reportBlocked(what: string): void {
    this.blockedCounts.set(what, (this.blockedCounts.get(what) ?? 0) + 1);
  }

  // ---- the outbox ----------------------------------------------------------------------------

  private holdingStdout(write: () => void): void {
    const ints = this.shared.ints;
    if (Atomics.compareExchange(ints, SLOT.STDOUT, STDOUT_FREE, STDOUT_INTERPRETER) !== STDOUT_FREE) {
      // The main thread took stdout to end this thread: wait for the end.
      Atomics.wait(ints, SLOT.STDOUT, Atomics.load(ints, SLOT.STDOUT));
    }
    try {
      write();
    } finally {
      Atomics.store(ints, SLOT.STDOUT, STDOUT_FREE);
    }
  }

  /** Write the lines waiting in `out`. */
  private flush(): void {
    const { ints, out } = this.shared;
    const waiting = Atomics.load(ints, SLOT.OUT_BYTES);
    if (waiting === 0) return;
    this.holdingStdout(() => {
      const bytes = out.subarray(0, waiting);
      writeAll(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      Atomics.add(ints, SLOT.FLUSHED, countOutcomeLines(bytes));
      Atomics.store(ints, SLOT.OUT_BYTES, 0);
    });
    this.lastFlush = performance.now();
  }

  /** Queue one protocol line; written at the end of the run, when `out` is full, or when the run
   * has gone on for a while (so the host hears from a long job). */
  private emit(line: string): void {
    const { ints, out } = this.shared;
    const bytes = Buffer.from(line + '\n', 'utf8');
    if (Atomics.load(ints, SLOT.OUT_BYTES) + bytes.length > OUT_CAPACITY) this.flush();
    if (bytes.length > OUT_CAPACITY) {
      this.holdingStdout(() => {
        writeAll(bytes);
        Atomics.add(ints, SLOT.FLUSHED, countOutcomeLines(bytes));
      });
    } else {
      const waiting = Atomics.load(ints, SLOT.OUT_BYTES);
      out.set(bytes, waiting);
      Atomics.store(ints, SLOT.OUT_BYTES, waiting + bytes.length); // only now is the line counted
    }
    if (performance.now() - this.lastFlush > FLUSH_EVERY_MS) this.flush();
  }

  // ---- what Python says ------------------------------------------------------------------------

  private readInput(buffer: Int8Array, offset: number, length: number): number {
    const current = this.run;
    if (!current) return 0;
    const size = Math.min(length, current.input.length - current.inputAt);
    buffer.set(new Int8Array(current.input.buffer, current.input.byteOffset + current.inputAt, size), offset);
    current.inputAt += size;
    return size;
  }

  private onOutput(bytes: Buffer): void {
    const current = this.run;
    if (!current) throw new ChannelBreach('output outside a run');
    if (!current.request) {
      current.setupAnswer.push(bytes.toString('utf8'));
      return;
    }
    let start = 0;
    for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, start)) {
      const piece = bytes.subarray(start, at);
      start = at + 1;
      const whole = current.pendingLine.length ? Buffer.concat([...current.pendingLine, piece]) : piece;
      current.pendingLine = [];
      current.pendingBytes = 0;
      if (whole.length > current.lineLimit) throw new ChannelBreach(`a line over ${current.lineLimit} bytes`);
      this.onLine(current, whole.toString('latin1'));
    }
    if (start < bytes.length) {
      current.pendingLine.push(Buffer.from(bytes.subarray(start)));
      current.pendingBytes += bytes.length - start;
      if (current.pendingBytes > current.lineLimit) throw new ChannelBreach(`a line over ${current.lineLimit} bytes`);
    }
  }

  private onLine(current: Run, line: string): void {
    const request = current.request!;
    let message: any;
    try {
      message = JSON.parse(line);
    } catch {
      throw new ChannelBreach('not JSON');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new ChannelBreach('not an object');
    if (message.defined === true) {
      Atomics.store(this.shared.ints, SLOT.DEFINED, 1);
      return;
    }
    if (typeof message.harness === 'string') {
      current.harnessError = message.harness.slice(0, 300);
      return;
    }
    const batch = message.batch;
    if (!Array.isArray(batch) || batch.length === 0 || Object.keys(message).length !== 1) throw new ChannelBreach('not a batch of outcomes');
    for (const item of batch) this.onItem(current, request, item);
    this.shared.clock[CLOCK.HEARD_WALL_MS] = wallMs();
  }

  /** One item of a batch line, checked as the fork server checks a native child's. */
  private onItem(current: Run, request: RunRequest, item: any): void {
    if (typeof item !== 'object' || item === null || Array.isArray(item) || !Object.keys(item).every((key) => ITEM_KEYS.has(key))) {
      throw new ChannelBreach('a batch item that is not an outcome');
    }
    const index = item.index;
    if (!Number.isInteger(index) || !current.expected.has(index)) throw new ChannelBreach(`an outcome for a call it was not given or already answered (${JSON.stringify(index)?.slice(0, 40)})`);
    const outcome = item.outcome;
    if (typeof outcome !== 'object' || outcome === null || !VERDICTS.has(outcome.verdict)) throw new ChannelBreach('an outcome without a verdict');
    if (item.value !== undefined && request.job.kind !== 'tool') throw new ChannelBreach('a tool answer for a function job');
    current.expected.delete(index);
    const out: Record<string, unknown> = { type: 'outcome', id: request.id, index, outcome };
    if (item.value !== undefined) out.value = item.value;
    this.emit(JSON.stringify(out));
  }

  // ---- the clock ---------------------------------------------------------------------------------

  private onClock(command: number): void {
    const { ints, interrupt, clock } = this.shared;
    if (command === 0x72 /* r */) {
      Atomics.store(interrupt, 0, Atomics.load(ints, SLOT.BUDGET_SPENT) ? 2 : 0);
      clock[CLOCK.WINDOW_CPU_US] = cpuMicros();
      clock[CLOCK.WINDOW_WALL_MS] = wallMs();
      Atomics.store(ints, SLOT.WINDOW_OPEN, 1);
    } else {
      Atomics.store(ints, SLOT.WINDOW_OPEN, 0);
      Atomics.store(interrupt, 0, 0);
    }
    Atomics.add(ints, SLOT.GENERATION, 1);
  }

  private clockFlags(): number {
    const ints = this.shared.ints;
    const expired = Atomics.load(ints, SLOT.WINDOW_OPEN) === 1 && Atomics.load(ints, SLOT.INTERRUPTED) === Atomics.load(ints, SLOT.GENERATION);
    return (Atomics.load(ints, SLOT.BUDGET_SPENT) ? CLOCK_BUDGET_SPENT : 0) | (expired ? CLOCK_WINDOW_EXPIRED : 0);
  }
}

function registerDevice(FS: any, name: string, mode: number, ops: { read?: (buffer: Int8Array, offset: number, length: number) => number; write?: (bytes: Buffer) => void }): void {
  const major = 200 + Object.keys(FS.devices).length;
  const dev = FS.makedev(major, 0);
  FS.registerDevice(dev, {
    open(stream: any) {
      stream.seekable = false;
    },
    close() {},
    read(_stream: any, buffer: Int8Array, offset: number, length: number) {
      if (!ops.read) throw new FS.ErrnoError(8);
      return ops.read(buffer, offset, length);
    },
    write(_stream: any, buffer: Int8Array, offset: number, length: number) {
      if (!ops.write) throw new FS.ErrnoError(8);
      // A copy: the view is over wasm memory, which the next write reuses.
      ops.write(Buffer.from(Buffer.from(buffer.buffer, buffer.byteOffset + offset, length)));
      return length;
    },
  });
  FS.mkdev(`/dev/${name}`, mode, dev);
}

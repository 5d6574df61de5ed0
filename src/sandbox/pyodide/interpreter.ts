// The interpreter thread of a Pyodide worker process: one Pyodide, set up once, then one run at a
// time on an interpreter put back to its start-up image after each run (image.ts). The main thread
// (worker-main.ts) keeps the protocol and the clock; this thread writes the outcomes it checked
// straight to stdout, holding the stdout slot while it does.
//
// Python is driven through one C entry point (PyRun_SimpleString) and three character devices
// (pyodide_entry.py): no JS object is ever handed to Python, and after set-up the JS bridge is
// closed at the wasm import level (wasm-gate.ts).
import fs, { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { CLOCK, CLOCK_BUDGET_SPENT, CLOCK_WINDOW_EXPIRED, OUT_CAPACITY, SLOT, STDOUT_FREE, STDOUT_INTERPRETER, countOutcomeLines, cpuMicros, openShared, wallMs, writeAll } from './channel.js';
import { InterpreterImage } from './image.js';
import { FileSystemImage, SCRATCH } from './scratch.js';
import { GateRefusal, InterpreterExit, WasmGate } from './wasm-gate.js';
import type { InterpreterData, RunReport, RunRequest, ToMain } from './threads.js';
import type { CallOutcome } from '../protocol.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Pyodide's Emscripten module is untyped */
const data = workerData as InterpreterData;
const shared = openShared(data.buffers);
const port = parentPort!;
const post = (message: ToMain) => port.postMessage(message);
const options = data.init.options;

const VERDICTS = new Set(['return', 'raise', 'timeout', 'memory', 'crash', 'bad-input']);
const PYTHON_ROOT_IN_FS = '/c2c';
/** A long run writes what it has at least this often. */
const FLUSH_EVERY_MS = 50;
const ENTRY = 'import case2code_sandbox.pyodide_entry as _c2c\n_c2c.run_job()\n';

/** Thrown through the wasm frames when Python breaks the channel's rules. */
class ChannelBreach extends Error {}

// ---- stdout, shared with the main thread --------------------------------------------------------

function holdingStdout(write: () => void): void {
  if (Atomics.compareExchange(shared.ints, SLOT.STDOUT, STDOUT_FREE, STDOUT_INTERPRETER) !== STDOUT_FREE) {
    // The main thread took stdout to end this thread: wait for the end.
    Atomics.wait(shared.ints, SLOT.STDOUT, Atomics.load(shared.ints, SLOT.STDOUT));
  }
  try {
    write();
  } finally {
    Atomics.store(shared.ints, SLOT.STDOUT, STDOUT_FREE);
  }
}

/** Write the lines waiting in `out`. */
function flush(): void {
  const waiting = Atomics.load(shared.ints, SLOT.OUT_BYTES);
  if (waiting === 0) return;
  holdingStdout(() => {
    const bytes = shared.out.subarray(0, waiting);
    writeAll(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    Atomics.add(shared.ints, SLOT.FLUSHED, countOutcomeLines(bytes));
    Atomics.store(shared.ints, SLOT.OUT_BYTES, 0);
  });
}

let lastFlush = 0;

/** Queue one protocol line; written at the end of the run, when `out` is full, or when the run
 * has gone on for a while (so the host hears from a long job). */
function emit(line: string): void {
  const bytes = Buffer.from(line + '\n', 'utf8');
  let waiting = Atomics.load(shared.ints, SLOT.OUT_BYTES);
  if (waiting + bytes.length > OUT_CAPACITY) {
    flush();
    waiting = 0;
  }
  if (bytes.length > OUT_CAPACITY) {
    holdingStdout(() => {
      writeAll(bytes);
      Atomics.add(shared.ints, SLOT.FLUSHED, countOutcomeLines(bytes));
    });
  } else {
    shared.out.set(bytes, waiting);
    Atomics.store(shared.ints, SLOT.OUT_BYTES, waiting + bytes.length); // only now is the line counted
  }
  const now = performance.now();
  if (now - lastFlush > FLUSH_EVERY_MS) {
    flush();
    lastFlush = now;
  }
}

const blockedCounts = new Map<string, number>();
function reportBlocked(what: string): void {
  // Counted per run and reported once per kind, so a loop of refusals is not a flood of lines.
  blockedCounts.set(what, (blockedCounts.get(what) ?? 0) + 1);
}

function emitBlocked(): void {
  for (const what of blockedCounts.keys()) emit(JSON.stringify({ type: 'blocked', what: what.slice(0, 100) }));
  blockedCounts.clear();
}

// ---- the run in progress -----------------------------------------------------------------------

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

let run: Run | undefined;

function onLine(line: string): void {
  const current = run!;
  const request = current.request!;
  let message: any;
  try {
    message = JSON.parse(line);
  } catch {
    throw new ChannelBreach('not JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new ChannelBreach('not an object');
  if (message.defined === true) {
    Atomics.store(shared.ints, SLOT.DEFINED, 1);
    return;
  }
  if (typeof message.harness === 'string') {
    current.harnessError = message.harness.slice(0, 300);
    return;
  }
  const index = message.i;
  if (!Number.isInteger(index) || !current.expected.has(index)) throw new ChannelBreach(`an outcome for a call it was not given (${JSON.stringify(index)?.slice(0, 40)})`);
  const outcome = message.o;
  if (typeof outcome !== 'object' || outcome === null || !VERDICTS.has(outcome.verdict)) throw new ChannelBreach('an outcome without a verdict');
  if (message.value !== undefined && request.job.kind !== 'tool') throw new ChannelBreach('a tool answer for a function job');
  current.expected.delete(index);
  const out: Record<string, unknown> = { type: 'outcome', id: request.id, index, outcome };
  if (message.value !== undefined) out.value = message.value;
  emit(JSON.stringify(out));
  shared.clock[CLOCK.HEARD_WALL_MS] = wallMs();
}

function onOutput(bytes: Buffer): void {
  const current = run;
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
    onLine(whole.toString('latin1'));
  }
  if (start < bytes.length) {
    current.pendingLine.push(Buffer.from(bytes.subarray(start)));
    current.pendingBytes += bytes.length - start;
    if (current.pendingBytes > current.lineLimit) throw new ChannelBreach(`a line over ${current.lineLimit} bytes`);
  }
}

function onClock(command: number): void {
  if (command === 0x72 /* r */) {
    Atomics.store(shared.interrupt, 0, Atomics.load(shared.ints, SLOT.BUDGET_SPENT) ? 2 : 0);
    shared.clock[CLOCK.WINDOW_CPU_US] = cpuMicros();
    shared.clock[CLOCK.WINDOW_WALL_MS] = wallMs();
    Atomics.store(shared.ints, SLOT.WINDOW_OPEN, 1);
  } else {
    Atomics.store(shared.ints, SLOT.WINDOW_OPEN, 0);
    Atomics.store(shared.interrupt, 0, 0);
  }
  Atomics.add(shared.ints, SLOT.GENERATION, 1);
}

// ---- set-up ------------------------------------------------------------------------------------

/** Pyodide decrefs a PyProxy's Python object when JS collects the proxy: a call into wasm at a
 * moment we do not choose (between jobs, after the image was put back). Proxies made during set-up
 * are simply kept. Must run before Pyodide is loaded. */
function disableFinalizers(): void {
  (globalThis as any).FinalizationRegistry = class {
    register(): void {}
    unregister(): boolean {
      return false;
    }
  };
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

function copyPythonRoots(FS: any, roots: string[]): string[] {
  let total = 0;
  const copy = (from: string, to: string) => {
    FS.mkdirTree(to);
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === '__pycache__') continue;
      const source = path.join(from, entry.name);
      if (entry.isDirectory()) copy(source, `${to}/${entry.name}`);
      else if (entry.isFile() && entry.name.endsWith('.py')) {
        const bytes = fs.readFileSync(source);
        total += bytes.length;
        if (total > 64 * 1024 * 1024) throw new Error('the python roots hold over 64 MB of .py files');
        FS.writeFile(`${to}/${entry.name}`, bytes);
      }
    }
  };
  return roots.map((root, i) => {
    const target = `${PYTHON_ROOT_IN_FS}/${i}`;
    copy(root, target);
    return target;
  });
}

/** The JS entry points a Python escape would look for, removed once we no longer need them
 * (a second layer: the gate already keeps Python from reaching any JS object). */
function removeJsEntryPoints(pyodide: any, module: any): void {
  const refused = () => {
    throw new Error('not available in the sandbox');
  };
  for (const name of ['loadWebAssemblyModule', 'loadDynamicLibrary', 'loadSideModule', 'dlopen', 'mountNodeFS', 'mountNativeFS', 'runPython', 'runPythonAsync', 'loadPackage', 'registerJsModule', 'pyimport', 'ccall', 'cwrap']) {
    for (const owner of [module, module.API, pyodide, module.API?.public_api]) {
      if (owner && name in owner) {
        try {
          owner[name] = refused;
        } catch {
          // a frozen property: the gate is what counts
        }
      }
    }
  }
  for (const fsName of ['NODEFS', 'NATIVEFS_ASYNC', 'IDBFS', 'WORKERFS', 'PROXYFS']) delete module.FS.filesystems[fsName];
  delete (globalThis as any).require;
  // The JS-level route from any function to arbitrary code: `x.constructor.constructor`.
  for (const proto of [Function.prototype, Object.getPrototypeOf(async function () {}), Object.getPrototypeOf(function* () {}), Object.getPrototypeOf(async function* () {})]) {
    Object.defineProperty(proto, 'constructor', { value: undefined, writable: false, configurable: false });
  }
}

interface Interpreter {
  module: any;
  image: InterpreterImage;
  entry: number;
}

/** Pyodide's loader reads pyodide.asm.wasm and instantiates it from bytes; hand it the module the
 * main thread compiled instead (compiling is most of a start-up). */
function usePrecompiledModule(module: WebAssembly.Module): void {
  const instantiate = WebAssembly.instantiate;
  (WebAssembly as any).instantiate = async (source: unknown, imports?: WebAssembly.Imports) => {
    const bytes = ArrayBuffer.isView(source) || source instanceof ArrayBuffer ? source.byteLength : 0;
    if (bytes < 1_000_000) return instantiate(source as any, imports); // Pyodide's small helper modules
    WebAssembly.instantiate = instantiate;
    return { module, instance: await instantiate(module, imports) };
  };
}

/** Under Node's permission model process.binding throws, but Emscripten's NODEFS reads fs
 * constants from it when the module is created (we never mount NODEFS; we drop it after set-up). */
function shimProcessBinding(): void {
  try {
    (process as any).binding('constants');
  } catch {
    (process as any).binding = (name: string) => {
      if (name === 'constants') return { fs: fsConstants };
      throw new Error(`process.binding(${name}) is not available in the sandbox`);
    };
  }
}

async function boot(): Promise<{ interpreter: Interpreter; ready: Extract<ToMain, { type: 'ready' }> }> {
  disableFinalizers();
  shimProcessBinding();
  const require = createRequire(import.meta.url);
  const pyodideDir = data.init.pyodideDir ?? path.dirname(require.resolve('pyodide/pyodide.mjs'));
  const { loadPyodide } = (await import(pathToFileURL(path.join(pyodideDir, 'pyodide.mjs')).href)) as typeof import('pyodide');
  const createModule = (await import(pathToFileURL(path.join(pyodideDir, 'pyodide.asm.mjs')).href)).default as (settings: any) => Promise<any>;
  let heapCap = Infinity;
  const gate = new WasmGate({ heapCapBytes: () => heapCap, onBlocked: reportBlocked, signals: shared.interrupt });
  usePrecompiledModule(data.wasm);
  const pyodide: any = await loadPyodide({
    indexURL: pyodideDir + path.sep,
    jsglobals: Object.create(null), // `import js` would find nothing of this thread
    env: { HOME: SCRATCH, PYTHONHASHSEED: String(options.hashSeed), PYTHONDONTWRITEBYTECODE: '1', LANG: 'C.UTF-8' },
    stdin: () => null,
    stdout: () => {},
    stderr: () => {},
    createPyodideModule: (settings: any) => {
      const instantiate = settings.instantiateWasm;
      settings.instantiateWasm = (imports: Record<string, Record<string, unknown>>, done: unknown) => {
        gate.install(imports);
        return instantiate(imports, done);
      };
      return createModule(settings);
    },
  } as Parameters<typeof loadPyodide>[0]);
  const module = pyodide._module;
  const FS = module.FS;
  // Writes Python makes to its own stdout/stderr outside a call's capture go nowhere.
  pyodide.setStdout({ write: (buffer: Uint8Array) => buffer.length });
  pyodide.setStderr({ write: (buffer: Uint8Array) => buffer.length });
  pyodide.setInterruptBuffer(shared.interrupt);

  const files = new FileSystemImage(FS, { bytes: 64 * 1024 * 1024, fileBytes: options.fileSizeMb * 1024 * 1024, nodes: 10_000 });
  files.prepare();
  registerDevice(FS, 'c2c-job', 0o444, {
    read: (buffer, offset, length) => {
      const current = run;
      if (!current) return 0;
      const size = Math.min(length, current.input.length - current.inputAt);
      buffer.set(new Int8Array(current.input.buffer, current.input.byteOffset + current.inputAt, size), offset);
      current.inputAt += size;
      return size;
    },
  });
  registerDevice(FS, 'c2c-out', 0o222, { write: onOutput });
  registerDevice(FS, 'c2c-clock', 0o666, {
    read: (buffer, offset, length) => {
      if (length < 1) return 0;
      const ints = shared.ints;
      const expired = Atomics.load(ints, SLOT.WINDOW_OPEN) === 1 && Atomics.load(ints, SLOT.INTERRUPTED) === Atomics.load(ints, SLOT.GENERATION);
      buffer[offset] = (Atomics.load(ints, SLOT.BUDGET_SPENT) ? CLOCK_BUDGET_SPENT : 0) | (expired ? CLOCK_WINDOW_EXPIRED : 0);
      return 1;
    },
    write: (bytes) => {
      for (const byte of bytes) onClock(byte);
    },
  });

  const paths = copyPythonRoots(FS, data.init.pythonRoots);
  const setupInit = JSON.stringify({ options, tools: data.init.tools, pythonGuards: data.init.pythonGuards !== false });
  // From here on Python runs only through this C entry point, not through Pyodide's API (whose
  // own Python modules the guards are about to empty).
  const setupCode = module.stringToNewUTF8(
    `import sys\nsys.path[:0] = ${JSON.stringify(paths)}\nimport case2code_sandbox.pyodide_entry as _c2c\n_c2c.setup()\ndel _c2c, sys\n`,
  ) as number;
  run = { input: Buffer.from(setupInit, 'utf8'), inputAt: 0, setupAnswer: [], expected: new Set(), pendingLine: [], pendingBytes: 0, lineLimit: 0 };
  const status = module._PyRun_SimpleString(setupCode) as number;
  const said = run.setupAnswer.join('');
  run = undefined;
  module._free(setupCode);
  const reply = said ? JSON.parse(said) : {};
  if (status !== 0 || !reply.setup) throw new Error(`the interpreter could not be set up: ${reply.setupError ?? `PyRun_SimpleString returned ${status}`}`);
  const answer = reply.setup as { python: string; jsObjectsLeft: number };
  const entry = module.stringToNewUTF8(ENTRY) as number;

  gate.lock();
  removeJsEntryPoints(pyodide, module);
  const image = new InterpreterImage(module, files);
  heapCap = image.size + options.memoryMb * 1024 * 1024;
  const layers: Record<string, string> = {
    'wasm-import-gate': `active: ${gate.gated.size} imports (the JS bridge, the loader, logging, ...) refuse once set up; shell, sockets, name lookups and timers are stubbed`,
    'heap-cap': `active: the wasm heap may grow by ${options.memoryMb} MB over the interpreter's own`,
    'memory-reset': 'active: linear memory, stack pointer and file system are put back to the start-up image after every job',
    'read-only-filesystem': 'active: in-memory only (no host files); all but a fresh, capped /tmp is read-only',
    'python-guards': data.init.pythonGuards === false ? 'off: turned off for a test' : `active: JS modules and finders dropped (${answer.jsObjectsLeft} JS proxies left), audit hook on imports, processes, sockets, code objects`,
    'cpu-time-limits': 'active: per-call windows in CPU time with an interrupt, a wall-clock backstop, a CPU budget per job',
  };
  return { interpreter: { module, image, entry }, ready: { type: 'ready', python: answer.python, pyodide: pyodide.version, layers } };
}

// ---- runs --------------------------------------------------------------------------------------

function runOnce(interpreter: Interpreter, request: RunRequest): RunReport {
  const isTool = request.job.kind === 'tool';
  const o = options;
  run = {
    request,
    setupAnswer: [],
    input: Buffer.from(JSON.stringify({ job: request.job, indices: request.indices }), 'utf8'),
    inputAt: 0,
    expected: new Set(request.indices),
    pendingLine: [],
    pendingBytes: 0,
    // As server.py: an outcome is bounded by the caps (JSON may escape a character as \uXXXX).
    lineLimit: isTool ? o.maxToolAnswerBytes : 6 * (o.reprCap * 2 + o.outputCap * 2) + 4096,
  };
  for (const slot of [SLOT.FLUSHED, SLOT.DEFINED, SLOT.BUDGET_SPENT, SLOT.WINDOW_OPEN]) Atomics.store(shared.ints, slot, 0);
  lastFlush = performance.now();
  if (isTool) Atomics.store(shared.ints, SLOT.DEFINED, 1);
  Atomics.store(shared.interrupt, 0, 0);
  shared.clock[CLOCK.RUN_CPU_US] = cpuMicros();
  shared.clock[CLOCK.HEARD_WALL_MS] = wallMs();
  Atomics.store(shared.ints, SLOT.RUNNING, 1);
  let death: CallOutcome | undefined;
  let recycle = false;
  try {
    interpreter.module._PyRun_SimpleString(interpreter.entry);
  } catch (error) {
    if (error instanceof InterpreterExit) death = { verdict: 'crash', message: `the process exited with code ${error.code}` };
    else if (error instanceof GateRefusal) death = { verdict: 'crash', message: error.message };
    else if (error instanceof ChannelBreach) death = { verdict: 'crash', message: `the interpreter sent an invalid message: ${error.message}` };
    else if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) {
      death = { verdict: 'crash', message: `the interpreter crashed: ${String((error as Error).message).slice(0, 200)}` };
    } else {
      // Something in JS we did not plan for: the image is still good, but this thread's JS state
      // may not be; the main thread starts a new one after this run.
      death = { verdict: 'crash', message: `the interpreter crashed: ${String((error as Error)?.message ?? error).slice(0, 200)}` };
      recycle = true;
    }
  } finally {
    Atomics.store(shared.ints, SLOT.RUNNING, 0);
    Atomics.store(shared.ints, SLOT.WINDOW_OPEN, 0);
  }
  if (!death && run.harnessError) death = { verdict: 'crash', message: `the harness failed: ${run.harnessError}` };
  run = undefined;
  emitBlocked();
  flush();
  return {
    type: 'ran',
    answered: Atomics.load(shared.ints, SLOT.FLUSHED),
    defined: Atomics.load(shared.ints, SLOT.DEFINED) === 1,
    budgetSpent: Atomics.load(shared.ints, SLOT.BUDGET_SPENT) === 1,
    death,
    recycle,
  };
}

boot().then(
  ({ interpreter, ready }) => {
    post(ready);
    const trace = process.env.C2C_PYODIDE_TRACE ? (what: string) => process.stderr.write(`[interpreter] ${what}\n`) : undefined;
    port.on('message', (request: RunRequest) => {
      const started = performance.now();
      post(runOnce(interpreter, request));
      const ran = performance.now();
      interpreter.image.restore();
      trace?.(`run ${(ran - started).toFixed(2)} ms, restore ${(performance.now() - ran).toFixed(2)} ms`);
    });
  },
  (error) => post({ type: 'failed', message: String(error?.stack ?? error).slice(0, 2000) }),
);

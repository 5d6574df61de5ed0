// One worker thread = one Pyodide interpreter. It loads the interpreter with the wasm guards, hardens
// it, then runs the jobs the pool sends, one message per finished call.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { guardImports, removeFunctionConstructors } from './wasm-guards.js';
import type { CallOutcome } from './types.js';
import type { CallResult, WorkerInit, ToWorker, FromWorker } from './protocol.js';

const init = workerData as WorkerInit;
const interrupt = new Int32Array(init.interruptBuffer);
// progress[0]: a ticket bumped at the start of every call; progress[1]: the ticket the monitor
// interrupted; progress[2]: 1 while a job runs; progress[3]: the index of the call in flight (-1
// while the code is being defined).
const progress = new Int32Array(init.progressBuffer);
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

let startupDone = false;

/** Under Node's permission model process.binding throws, but Pyodide's NODEFS reads fs constants from it. */
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

async function load(): Promise<PyodideAPI> {
  shimProcessBinding();
  const require = createRequire(import.meta.url);
  const indexURL = path.dirname(require.resolve('pyodide/pyodide.mjs')) + path.sep;
  const createModule = (await import('pyodide/pyodide.asm.mjs')).default as (settings: any) => Promise<any>;
  const pyodide = await loadPyodide({
    indexURL,
    // A null-prototype object: `import js` (if it ever got through) sees nothing of the worker.
    jsglobals: Object.create(null),
    env: { HOME: '/home/pyodide', PYTHONHASHSEED: String(init.hashSeed), LANG: 'C.UTF-8' },
    stdin: () => null,
    stdout: () => {},
    stderr: () => {},
    // A memory image of a freshly started interpreter (same hash seed) loads in ~0.4 s instead of ~3.5 s.
    ...(init.snapshot ? { _loadSnapshot: init.snapshot } : {}),
    ...(init.makeSnapshot ? { _makeSnapshot: true } : {}),
    createPyodideModule: (settings: any) => {
      const instantiate = settings.instantiateWasm;
      settings.instantiateWasm = (imports: Record<string, Record<string, unknown>>, done: unknown) => {
        guardImports(imports, {
          heapCapBytes: init.memoryMb * 1024 * 1024,
          onBlocked: (what) => post({ type: 'blocked', what }),
          startupDone: () => startupDone,
        });
        return instantiate(imports, done);
      };
      return createModule(settings);
    },
  } as Parameters<typeof loadPyodide>[0]);
  pyodide.setStdout({ write: (buffer: Uint8Array) => buffer.length });
  pyodide.setStderr({ write: (buffer: Uint8Array) => buffer.length });
  pyodide.setInterruptBuffer(interrupt);
  return pyodide;
}

interface Harness {
  begin(code: string, entry: string, setup: string | null): string;
  call(callJson: string): string;
  end(): string;
  tool(name: string, payloadJson: string): string;
}

/** Run the harness in its own dict (not __main__) and preload modules and tools, unless the memory
 * snapshot already did. The dict is then dropped from __main__: only this thread holds it. */
function loadHarness(pyodide: PyodideAPI, fromSnapshot: boolean): any {
  if (!fromSnapshot) {
    pyodide.globals.set('_c2c_source', init.harnessSource);
    pyodide.globals.set('_c2c_tools', JSON.stringify(init.tools));
    pyodide.runPython("_c2c = {'__name__': 'case2code_harness'}\nexec(compile(_c2c_source, 'harness.py', 'exec'), _c2c)\n_c2c['preload'](_c2c_tools)");
  }
  const namespace = pyodide.globals.get('_c2c');
  if (!init.makeSnapshot) pyodide.runPython('del _c2c, _c2c_source, _c2c_tools');
  return namespace;
}

async function start(): Promise<Harness> {
  const pyodide = await load();
  const namespace = loadHarness(pyodide, Boolean(init.snapshot));
  const initFn = namespace.get('init');
  const info = JSON.parse(
    initFn(
      JSON.stringify({
        repr_cap: init.reprCap,
        output_cap: init.outputCap,
        hash_seed: init.hashSeed,
      }),
      // Tools call this before each untrusted execution: a fresh timeout window per execution.
      () => {
        nextTicket();
      },
    ),
  );
  startupDone = true;
  removeFunctionConstructors();
  post({ type: 'ready', python: info.python, pyodide: pyodide.version });
  return {
    begin: namespace.get('begin'),
    call: namespace.get('call'),
    end: namespace.get('end'),
    tool: namespace.get('tool'),
  };
}

/** Start a call: clear a stale interrupt, bump the ticket the monitor watches. */
function nextTicket(): number {
  Atomics.store(interrupt, 0, 0);
  return Atomics.add(progress, 0, 1) + 1;
}

/** A call the monitor interrupted is a timeout even if Python caught the KeyboardInterrupt. */
function settle(ticket: number, outcome: CallOutcome): CallOutcome {
  if (Atomics.load(progress, 1) === ticket && outcome.verdict !== 'timeout') {
    return { verdict: 'timeout', ms: 'ms' in outcome ? outcome.ms : 0 };
  }
  return outcome;
}

/** Past this much time in a job, outcomes are posted as they come. Faster jobs post all their
 * outcomes once, with `done`: one message per job instead of one per call. If the worker is lost
 * mid-job, the pool blames the call in flight (progress[3]) and reruns the others not posted. */
const STREAM_AFTER_MS = 50;

/** Outcomes finished but not yet posted; handed over before a `fatal` too. */
let unposted: CallResult[] = [];

function runJob(harness: Harness, message: Extract<ToWorker, { type: 'job' }>): boolean {
  const { jobId, job, indices } = message;
  const started = performance.now();
  unposted = [];
  let recycle = false;
  const add = (result: CallResult) => {
    if (result.outcome.verdict === 'memory') recycle = true;
    unposted.push(result);
    if (performance.now() - started > STREAM_AFTER_MS) {
      post({ type: 'calls', jobId, results: unposted });
      unposted = [];
    }
  };
  Atomics.store(progress, 2, 1);
  if (job.kind === 'tool') {
    // A tool is trusted code: its answer stands even if it caught an interrupt for one execution.
    Atomics.store(progress, 3, 0);
    nextTicket();
    const answer = JSON.parse(harness.tool(job.tool, JSON.stringify(job.payload)));
    const outcome: CallOutcome = answer.ok ? { verdict: 'return', repr: '', ms: answer.ms } : answer.outcome;
    add({ index: 0, outcome, value: answer.ok ? answer.value : undefined });
  } else {
    Atomics.store(progress, 3, -1);
    const defineTicket = nextTicket();
    const defineError = JSON.parse(harness.begin(job.code, job.entry, job.setup ?? null)) as CallOutcome | null;
    const failed = defineError ? settle(defineTicket, defineError) : null;
    const deadline = job.totalMs !== undefined ? started + job.totalMs : Infinity;
    for (const index of indices) {
      Atomics.store(progress, 3, index);
      let outcome: CallOutcome;
      if (failed) {
        outcome = failed;
      } else if (performance.now() > deadline) {
        outcome = { verdict: 'timeout', ms: 0, message: 'not run: the job time budget is spent' };
      } else {
        const ticket = nextTicket();
        outcome = settle(ticket, JSON.parse(harness.call(JSON.stringify(job.calls[index]))));
      }
      add({ index, outcome });
    }
  }
  recycle = JSON.parse(harness.end()).recycle || recycle;
  Atomics.store(progress, 2, 0);
  return recycle;
}

async function makeSnapshot(): Promise<void> {
  const pyodide = await load();
  loadHarness(pyodide, false).destroy();
  const bytes = (pyodide as any).makeMemorySnapshot() as Uint8Array;
  post({ type: 'snapshot', bytes });
}

if (init.makeSnapshot) {
  makeSnapshot().catch((error) => post({ type: 'fatal', message: `snapshot failed: ${error?.stack ?? error}` }));
}

const harnessReady = init.makeSnapshot ? new Promise<Harness>(() => {}) : start().catch((error) => {
  post({ type: 'fatal', message: `interpreter failed to start: ${error?.stack ?? error}` });
  throw error;
});

port.on('message', async (message: ToWorker) => {
  const harness = await harnessReady;
  if (message.type !== 'job') return;
  let recycle: boolean;
  try {
    recycle = runJob(harness, message);
  } catch (error) {
    // A JS-level failure inside the interpreter (stack overflow, wasm trap): its state is unknown.
    post({ type: 'calls', jobId: message.jobId, results: unposted });
    post({ type: 'fatal', message: String((error as Error)?.message ?? error).slice(0, 500), jobId: message.jobId });
    return;
  }
  post({ type: 'done', jobId: message.jobId, recycle, results: unposted });
});

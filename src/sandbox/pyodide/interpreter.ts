// The interpreter thread of a Pyodide worker process: one Pyodide, set up once (boot.ts), then one
// run at a time on an interpreter put back to its start-up image after each run (image.ts). The
// main thread (worker-main.ts) keeps the protocol and the clock; this thread writes the outcomes it
// checked (devices.ts).
//
// Python is driven through one C entry point (PyRun_SimpleString) and three character devices
// (pyodide_entry.py): no JS object is ever handed to Python, and after set-up the JS bridge is
// closed at the wasm import level (wasm-gate.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { CLOCK, SLOT, cpuMicros, openShared, wallMs } from './channel.js';
import { boot, type Interpreter } from './boot.js';
import { ChannelBreach, Devices } from './devices.js';
import { GateRefusal, InterpreterExit } from './wasm-gate.js';
import type { InterpreterData, RunReport, RunRequest, ToMain } from './threads.js';
import type { CallOutcome } from '../protocol.js';

const data = workerData as InterpreterData;
const shared = openShared(data.buffers);
const devices = new Devices(shared, data.init.options);
const port = parentPort!;
const post = (message: ToMain) => port.postMessage(message);

function runOnce(interpreter: Interpreter, request: RunRequest): RunReport {
  for (const slot of [SLOT.FLUSHED, SLOT.DEFINED, SLOT.BUDGET_SPENT, SLOT.WINDOW_OPEN]) Atomics.store(shared.ints, slot, 0);
  Atomics.store(shared.ints, SLOT.IN_FLIGHT, -1);
  if (request.job.kind === 'tool') Atomics.store(shared.ints, SLOT.DEFINED, 1);
  devices.beginRun(request);
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
  const { harnessError } = devices.endRun();
  if (!death && harnessError) death = { verdict: 'crash', message: `the harness failed: ${harnessError}` };
  return {
    type: 'ran',
    answered: Atomics.load(shared.ints, SLOT.FLUSHED),
    defined: Atomics.load(shared.ints, SLOT.DEFINED) === 1,
    death,
    recycle,
  };
}

boot(data, shared, devices).then(
  ({ interpreter, ready }) => {
    post(ready);
    const trace = process.env.CASE2CODE_PYODIDE_TRACE ? (what: string) => process.stderr.write(`[interpreter] ${what}\n`) : undefined;
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

// The entry of a Pyodide worker process (one interpreter per process), speaking protocol.ts on
// stdin/stdout. The interpreter runs in a worker thread; this thread never runs Python, so it can
// keep the clock: it samples the process's CPU time, interrupts a call whose window ran out, and
// ends the interpreter thread when Python does not stop (a C loop, a swallowed interrupt). Then it
// gives the call in flight its timeout and runs the rest of the job on a new interpreter, as the
// native server does with a child that died. Runs mirror server.py's run_job.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { Worker } from 'node:worker_threads';
import { CLOCK, SIGINT, SLOT, STDOUT_FREE, STDOUT_MAIN, countOutcomeLines, cpuMicros, createShared, openShared, wallMs, writeAll } from './channel.js';
import type { CallOutcome, JobRequest } from '../protocol.js';
import type { InterpreterData, PyodideInit, RunReport, RunRequest, ToMain } from './threads.js';

/** A job whose run died goes on in a fresh run, at most this often (server.py's MAX_RESTARTS). */
const MAX_RESTARTS = 2;
/** The wall-clock backstop of a window: this many times its CPU length, plus a slack (child.py). */
const WALL_FACTOR = 5;
const WALL_SLACK_MS = 1000;
/** Code that does not stop at its window's interrupt (a C loop, a swallowed KeyboardInterrupt) has
 * its interpreter stopped at this many times the window of CPU time, plus a slack: child.py's
 * HARD_FACTOR and HARD_SLACK_S, where SIGVTALRM ends a native child. CPU time, not wall time, so
 * that the point does not depend on how busy the machine is. */
const HARD_FACTOR = 2;
const HARD_SLACK_MS = 100;
/** Past a window's wall-clock backstop, before a silent interpreter is stopped (server.py). */
const BACKSTOP_SLACK_MS = 2000;
const TICK_MS = 5;
/** The death of a run that spent its job's budget (server.py's JOB_CPU_LIMIT). */
const JOB_CPU_LIMIT = 'CPU limit of the job: the interpreter was stopped';
/** A backstop that finds the interpreter made this share of CPU progress since its last look
 * looks again later (at most BACKSTOP_LOOKS times a run), as child.py's does: computing on a busy machine is not
 * waiting, and the CPU limits end it at the same point of its work whatever the load. */
const PROGRESS_SHARE = 0.02;
/** protocol.ts's BACKSTOP_LOOKS: a copy, since this process may read only its own folder. */
const BACKSTOP_LOOKS = 20;

const buffers = createShared();
const shared = openShared(buffers);

let init: PyodideInit;
let wasm: Promise<WebAssembly.Module>;
let thread: Worker | undefined;
let onReport: ((report: RunReport) => void) | undefined;

function say(message: object): void {
  writeAll(JSON.stringify(message) + '\n');
}

// ---- the interpreter thread --------------------------------------------------------------------

async function startThread(): Promise<Extract<ToMain, { type: 'ready' }>> {
  for (let slot = 0; slot < shared.ints.length; slot++) Atomics.store(shared.ints, slot, 0);
  Atomics.store(shared.interrupt, 0, 0); // one meant for the thread that was stopped
  const data: InterpreterData = { init, buffers, wasm: await wasm };
  const worker = new Worker(new URL('./interpreter.js', import.meta.url), { workerData: data, stdout: true, stderr: true });
  worker.stdout.resume(); // console output of Pyodide's JS side is not the protocol: dropped
  worker.stderr.on('data', (chunk) => process.stderr.write(chunk));
  thread = worker;
  return new Promise((resolve, reject) => {
    let started = false;
    worker.on('message', (message: ToMain) => {
      if (message.type === 'ready') {
        started = true;
        resolve(message);
      } else if (message.type === 'failed') {
        reject(new Error(message.message));
      } else {
        onReport?.(message);
      }
    });
    const lost = (why: string) => {
      if (thread !== worker) return;
      thread = undefined;
      if (!started) return reject(new Error(why));
      // Between runs nothing is owed; during one, the run ends as a crash of the call in flight.
      onReport?.({ type: 'ran', answered: writeLeftovers(), defined: Atomics.load(shared.ints, SLOT.DEFINED) === 1, death: { verdict: 'crash', message: why }, recycle: true });
    };
    worker.on('error', (error) => lost(`the interpreter thread failed: ${String(error?.message ?? error).slice(0, 300)}`));
    worker.on('exit', (code) => lost(`the interpreter thread exited (code ${code})`));
  });
}

/** End the interpreter thread from outside, once it is not writing to stdout. */
async function stopThread(): Promise<{ answered: number; defined: boolean } | undefined> {
  const worker = thread;
  if (!worker) return undefined;
  if (Atomics.compareExchange(shared.ints, SLOT.STDOUT, STDOUT_FREE, STDOUT_MAIN) !== STDOUT_FREE) return undefined; // next tick
  thread = undefined;
  await worker.terminate();
  const state = { answered: writeLeftovers(), defined: Atomics.load(shared.ints, SLOT.DEFINED) === 1 };
  Atomics.store(shared.ints, SLOT.STDOUT, STDOUT_FREE);
  return state;
}

/** After the interpreter thread is gone: write the whole lines it left in `out`; returns how many
 * outcomes of its run reached stdout in all. */
function writeLeftovers(): number {
  const waiting = Atomics.load(shared.ints, SLOT.OUT_BYTES);
  const bytes = shared.out.slice(0, waiting);
  if (waiting > 0) writeAll(bytes);
  Atomics.store(shared.ints, SLOT.OUT_BYTES, 0);
  return Atomics.load(shared.ints, SLOT.FLUSHED) + countOutcomeLines(bytes);
}

// ---- one run, and its clock --------------------------------------------------------------------

interface Limits {
  windowMs: number;
  budgetMs: number;
  /** The CPU time at which a run is stopped whatever it does (child.py's cpu_limit_s, RLIMIT_CPU). */
  cpuLimitMs: number;
  /** The longest a run may go without an outcome (server.py's backstop). */
  backstopMs: number;
}

/** Say 'alive' for job `id`, unless the interpreter thread is writing to stdout (then: false). */
function sayAlive(id: number): boolean {
  if (Atomics.compareExchange(shared.ints, SLOT.STDOUT, STDOUT_FREE, STDOUT_MAIN) !== STDOUT_FREE) return false;
  try {
    say({ type: 'alive', id });
  } finally {
    Atomics.store(shared.ints, SLOT.STDOUT, STDOUT_FREE);
  }
  return true;
}

/** A wall-clock deadline that is put off while the process makes CPU progress. */
class Backstop {
  private mark = { startedMs: -1, cpuUs: 0, dueMs: 0 };

  /** `looks`: shared by the backstops of one run, which BACKSTOP_LOOKS bounds together. */
  constructor(private readonly periodMs: number, private readonly looks: { count: number }) {}

  /** Whether the deadline of the span that began at `startedMs` (with the process's CPU at
   * `startCpuUs`, read only when a new span is seen) has passed with too little CPU progress;
   * `extended()` runs each time it is put off. */
  expired(startedMs: number, startCpuUs: number, wall: number, cpu: number, extended?: () => void): boolean {
    if (startedMs !== this.mark.startedMs) this.mark = { startedMs, cpuUs: startCpuUs, dueMs: startedMs + this.periodMs };
    if (wall <= this.mark.dueMs) return false;
    if ((cpu - this.mark.cpuUs) / 1000 < this.periodMs * PROGRESS_SHARE || this.looks.count >= BACKSTOP_LOOKS) return true;
    this.mark = { startedMs, cpuUs: cpu, dueMs: wall + this.periodMs };
    this.looks.count++;
    extended?.();
    return false;
  }
}

function runOnce(request: RunRequest, limits: Limits): Promise<RunReport> {
  return new Promise((resolve) => {
    let stopping = false;
    let budgetInterrupted = false;
    const looks = { count: 0 };
    const silence = new Backstop(limits.backstopMs, looks);
    const window = new Backstop(limits.windowMs * WALL_FACTOR + WALL_SLACK_MS, looks);
    let aliveOwed = false;
    const finish = (report: RunReport) => {
      clearInterval(timer);
      onReport = undefined;
      resolve(report);
    };
    const hardStop = (message: string) => {
      if (stopping) return;
      stopping = true;
      stopThread().then((state) => {
        if (!state) {
          stopping = false; // the interpreter was writing: try again at the next tick
          return;
        }
        const ms = Math.round(Math.max(limits.windowMs, (cpuMicros() - shared.clock[CLOCK.WINDOW_CPU_US]) / 1000));
        finish({ type: 'ran', ...state, death: { verdict: 'timeout', ms, message }, recycle: true });
      });
    };
    const tick = () => {
      const ints = shared.ints;
      if (!Atomics.load(ints, SLOT.RUNNING) || stopping) return;
      const cpu = cpuMicros();
      const wall = wallMs();
      const runCpuMs = (cpu - shared.clock[CLOCK.RUN_CPU_US]) / 1000;
      const generation = Atomics.load(ints, SLOT.GENERATION);
      const open = Atomics.load(ints, SLOT.WINDOW_OPEN) === 1;
      if (!Atomics.load(ints, SLOT.BUDGET_SPENT) && runCpuMs > limits.budgetMs) {
        // As natively, a function job's budget is looked at between calls (the call in flight
        // keeps its own window); a tool's one call is interrupted by it.
        Atomics.store(ints, SLOT.BUDGET_SPENT, 1);
        if (request.job.kind === 'tool') {
          budgetInterrupted = true;
          interrupt(generation);
        }
      }
      if (runCpuMs > limits.cpuLimitMs) return hardStop(JOB_CPU_LIMIT);
      // The silence began when the interpreter was last heard; its CPU is taken at the first tick
      // that sees it (the interpreter does not record one).
      if (silence.expired(shared.clock[CLOCK.HEARD_WALL_MS], cpu, wall, cpu, () => (aliveOwed = true))) return hardStop('wall-clock backstop: the interpreter was stopped');
      if (aliveOwed && sayAlive(request.id)) aliveOwed = false;
      if (!open) return;
      if (Atomics.load(ints, SLOT.INTERRUPTED) !== generation) {
        const windowCpuMs = (cpu - shared.clock[CLOCK.WINDOW_CPU_US]) / 1000;
        const slept = window.expired(shared.clock[CLOCK.WINDOW_WALL_MS], shared.clock[CLOCK.WINDOW_CPU_US], wall, cpu);
        if (windowCpuMs > limits.windowMs || slept) {
          // A call that waited to its wall-clock backstop spends the whole job, as natively
          // (child.py): a function sleeping in every call must not hold the worker calls x backstop.
          if (slept && windowCpuMs <= limits.windowMs) Atomics.store(ints, SLOT.BUDGET_SPENT, 1);
          interrupt(generation);
        }
      } else if ((cpu - shared.clock[CLOCK.WINDOW_CPU_US]) / 1000 > limits.windowMs * HARD_FACTOR + HARD_SLACK_MS) {
        // (Code that ignores the interrupt and sleeps is the silence backstop's.)
        hardStop(budgetInterrupted ? JOB_CPU_LIMIT : 'the call did not stop when interrupted: the interpreter was stopped');
      }
    };
    const timer = setInterval(tick, TICK_MS);
    onReport = finish;
    thread!.postMessage(request);
  });
}

const TRACE = process.env.CASE2CODE_PYODIDE_TRACE ? (what: string) => process.stderr.write(`[clock ${wallMs().toFixed(1)}] ${what}\n`) : undefined;

function interrupt(generation: number): void {
  TRACE?.(`interrupt generation ${generation}, window cpu ${((cpuMicros() - shared.clock[CLOCK.WINDOW_CPU_US]) / 1000).toFixed(1)} ms`);
  Atomics.store(shared.ints, SLOT.INTERRUPTED, generation);
  Atomics.store(shared.interrupt, 0, SIGINT); // KeyboardInterrupt at Python's next check
}

// ---- one job, as server.py runs it ----------------------------------------------------------------

function notRun(cause: CallOutcome): CallOutcome {
  const message = `not run: earlier calls of this job ended the process (${cause.verdict})`;
  return cause.verdict === 'timeout' ? { verdict: 'timeout', ms: 0, message } : { verdict: 'crash', message };
}

/** calls.py's NOT_RUN and NOT_RUN_AFTER_TIMEOUT (copies: this process may read only its own folder). */
const NOT_RUN_BUDGET: CallOutcome = { verdict: 'timeout', ms: 0, message: 'not run: the job time budget is spent (its CPU time, or a call that waited to its wall-clock backstop)' };
const NOT_RUN_AFTER_TIMEOUT: CallOutcome = { verdict: 'timeout', ms: 0, message: 'not run: an earlier call of this job ran out of time' };

async function runJob(request: JobRequest): Promise<void> {
  const { id, job } = request;
  const windowMs = job.timeoutMs ?? init.options.timeoutMs;
  const calls = job.kind === 'tool' ? 1 : job.calls.length;
  const budgetMs = job.totalMs ?? windowMs * (calls + 2);
  let backstopMs = windowMs * WALL_FACTOR + WALL_SLACK_MS + BACKSTOP_SLACK_MS;
  if (job.kind === 'tool') backstopMs = Math.max(backstopMs, budgetMs * WALL_FACTOR + BACKSTOP_SLACK_MS);
  const cpuLimitMs = Math.max(1, Math.floor(budgetMs / 1000 + 1.999)) * 1000;
  const limits = { windowMs, budgetMs, cpuLimitMs, backstopMs };
  let pending = [...request.indices];
  let restarts = 0;
  let lastRun = false;
  const answer = (index: number, outcome: CallOutcome) => say({ type: 'outcome', id, index, outcome });
  while (pending.length > 0) {
    if (!thread) {
      try {
        await startThread();
      } catch (error) {
        const outcome: CallOutcome = { verdict: 'crash', message: `the interpreter could not be started again: ${String((error as Error).message).slice(0, 300)}` };
        for (const index of pending) answer(index, outcome);
        say({ type: 'done', id });
        process.exit(1);
      }
    }
    const report = await runOnce({ id, job, indices: pending }, limits);
    if (report.recycle) await stopThread();
    pending = pending.slice(report.answered);
    if (pending.length === 0) break;
    // As in server.py: the call in flight gets the cause; the calls it finished before (their
    // outcomes batched, not written yet) and those after it go on in a fresh interpreter.
    const cause = report.death ?? { verdict: 'crash', message: 'the interpreter stopped before finishing its calls' };
    const inFlight = pending.indexOf(Atomics.load(shared.ints, SLOT.IN_FLIGHT));
    const at = report.defined && inFlight >= 0 ? inFlight : 0;
    answer(pending[at], cause);
    const finished = pending.slice(0, at);
    pending = pending.slice(at + 1);
    restarts++;
    const budgetSpent = cause.verdict === 'timeout' && cause.message === JOB_CPU_LIMIT;
    const timedOut = cause.verdict === 'timeout' && job.kind === 'function' && job.stopAfterTimeout === true;
    if (lastRun || !report.defined || budgetSpent || timedOut || restarts > MAX_RESTARTS) {
      // No more runs for what comes after; what had finished runs once more to get its outcomes
      // back (it ran within the limits once), unless this was that last run.
      const note = !report.defined ? cause : budgetSpent ? NOT_RUN_BUDGET : timedOut ? NOT_RUN_AFTER_TIMEOUT : notRun(cause);
      for (const index of lastRun ? [...finished, ...pending] : pending) answer(index, note);
      pending = lastRun ? [] : finished;
      lastRun = true;
    } else {
      pending = [...finished, ...pending];
    }
  }
  say({ type: 'done', id });
}

function defaultPyodideDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'));
}

// ---- the protocol --------------------------------------------------------------------------------

async function main(): Promise<void> {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let started = false;
  for await (const line of lines) {
    if (!line.trim()) continue;
    const message = JSON.parse(line);
    if (!started) {
      if (message.type !== 'init') throw new Error(`expected an init message, got '${message.type}'`);
      init = message as PyodideInit;
      wasm = WebAssembly.compile(fs.readFileSync(path.join(init.pyodideDir ?? defaultPyodideDir(), 'pyodide.asm.wasm')));
      const ready = await startThread();
      say({ type: 'ready', python: ready.python, pyodide: ready.pyodide, layers: ready.layers });
      started = true;
    } else if (message.type === 'job') {
      await runJob(message as JobRequest);
    }
  }
  // The host closed our stdin: nothing more will come.
  await stopThread();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`case2code pyodide worker: ${error?.stack ?? error}\n`);
  process.exit(1);
});

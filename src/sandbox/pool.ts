// A pool of worker processes, one job at a time each, for either backend. The pool is the part of
// the sandbox that trusts nothing: every line a worker writes is checked (messages.ts) against the
// job it was given. A worker that says anything else is killed and its job ends as `crash`; a
// worker that dies mid-job is replaced and the calls it owed run again elsewhere; a worker silent
// past the backstop is killed.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { SandboxStartError } from './errors.js';
import { parseWorkerLine, type OutcomeCaps } from './messages.js';
import { BACKSTOP_LOOKS, type JobRequest, type PoolJob } from './protocol.js';
import type { PoolStats } from './types.js';
import type { CallOutcome } from '../contract/index.js';

export interface JobResult {
  outcomes: CallOutcome[];
  /** A tool's JSON answer. */
  value?: unknown;
}

/** How to start one worker: the (jailed) command and the init message it reads first. */
export interface WorkerLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  init: Record<string, unknown>;
  /** Called once the worker process has exited (e.g. to remove its cgroup). */
  cleanup?: () => void;
}

export interface PoolSettings {
  workers: number;
  launch: () => WorkerLaunch;
  caps: OutcomeCaps;
  /** The longest line a worker may write (a tool's answer is the largest). */
  maxLineBytes: number;
  /** How long a worker may stay silent during `job` before the host kills it. */
  silenceLimitMs: (job: PoolJob) => number;
  /** How long a worker may take to say `ready`. */
  startLimitMs: number;
}

export interface WorkerReady {
  python: string;
  pyodide?: string;
  layers: Record<string, string>;
}

interface Task {
  id: number;
  job: PoolJob;
  outcomes: (CallOutcome | undefined)[];
  value?: unknown;
  restarts: number;
  /** 'alive' messages heard for this job. */
  alive: number;
  resolve: (result: JobResult) => void;
}

const MAX_RESTARTS_PER_JOB = 2;
/** 'alive' messages that each extend a job's silence limit: a worker puts off its backstops at
 * most BACKSTOP_LOOKS times a run, and a job has at most 1 + MAX_RESTARTS_PER_JOB runs. */
const MAX_ALIVE_PER_JOB = BACKSTOP_LOOKS * (1 + MAX_RESTARTS_PER_JOB);

/** Descriptors 3 and up in a worker, all pointing at /dev/null: a descriptor that the host process
 * left inheritable (not close-on-exec) is replaced before the worker starts, so no worker can
 * write to it. */
const COVERED_DESCRIPTORS = 256; // not more: a worker under a 1024-descriptor limit needs room of its own
let devNull: number | undefined;
function nullDescriptors(): number[] {
  devNull ??= fs.openSync('/dev/null', 'r+');
  return new Array(COVERED_DESCRIPTORS - 3).fill(devNull);
}

class Worker {
  readonly child: ChildProcess;
  task?: Task;
  /** The indices this worker was sent for its task and still owes. */
  owed = new Set<number>();
  state: 'starting' | 'idle' | 'busy' | 'gone' = 'starting';
  stderr = '';
  silenceTimer?: NodeJS.Timeout;
  private buffered = '';
  private bufferedBytes = 0;

  constructor(launch: WorkerLaunch, private readonly maxLineBytes: number, private readonly onLine: (line: string) => void, private readonly onBreach: (why: string) => void) {
    this.child = spawn(launch.command, launch.args, { env: launch.env, stdio: ['pipe', 'pipe', 'pipe', ...nullDescriptors()] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => this.take(chunk));
    this.child.stderr!.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.child.stdin!.on('error', () => {}); // a worker that died: its exit is handled on its own
    if (launch.cleanup) this.child.once('exit', launch.cleanup);
    this.send(launch.init);
  }

  send(message: object): void {
    this.child.stdin!.write(JSON.stringify(message) + '\n');
  }

  private take(chunk: string): void {
    let start = 0;
    for (let at = chunk.indexOf('\n'); at >= 0; at = chunk.indexOf('\n', start)) {
      const line = this.buffered + chunk.slice(start, at);
      this.buffered = '';
      this.bufferedBytes = 0;
      start = at + 1;
      if (this.state === 'gone') return;
      if (Buffer.byteLength(line) > this.maxLineBytes) return this.onBreach(`a line over ${this.maxLineBytes} bytes`);
      this.onLine(line);
    }
    const rest = chunk.slice(start);
    this.bufferedBytes += Buffer.byteLength(rest);
    this.buffered += rest;
    if (this.bufferedBytes > this.maxLineBytes) this.onBreach(`a line over ${this.maxLineBytes} bytes`);
  }

  kill(): void {
    this.state = 'gone';
    clearTimeout(this.silenceTimer);
    this.child.kill('SIGKILL');
  }
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  private nextTaskId = 1;
  private closed = false;
  private readonly counters: PoolStats = { jobs: 0, calls: 0, replaced: 0, hardKills: 0, protocolViolations: 0, blocked: {} };
  ready?: WorkerReady;

  constructor(private readonly settings: PoolSettings) {}

  /** Start every worker; fails with the first worker's own words if one cannot start. */
  async start(): Promise<WorkerReady> {
    const starts: Promise<WorkerReady>[] = [];
    for (let i = 0; i < this.settings.workers; i++) starts.push(this.spawn());
    try {
      this.ready = (await Promise.all(starts))[0];
    } catch (error) {
      await this.close();
      throw error;
    }
    return this.ready;
  }

  run(job: PoolJob): Promise<JobResult> {
    if (this.closed) return Promise.reject(new Error('the sandbox is closed'));
    const calls = job.kind === 'tool' ? 1 : job.calls.length;
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextTaskId++, job, outcomes: new Array(calls).fill(undefined), restarts: 0, alive: 0, resolve });
      this.dispatch();
    });
  }

  stats(): PoolStats {
    return { ...this.counters, blocked: { ...this.counters.blocked } };
  }

  async close(): Promise<void> {
    this.closed = true;
    // Jobs still waiting or running get an answer: a caller awaiting one must not hang.
    this.failQueued('the sandbox was closed before this job ran');
    for (const worker of this.workers) {
      const task = worker.task;
      worker.task = undefined;
      if (task) {
        task.outcomes = task.outcomes.map((o) => o ?? { verdict: 'crash', message: 'the sandbox was closed while this job ran' });
        this.finish(task);
      }
    }
    const exits = this.workers.map((worker) => new Promise((resolve) => {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return resolve(null);
      worker.child.once('exit', resolve);
      worker.kill();
    }));
    await Promise.all(exits);
  }

  // ---- workers -------------------------------------------------------------------------------

  private spawn(): Promise<WorkerReady> {
    let worker!: Worker;
    return new Promise<WorkerReady>((resolve, reject) => {
      const startTimer = setTimeout(() => fail(`no answer within ${this.settings.startLimitMs} ms`), this.settings.startLimitMs);
      const fail = (why: string) => {
        clearTimeout(startTimer);
        if (worker.state !== 'starting') return;
        worker.kill();
        this.remove(worker);
        reject(new SandboxStartError(`sandbox worker failed to start: ${why}${worker.stderr.trim() ? `\n${worker.stderr.trim()}` : ''}`));
      };
      worker = new Worker(
        this.settings.launch(),
        this.settings.maxLineBytes,
        (line) => {
          if (worker.state === 'starting') {
            const message = parseWorkerLine(line, this.settings.caps);
            if ('refused' in message || message.type !== 'ready') return fail(`it sent ${'refused' in message ? message.refused : `'${message.type}'`} before 'ready'`);
            clearTimeout(startTimer);
            worker.state = 'idle';
            resolve({ python: message.python, pyodide: message.pyodide, layers: message.layers });
            this.dispatch();
          } else {
            this.onLine(worker, line);
          }
        },
        (why) => (worker.state === 'starting' ? fail(why) : this.breach(worker, why)),
      );
      worker.child.on('error', (error) => fail(error.message));
      worker.child.on('exit', (code, signal) => {
        if (worker.state === 'starting') fail(`it exited (code ${code}, signal ${signal})`);
        else this.onExit(worker, code, signal);
      });
      this.workers.push(worker);
    });
  }

  private remove(worker: Worker): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
  }

  /** A worker is gone: start another in its place (unless the pool is closing). */
  private replace(worker: Worker): void {
    this.remove(worker);
    if (this.closed) return;
    this.counters.replaced++;
    this.spawn().catch(() => {
      // Could not start a replacement: the jobs still queued would wait forever on no worker.
      if (this.workers.length === 0) this.failQueued('no sandbox worker could be started again');
    });
  }

  private failQueued(message: string): void {
    for (const task of this.queue.splice(0)) {
      task.outcomes = task.outcomes.map((o) => o ?? { verdict: 'crash', message });
      task.resolve({ outcomes: task.outcomes as CallOutcome[] });
    }
  }

  // ---- what a worker says ----------------------------------------------------------------------

  private onLine(worker: Worker, line: string): void {
    if (worker.state === 'gone') return;
    const message = parseWorkerLine(line, this.settings.caps);
    if ('refused' in message) return this.breach(worker, message.refused);
    if (message.type === 'blocked') {
      this.counters.blocked[message.what] = (this.counters.blocked[message.what] ?? 0) + 1;
      return;
    }
    const task = worker.task;
    if (message.type === 'ready') return this.breach(worker, "a second 'ready'");
    if (!task || message.id !== task.id) return this.breach(worker, `a message for job ${message.id}, which it was not given`);
    if (message.type === 'alive') {
      // Bounded, so that a worker saying it forever cannot hold a job forever.
      if (task.alive++ < MAX_ALIVE_PER_JOB) this.armSilence(worker);
      return;
    }
    if (message.type === 'outcome' || message.type === 'outcomes') {
      for (const result of message.type === 'outcome' ? [message] : message.results) {
        if (!worker.owed.has(result.index)) return this.breach(worker, `an outcome for call ${result.index}, which it does not owe`);
        if (result.value !== undefined && task.job.kind !== 'tool') return this.breach(worker, 'a tool answer for a function job');
        worker.owed.delete(result.index);
        task.outcomes[result.index] = result.outcome;
        if (result.value !== undefined) task.value = result.value;
        this.counters.calls++;
      }
      this.armSilence(worker);
      return;
    }
    // done
    if (worker.owed.size > 0) return this.breach(worker, `'done' with ${worker.owed.size} outcome(s) missing`);
    clearTimeout(worker.silenceTimer);
    worker.task = undefined;
    worker.state = 'idle';
    this.finish(task);
    this.dispatch();
  }

  /** The worker broke the protocol: the whole job is a crash, the worker is replaced. */
  private breach(worker: Worker, why: string): void {
    if (worker.state === 'gone') return;
    const task = worker.task;
    worker.task = undefined;
    worker.kill();
    this.replace(worker);
    if (task) {
      this.counters.protocolViolations++;
      const outcome: CallOutcome = { verdict: 'crash', message: `the worker broke the protocol: it sent ${why}` };
      task.outcomes = task.outcomes.map(() => outcome);
      task.value = undefined;
      this.finish(task);
    }
    this.dispatch();
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (worker.state === 'gone') return;
    worker.state = 'gone';
    clearTimeout(worker.silenceTimer);
    const task = worker.task;
    worker.task = undefined;
    this.replace(worker);
    if (task) this.requeueAfterLoss(task, worker.owed, { verdict: 'crash', message: `the worker process exited (code ${code}, signal ${signal})` });
    this.dispatch();
  }

  /** The call in flight (the first one still owed) gets `outcome`; the rest run again elsewhere. */
  private requeueAfterLoss(task: Task, owed: Set<number>, outcome: CallOutcome): void {
    const inFlight = [...owed].sort((a, b) => a - b)[0];
    if (inFlight !== undefined) task.outcomes[inFlight] = outcome;
    if (outcome.verdict === 'timeout' && task.job.kind === 'function' && task.job.stopAfterTimeout) {
      task.outcomes = task.outcomes.map((o) => o ?? { verdict: 'timeout', ms: 0, message: 'not run: an earlier call of this job ran out of time' });
    } else if (task.restarts >= MAX_RESTARTS_PER_JOB || task.job.kind === 'tool') {
      const note: CallOutcome = outcome.verdict === 'timeout'
        ? { verdict: 'timeout', ms: 0, message: 'not run: earlier calls of this job ended the worker' }
        : { verdict: 'crash', message: `not run: earlier calls of this job ended the worker (${outcome.verdict})` };
      task.outcomes = task.outcomes.map((o) => o ?? note);
    }
    if (task.outcomes.includes(undefined)) {
      task.restarts++;
      this.queue.unshift(task);
    } else {
      this.finish(task);
    }
  }

  private armSilence(worker: Worker): void {
    clearTimeout(worker.silenceTimer);
    const task = worker.task;
    if (!task) return;
    const limit = this.settings.silenceLimitMs(task.job);
    worker.silenceTimer = setTimeout(() => {
      if (worker.task !== task || worker.state === 'gone') return;
      this.counters.hardKills++;
      worker.state = 'gone';
      worker.task = undefined;
      worker.child.kill('SIGKILL');
      this.replace(worker);
      this.requeueAfterLoss(task, worker.owed, { verdict: 'timeout', ms: limit, message: 'hard deadline: the worker was killed' });
      this.dispatch();
    }, limit);
    worker.silenceTimer.unref();
  }

  private finish(task: Task): void {
    this.counters.jobs++;
    task.resolve({ outcomes: task.outcomes as CallOutcome[], value: task.value });
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (this.queue.length === 0) return;
      if (worker.state !== 'idle') continue;
      const task = this.queue.shift()!;
      worker.state = 'busy';
      worker.task = task;
      const indices = task.outcomes.flatMap((outcome, index) => (outcome === undefined ? [index] : []));
      worker.owed = new Set(indices);
      const request: JobRequest = { type: 'job', id: task.id, job: task.job, indices };
      worker.send(request);
      this.armSilence(worker);
    }
  }
}

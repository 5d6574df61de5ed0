// A pool of worker threads, one interpreter each. It queues jobs, watches every running call's wall
// clock (interrupt first, terminate after a grace period), replaces workers that died, ran out of
// memory or served their quota, and keeps a warm spare so a replacement does not stall the pool.
import { Worker } from 'node:worker_threads';
import type { CallOutcome, PoolOptions, PoolStats } from './types.js';
import type { CallResult, FromWorker, PoolJob, WorkerInit } from './protocol.js';

export interface JobResult {
  outcomes: CallOutcome[];
  /** A tool's JSON answer. */
  value?: unknown;
}

interface Task {
  id: number;
  job: PoolJob;
  outcomes: (CallOutcome | undefined)[];
  value?: unknown;
  restarts: number;
  resolve: (result: JobResult) => void;
}

interface Slot {
  worker: Worker;
  interrupt: Int32Array;
  progress: Int32Array;
  ready: Promise<void>;
  state: 'loading' | 'idle' | 'busy' | 'retired';
  task?: Task;
  jobsServed: number;
  /** The ticket of the call in flight when the job started; the next one is the define phase. */
  jobStartTicket: number;
  watch: { ticket: number; since: number; interrupted: boolean };
  jobStarted: number;
}

const MONITOR_INTERVAL_MS = 20;
const MAX_RESTARTS_PER_JOB = 2;

export class WorkerPool {
  private readonly active: Slot[] = [];
  private spare?: Slot;
  private snapshot?: Uint8Array;
  private readonly queue: Task[] = [];
  private nextTaskId = 1;
  private monitor?: NodeJS.Timeout;
  private closed = false;
  private readonly counters: PoolStats = { jobs: 0, calls: 0, recycled: 0, hardKills: 0, crashes: 0, blocked: {} };
  versions = { python: '', pyodide: '' };

  constructor(
    private readonly options: PoolOptions,
    private readonly harnessSource: string,
  ) {}

  async start(): Promise<void> {
    this.snapshot = await this.makeSnapshot();
    for (let i = 0; i < this.options.workers; i++) this.active.push(this.spawn());
    if (this.options.warmSpare) this.spare = this.spawn();
    await Promise.all(this.active.map((slot) => slot.ready));
    this.monitor = setInterval(() => this.watchClocks(), MONITOR_INTERVAL_MS);
    this.monitor.unref();
  }

  run(job: PoolJob): Promise<JobResult> {
    if (this.closed) return Promise.reject(new Error('the sandbox pool is closed'));
    const calls = job.kind === 'tool' ? 1 : job.calls.length;
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextTaskId++, job, outcomes: new Array(calls).fill(undefined), restarts: 0, resolve });
      this.dispatch();
    });
  }

  stats(): PoolStats {
    return { ...this.counters, blocked: { ...this.counters.blocked } };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.monitor);
    const all = [...this.active, ...(this.spare ? [this.spare] : [])];
    await Promise.all(all.map((slot) => slot.worker.terminate()));
  }

  // ---- workers -------------------------------------------------------------------------------

  /** Boot one interpreter and keep its memory image, so every worker (and replacement) starts fast. */
  private makeSnapshot(): Promise<Uint8Array | undefined> {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { ...this.workerInit(), makeSnapshot: true } });
    return new Promise((resolve) => {
      const done = (bytes?: Uint8Array) => {
        void worker.terminate();
        resolve(bytes);
      };
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'snapshot') done(message.bytes);
        else if (message.type === 'fatal') done(undefined); // fall back to booting each worker
      });
      worker.on('error', () => done(undefined));
    });
  }

  private workerInit(): WorkerInit {
    return {
      harnessSource: this.harnessSource,
      tools: this.options.tools,
      hashSeed: this.options.hashSeed,
      memoryMb: this.options.memoryMb,
      reprCap: this.options.reprCap,
      outputCap: this.options.outputCap,
      interruptBuffer: new SharedArrayBuffer(4),
      progressBuffer: new SharedArrayBuffer(16),
      snapshot: this.snapshot,
    };
  }

  private spawn(): Slot {
    const init = this.workerInit();
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const slot: Slot = {
      worker,
      interrupt: new Int32Array(init.interruptBuffer),
      progress: new Int32Array(init.progressBuffer),
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failStart = reject;
      }),
      state: 'loading',
      jobsServed: 0,
      jobStartTicket: 0,
      watch: { ticket: 0, since: 0, interrupted: false },
      jobStarted: 0,
    };
    slot.ready.catch(() => {}); // a spare that fails to start is reported when it is promoted
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        this.versions = { python: message.python, pyodide: message.pyodide };
        if (slot.state === 'loading') slot.state = 'idle';
        markReady();
        this.dispatch();
      } else {
        this.onMessage(slot, message, failStart);
      }
    });
    worker.on('error', (error) => this.onWorkerDied(slot, `worker error: ${process.env.C2C_DEBUG ? error.stack : error.message}`, failStart));
    worker.on('exit', (code) => this.onWorkerDied(slot, `worker exited with code ${code}`, failStart));
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker, failStart: (error: Error) => void): void {
    const task = slot.task;
    switch (message.type) {
      case 'blocked':
        this.counters.blocked[message.what] = (this.counters.blocked[message.what] ?? 0) + 1;
        return;
      case 'calls':
        if (task && task.id === message.jobId) this.record(task, message.results);
        return;
      case 'done':
        if (!task || task.id !== message.jobId) return;
        this.record(task, message.results);
        slot.jobsServed++;
        this.finish(slot, task);
        if (message.recycle || slot.jobsServed >= this.options.recycleAfterJobs) {
          this.replace(slot);
        } else {
          slot.state = 'idle';
        }
        this.dispatch();
        return;
      case 'fatal':
        if (slot.state === 'loading') failStart(new Error(message.message));
        this.counters.crashes++;
        this.abandon(slot, { verdict: 'crash', message: message.message });
        return;
    }
  }

  private onWorkerDied(slot: Slot, reason: string, failStart: (error: Error) => void): void {
    if (slot.state === 'retired' || this.closed) return;
    if (slot.state === 'loading') failStart(new Error(reason));
    this.counters.crashes++;
    this.abandon(slot, { verdict: 'crash', message: reason });
  }

  /** The worker cannot go on: give the call in flight `outcome`, rerun the rest elsewhere. */
  private abandon(slot: Slot, outcome: CallOutcome): void {
    const task = slot.task;
    slot.task = undefined;
    this.replace(slot);
    if (task) {
      const inDefinePhase = Atomics.load(slot.progress, 0) <= slot.jobStartTicket + 1 && task.job.kind === 'function';
      // The worker names the call in flight; calls it finished but had not posted yet run again.
      const inFlight = Atomics.load(slot.progress, 3);
      const pending = inFlight >= 0 && task.outcomes[inFlight] === undefined ? inFlight : task.outcomes.findIndex((o) => o === undefined);
      if (pending >= 0) task.outcomes[pending] = outcome;
      const budgetSpent = task.job.totalMs !== undefined && performance.now() - slot.jobStarted >= task.job.totalMs;
      if (inDefinePhase || budgetSpent || task.restarts >= MAX_RESTARTS_PER_JOB) {
        const note = inDefinePhase ? outcome : notRun(outcome);
        for (let i = 0; i < task.outcomes.length; i++) task.outcomes[i] ??= note;
      }
      if (task.outcomes.includes(undefined)) {
        task.restarts++;
        this.queue.unshift(task);
      } else {
        this.finish(slot, task, false);
      }
    }
    this.dispatch();
  }

  private replace(slot: Slot): void {
    slot.state = 'retired';
    void slot.worker.terminate();
    this.counters.recycled++;
    const index = this.active.indexOf(slot);
    if (index < 0) return;
    const next = this.spare ?? this.spawn();
    this.spare = this.options.warmSpare && !this.closed ? this.spawn() : undefined;
    this.active[index] = next;
  }

  private record(task: Task, results: CallResult[]): void {
    for (const { index, outcome, value } of results) {
      task.outcomes[index] = outcome;
      if (value !== undefined) task.value = value;
      this.counters.calls++;
    }
  }

  private finish(slot: Slot, task: Task, clearSlot = true): void {
    if (clearSlot) slot.task = undefined;
    this.counters.jobs++;
    task.resolve({ outcomes: task.outcomes as CallOutcome[], value: task.value });
  }

  private dispatch(): void {
    for (const slot of this.active) {
      if (this.queue.length === 0) return;
      if (slot.state !== 'idle') continue;
      const task = this.queue.shift()!;
      slot.state = 'busy';
      slot.task = task;
      slot.jobStartTicket = Atomics.load(slot.progress, 0);
      slot.jobStarted = performance.now();
      slot.watch = { ticket: slot.jobStartTicket, since: slot.jobStarted, interrupted: false };
      const indices = task.outcomes.flatMap((outcome, index) => (outcome === undefined ? [index] : []));
      slot.worker.postMessage({ type: 'job', jobId: task.id, job: task.job, indices });
    }
  }

  // ---- time limits ---------------------------------------------------------------------------

  private watchClocks(): void {
    const now = performance.now();
    for (const slot of this.active) {
      if (slot.state !== 'busy' || !slot.task) continue;
      const job = slot.task.job;
      const ticket = Atomics.load(slot.progress, 0);
      if (ticket !== slot.watch.ticket) slot.watch = { ticket, since: now, interrupted: false };
      const timeoutMs = job.timeoutMs ?? this.options.timeoutMs;
      // How far past its limit the job is: the current call's window, or a tool's total cap.
      let overdue = now - slot.watch.since - timeoutMs;
      if (job.totalMs !== undefined) overdue = Math.max(overdue, now - slot.jobStarted - job.totalMs);
      if (overdue <= 0) continue;
      if (!slot.watch.interrupted) {
        // Soft limit: Python raises KeyboardInterrupt at its next check.
        Atomics.store(slot.progress, 1, ticket);
        Atomics.store(slot.interrupt, 0, 2);
        slot.watch.interrupted = true;
      } else if (overdue > this.options.hardKillGraceMs) {
        // Hard limit: the interrupt was swallowed or never checked (C loops, sleep).
        this.counters.hardKills++;
        const ms = Math.round(now - slot.watch.since);
        this.abandon(slot, { verdict: 'timeout', ms, message: 'hard deadline: worker terminated' });
      }
    }
  }
}

function notRun(cause: CallOutcome): CallOutcome {
  const message = `not run: earlier calls of this job ended the worker (${cause.verdict})`;
  return cause.verdict === 'timeout' ? { verdict: 'timeout', ms: 0, message } : { verdict: 'crash', message };
}

// Drives one Pyodide worker process (dist/src/sandbox/pyodide/worker-main.js) directly over the
// line protocol, checking every line as the pool does (messages.ts), with no OS jail: what these
// tests show is what the worker's own layers hold.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { parseWorkerLine, type WorkerMessage } from '../../src/sandbox/messages.js';
import { pyodideLaunch } from '../../src/sandbox/pyodide/backend.js';
import type { PoolJob, WorkerOptions } from '../../src/sandbox/protocol.js';
import { DEFAULT_LIMITS, type FunctionJob, type PythonTool } from '../../src/sandbox/types.js';
import type { CallOutcome } from '../../src/contract/index.js';

export interface WorkerStart {
  limits?: Partial<WorkerOptions>;
  tools?: Record<string, PythonTool>;
  /** false: leave out the Python-side guards (the wasm gate alone). */
  pythonGuards?: boolean;
  /** false: no Node permission model and eval allowed (the interpreter's own layers alone). */
  nodeLayers?: boolean;
  env?: Record<string, string>;
}

export interface JobAnswer {
  outcomes: CallOutcome[];
  value?: unknown;
}

export class PyodideWorker {
  /** Every message it sent, once checked. */
  readonly messages: WorkerMessage[] = [];
  /** Lines the host-side check refused, and other breaches of the protocol. */
  readonly breaches: string[] = [];
  stderr = '';
  ready?: Extract<WorkerMessage, { type: 'ready' }>;
  private nextId = 1;
  private current?: { id: number; owed: Set<number>; answer: JobAnswer; resolve: (a: JobAnswer) => void; reject: (e: Error) => void };
  private exited?: string;

  private constructor(private readonly child: ChildProcess, private readonly options: WorkerOptions) {}

  static async start(start: WorkerStart = {}): Promise<PyodideWorker> {
    const options: WorkerOptions = { ...DEFAULT_LIMITS, hashSeed: 0, ...start.limits };
    const program = pyodideLaunch({ workerOptions: options, tools: start.tools, permissions: start.nodeLayers !== false });
    const args = start.nodeLayers === false ? program.args.filter((arg) => arg !== '--disallow-code-generation-from-strings') : program.args;
    const child = spawn(program.command, args, { env: start.env ?? program.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const worker = new PyodideWorker(child, options);
    child.stderr!.on('data', (chunk) => (worker.stderr = (worker.stderr + chunk).slice(-8000)));
    const started = new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = worker.take(line);
        if (message?.type === 'ready') {
          worker.ready = message;
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        worker.exited = `the worker exited (code ${code}, signal ${signal})`;
        worker.current?.reject(new Error(`${worker.exited}\n${worker.stderr}`));
        reject(new Error(`${worker.exited}\n${worker.stderr}`));
      });
    });
    child.stdin!.on('error', () => {});
    child.stdin!.write(JSON.stringify({ ...program.init, pythonGuards: start.pythonGuards !== false }) + '\n');
    await started;
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Refusals by the worker's guards, by kind, as the pool would count them. */
  blocked(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const message of this.messages) if (message.type === 'blocked') counts[message.what] = (counts[message.what] ?? 0) + 1;
    return counts;
  }

  run(job: PoolJob, indices?: number[]): Promise<JobAnswer> {
    if (this.current) throw new Error('one job at a time');
    if (this.exited) return Promise.reject(new Error(this.exited));
    const calls = job.kind === 'tool' ? 1 : job.calls.length;
    const owed = indices ?? [...Array(calls).keys()];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.current = { id, owed: new Set(owed), answer: { outcomes: new Array(calls) }, resolve, reject };
      this.child.stdin!.write(JSON.stringify({ type: 'job', id, job, indices: owed }) + '\n');
    });
  }

  async runFunction(job: FunctionJob): Promise<CallOutcome[]> {
    return (await this.run({ kind: 'function', ...job })).outcomes;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }

  private take(line: string): WorkerMessage | undefined {
    const message = parseWorkerLine(line, { reprCap: this.options.reprCap, outputCap: this.options.outputCap });
    if ('refused' in message) {
      this.breach(message.refused);
      return undefined;
    }
    this.messages.push(message);
    if (message.type === 'ready' || message.type === 'blocked') return message;
    const job = this.current;
    if (!job || message.id !== job.id) {
      this.breach(`a message for job ${message.id}, which it was not given`);
      return undefined;
    }
    if (message.type === 'outcome') {
      if (!job.owed.delete(message.index)) return this.breach(`an outcome for call ${message.index}, which it does not owe`), undefined;
      job.answer.outcomes[message.index] = message.outcome;
      if (message.value !== undefined) job.answer.value = message.value;
    } else if (message.type === 'done') {
      this.current = undefined;
      if (job.owed.size > 0) job.reject(new Error(`'done' with ${job.owed.size} outcome(s) missing`));
      else job.resolve(job.answer);
    }
    return message;
  }

  private breach(why: string): void {
    this.breaches.push(why);
    this.current?.reject(new Error(`protocol breach: ${why}`));
    this.current = undefined;
  }
}

// The sandbox as the rest of case2code sees it: start it, give it functions or tool calls, read
// verdicts. By default the pool runs in a separate, OS-isolated child process; `isolation:
// 'in-process'` keeps it in the caller (faster start, fewer layers).
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { readPythonAsset } from './assets.js';
import { hostLaunch, INTERPRETER_LAYERS, type IsolationLayer } from './isolation.js';
import { WorkerPool, type JobResult } from './pool.js';
import type { PoolJob } from './protocol.js';
import {
  DEFAULT_LIMITS,
  type CallOutcome,
  type FunctionJob,
  type PoolOptions,
  type PoolStats,
  type ToolOutcome,
} from './types.js';

export interface SandboxOptions extends Partial<Omit<PoolOptions, 'tools'>> {
  /** `process` (default): a child process with the OS layers; `in-process`: worker threads here. */
  isolation?: 'process' | 'in-process';
  /** Use a network namespace for the host process when the machine allows (default true). */
  networkNamespace?: boolean;
  /** Use Node's permission model for the host process (default true). */
  permissionModel?: boolean;
  /** Trusted Python tool modules: name -> source text (see readPythonAsset). */
  tools?: Record<string, string>;
}

/** The in-interpreter half of the sandbox, loaded as one module, in this order. */
const HARNESS_FILES = ['guards.py', 'state.py', 'harness.py'];

interface Backend {
  run(job: PoolJob): Promise<JobResult>;
  stats(): Promise<PoolStats>;
  close(): Promise<void>;
}

export class Sandbox {
  private constructor(
    private readonly backend: Backend,
    readonly info: { python: string; pyodide: string; layers: IsolationLayer[]; options: PoolOptions },
  ) {}

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const pool: PoolOptions = {
      ...DEFAULT_LIMITS,
      workers: Math.max(1, os.availableParallelism()),
      hashSeed: 0,
      recycleAfterJobs: 2000,
      warmSpare: true,
      ...stripUndefined(options),
      tools: options.tools ?? {},
    };
    const harnessSource = HARNESS_FILES.map((file) => readPythonAsset(import.meta.url, `./python/${file}`)).join('\n\n');
    if (options.isolation === 'in-process') {
      const workerPool = new WorkerPool(pool, harnessSource);
      await workerPool.start();
      const backend: Backend = {
        run: (job) => workerPool.run(job),
        stats: async () => workerPool.stats(),
        close: () => workerPool.close(),
      };
      return new Sandbox(backend, { ...workerPool.versions, layers: INTERPRETER_LAYERS, options: pool });
    }
    const launch = hostLaunch(fileURLToPath(new URL('./host.js', import.meta.url)), {
      network: options.networkNamespace ?? true,
      permissions: options.permissionModel ?? true,
    });
    const child = new HostProcess(launch.command, launch.args, launch.env);
    const versions = await child.init(pool, harnessSource);
    return new Sandbox(child, { ...versions, layers: launch.layers, options: pool });
  }

  /** Run a function on its calls; one outcome per call, in order. */
  async runFunction(job: FunctionJob): Promise<CallOutcome[]> {
    return (await this.backend.run({ kind: 'function', ...job })).outcomes;
  }

  /** Call a trusted tool module's handle(payload) inside an interpreter. */
  async runTool<T>(tool: string, payload: unknown, options: { timeoutMs?: number; totalMs?: number } = {}): Promise<ToolOutcome<T>> {
    const result = await this.backend.run({ kind: 'tool', tool, payload, timeoutMs: options.timeoutMs, totalMs: options.totalMs });
    const outcome = result.outcomes[0];
    if (result.value !== undefined && outcome.verdict === 'return') return { ok: true, value: result.value as T, ms: outcome.ms };
    return { ok: false, outcome };
  }

  stats(): Promise<PoolStats> {
    return this.backend.stats();
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/** The pool in a child process, over Node's IPC channel. */
class HostProcess implements Backend {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (value: any) => void>();
  private nextId = 1;
  private ready?: { resolve: (v: any) => void; reject: (e: Error) => void };
  private failure?: Error;

  constructor(command: string, args: string[], env: Record<string, string>) {
    this.child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    this.child.stderr!.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    this.child.on('message', (message: any) => {
      if (message.type === 'ready') this.ready?.resolve(message.versions);
      else if (message.type === 'result') {
        this.waiting.get(message.id)?.(message.result);
        this.waiting.delete(message.id);
      } else if (message.type === 'error') this.fail(new Error(`sandbox host: ${message.message}`));
    });
    this.child.on('exit', (code, signal) => {
      this.fail(new Error(`sandbox host exited (code ${code}, signal ${signal}): ${stderr.trim()}`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.ready?.reject(error);
    for (const resolve of this.waiting.values()) resolve(Promise.reject(error));
    this.waiting.clear();
  }

  init(options: PoolOptions, harnessSource: string): Promise<{ python: string; pyodide: string }> {
    return new Promise((resolve, reject) => {
      this.ready = { resolve, reject };
      this.child.send({ type: 'init', options, harnessSource });
    });
  }

  private request<T>(message: Record<string, unknown>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.waiting.set(id, resolve);
      this.child.send({ ...message, id });
    });
  }

  run(job: PoolJob): Promise<JobResult> {
    return this.request({ type: 'job', job });
  }

  stats(): Promise<PoolStats> {
    return this.request({ type: 'stats' });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.failure ??= new Error('the sandbox is closed');
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

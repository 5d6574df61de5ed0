// The sandbox as the rest of case2code sees it: start it, give it functions or tool calls, read
// verdicts. Two backends behind one pool of jailed worker processes:
//   native  (default on Linux) the machine's CPython as a fork server: a fresh forked process per
//           function, in bubblewrap, with seccomp and rlimits;
//   pyodide CPython compiled to WebAssembly (pinned, no native python needed), one interpreter
//           per worker process, each in its own jail where one works.
import os from 'node:os';
import { SandboxConfigError } from './errors.js';
import { BACKENDS, SANDBOX_OPTIONS, type SandboxFlags } from './options.js';
import { taskLimit } from './cgroup.js';
import { jailCommand, jailLayers, jailSupport, type IsolationLayer } from './jail.js';
import { hostScratch, nativeProgram } from './native/backend.js';
import { findPython } from './native/python.js';
import { WorkerPool, type WorkerLaunch } from './pool.js';
import type { PoolJob, WorkerOptions } from './protocol.js';
import { DEFAULT_LIMITS, type FunctionJob, type PoolStats, type PythonTool, type SandboxLimits, type ToolOutcome } from './types.js';
import type { CallOutcome } from '../contract/index.js';

export type BackendName = 'native' | 'pyodide';
export { BACKENDS };

/** The options of SANDBOX_OPTIONS (options.ts), the other limits, and what only a program gives. */
export interface SandboxOptions extends SandboxFlags, Partial<Omit<SandboxLimits, keyof SandboxFlags>> {
  /** Trusted Python tool packages: name -> {root, module} (see each stage's tools.ts). */
  tools?: Record<string, PythonTool>;
  /** Where the one-line warning of a fallback goes (default: stderr). */
  warn?: (message: string) => void;
}

export interface SandboxInfo {
  backend: BackendName;
  python: string;
  pyodide?: string;
  layers: IsolationLayer[];
  /** What this sandbox does not guarantee, in plain words (empty when every layer is on). */
  caveats: string[];
  limits: SandboxLimits;
  workers: number;
  hashSeed: number;
}

/** Host-side slack over the worker's own backstops before the host kills a silent worker. */
const HOST_SLACK_MS = 5000;
/** The worker's wall-clock backstop is this many times a CPU window, plus a second (child.py). */
const WALL_FACTOR = 2;

export class Sandbox {
  private constructor(private readonly pool: WorkerPool, readonly info: SandboxInfo) {}

  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const { tools, warn, ...rest } = options;
    const flags = resolveFlags(pick(rest, Object.keys(SANDBOX_OPTIONS.table)));
    const extra = pick(rest, (Object.keys(DEFAULT_LIMITS) as string[]).filter((key) => !(key in SANDBOX_OPTIONS.table)));
    const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...extra, timeoutMs: flags.timeoutMs, memoryMb: flags.memoryMb, reprCap: flags.reprCap };
    const workers = flags.workers ?? Math.max(1, os.availableParallelism());
    const hashSeed = flags.hashSeed;
    checkLimits(limits);
    options = { ...flags, tools, warn };
    const workerOptions: WorkerOptions = { ...limits, hashSeed };
    const plan = await planBackend(options, workerOptions);
    const pool = new WorkerPool({
      workers,
      launch: plan.launch,
      caps: { reprCap: limits.reprCap, outputCap: limits.outputCap },
      maxLineBytes: limits.maxToolAnswerBytes + 64 * 1024,
      silenceLimitMs: (job) => silenceLimit(job, limits.timeoutMs),
      startLimitMs: 60_000,
    });
    const ready = await pool.start();
    const layers = [...plan.layers, ...Object.entries(ready.layers).map(([name, state]) => ({ name, active: state.startsWith('active'), detail: state.replace(/^active: /, '') }))];
    return new Sandbox(pool, { backend: plan.backend, python: ready.python, pyodide: ready.pyodide, layers, caveats: plan.caveats, limits, workers, hashSeed });
  }

  /** Run a function on its calls; one outcome per call, in order. */
  async runFunction(job: FunctionJob): Promise<CallOutcome[]> {
    return (await this.pool.run({ kind: 'function', ...job })).outcomes;
  }

  /** Call a trusted tool module's handle(payload) in a fresh sandboxed process (native) or interpreter. */
  async runTool<T>(tool: string, payload: unknown, options: { timeoutMs?: number; totalMs?: number } = {}): Promise<ToolOutcome<T>> {
    const result = await this.pool.run({ kind: 'tool', tool, payload, timeoutMs: options.timeoutMs, totalMs: options.totalMs });
    const outcome = result.outcomes[0];
    if (result.value !== undefined && outcome.verdict === 'return') return { ok: true, value: result.value as T, ms: outcome.ms };
    return { ok: false, outcome: outcome.verdict === 'return' ? { verdict: 'crash', message: 'the tool gave no answer' } : outcome };
  }

  async stats(): Promise<PoolStats> {
    return this.pool.stats();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The longest a worker may stay silent on a job: its own backstops, then the host's slack. */
function silenceLimit(job: PoolJob, defaultTimeoutMs: number): number {
  const window = job.timeoutMs ?? defaultTimeoutMs;
  const calls = job.kind === 'tool' ? 1 : job.calls.length;
  const total = job.totalMs ?? window * (calls + 2);
  return Math.max(window, job.kind === 'tool' ? total : window) * WALL_FACTOR + 1000 + HOST_SLACK_MS;
}

/** The table's checks, as the sandbox's own error kind. */
function resolveFlags(given: SandboxFlags) {
  try {
    return SANDBOX_OPTIONS.resolve(given);
  } catch (error) {
    throw new SandboxConfigError((error as Error).message);
  }
}

function checkLimits(limits: SandboxLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new SandboxConfigError(`${name} must be a positive number (got ${value})`);
  }
}

interface BackendPlan {
  backend: BackendName;
  launch: () => WorkerLaunch;
  layers: IsolationLayer[];
  caveats: string[];
}

async function planBackend(options: SandboxOptions, workerOptions: WorkerOptions): Promise<BackendPlan> {
  const warn = options.warn ?? warnOnce;
  const plan = await choosePlan(options, workerOptions, warn);
  // A native sandbox with a jail layer off (unshare instead of bubblewrap, --unsafe-no-jail) says
  // so on every start; the task cgroup (root only) is left to doctor: seccomp already refuses new
  // processes, and threads still count against the address-space limit.
  const missing = plan.backend === 'native' ? plan.caveats.filter((caveat) => !caveat.startsWith('task-limit-cgroup')) : [];
  if (missing.length) warn(`case2code: native sandbox without: ${missing.join('; ')}`);
  return plan;
}

async function choosePlan(options: SandboxOptions, workerOptions: WorkerOptions, warn: (message: string) => void): Promise<BackendPlan> {
  const tools = options.tools ?? {};
  const requested = options.backend ?? 'auto';
  if (requested === 'pyodide') return pyodidePlan(tools, workerOptions);
  const jail = jailSupport();
  if (requested === 'native') {
    const python = findPython(options.python);
    if (!jail.kind && !options.unsafeNoJail) {
      throw new SandboxConfigError(`native backend: no OS jail works here (${jail.reason}); install bubblewrap, use --backend pyodide, or pass --unsafe-no-jail for code you trust`);
    }
    return nativePlan(python, tools, workerOptions, options.unsafeNoJail && !jail.kind);
  }
  // auto
  let why: string;
  if (!jail.kind) {
    why = jail.reason;
  } else {
    try {
      return nativePlan(findPython(options.python), tools, workerOptions, false);
    } catch (error) {
      if (!(error instanceof SandboxConfigError)) throw error;
      why = error.message;
    }
  }
  const plan = await pyodidePlan(tools, workerOptions);
  const jailOff = plan.layers.filter((layer) => !layer.active).map((layer) => layer.name);
  warn(`case2code: native sandbox unavailable (${why}); using Pyodide${jailOff.length ? `, without: ${jailOff.join(', ')}` : ''} (case2code doctor --backend pyodide lists what it does not guarantee)`);
  return plan;
}

function nativePlan(python: ReturnType<typeof findPython>, tools: Record<string, PythonTool>, workerOptions: WorkerOptions, noJail: boolean | undefined): BackendPlan {
  const support = jailSupport();
  const jailed = !noJail && support.kind === 'bwrap';
  const program = nativeProgram(python, tools, workerOptions, jailed);
  const tasks = taskLimit();
  const launch = (): WorkerLaunch => {
    const wrapped = noJail ? null : jailCommand(program, hostScratch);
    // bwrap's init, the server, the child: the rest of the group is the child's threads.
    const limited = tasks.wrap(wrapped?.command ?? program.command, wrapped?.args ?? program.args, workerOptions.threads + 3);
    const base = { command: limited.command, args: limited.args, cleanup: limited.cleanup };
    // bwrap sets the server's environment itself (--clearenv, --setenv); unshare passes ours on.
    if (wrapped) return { ...base, env: wrapped.kind === 'bwrap' ? {} : program.env, init: { ...program.init, workRoot: wrapped.scratch.workRoot, scratch: wrapped.scratch.dirs } };
    const root = hostScratch();
    return { ...base, env: program.env, init: { ...program.init, workRoot: root, scratch: [root] } };
  };
  const kind = noJail ? null : support.kind;
  const layers = jailLayers(kind, noJail ? 'turned off by --unsafe-no-jail' : support.reason);
  layers.unshift({ name: 'fresh-process-per-function', active: true, detail: 'each function runs in a forked child that is thrown away afterwards' });
  layers.push({ name: 'rlimits', active: true, detail: 'per child: address space, CPU time, file size, descriptors; no core dumps' });
  layers.push(tasks.layer);
  const caveats = layers.filter((layer) => !layer.active).map((layer) => `${layer.name} (${layer.detail})`);
  return { backend: 'native', launch, layers, caveats };
}

async function pyodidePlan(tools: Record<string, PythonTool>, workerOptions: WorkerOptions): Promise<BackendPlan> {
  // Loaded on demand: the native backend never needs the Pyodide package.
  const modulePath = './pyodide/backend.js';
  const pyodide = await import(modulePath);
  return pyodide.pyodidePlan(tools, workerOptions) as BackendPlan;
}

const warned = new Set<string>();
/** A process that starts several sandboxes (run: two) says each warning once. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(message + '\n');
}

/** The given keys of `value` that are set. */
function pick(value: Record<string, unknown>, keys: string[]): Record<string, any> {
  return Object.fromEntries(keys.filter((key) => value[key] !== undefined).map((key) => [key, value[key]]));
}

export type { BackendPlan };

// The Pyodide backend, seen from the host: a Node process per worker (worker-main.js, one
// interpreter each) wrapped in the OS jail. Here: what to run, what it may see, what it is told,
// and what this backend does not guarantee.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pythonAssetPath } from '../assets.js';
import { jailCommand, jailLayers, jailSupport, type Bind, type IsolationLayer } from '../jail.js';
import type { WorkerLaunch } from '../pool.js';
import type { WorkerOptions } from '../protocol.js';
import type { BackendPlan } from '../sandbox.js';
import type { PythonTool } from '../types.js';
import type { PyodideInit } from './threads.js';

/** What the Pyodide backend does not guarantee, even with every layer on (for doctor and the
 * fallback warning). */
export const PYODIDE_CAVEATS: readonly string[] = [
  'one interpreter serves all the jobs of a worker: a job is kept from the next by writing the interpreter\'s memory and files back to a start-up image, not by a new process',
  'an escape at the JavaScript level (a flaw in V8, Node or the Pyodide runtime past the wasm import gate) would own that worker process: its own pipes and what the OS jail lets it see, not other workers, and the host checks every line it sends',
  'CPU time is counted for the whole worker process (its clock thread included), not for the function alone',
  'no kernel limits per function: memory, file size and /tmp are capped inside the interpreter; threads and processes cannot be started at all',
  'a C-level loop that never checks for signals is stopped by replacing the interpreter (a few seconds), not by a signal',
];

export interface PyodideProgram {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** What the jail must show (read-only): node and its libraries, Pyodide, our compiled worker, the Python roots. */
  binds: Bind[];
  init: PyodideInit & Record<string, unknown>;
}

export interface PyodideLaunchOptions {
  workerOptions: WorkerOptions;
  /** Trusted tool packages: name -> {root, module}. */
  tools?: Record<string, PythonTool>;
  /** Node's permission model (on by default): reads limited to what the worker needs, no writes. */
  permissions?: boolean;
}

/** The worker's command line, environment, binds and init message. */
export function pyodideLaunch(options: PyodideLaunchOptions): PyodideProgram {
  const tools = options.tools ?? {};
  const workerDir = path.dirname(fileURLToPath(import.meta.url));
  const pyodideDir = path.dirname(createRequire(import.meta.url).resolve('pyodide/pyodide.mjs'));
  const sandboxRoot = pythonAssetPath(import.meta.url, '../python');
  const pythonRoots = [...new Set([sandboxRoot, ...Object.values(tools).map((tool) => tool.root)])];
  const packageJson = nearestPackageJson(workerDir);
  const readable = [workerDir + path.sep, pyodideDir + path.sep, ...pythonRoots.map((root) => root + path.sep), ...(packageJson ? [packageJson] : [])];
  // --no-liftoff: compile the interpreter fully up front (once per process; threads share it), so
  // no background compilation adds to the CPU time that the call windows count.
  const nodeArgs = ['--no-warnings', '--disallow-code-generation-from-strings', '--no-liftoff'];
  if (options.permissions !== false) {
    const major = Number(process.versions.node.split('.')[0]);
    nodeArgs.push(major >= 22 ? '--permission' : '--experimental-permission', ...readable.map((p) => `--allow-fs-read=${p}`), '--allow-worker');
  }
  return {
    command: process.execPath,
    args: [...nodeArgs, path.join(workerDir, 'worker-main.js')],
    env: {},
    binds: [...nodeBinds(), { src: workerDir }, { src: pyodideDir }, ...pythonRoots.map((src) => ({ src })), ...(packageJson ? [{ src: packageJson }] : [])],
    init: {
      type: 'init',
      options: options.workerOptions,
      tools: Object.fromEntries(Object.entries(tools).map(([name, tool]) => [name, tool.module])),
      pythonRoots,
      pyodideDir,
    },
  };
}

/** The layers of the worker process itself, beside the jail's (the interpreter reports its own). */
export function pyodideProcessLayers(permissions: boolean): IsolationLayer[] {
  return [
    { name: 'process-per-worker', active: true, detail: 'each interpreter in its own Node process, holding no channel but its own pipes' },
    { name: 'no-code-from-strings', active: true, detail: 'V8 refuses eval and new Function in the worker process' },
    { name: 'node-permission-model', active: permissions, detail: permissions ? 'no file writes, no child processes, reads limited to Pyodide and case2code' : 'off' },
  ];
}

/** The plan sandbox.ts starts the pool with. */
export function pyodidePlan(tools: Record<string, PythonTool>, workerOptions: WorkerOptions): BackendPlan {
  const program = pyodideLaunch({ workerOptions, tools });
  const support = jailSupport();
  const launch = (): WorkerLaunch => {
    // The worker writes only to its in-memory file system: the jail's scratch folder is not used.
    const wrapped = jailCommand(program, () => os.tmpdir());
    if (wrapped) return { command: wrapped.command, args: wrapped.args, env: {}, init: program.init };
    return { command: program.command, args: program.args, env: program.env, init: program.init };
  };
  const layers = [...jailLayers(support.kind, support.reason), ...pyodideProcessLayers(true)];
  const caveats = [...PYODIDE_CAVEATS, ...layers.filter((layer) => !layer.active).map((layer) => `${layer.name} (${layer.detail})`)];
  return { backend: 'pyodide', launch, layers, caveats };
}

function nearestPackageJson(from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The node binary, the shared objects it has loaded (from /proc/self/maps) and its ELF interpreter. */
function nodeBinds(): Bind[] {
  const executable = fs.realpathSync(process.execPath);
  const paths = new Set<string>([executable]);
  try {
    for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const file = line.split(/\s+/)[5];
      if (file && /\.so(\.|$)/.test(path.basename(file)) && !file.endsWith('.node')) paths.add(path.dirname(file));
    }
    const head = Buffer.alloc(4096);
    const fd = fs.openSync(executable, 'r');
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const at = head.indexOf('/lib');
    if (at >= 0) paths.add(head.subarray(at, head.indexOf(0, at)).toString());
  } catch {
    // not Linux: there is no jail to bind into anyway
  }
  return [...paths].map((src) => ({ src }));
}

// The native backend: the machine's CPython as a fork server (python/case2code_sandbox/server.py),
// one per worker, each in its own jail. Here: what to run, what it may see, what it is told.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pythonAssetPath } from '../assets.js';
import type { Bind } from '../jail.js';
import type { WorkerOptions } from '../protocol.js';
import type { PythonTool } from '../types.js';
import type { PythonInfo } from './python.js';

/** Where case2code's own Python appears inside the jail. */
const SANDBOX_ROOT_IN_JAIL = '/c2c/sandbox';
const TOOL_ROOT_IN_JAIL = '/c2c/tools';
/** Headroom over the probed interpreter for the harness, the tools and ctypes (seccomp). */
const ADDRESS_SPACE_SLACK = 128 * 1024 * 1024;

export interface NativeProgram {
  command: string;
  args: string[];
  env: Record<string, string>;
  binds: Bind[];
  /** The init message, less the scratch folders, which depend on the jail. */
  init: Record<string, unknown>;
}

/** The server's command line, environment and init for one worker. `jailed`: paths are the jail's. */
export function nativeProgram(python: PythonInfo, tools: Record<string, PythonTool>, options: WorkerOptions, jailed: boolean): NativeProgram {
  const sandboxRoot = pythonAssetPath(import.meta.url, '../python');
  const roots = [...new Set(Object.values(tools).map((tool) => tool.root))];
  const rootIn = (root: string) => (jailed ? `${TOOL_ROOT_IN_JAIL}/${roots.indexOf(root)}` : root);
  const binds: Bind[] = [
    ...python.binds.map((src) => ({ src })),
    { src: sandboxRoot, dest: SANDBOX_ROOT_IN_JAIL },
    ...roots.map((root) => ({ src: root, dest: rootIn(root) })),
  ];
  const serve = path.join(jailed ? SANDBOX_ROOT_IN_JAIL : sandboxRoot, 'serve.py');
  const env: Record<string, string> = {
    PYTHONHASHSEED: String(options.hashSeed),
    PYTHONPATH: roots.map(rootIn).join(path.delimiter),
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONIOENCODING: 'utf-8',
    LANG: 'C.UTF-8',
    HOME: '/tmp',
    PATH: '/nonexistent',
    // Numeric libraries start a thread per core at import; one is enough and fits the thread cap.
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  return {
    command: python.executable,
    args: ['-s', '-B', serve],
    env,
    binds,
    init: {
      options,
      tools: Object.fromEntries(Object.entries(tools).map(([name, tool]) => [name, tool.module])),
      baseAddressSpace: python.baseAddressSpace + ADDRESS_SPACE_SLACK,
    },
  };
}

/** A private folder on the host for a worker that has no tmpfs of its own (unshare, or no jail). */
export function hostScratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'case2code-sandbox-'));
  fs.chmodSync(dir, 0o777); // the worker runs as nobody under unshare
  return dir;
}

// Operating-system layers around the process that hosts the worker pool. Each is used when the
// machine allows it; `case2code doctor` lists which ones are active.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface IsolationLayer {
  name: string;
  active: boolean;
  detail: string;
}

/** Layers that live inside every interpreter, whatever the OS offers. */
export const INTERPRETER_LAYERS: IsolationLayer[] = [
  { name: 'wasm-import-guards', active: true, detail: 'shell, sockets, script eval, dlopen after start-up: refused at the wasm import level' },
  { name: 'heap-cap', active: true, detail: 'wasm heap growth refused past --memory-mb' },
  { name: 'js-bridge-removed', active: true, detail: 'js/pyodide modules blocked, JS import hook removed, jsglobals empty, Function constructors removed' },
  { name: 'python-audit-hook', active: true, detail: 'imports of ctypes/_testcapi/sockets/subprocess, os.system/exec/spawn, gc object walks refused' },
  { name: 'no-host-filesystem', active: true, detail: 'the interpreter sees only its in-memory file system' },
];

let namespaceProbe: string[] | null | undefined;

/** The command prefix that gives the host process its own empty network namespace, if any works here. */
export function networkNamespacePrefix(): string[] | null {
  if (namespaceProbe !== undefined) return namespaceProbe;
  namespaceProbe = null;
  for (const candidate of [['unshare', '-n'], ['unshare', '-rn'], ['bwrap', '--unshare-net', '--dev-bind', '/', '/']]) {
    const probe = spawnSync(candidate[0], [...candidate.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status === 0) {
      namespaceProbe = [...candidate, '--'];
      break;
    }
  }
  return namespaceProbe;
}

/** Node's permission model (Node 20: --experimental-permission): read only our code and Pyodide, write nothing. */
export function permissionFlags(): string[] {
  const require = createRequire(import.meta.url);
  const pyodideDir = path.dirname(require.resolve('pyodide/pyodide.mjs'));
  const sandboxDir = path.dirname(fileURLToPath(import.meta.url));
  const packageRoot = path.resolve(sandboxDir, '..', '..', '..');
  const readable = [pyodideDir + path.sep, sandboxDir + path.sep, path.join(packageRoot, 'package.json')];
  const major = Number(process.versions.node.split('.')[0]);
  const flag = major >= 22 ? '--permission' : '--experimental-permission';
  return ['--no-warnings', flag, ...readable.map((p) => `--allow-fs-read=${p}`), '--allow-worker'];
}

export interface HostLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  layers: IsolationLayer[];
}

export function hostLaunch(hostScript: string, want: { network: boolean; permissions: boolean }): HostLaunch {
  const nodeArgs = [...(want.permissions ? permissionFlags() : []), hostScript];
  const prefix = want.network ? networkNamespacePrefix() : null;
  const layers: IsolationLayer[] = [
    ...INTERPRETER_LAYERS,
    { name: 'separate-host-process', active: true, detail: 'the pool runs in a child process, not in the caller' },
    { name: 'clean-environment', active: true, detail: "the host process gets an empty environment: none of the caller's variables" },
    { name: 'node-permission-model', active: want.permissions, detail: want.permissions ? 'no child processes, no file writes, reads limited to Pyodide and case2code' : 'off' },
    {
      name: 'network-namespace',
      active: prefix !== null,
      detail: prefix ? `${prefix[0]}: an empty network namespace (loopback down, no routes)` : 'not available on this machine (needs unshare or bwrap with namespace rights)',
    },
  ];
  const [command, ...args] = prefix ? [...prefix, process.execPath, ...nodeArgs] : [process.execPath, ...nodeArgs];
  return { command, args, env: {}, layers };
}

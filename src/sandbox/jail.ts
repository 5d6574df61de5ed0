// The operating-system jail around every worker process: bubblewrap where it runs, `unshare` where
// only that works, nothing otherwise (the caller decides whether that is acceptable). The jail is
// described as layers, which `case2code doctor` prints with the reason a layer is off.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SandboxConfigError } from './errors.js';

export interface IsolationLayer {
  name: string;
  active: boolean;
  detail: string;
}

export interface Bind {
  /** A path on the host (file or directory), made visible read-only. */
  src: string;
  /** Where it appears inside the jail (default: the same path). */
  dest?: string;
}

export interface JailRequest {
  command: string;
  args: string[];
  env: Record<string, string>;
  binds: Bind[];
}

export interface JailedCommand {
  command: string;
  args: string[];
  kind: JailKind;
  /** Where the worker may write: a private tmpfs inside bwrap; with unshare, a host folder. */
  scratch: { workRoot: string; dirs: string[] };
}

export type JailKind = 'bwrap' | 'unshare';

/** The private tmpfs a worker works in (its cwd and TMPDIR) is capped so a job cannot fill memory. */
export const SCRATCH_MB = 64;
/** The uid and gid inside the jail: nobody, with no capabilities. */
const NOBODY = '65534';

let probed: { kind: JailKind | null; reason: string } | undefined;

/**
 * Which jail works on this machine, tried once per process. `CASE2CODE_JAIL=unshare` skips
 * bubblewrap (for a machine whose bwrap misbehaves, and for the tests of the unshare path).
 */
export function jailSupport(): { kind: JailKind | null; reason: string } {
  if (probed) return probed;
  if (process.platform !== 'linux') return (probed = { kind: null, reason: `no jail on ${process.platform}: bubblewrap and unshare are Linux-only` });
  const wanted = process.env.CASE2CODE_JAIL ?? 'auto';
  if (!['auto', 'bwrap', 'unshare'].includes(wanted)) throw new SandboxConfigError(`CASE2CODE_JAIL must be auto, bwrap or unshare, not "${wanted}"`);
  if (wanted === 'unshare') return (probed = unshareSupport('bubblewrap skipped (CASE2CODE_JAIL=unshare)'));
  const bwrap = spawnSync('bwrap', [...bwrapNamespaces(), '--ro-bind', '/', '/', '--', 'true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  if (bwrap.status === 0) return (probed = { kind: 'bwrap', reason: 'bubblewrap works here' });
  const bwrapWhy = bwrap.error ? 'bwrap is not installed (Debian package bubblewrap)' : `bwrap failed: ${String(bwrap.stderr).trim().slice(0, 200) || `exit code ${bwrap.status}`}`;
  if (wanted === 'bwrap') return (probed = { kind: null, reason: `${bwrapWhy} (CASE2CODE_JAIL=bwrap)` });
  return (probed = unshareSupport(bwrapWhy));
}

function unshareSupport(bwrapWhy: string): { kind: JailKind | null; reason: string } {
  const unshare = spawnSync('unshare', unshareCommand('true', []), { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  if (unshare.status === 0) return { kind: 'unshare', reason: `${bwrapWhy}; unshare works (namespaces without a private file system)` };
  const unshareWhy = unshare.error ? 'unshare is not installed' : `unshare failed: ${String(unshare.stderr).trim().slice(0, 200) || `exit code ${unshare.status}`}`;
  return { kind: null, reason: `${bwrapWhy}; ${unshareWhy}` };
}

function bwrapNamespaces(): string[] {
  return ['--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--uid', NOBODY, '--gid', NOBODY, '--hostname', 'sandbox', '--die-with-parent', '--new-session', '--cap-drop', 'ALL'];
}

/**
 * `unshare` and what follows it up to the jailed command. A user namespace maps nobody inside to
 * the caller outside, so the caller's own files stay writable (for root: every root-owned file).
 * Run by root, the namespaces are made without one and `setpriv` then becomes the host's nobody,
 * with no capabilities, so only what anyone may write can be written.
 */
function unshareCommand(command: string, args: string[]): string[] {
  const namespaces = ['--pid', '--fork', '--kill-child', '--net', '--ipc', '--uts'];
  if (process.getuid?.() === 0) {
    const drop = ['--reuid', NOBODY, '--regid', NOBODY, '--clear-groups', '--bounding-set', '-all', '--no-new-privs'];
    return [...namespaces, '--', commandPath('setpriv'), ...drop, '--', command, ...args];
  }
  return ['--user', `--map-user=${NOBODY}`, `--map-group=${NOBODY}`, ...namespaces, '--', command, ...args];
}

/** `request` wrapped in the best jail this machine has, or null when none works. */
export function jailCommand(request: JailRequest, scratchHost: () => string): JailedCommand | null {
  const support = jailSupport();
  if (support.kind === 'bwrap') {
    const args = [...bwrapNamespaces(), '--clearenv'];
    for (const [key, value] of Object.entries(request.env)) args.push('--setenv', key, value);
    const size = String(SCRATCH_MB * 1024 * 1024);
    args.push('--dev', '/dev', '--size', size, '--tmpfs', '/dev/shm', '--size', size, '--tmpfs', '/tmp');
    // After the scratch mounts, so that a bind from under the host's /tmp is not hidden by them.
    for (const bind of minimalBinds(request.binds)) args.push('--ro-bind', bind.src, bind.dest ?? bind.src);
    args.push('--chdir', '/tmp');
    // bwrap's root and /dev are tmpfs mounts the jailed uid owns: read-only, so that only the
    // scratch mounts above can be written (a file left in /etc or /usr would reach the next job).
    args.push('--remount-ro', '/dev', '--remount-ro', '/');
    args.push('--', request.command, ...request.args);
    return { command: 'bwrap', args, kind: 'bwrap', scratch: { workRoot: '/tmp', dirs: ['/tmp', '/dev/shm'] } };
  }
  if (support.kind === 'unshare') {
    const root = scratchHost();
    // Absolute: the server's environment (PATH=/nonexistent) is already in force when it starts.
    return { command: commandPath('unshare'), args: unshareCommand(request.command, request.args), kind: 'unshare', scratch: { workRoot: root, dirs: [root] } };
  }
  return null;
}

/** Where `name` is on this process's PATH (the name itself when it is nowhere). */
function commandPath(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return name;
}

/** Drop binds that do not exist and those inside another bind of the same path; parents first. */
function minimalBinds(binds: Bind[]): Bind[] {
  const sorted = binds.filter((bind) => fs.existsSync(bind.src)).sort((a, b) => (a.dest ?? a.src).localeCompare(b.dest ?? b.src));
  const kept: Bind[] = [];
  for (const bind of sorted) {
    const identity = (b: Bind) => b.dest === undefined || b.dest === b.src;
    const inside = identity(bind) && kept.some((k) => identity(k) && (bind.src === k.src || bind.src.startsWith(k.src + path.sep)));
    if (!inside) kept.push(bind);
  }
  return kept;
}

/** The layers a jail of this kind gives, for doctor and `Sandbox.info`. */
export function jailLayers(kind: JailKind | null, reason: string): IsolationLayer[] {
  const on = (name: string, active: boolean, detail: string): IsolationLayer => ({ name, active, detail: active ? detail : `off: ${reason}` });
  const namespaces = kind !== null;
  return [
    on('user-namespace', namespaces, kind === 'unshare' && process.getuid?.() === 0
      ? 'no user namespace (run by root, none is needed): setpriv makes it the host\'s nobody (65534) with no capabilities'
      : 'runs as nobody (65534) with no capabilities'),
    on('pid-namespace', namespaces, 'sees only its own processes; cannot signal the host'),
    on('network-namespace', namespaces, 'an empty network namespace: no interfaces but a down loopback'),
    on('ipc-uts-namespaces', namespaces, 'private System V IPC and host name'),
    { name: 'minimal-filesystem', active: kind === 'bwrap', detail: kind === 'bwrap' ? 'read-only: the interpreter, its library and case2code\'s own code; private 64 MB tmpfs mounts as cwd, /tmp and /dev/shm' : `off: ${kind === 'unshare' ? `unshare cannot build a private root; the host files are visible, ${process.getuid?.() === 0 ? 'writable where anyone may write (it runs as the host\'s nobody)' : 'and writable where the calling user may write'}` : reason}` },
    { name: 'clean-environment', active: true, detail: "none of the caller's environment variables" },
  ];
}

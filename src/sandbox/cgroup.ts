// A kernel limit on how many tasks (processes and threads) one worker may have: a cgroup with
// `pids.max`. RLIMIT_NPROC cannot do this here: inside the jail the worker's uid maps to the
// caller's, and the kernel does not apply RLIMIT_NPROC to root. Used where the pids controller is
// mounted and writable (cgroup v1 `pids`, or a v2 hierarchy offering it), else reported off.
import fs from 'node:fs';
import path from 'node:path';
import type { IsolationLayer } from './jail.js';
import { processAlive } from '../io/process.js';

export interface TaskLimit {
  /** `command args...` started inside a fresh cgroup of at most `maxTasks` tasks. */
  wrap(command: string, args: string[], maxTasks: number): { command: string; args: string[]; cleanup?: () => void };
  layer: IsolationLayer;
}

let counter = 0;

function writableRoot(): { root: string } | { reason: string } {
  const v1 = '/sys/fs/cgroup/pids';
  const v2 = '/sys/fs/cgroup';
  for (const root of [v1, v2]) {
    try {
      if (root === v2 && !fs.readFileSync(path.join(v2, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('pids')) continue;
      const probe = path.join(root, `case2code-probe-${process.pid}`);
      fs.mkdirSync(probe);
      fs.rmdirSync(probe);
      return { root };
    } catch {
      // not this one
    }
  }
  return { reason: 'no writable cgroup with the pids controller (needs root, or a delegated cgroup)' };
}

let cached: TaskLimit | undefined;

export function taskLimit(): TaskLimit {
  if (cached) return cached;
  const found = writableRoot();
  if ('reason' in found) {
    return (cached = {
      wrap: (command, args) => ({ command, args }),
      layer: { name: 'task-limit-cgroup', active: false, detail: `off: ${found.reason}; threads are then bounded only by the address-space limit` },
    });
  }
  const { root } = found;
  removeStaleGroups(root);
  return (cached = {
    wrap(command, args, maxTasks) {
      const dir = path.join(root, `case2code-${process.pid}-${++counter}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pids.max'), String(maxTasks));
      // The shell moves itself into the group, then becomes the jail: every task after it is inside.
      const script = 'echo $$ > "$0/cgroup.procs" && exec "$@"';
      // The group can go once its last task has exited, which may be a moment after the worker.
      const cleanup = (tries = 20) => fs.rmdir(dir, (error) => {
        if (error?.code === 'EBUSY' && tries > 0) setTimeout(() => cleanup(tries - 1), 50);
      });
      return { command: '/bin/sh', args: ['-c', script, dir, command, ...args], cleanup: () => cleanup() };
    },
    layer: { name: 'task-limit-cgroup', active: true, detail: `a pids cgroup per worker (${root}): processes and threads capped by the kernel` },
  });
}

/** Groups left by case2code processes that are gone (killed before they could remove them). */
function removeStaleGroups(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const owner = /^case2code-(\d+)-\d+$/.exec(name)?.[1];
    if (!owner || processAlive(Number(owner))) continue;
    try {
      fs.rmdirSync(path.join(root, name));
    } catch {
      // still has tasks, or not ours to remove
    }
  }
}

// Flags shared by every command that runs Python, and their translation to SandboxOptions.
import type { Command } from 'commander';
import type { SandboxOptions } from '../sandbox/sandbox.js';

export function addSandboxFlags(command: Command): Command {
  return command
    .option('--workers <n>', 'interpreters in the pool (default: one per core)', toInt)
    .option('--timeout-ms <ms>', 'wall-clock limit per call', toInt, 1000)
    .option('--memory-mb <mb>', 'heap cap per interpreter', toInt, 512)
    .option('--hash-seed <n>', 'PYTHONHASHSEED of every interpreter, for repeatable runs', toInt, 0)
    .option('--repr-cap <chars>', 'longest repr kept before it is cut and flagged', toInt, 4096)
    .option('--isolation <mode>', 'process (OS-isolated child, default) or in-process', 'process');
}

export function sandboxOptionsFrom(flags: Record<string, any>): SandboxOptions {
  return {
    workers: flags.workers,
    timeoutMs: flags.timeoutMs,
    memoryMb: flags.memoryMb,
    hashSeed: flags.hashSeed,
    reprCap: flags.reprCap,
    isolation: flags.isolation === 'in-process' ? 'in-process' : 'process',
  };
}

export function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`expected an integer, got "${value}"`);
  return n;
}

// Flags shared by every command that runs Python, and their translation to SandboxOptions. The
// defaults are the library's (DEFAULT_LIMITS): a flag left out is left undefined here.
import type { Command } from 'commander';
import { BACKENDS, type SandboxOptions } from '../sandbox/sandbox.js';
import { DEFAULT_LIMITS } from '../sandbox/types.js';

export function addSandboxFlags(command: Command): Command {
  return command
    .option('--backend <name>', `sandbox backend: ${BACKENDS.join(', ')} (auto: native where a jail and python3 exist, else pyodide)`)
    .option('--python <path>', 'the interpreter of the native backend (default: python3 on PATH; 3.9 to 3.14)')
    .option('--unsafe-no-jail', 'native backend without an OS jail: ONLY for code you trust')
    .option('--workers <n>', 'worker processes (default: one per core)', toInt)
    .option('--timeout-ms <ms>', `CPU time limit per call (default ${DEFAULT_LIMITS.timeoutMs})`, toInt)
    .option('--memory-mb <mb>', `memory cap per function (default ${DEFAULT_LIMITS.memoryMb})`, toInt)
    .option('--hash-seed <n>', 'PYTHONHASHSEED of every interpreter, for repeatable runs (default 0)', toInt)
    .option('--repr-cap <chars>', `longest repr kept before it is cut and flagged (default ${DEFAULT_LIMITS.reprCap})`, toInt);
}

export function sandboxOptionsFrom(flags: Record<string, any>): SandboxOptions {
  return {
    backend: flags.backend,
    python: flags.python,
    unsafeNoJail: flags.unsafeNoJail,
    workers: flags.workers,
    timeoutMs: flags.timeoutMs,
    memoryMb: flags.memoryMb,
    hashSeed: flags.hashSeed,
    reprCap: flags.reprCap,
  };
}

export function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`expected an integer, got "${value}"`);
  return n;
}

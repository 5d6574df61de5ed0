// The sandbox's flags (from SANDBOX_OPTIONS) for the commands that run Python, and integer parsing
// for hand-written flags.
import type { Command } from 'commander';
import { ConfigurationError, pick } from '../contract/index.js';
import { SANDBOX_OPTIONS } from '../sandbox/options.js';
import type { SandboxOptions } from '../sandbox/sandbox.js';
import { addFlags } from './flags.js';

export function addSandboxFlags(command: Command): Command {
  return addFlags(command, [SANDBOX_OPTIONS]);
}

/** The sandbox options among a command's parsed flags (undefined ones are left to the library). */
export function sandboxOptionsFrom(flags: Record<string, unknown>): SandboxOptions {
  return pick(SANDBOX_OPTIONS, flags);
}

export function toInt(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new ConfigurationError(`expected an integer, got "${value}"`);
  return n;
}

// The sandbox's options, stated once: the library (Sandbox.start), every command's flags and
// `--config` read this table. Limits not listed here keep DEFAULT_LIMITS (types.ts).
import { defineOptions, opt, type OptionInput } from '../contract/index.js';
import { DEFAULT_LIMITS } from './types.js';

export const BACKENDS = ['auto', 'native', 'pyodide'] as const;

export const SANDBOX_OPTIONS = defineOptions('sandbox', {
  backend: opt.choice(BACKENDS, 'sandbox backend (auto: native where a jail and python3 exist, else pyodide with a warning)', 'auto'),
  python: opt.string('the interpreter of the native backend (default: python3 on PATH; 3.9 to 3.14)'),
  unsafeNoJail: opt.boolean('native backend without an OS jail: ONLY for code you trust'),
  workers: opt.int('worker processes, i.e. functions run at once (default: one per core)', undefined, { min: 1 }),
  timeoutMs: opt.int('CPU time limit per call, in ms', DEFAULT_LIMITS.timeoutMs, { min: 1 }),
  memoryMb: opt.int('memory a function may use beyond the interpreter, in MB', DEFAULT_LIMITS.memoryMb, { min: 1 }),
  hashSeed: opt.int('PYTHONHASHSEED of every interpreter: set and dict order are part of outputs', 0, { min: 0, max: 4294967295 }),
  reprCap: opt.int('longest repr the sandbox keeps; a longer one is cut and flagged', DEFAULT_LIMITS.reprCap, { min: 1 }),
});

export type SandboxFlags = OptionInput<(typeof SANDBOX_OPTIONS)['table']>;

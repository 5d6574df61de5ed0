// Errors a caller of the sandbox can catch by kind (see contract/errors.ts). Verdicts of the code
// under test are never errors: they are outcomes. These are for settings that cannot work.
import { Case2CodeError, ConfigurationError } from '../contract/index.js';

/** A sandbox setting that cannot work: an unknown backend, a missing or too old python, no jail. */
export class SandboxConfigError extends ConfigurationError {
  override name = 'SandboxConfigError';
}

/** The sandbox could not start (the jail or the interpreter failed before serving any job). */
export class SandboxStartError extends Case2CodeError {
  override name = 'SandboxStartError';
  constructor(message: string) {
    super('sandbox', message);
  }
}

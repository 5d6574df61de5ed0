// Errors a caller can catch by kind, all under one root. Verdicts of the code under test and
// rejected records are never errors (they are data); these are for what stops a command.

export type Case2CodeErrorKind = 'configuration' | 'resume-mismatch' | 'input' | 'llm' | 'sandbox' | 'executor';

export class Case2CodeError extends Error {
  override name = 'Case2CodeError';
  constructor(
    readonly kind: Case2CodeErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A setting that cannot work: an unknown option or config key, a value out of range. */
export class ConfigurationError extends Case2CodeError {
  override name = 'ConfigurationError';
  constructor(message: string) {
    super('configuration', message);
  }
}

/** A run directory holds a run made with other settings or other sources. */
export class ResumeMismatchError extends Case2CodeError {
  override name = 'ResumeMismatchError';
  constructor(message: string) {
    super('resume-mismatch', message);
  }
}

/** An input file cannot be read at all (a bad line is a reject, not this). */
export class InputError extends Case2CodeError {
  override name = 'InputError';
  constructor(message: string) {
    super('input', message);
  }
}

/** Where tasks run is broken: Redis unreachable, `sbatch` missing, tasks that failed every retry. */
export class ExecutorError extends Case2CodeError {
  override name = 'ExecutorError';
  constructor(message: string) {
    super('executor', message);
  }
}

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

/** A class of errors of one kind whose message is all they carry. */
function errorOfKind(kind: Case2CodeErrorKind, name: string) {
  return class extends Case2CodeError {
    override name = name;
    constructor(message: string) {
      super(kind, message);
    }
  };
}

/** A setting that cannot work: an unknown option or config key, a value out of range. */
export const ConfigurationError = errorOfKind('configuration', 'ConfigurationError');
export type ConfigurationError = InstanceType<typeof ConfigurationError>;

/** A run directory holds a run made with other settings or other sources. */
export const ResumeMismatchError = errorOfKind('resume-mismatch', 'ResumeMismatchError');
export type ResumeMismatchError = InstanceType<typeof ResumeMismatchError>;

/** An input file cannot be read at all (a bad line is a reject, not this). */
export const InputError = errorOfKind('input', 'InputError');
export type InputError = InstanceType<typeof InputError>;

/** Where tasks run is broken: Redis unreachable, `sbatch` missing, tasks that failed every retry. */
export const ExecutorError = errorOfKind('executor', 'ExecutorError');
export type ExecutorError = InstanceType<typeof ExecutorError>;

// Errors a caller of the sandbox can catch by kind. Verdicts of the code under test are never
// errors: they are outcomes. These are for settings that cannot work.

/** A sandbox setting that cannot work: workers < 1, an unknown backend, a missing or too old python. */
export class SandboxConfigError extends Error {
  override name = 'SandboxConfigError';
}

/** The sandbox could not start (the jail or the interpreter failed before serving any job). */
export class SandboxStartError extends Error {
  override name = 'SandboxStartError';
}

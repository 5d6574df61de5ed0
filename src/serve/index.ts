// The scoring service: everything `case2code serve` does, for programs.
export { startScoreServer, type ScoreServer, type BenchmarkInfo } from './server.js';
export { SERVE_OPTIONS, TOKEN_ENV, isLoopback, resolveServeOptions, ServeConfigError, type ServeOptions } from './options.js';
export { SERVE_TOOLS, RUN_CODE_TOOL } from './tools.js';
export { HttpError, BadRequestError, UnauthorizedError, NotFoundError, MethodNotAllowedError, TooLargeError, QueueFullError, ShuttingDownError, RequestTimeoutError } from './errors.js';
export type { ScoreResult } from './scoring.js';
export type { RunCodeResponse, CommandRunResult } from './run-code.js';

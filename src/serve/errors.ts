// Errors a request can end in, by kind. Each is an HTTP status plus a short machine-readable type;
// the body is always `{"error": {"type", "message"}}`. A score is never an error: an answer that
// fails is a 200 with `passed: false`.

export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { type: string; message: string } } {
    return { error: { type: this.type, message: this.message } };
  }
}

export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  /** `problems`: each names the place in the request (`requests[3].cases[0].output`) and the reason. */
  constructor(message: string, readonly problems: string[] = []) {
    super(400, 'bad-request', problems.length ? `${message}: ${problems.slice(0, 20).join('; ')}${problems.length > 20 ? `; ... and ${problems.length - 20} more` : ''}` : message);
  }
}

export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';
  constructor(message: string) {
    super(401, 'unauthorized', message, { 'www-authenticate': 'Bearer' });
  }
}

/** An error of one status and type whose message is all it carries. */
function plainHttpError(name: string, status: number, type: string) {
  return class extends HttpError {
    override readonly name = name;
    constructor(message: string) {
      super(status, type, message);
    }
  };
}

export const NotFoundError = plainHttpError('NotFoundError', 404, 'not-found');
export type NotFoundError = InstanceType<typeof NotFoundError>;
export const TooLargeError = plainHttpError('TooLargeError', 413, 'too-large');
export type TooLargeError = InstanceType<typeof TooLargeError>;

export class MethodNotAllowedError extends HttpError {
  override readonly name = 'MethodNotAllowedError';
  constructor(allowed: string) {
    super(405, 'method-not-allowed', `use ${allowed}`, { allow: allowed });
  }
}

/** The queue is full: try again after `retryAfterSeconds`. */
export class QueueFullError extends HttpError {
  override readonly name = 'QueueFullError';
  constructor(readonly retryAfterSeconds: number, readonly retryAfterMs: number, depth: number, limit: number) {
    super(429, 'queue-full', `${depth} answers are queued (limit ${limit}); retry after ${retryAfterSeconds} s`, {
      'retry-after': String(retryAfterSeconds),
      'retry-after-ms': String(retryAfterMs),
    });
  }
}

export class ShuttingDownError extends HttpError {
  override readonly name = 'ShuttingDownError';
  constructor() {
    super(503, 'shutting-down', 'the server is shutting down and takes no new requests', { connection: 'close' });
  }
}

export class RequestTimeoutError extends HttpError {
  override readonly name = 'RequestTimeoutError';
  constructor(ms: number) {
    super(504, 'timeout', `the request was not done within ${ms} ms (the server's --request-timeout-ms); no score was given`);
  }
}

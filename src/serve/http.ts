// Small HTTP pieces: read a JSON body within a size limit, check the bearer token, send JSON.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, HttpError, TooLargeError, UnauthorizedError } from './errors.js';

/** Past this many bytes an over-limit body is no longer read to its end: the connection is cut. */
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/**
 * The body as JSON. A body over `maxBytes` is refused (413) without being kept: it is read to its
 * end and dropped, so the client gets the answer instead of a reset connection, unless it is
 * bigger still than DRAIN_CAP_BYTES (then the answer goes out at once and the connection closes).
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = (size: string) => new TooLargeError(`the body is ${size} bytes, more than the server's --max-body-bytes ${maxBytes}`);
  if (Number.isFinite(declared) && declared > Math.max(maxBytes, DRAIN_CAP_BYTES)) throw tooLarge(String(declared));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_CAP_BYTES) throw tooLarge(`more than ${DRAIN_CAP_BYTES}`);
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBytes) throw tooLarge(String(size));
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new BadRequestError('the body is empty; send JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`the body is not JSON: ${(error as Error).message}`);
  }
}

/** A check of `Authorization: Bearer <token>` that takes the same time whatever the guess. */
export function bearerCheck(token: string | undefined): (req: IncomingMessage) => void {
  if (!token) return () => {};
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expected = digest(token);
  return (req) => {
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedError('this server needs a bearer token: Authorization: Bearer <token>');
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), expected)) throw new UnauthorizedError('the bearer token is wrong');
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, error.body(), error.headers);
}

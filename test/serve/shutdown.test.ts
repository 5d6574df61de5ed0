// `case2code serve` as users run it: a child process. On SIGTERM the request in flight is answered
// in full, no new connection is taken, and the process exits 0.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { ADD_CASES, call, SLOW_ADD, startCliServer, waitUntil } from './helpers.js';

/** A request on a fresh connection (no keep-alive pool), resolving to its status or its error code. */
function freshRequest(url: string, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(url + path, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

test('SIGTERM: the request in flight finishes with its score, new ones are refused, exit code 0', async () => {
  const server = await startCliServer(['--workers', '1']);
  const inFlight = call(server.url, '/v1/score', { code: SLOW_ADD, entry: 'f', cases: ADD_CASES });
  await waitUntil(async () => (await call(server.url, '/healthz')).body.queue_depth === 1);
  server.child.kill('SIGTERM');
  await waitUntil(() => /SIGTERM: finishing the requests in flight/.test(server.stderr()));
  assert.equal(await freshRequest(server.url, '/healthz'), 'ECONNREFUSED');
  const answered = await inFlight;
  assert.equal(answered.status, 200);
  assert.equal(answered.body.passed, true);
  assert.equal(answered.headers.get('connection'), 'close');
  assert.equal(await server.exited, 0);
});

test('the CLI refuses to listen off loopback without a token', async () => {
  await assert.rejects(startCliServer(['--host', '0.0.0.0', '--workers', '1'], { CASE2CODE_SERVE_TOKEN: '' }), /needs a bearer token/);
});

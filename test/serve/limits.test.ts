// The server's guards: the bearer token, the size limits (413), the bounded queue (429 with
// Retry-After), the per-request wall-clock limit (504, never a score), and hostile answers that
// must fail without hurting the server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { ServeConfigError, resolveServeOptions } from '../../src/serve/options.js';
import { startScoreServer, type ScoreServer } from '../../src/serve/server.js';
import { SERVE_TOOLS } from '../../src/serve/tools.js';
import { ADD_CASES, call, SLOW_ADD, waitUntil } from './helpers.js';

const TOKEN = 'a-test-token-of-some-length';
const ADD = 'def f(a, b):\n    return a + b\n';

let sandbox: Sandbox;
const servers: ScoreServer[] = [];
async function serve(options: Parameters<typeof startScoreServer>[0]): Promise<ScoreServer> {
  const server = await startScoreServer({ port: 0, sandbox, log: () => {}, ...options });
  servers.push(server);
  return server;
}
before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: SERVE_TOOLS });
});
after(async () => {
  for (const server of servers) await server.close();
  await sandbox.close();
});

test('with a token, every route but /healthz needs Authorization: Bearer <token>', async () => {
  const server = await serve({ token: TOKEN });
  const body = { code: ADD, entry: 'f', cases: ADD_CASES };
  const missing = await call(server.url, '/v1/score', body);
  assert.deepEqual([missing.status, missing.body.error.type, missing.headers.get('www-authenticate')], [401, 'unauthorized', 'Bearer']);
  assert.equal((await call(server.url, '/v1/score', body, { authorization: 'Bearer not-the-token' })).status, 401);
  assert.equal((await call(server.url, '/v1/score', body, { authorization: TOKEN })).status, 401, 'the scheme is required');
  assert.equal((await call(server.url, '/metrics')).status, 401);
  assert.equal((await call(server.url, '/run_code', { code: 'print(1)', language: 'python' })).status, 401);
  const right = await call(server.url, '/v1/score', body, { authorization: `Bearer ${TOKEN}` });
  assert.deepEqual([right.status, right.body.passed], [200, true]);
  assert.equal((await call(server.url, '/healthz')).status, 200);
});

test('off loopback a token is required, and a short one is refused', () => {
  assert.throws(() => resolveServeOptions({ host: '0.0.0.0' }), (error: unknown) => error instanceof ServeConfigError && /needs a bearer token: --token or CASE2CODE_SERVE_TOKEN/.test(error.message));
  assert.doesNotThrow(() => resolveServeOptions({ host: '0.0.0.0', token: TOKEN }));
  assert.doesNotThrow(() => resolveServeOptions({ host: '127.0.0.5' }));
  assert.throws(() => resolveServeOptions({ token: 'short' }), /at least 16 characters/);
  assert.throws(() => resolveServeOptions({ maxBatch: 20, queueLimit: 10 }), /could never be admitted/);
});

test('size limits: body, batch, cases and code each get 413 naming the limit', async () => {
  const server = await serve({ maxBodyBytes: 4096, maxBatch: 3, maxCases: 2, maxCodeChars: 100, queueLimit: 10 });
  const big = await call(server.url, '/v1/score', { code: ADD, entry: 'f', cases: ADD_CASES, pad: 'x'.repeat(10_000) });
  assert.deepEqual([big.status, big.body.error.type], [413, 'too-large']);
  assert.match(big.body.error.message, /more than the server's --max-body-bytes 4096/);
  const one = { code: ADD, entry: 'f', cases: ADD_CASES };
  const batch = await call(server.url, '/v1/score', { requests: [one, one, one, one] });
  assert.deepEqual([batch.status, /at most 3 requests/.test(batch.body.error.message)], [413, true]);
  const cases = await call(server.url, '/v1/score', { code: ADD, entry: 'f', cases: [...ADD_CASES, ...ADD_CASES, ...ADD_CASES] });
  assert.deepEqual([cases.status, /cases: 3 cases, more than the server's --max-cases 2/.test(cases.body.error.message)], [413, true]);
  const code = await call(server.url, '/v1/score', { code: ADD + '#'.repeat(100), entry: 'f', cases: ADD_CASES });
  assert.deepEqual([code.status, /code: \d+ characters, more than the server's --max-code-chars 100/.test(code.body.error.message)], [413, true]);
  // The server is fine afterwards.
  assert.equal((await call(server.url, '/v1/score', one)).body.passed, true);
});

test('a full queue answers 429 with Retry-After at once; the answers admitted are all scored', async () => {
  const server = await serve({ queueLimit: 2, maxBatch: 2 });
  const slow = { code: SLOW_ADD, entry: 'f', cases: ADD_CASES };
  const admitted = call(server.url, '/v1/score', { requests: [slow, slow] });
  await waitUntil(async () => (await call(server.url, '/healthz')).body.queue_depth === 2);
  const refused = await call(server.url, '/v1/score', { code: ADD, entry: 'f', cases: ADD_CASES });
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.type, 'queue-full');
  assert.match(refused.headers.get('retry-after')!, /^[1-9]\d*$/);
  assert.match(refused.headers.get('retry-after-ms')!, /^[1-9]\d*$/);
  const done = await admitted;
  assert.deepEqual(done.body.results.map((r: any) => r.passed), [true, true]);
  await waitUntil(async () => (await call(server.url, '/healthz')).body.queue_depth === 0);
  assert.equal((await call(server.url, '/v1/score', { code: ADD, entry: 'f', cases: ADD_CASES })).body.passed, true);
  const metrics = (await call(server.url, '/metrics')).body as string;
  assert.match(metrics, /case2code_http_requests_total\{route="\/v1\/score",status="429"\} 1/);
});

test('a request past its wall-clock limit is a 504, not a score, and its answer still leaves the queue', async () => {
  const server = await serve({ requestTimeoutMs: 100 });
  const late = await call(server.url, '/v1/score', { code: SLOW_ADD, entry: 'f', cases: ADD_CASES });
  assert.deepEqual([late.status, late.body.error.type], [504, 'timeout']);
  assert.match(late.body.error.message, /no score was given/);
  await waitUntil(async () => (await call(server.url, '/healthz')).body.queue_depth === 0);
});

test('hostile answers fail, and the server goes on scoring', async () => {
  const server = await serve({});
  const hostile = [
    'import os\nos._exit(0)\n',
    'import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\ndef f(a, b):\n    return a + b\n',
    'import os\ndef f(a, b):\n    os.write(1, b\'{"batch":[{"index":0,"outcome":{"verdict":"return","repr":"3","ms":0}}]}\\n\')\n    os._exit(0)\n',
    'import os\ndef f(a, b):\n    for fd in range(3, 64):\n        try:\n            os.write(fd, b\'{"type":"outcomes","id":1,"results":[]}\\n\')\n        except OSError:\n            pass\n    return None\n',
    'def f(a, b):\n    return [0] * (10 ** 10)\n',
    'def f(a, b):\n    while True:\n        pass\n',
    'def f(a, b):\n    print("x" * 10 ** 7)\n    return None\n',
    'import os\ndef f(a, b):\n    os.fork()\n    return 3\n',
    'import socket\ndef f(a, b):\n    socket.create_connection(("127.0.0.1", 80))\n    return 3\n',
  ];
  const { body } = await call(server.url, '/v1/score', { requests: hostile.map((code) => ({ code, entry: 'f', cases: ADD_CASES })) });
  assert.deepEqual(body.results.map((r: any) => r.passed), hostile.map(() => false), JSON.stringify(body.results.map((r: any) => r.detail)));
  assert.equal((await call(server.url, '/v1/score', { code: ADD, entry: 'f', cases: ADD_CASES })).body.passed, true);
  assert.equal((await call(server.url, '/healthz')).body.status, 'ok');
});

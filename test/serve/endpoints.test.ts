// Every endpoint of `case2code serve`, against a real server on loopback with the real sandbox.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { startScoreServer, type ScoreServer } from '../../src/serve/server.js';
import { SERVE_TOOLS } from '../../src/serve/tools.js';
import { GOLD_MISMATCHES, REFERENCE_TEST_FIXTURE } from '../helpers/reference-fixture.js';
import { call, FIXTURE_RECORDS } from './helpers.js';

const DIV = 'def f(a, b):\n    return a // b\n';
const DIV_CASES = [
  { input: { args: ['7', '2'] }, output: { verdict: 'return', repr: '3' } },
  { input: { kwargs: { a: '-7', b: '2' } }, output: { verdict: 'return', repr: '-4' } },
  { input: { args: ['1', '0'] }, output: { verdict: 'raise', type: 'ZeroDivisionError', message: 'integer division or modulo by zero' } },
];
const records = FIXTURE_RECORDS.filter((r) => !(r.id in GOLD_MISMATCHES)).slice(0, 6);

let sandbox: Sandbox;
let server: ScoreServer;
before(async () => {
  sandbox = await Sandbox.start({ workers: 2, tools: SERVE_TOOLS });
  server = await startScoreServer({ port: 0, sandbox, benchmarks: { ref: REFERENCE_TEST_FIXTURE }, log: () => {} });
});
after(async () => {
  await server.close();
  await sandbox.close();
});

test('GET /healthz says the server is up, with its sandbox, queue and benchmarks', async () => {
  const { status, body } = await call(server.url, '/healthz');
  assert.equal(status, 200);
  assert.equal(body.status, 'ok');
  assert.equal(body.backend, sandbox.info.backend);
  assert.equal(body.workers, 2);
  assert.equal(body.queue_limit, 1024);
  assert.deepEqual(body.benchmarks, { ref: { items: 100, setup_errors: 0 } });
});

test('POST /v1/score: code that gives every case passes; returns and raises are both checked', async () => {
  const { status, body } = await call(server.url, '/v1/score', { code: DIV, entry: 'f', cases: DIV_CASES });
  assert.equal(status, 200);
  assert.deepEqual(body, { passed: true, cases_passed: 3, cases: 3, reason: null, detail: null, first_failure: null });
});

test('POST /v1/score: a wrong answer fails with its reason and first failing case', async () => {
  const completion = 'Here:\n```python\ndef f(a, b):\n    return int(a / b)\n```';
  const { body } = await call(server.url, '/v1/score', { completion, entry: 'f', cases: DIV_CASES });
  assert.equal(body.passed, false);
  assert.equal(body.cases_passed, 1);
  assert.equal(body.reason, 'wrong-output');
  assert.deepEqual(body.first_failure, { case: 1, input: 'f(a=-7, b=2)', expected: '-4', actual: '-3' });
});

test('POST /v1/score: completion has its code extracted, code is run as it is', async () => {
  const fenced = '```python\n' + DIV + '```';
  assert.equal((await call(server.url, '/v1/score', { completion: fenced, entry: 'f', cases: DIV_CASES })).body.passed, true);
  assert.equal((await call(server.url, '/v1/score', { code: fenced, entry: 'f', cases: DIV_CASES })).body.reason, 'syntax-error');
});

test('POST /v1/score: the batch form scores each request, in order', async () => {
  const requests = [
    { code: DIV, entry: 'f', cases: DIV_CASES },
    { code: 'def f(a, b):\n    return 0\n', entry: 'f', cases: DIV_CASES },
    { code: 'def g(a, b):\n    return 0\n', entry: 'f', cases: DIV_CASES },
    { completion: 'I cannot help with that.', entry: 'f', cases: DIV_CASES },
  ];
  const { status, body } = await call(server.url, '/v1/score', { requests });
  assert.equal(status, 200);
  assert.deepEqual(body.results.map((r: any) => [r.passed, r.reason]), [[true, null], [false, 'wrong-output'], [false, 'missing-function'], [false, 'syntax-error']]);
});

test('POST /v1/score: float_tolerance per request', async () => {
  const cases = [{ input: { args: ['[0.1, 0.2, 0.3]'] }, output: { verdict: 'return', repr: '0.6000000000000001' } }];
  const code = 'def f(xs):\n    return sum(reversed(xs))\n';
  assert.equal((await call(server.url, '/v1/score', { code, entry: 'f', cases })).body.passed, false);
  assert.equal((await call(server.url, '/v1/score', { code, entry: 'f', cases, float_tolerance: 1e-9 })).body.passed, true);
});

test('a bad request is refused with every problem named by its place in the body', async () => {
  const { status, body } = await call(server.url, '/v1/score', {
    requests: [
      { code: DIV, entry: 'f', cases: DIV_CASES },
      { code: DIV, completion: 'x', entry: 'f', cases: DIV_CASES },
      { code: DIV, entry: 'f', cases: [{ input: { args: [1] }, output: { verdict: 'returns', repr: '3' } }] },
      { code: DIV, entry: 'not an identifier', cases: DIV_CASES, extra: true },
    ],
  });
  assert.equal(status, 400);
  assert.equal(body.error.type, 'bad-request');
  const message: string = body.error.message;
  assert.match(message, /the batch is refused as a whole/);
  assert.match(message, /requests\[1\]\.completion: give exactly one of completion or code/);
  assert.match(message, /requests\[2\]\.cases\.0\.input\.args\.0: /);
  assert.match(message, /requests\[2\]\.cases\.0\.output\.verdict: /);
  assert.match(message, /requests\[3\]\.entry: entry must be a Python identifier/);
  assert.match(message, /requests\[3\]: Unrecognized key: "extra"/);
  assert.equal((await call(server.url, '/v1/score', '{"code": ')).body.error.message.startsWith('the body is not JSON'), true);
  assert.equal((await call(server.url, '/v1/score', { code: DIV, entry: 'f', cases: DIV_CASES, timeout_ms: 10 ** 7 })).status, 400);
});

test('POST /v1/benchmarks/{name}/score: gold answers pass and wrong ones fail; the cases never leave the server', async () => {
  const gold = await call(server.url, '/v1/benchmarks/ref/score', { id: records[0].id, completion: '```python\n' + records[0].code + '\n```' });
  assert.equal(gold.status, 200);
  assert.equal(gold.body.id, records[0].id);
  assert.equal(gold.body.passed, true);
  assert.equal(gold.body.cases, records[0].example_outputs.length);
  const requests = records.map((r, i) => ({ id: r.id, code: i % 2 === 0 ? r.code : `def ${r.func_name}(**kwargs):\n    return "not it"\n` }));
  const { body } = await call(server.url, '/v1/benchmarks/ref/score', { requests });
  assert.deepEqual(body.results.map((r: any) => [r.id, r.passed]), records.map((r, i) => [r.id, i % 2 === 0]));
  assert.equal(body.results[1].reason, 'wrong-output');
});

test('unknown benchmarks, ids and routes are 404, a wrong method 405', async () => {
  const noBenchmark = await call(server.url, '/v1/benchmarks/nope/score', { id: 'x', code: 'x' });
  assert.deepEqual([noBenchmark.status, noBenchmark.body.error.type], [404, 'not-found']);
  assert.match(noBenchmark.body.error.message, /this server has: ref/);
  const noId = await call(server.url, '/v1/benchmarks/ref/score', { requests: [{ id: records[0].id, code: 'x' }, { id: 'missing-id', code: 'x' }] });
  assert.equal(noId.status, 404);
  assert.match(noId.body.error.message, /requests\[1\]\.id: "missing-id"/);
  assert.equal((await call(server.url, '/v2/nothing', {})).status, 404);
  const wrongMethod = await call(server.url, '/v1/score');
  assert.deepEqual([wrongMethod.status, wrongMethod.headers.get('allow')], [405, 'POST']);
});

test('POST /run_code answers as SandboxFusion does: stdin in, stdout, stderr and exit code out', async () => {
  const code = 'import sys\nname = input()\nprint("hello", name)\nprint("to stderr", file=sys.stderr)\nsys.stdout.write(sys.stdin.read().upper())\n';
  const { status, body } = await call(server.url, '/run_code', { code, language: 'python', stdin: 'ada\nrest\n', run_timeout: 5, compile_timeout: 10, memory_limit_MB: -1, files: {}, fetch_files: [] });
  assert.equal(status, 200);
  assert.equal(body.status, 'Success');
  assert.equal(body.message, '');
  assert.equal(body.compile_result, null);
  assert.deepEqual({ ...body.run_result, execution_time: typeof body.run_result.execution_time }, { status: 'Finished', execution_time: 'number', return_code: 0, stdout: 'hello ada\nREST\n', stderr: 'to stderr\n' });
  assert.deepEqual(body.files, {});
  const bytes = await call(server.url, '/run_code', { code: 'import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read()[::-1])\n', language: 'python', stdin: 'abc' });
  assert.equal(bytes.body.run_result.stdout, 'cba');
});

test('POST /run_code: a failing program is Failed with its exit code and traceback; an endless one is TimeLimitExceeded', async () => {
  const raised = await call(server.url, '/run_code', { code: 'print("before")\nraise ValueError("bad")\n', language: 'python' });
  assert.equal(raised.body.status, 'Failed');
  assert.equal(raised.body.run_result.return_code, 1);
  assert.equal(raised.body.run_result.stdout, 'before\n');
  assert.match(raised.body.run_result.stderr, /Traceback[\s\S]*ValueError: bad/);
  const exited = await call(server.url, '/run_code', { code: 'import sys\nsys.exit(3)\n', language: 'python' });
  assert.deepEqual([exited.body.status, exited.body.run_result.return_code], ['Failed', 3]);
  const endless = await call(server.url, '/run_code', { code: 'while True:\n    pass\n', language: 'python', run_timeout: 0.3 });
  assert.deepEqual([endless.body.status, endless.body.run_result.status, endless.body.run_result.return_code], ['Failed', 'TimeLimitExceeded', null]);
  const swallowing = await call(server.url, '/run_code', { code: 'while True:\n    try:\n        while True: pass\n    except BaseException: pass\n', language: 'python', run_timeout: 0.3 });
  assert.equal(swallowing.body.run_result.status, 'TimeLimitExceeded');
  const otherLanguage = await call(server.url, '/run_code', { code: 'console.log(1)', language: 'nodejs' });
  assert.deepEqual([otherLanguage.status, otherLanguage.body.error.message], [400, 'this server runs python only, not "nodejs"']);
});

test('GET /metrics: Prometheus text with requests, latency, verdicts, queue depth and workers', async () => {
  await call(server.url, '/v1/score', { code: DIV, entry: 'f', cases: DIV_CASES });
  const { status, headers, body } = await call(server.url, '/metrics');
  assert.equal(status, 200);
  assert.match(headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}()[\]|.+*?^$\\]/g, '\\$&')} (\\S+)$`, 'm').exec(body)?.[1]);
  assert.ok(value('case2code_http_requests_total{route="/v1/score",status="200"}') >= 1);
  assert.ok(value('case2code_answers_total{result="passed"}') >= 1);
  assert.ok(value('case2code_answers_total{result="wrong-output"}') >= 1);
  assert.equal(value('case2code_queue_depth'), 0);
  assert.equal(value('case2code_queue_limit'), 1024);
  assert.equal(value('case2code_sandbox_workers'), 2);
  assert.ok(value('case2code_sandbox_jobs_total') >= 1);
  const count = value('case2code_http_request_duration_seconds_count{route="/v1/score"}');
  assert.equal(value('case2code_http_request_duration_seconds_bucket{route="/v1/score",le="+Inf"}'), count);
  assert.match(body, /# TYPE case2code_http_request_duration_seconds histogram/);
  assert.ok(value('case2code_run_code_total{status="Success"}') >= 1);
});

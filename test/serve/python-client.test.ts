// clients/python/case2code_reward.py, run by the host's python3 (standard library only) against a
// real server: verl's compute_score signature, benchmark ids and inline cases, the batch form, the
// token, retries on 429, and errors that must not turn into a silent reward of 0.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { startScoreServer, type ScoreServer } from '../../src/serve/server.js';
import { SERVE_TOOLS } from '../../src/serve/tools.js';
import { GOLD_MISMATCHES, REFERENCE_TEST_FIXTURE } from '../helpers/reference-fixture.js';
import { ADD_CASES, call, FIXTURE_RECORDS, waitUntil } from './helpers.js';

const run = promisify(execFile);
const CLIENT_DIR = fileURLToPath(new URL('../../../clients/python', import.meta.url));
const TOKEN = 'python-client-test-token';
const records = FIXTURE_RECORDS.filter((r) => !(r.id in GOLD_MISMATCHES)).slice(0, 4);

let sandbox: Sandbox;
let server: ScoreServer;
before(async () => {
  sandbox = await Sandbox.start({ workers: 2, tools: SERVE_TOOLS });
  server = await startScoreServer({ port: 0, sandbox, token: TOKEN, queueLimit: 2, maxBatch: 2, benchmarks: { ref: REFERENCE_TEST_FIXTURE }, log: () => {} });
});
after(async () => {
  await server.close();
  await sandbox.close();
});

/** Runs `script` in python3 with the client importable; its last stdout line is JSON. */
async function python(script: string, env: Record<string, string> = {}): Promise<any> {
  const { stdout } = await run('python3', ['-c', script], {
    env: { PATH: process.env.PATH!, PYTHONPATH: CLIENT_DIR, PYTHONDONTWRITEBYTECODE: '1', CASE2CODE_URL: server.url, CASE2CODE_TOKEN: TOKEN, ...env },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const gold = (r: any) => 'The function:\n```python\n' + r.code + '\n```';
const wrong = (r: any) => `def ${r.func_name}(**kwargs):\n    return "not it"\n`;

test('compute_score(data_source, solution_str, ground_truth, extra_info): 1.0 for gold, 0.0 for wrong', async () => {
  const [a, b] = records;
  const scores = await python(`
import json, case2code_reward as c
print(json.dumps([
  c.compute_score('ref', ${JSON.stringify(gold(a))}, ${JSON.stringify(a.id)}, None),
  c.compute_score('ref', ${JSON.stringify(wrong(b))}, ${JSON.stringify(b.id)}, {}),
  c.compute_score('elsewhere', ${JSON.stringify(gold(b))}, ${JSON.stringify(b.id)}, {'benchmark': 'ref'}),
]))`);
  assert.deepEqual(scores, [1, 0, 1]);
});

test('inline cases as ground truth go to /v1/score; CASE2CODE_REWARD=fraction gives partial credit', async () => {
  const truth = { entry: 'f', cases: [...ADD_CASES, { input: { args: ['2', '2'] }, output: { verdict: 'return', repr: '5' } }] };
  const script = `
import json, case2code_reward as c
truth = ${JSON.stringify(JSON.stringify(truth))}
print(json.dumps([c.compute_score('inline', 'def f(a, b):\\n    return a + b\\n', truth), c.compute_score('inline', 'def f(a, b):\\n    return a + b\\n', json.loads(truth))]))`;
  assert.deepEqual(await python(script), [0, 0]);
  assert.deepEqual(await python(script, { CASE2CODE_REWARD: 'fraction' }), [0.5, 0.5]);
});

test('compute_score_batch scores many answers in order, through batch requests', async () => {
  const sources = records.map(() => 'ref');
  const solutions = records.map((r, i) => (i % 2 === 0 ? gold(r) : wrong(r)));
  const truths = records.map((r) => r.id);
  const before = (await call(server.url, '/metrics', undefined, { authorization: `Bearer ${TOKEN}` })).body as string;
  const scores = await python(`
import json, case2code_reward as c
print(json.dumps(c.compute_score_batch(data_sources=${JSON.stringify(sources)}, solution_strs=${JSON.stringify(solutions)}, ground_truths=${JSON.stringify(truths)}, extra_infos=None)))`, { CASE2CODE_BATCH: '2' });
  assert.deepEqual(scores, [1, 0, 1, 0]);
  const after = (await call(server.url, '/metrics', undefined, { authorization: `Bearer ${TOKEN}` })).body as string;
  const count = (text: string) => Number(/case2code_http_requests_total\{route="\/v1\/benchmarks\/\{name\}\/score",status="200"\} (\d+)/.exec(text)?.[1] ?? 0);
  assert.equal(count(after) - count(before), 2, 'four answers in two batch requests of two');
});

test('refusals raise Case2CodeRewardError with the server\'s reason instead of scoring 0', async () => {
  const outcome = await python(`
import json, case2code_reward as c
out = []
for args in [('ref', 'x', 'no-such-id'), ('nope', 'x', 'some-id'), ('inline', 'x', {'entry': 'f'})]:
    try:
        c.compute_score(*args)
        out.append('no error')
    except c.Case2CodeRewardError as e:
        out.append(str(e))
print(json.dumps(out))`);
  assert.match(outcome[0], /HTTP 404: no such item in benchmark "ref": id: "no-such-id"/);
  assert.match(outcome[1], /HTTP 404: no benchmark named "nope"/);
  assert.match(outcome[2], /must hold "entry" and "cases"/);
  const unauthorized = await python(`
import json, case2code_reward as c
try:
    c.compute_score('ref', 'x', 'some-id')
except c.Case2CodeRewardError as e:
    print(json.dumps(str(e)))`, { CASE2CODE_TOKEN: 'wrong-token-wrong-token' });
  assert.match(unauthorized, /HTTP 401: the bearer token is wrong/);
});

test('a full queue (429) is waited out with Retry-After, and the answer is still scored', async () => {
  const slow = { code: 'import time\n\ndef f(a, b):\n    time.sleep(2)\n    return a + b\n', entry: 'f', cases: ADD_CASES };
  const holding = call(server.url, '/v1/score', { requests: [slow, slow] }, { authorization: `Bearer ${TOKEN}` });
  await waitUntil(async () => (await call(server.url, '/healthz')).body.queue_depth === 2);
  const before = (await call(server.url, '/metrics', undefined, { authorization: `Bearer ${TOKEN}` })).body as string;
  const score = await python(`
import json, case2code_reward as c
print(json.dumps(c.compute_score('ref', ${JSON.stringify(gold(records[0]))}, ${JSON.stringify(records[0].id)})))`);
  assert.equal(score, 1);
  const after = (await call(server.url, '/metrics', undefined, { authorization: `Bearer ${TOKEN}` })).body as string;
  const refused = (text: string) => Number(/case2code_http_requests_total\{route="\/v1\/benchmarks\/\{name\}\/score",status="429"\} (\d+)/.exec(text)?.[1] ?? 0);
  assert.ok(refused(after) > refused(before), 'the client met a 429 and retried');
  assert.deepEqual((await holding).body.results.map((r: any) => r.passed), [true, true]);
});

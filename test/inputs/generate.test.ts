// The llm and hybrid generators against a scripted OpenAI-compatible server on loopback, and the
// file-level entry point: answer shapes, hostile answers, failures, the cache, and rejects.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inputsStage, inputsTools } from '../../src/inputs/index.js';
import { readRecords } from '../../src/io/records.js';
import { runStageToFiles } from '../../src/pipeline/run-stage.js';
import { LlmClient } from '../../src/llm/client.js';
import { FunctionRecordSchema, keepAll, type FunctionRecord } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { startScriptedServer } from '../helpers/openai-server.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'c2c-inputs-'));
let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: inputsTools() });
});
after(async () => {
  await sandbox?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const fast = { retryBaseMs: 5, retryMaxMs: 50, maxRetries: 2 };
const SIGN: FunctionRecord = { id: 'sign', entry: 'sign', code: "def sign(x):\n    if x > 0:\n        return 'pos'\n    if x < 0:\n        return 'neg'\n    return 'zero'\n", params: [], source: {} };

async function collect(items: AsyncIterable<any>) {
  const out = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('llm generator', () => {
  it('reads the usual answer shapes and asks again while fewer than N are usable', async () => {
    const answers = [
      "x is a number.\n```python\ninputs = [dict(x=1), {'x': -2}, sign(0), dict(x=1)]\n```",
      '```python\ninputs = [dict(x=5.5), dict(y=3), dict(x=-7)]\n```',
    ];
    const server = await startScriptedServer(({ index }) => ({ texts: answers[Math.min(index, 1)] }));
    const llm = new LlmClient({ baseURL: server.url, model: 'writer', ...fast });
    const [item] = await collect(inputsStage(sandbox, { generator: 'llm', llm, inputs: 5 }).run(keepAll([SIGN])));
    assert.equal(item.kind, 'keep', JSON.stringify(item));
    const values = item.record.inputs.map((i: any) => i.args[0] ?? i.kwargs.x);
    assert.deepEqual([...values].sort(), ['-2', '-7', '0', '1', '5.5']);
    // Ranked by what they reveal: the first three show the three results (pos, neg, zero).
    const sign = (v: string) => Math.sign(Number(v));
    assert.equal(new Set(values.slice(0, 3).map(sign)).size, 3, JSON.stringify(values));
    assert.equal(item.record.generator.name, 'llm');
    assert.equal(item.record.generator.rounds, 2);
    assert.deepEqual(item.record.generator.dropped, { duplicate: 1, 'unknown-param': 1 });
    assert.equal(item.record.generator.distinctOutputs, 3);
    // The follow-up carries the conversation and says how many are still wanted.
    const followUp = server.requests[1].body.messages.at(-1).content;
    assert.match(followUp, /Only 3 usable inputs/);
    assert.match(server.requests[0].body.messages.at(-1).content, /def sign\(x\)/);
    llm.close();
    await server.close();
  });

  it('never runs hostile answers on the host, and drops them with a reason', async () => {
    const marker = path.join(tmp, 'pwned');
    const hostile = [
      '```python',
      `import os; os.system('touch ${marker}')`,
      `inputs = [dict(x=__import__('os').system('touch ${marker}')), dict(x=open('${marker}', 'w')), dict(x=(lambda: 1)())]`,
      '```',
      '```js',
      `require('fs').writeFileSync('${marker}', 'x')`,
      '```',
    ].join('\n');
    const server = await startScriptedServer(() => ({ texts: hostile }));
    const llm = new LlmClient({ baseURL: server.url, model: 'writer', ...fast });
    const [item] = await collect(inputsStage(sandbox, { generator: 'llm', llm, inputs: 3, llmRounds: 2 }).run(keepAll([SIGN])));
    assert.equal(item.kind, 'reject');
    assert.equal(item.reject.reason, 'no-valid-inputs');
    assert.match(item.reject.detail, /not-data/);
    assert.equal(existsSync(marker), false);
    assert.equal(server.requests.length, 2, 'asked again once, then gave up');
    llm.close();
    await server.close();
  });

  it('rejects with llm-failed after retries, and hybrid falls back to fuzzing alone', async () => {
    const server = await startScriptedServer(({ index }) => (index % 2 === 0 ? { status: 500 } : { raw: 'not json at all' }));
    const llm = new LlmClient({ baseURL: server.url, model: 'writer', ...fast });
    const [failed] = await collect(inputsStage(sandbox, { generator: 'llm', llm, inputs: 3 }).run(keepAll([SIGN])));
    assert.equal(failed.kind, 'reject');
    assert.equal(failed.reject.reason, 'llm-failed');
    assert.equal(server.requests.length, 3, 'one attempt and two retries');
    const [hybrid] = await collect(inputsStage(sandbox, { generator: 'hybrid', llm, inputs: 3 }).run(keepAll([SIGN])));
    assert.equal(hybrid.kind, 'keep');
    assert.match(hybrid.record.generator.llm.failed, /^(server|garbage)/);
    assert.equal(hybrid.record.generator.arcs[0], hybrid.record.generator.arcs[1]);
    llm.close();
    await server.close();
  });
});

describe('hybrid generator', () => {
  it("keeps every input the model wrote and adds fuzz inputs only where they reveal more", async () => {
    const answer = "```python\ninputs = [dict(x=3), dict(x=4), dict(x=5)]\n```";
    const server = await startScriptedServer(() => ({ texts: answer }));
    const llm = new LlmClient({ baseURL: server.url, model: 'writer', ...fast });
    const [item] = await collect(inputsStage(sandbox, { generator: 'hybrid', llm, inputs: 3, llmRounds: 1 }).run(keepAll([SIGN])));
    assert.equal(item.kind, 'keep', JSON.stringify(item));
    const values = item.record.inputs.map((i: any) => i.args?.[0] ?? i.kwargs.x);
    for (const given of ['3', '4', '5']) assert.ok(values.includes(given), `${given} kept: ${values}`);
    // The model missed 'neg' and 'zero': the added inputs cover them (and may add the boundary 1,
    // which tells `x > 0` from `x > 1`), at most N of them.
    const added = values.filter((v: string) => !['3', '4', '5'].includes(v));
    assert.ok(added.length >= 2 && added.length <= 3, JSON.stringify(values));
    const signs = new Set(added.map((v: string) => Math.sign(Number(v))));
    assert.ok(signs.has(-1) && signs.has(0), JSON.stringify(values));
    assert.equal(item.record.generator.arcs[0], item.record.generator.arcs[1]);
    llm.close();
    await server.close();
  });
});

describe('case2code inputs (the stage run alone, on a file)', () => {
  it('writes every function to the output or the rejects file; a cached rerun sends no request', async () => {
    const input = path.join(tmp, 'functions.jsonl');
    const boom: FunctionRecord = { ...SIGN, id: 'boom', entry: 'boom', code: "def boom(x):\n    raise KeyError('no')\n" };
    writeFileSync(input, [JSON.stringify(SIGN), '{not json', JSON.stringify({ id: 'x' }), JSON.stringify(boom)].join('\n') + '\n');
    const server = await startScriptedServer(({ body }) => {
      const text = JSON.stringify(body.messages);
      return { texts: text.includes('def boom') ? '```python\ninputs = [dict(x=1)]\n```' : '```python\ninputs = [dict(x=3), dict(x=-3), dict(x=0)]\n```' };
    });
    const cachePath = path.join(tmp, 'llm-cache');
    const run = async (name: string) => {
      const llm = new LlmClient({ baseURL: server.url, model: 'writer', cachePath, ...fast });
      const output = path.join(tmp, `${name}.jsonl`);
      const stats = await runStageToFiles({ stage: inputsStage(sandbox, { generator: 'hybrid', llm, inputs: 3 }), input: readRecords(input, FunctionRecordSchema, 'inputs'), output });
      llm.close();
      const read = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      return { stats, usage: llm.usage(), kept: read(output), rejects: read(`${output}.rejects.jsonl`) };
    };
    const first = await run('first');
    assert.deepEqual(first.kept.map((r) => r.id), ['sign']);
    assert.deepEqual(first.rejects.map((r) => r.reason).sort(), ['all-raise', 'bad-json', 'bad-record']);
    assert.equal(first.rejects.find((r) => r.reason === 'bad-json').source.line, 2);
    assert.deepEqual(first.stats.rejects.inputs, { 'bad-json': 1, 'bad-record': 1, 'all-raise': 1 });
    assert.equal(first.stats.in, 4);
    assert.ok(first.usage.requests >= 2);
    const requestsBefore = server.requests.length;
    const second = await run('second');
    assert.equal(server.requests.length, requestsBefore, 'the rerun is served from the cache');
    assert.equal(second.usage.requests, 0);
    assert.deepEqual(second.kept.map((r) => r.inputs), first.kept.map((r) => r.inputs));
    await server.close();
  });
});

// Acceptance 1 on the official test-set sample: the gold code passes (every miss is named and
// explained), and code that only returns None does not.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EvalInputError } from '../../src/eval/items.js';
import { EVAL_TOOLS, runEval } from '../../src/eval/run-eval.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { GOLD_MISMATCHES as EXPLAINED_MISSES, REFERENCE_TEST_FIXTURE as FIXTURE } from '../helpers/reference-fixture.js';

const records: any[] = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-eval-fixture-'));

/** Their gold function always returns None, so a constant `return None` is rightly correct. */
const ALWAYS_NONE = ['4575d560affcc241aadeb35034bf364c0259c7f2_0', '5fce033077ffb8ad4cb60837d4aa2077a35e7108_0'];

function writeSamples(name: string, completion: (record: any) => string): string {
  const file = path.join(dir, name);
  writeFileSync(file, records.map((r) => JSON.stringify({ id: r.id, completion: completion(r) })).join('\n') + '\n');
  return file;
}

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 2, tools: EVAL_TOOLS });
});
after(() => sandbox.close());

test('the gold code of every fixture item passes, except the explained misses', async () => {
  const samples = writeSamples('gold.jsonl', (r) => 'The function is:\n\n```python\n' + r.code + '\n```');
  const { summary, results } = await runEval({ benchmark: FIXTURE, samples, sandbox });
  assert.equal(summary.items, 100);
  assert.ok(summary.pass_at_k['1'] >= 0.95, `pass@1 = ${summary.pass_at_k['1']}`);
  const misses = results.filter((r) => r.verdict !== 'pass');
  assert.deepEqual(misses.map((r) => r.id).sort(), Object.keys(EXPLAINED_MISSES).sort());
  for (const miss of misses) {
    const explained = EXPLAINED_MISSES[miss.id];
    assert.equal(miss.reason, explained.reason, `${miss.id}: ${explained.why}`);
    assert.match(miss.detail!, explained.detail, `${miss.id}: ${explained.why}`);
  }
  assert.equal(summary.pass_at_k['1'], 0.97);
});

test('answers that return None pass only the items whose gold always returns None', async () => {
  const samples = writeSamples('none.jsonl', (r) => `def ${r.func_name}(*args, **kwargs):\n    return None\n`);
  const { summary, results } = await runEval({ benchmark: FIXTURE, samples, sandbox });
  assert.deepEqual(results.filter((r) => r.verdict === 'pass').map((r) => r.id).sort(), ALWAYS_NONE);
  assert.equal(summary.pass_at_k['1'], 0.02);
  const others = results.filter((r) => !ALWAYS_NONE.includes(r.id));
  assert.equal(others.reduce((sum, r) => sum + r.correct, 0), 0, 'pass@1 over the other 98 items is 0.0');
  assert.ok(others.every((r) => r.reason === 'wrong-output' || r.reason === 'raised'));
});

test('a broken benchmark file is refused with file, line and reason for every problem', async () => {
  const broken = path.join(dir, 'broken.jsonl');
  const second = { ...records[1], example_outputs: [{ nothing: 1 }] };
  writeFileSync(broken, [JSON.stringify(records[0]), '{not json', JSON.stringify(second), JSON.stringify({ id: 'x' }), JSON.stringify(records[0])].join('\n'));
  const samples = writeSamples('for-broken.jsonl', (r) => r.code);
  await assert.rejects(runEval({ benchmark: broken, samples, sandbox }), (error: unknown) => {
    assert.ok(error instanceof EvalInputError);
    assert.match(error.problems[0], /broken\.jsonl:2: not JSON/);
    assert.match(error.problems[1], /broken\.jsonl:3: official-format item: example_outputs\[0\]: neither return nor error/);
    assert.match(error.problems[2], /broken\.jsonl:4: neither an official-format item .* nor a bench item/);
    assert.match(error.problems[3], /broken\.jsonl:5: duplicate id/);
    return true;
  });
});

test('examples that do not match example_outputs are refused after counting them in the sandbox', async () => {
  const short = path.join(dir, 'short.jsonl');
  writeFileSync(short, JSON.stringify({ ...records[0], example_outputs: records[0].example_outputs.slice(1) }) + '\n');
  const samples = writeSamples('for-short.jsonl', (r) => r.code);
  await assert.rejects(runEval({ benchmark: short, samples, sandbox }), /short\.jsonl:1: example_str builds 30 examples but example_outputs has 29/);
});

test('a bad samples line is refused with its file and line', async () => {
  const samples = path.join(dir, 'bad-samples.jsonl');
  writeFileSync(samples, `${JSON.stringify({ id: records[0].id, completion: 'x' })}\n${JSON.stringify({ id: records[1].id })}\n`);
  await assert.rejects(runEval({ benchmark: FIXTURE, samples, sandbox }), /bad-samples\.jsonl:2: not a sample .*completion/);
});

test('an empty samples file is refused with its name and what a line should hold', async () => {
  const samples = path.join(dir, 'empty-samples.jsonl');
  writeFileSync(samples, '\n');
  await assert.rejects(runEval({ benchmark: FIXTURE, samples, sandbox }), /empty-samples\.jsonl: no samples \(expected \{"id", "completion"\} lines\)/);
});

// Acceptance 1 on the official test-set sample: the gold code passes (every miss is named and
// explained), code that only returns None does not, a broken file is refused with file, line and
// reason, and an item that cannot be set up becomes that item's result instead of stopping the run.
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

function writeCompletions(name: string, completion: (record: any) => string, list = records): string {
  const file = path.join(dir, name);
  writeFileSync(file, list.map((r) => JSON.stringify({ id: r.id, completion: completion(r) })).join('\n') + '\n');
  return file;
}

function writeBenchmark(name: string, list: any[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, list.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 2, tools: EVAL_TOOLS });
});
after(() => sandbox.close());

test('the gold code of every fixture item passes, except the explained misses', async () => {
  const completions = writeCompletions('gold.jsonl', (r) => 'The function is:\n\n```python\n' + r.code + '\n```');
  const { summary, results } = await runEval({ benchmark: FIXTURE, completions, sandbox });
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
  assert.deepEqual(summary.setup_errors, []);
  assert.equal(summary.settings.prompt_style, 'official');
});

test('answers that return None pass only the items whose gold always returns None', async () => {
  const completions = writeCompletions('none.jsonl', (r) => `def ${r.func_name}(*args, **kwargs):\n    return None\n`);
  const { summary, results } = await runEval({ benchmark: FIXTURE, completions, sandbox });
  assert.deepEqual(results.filter((r) => r.verdict === 'pass').map((r) => r.id).sort(), ALWAYS_NONE);
  // The share of items whose every expected output is None, computed from the file itself.
  const allNone = records.filter((r) => r.example_outputs.every((o: any) => o.return === '"None"')).map((r) => r.id).sort();
  assert.deepEqual(allNone, ALWAYS_NONE);
  assert.equal(summary.pass_at_k['1'], 0.02);
  const others = results.filter((r) => !ALWAYS_NONE.includes(r.id));
  assert.equal(others.reduce((sum, r) => sum + r.correct, 0), 0, 'pass@1 over the other 98 items is 0.0');
  assert.ok(others.every((r) => r.reason === 'wrong-output' || r.reason === 'raised'));
});

test('a broken benchmark file is refused with file, line and reason for every problem', async () => {
  const second = { ...records[1], example_outputs: [{ nothing: 1 }] };
  const broken = path.join(dir, 'broken.jsonl');
  writeFileSync(broken, [JSON.stringify(records[0]), '{not json', JSON.stringify(second), JSON.stringify({ id: 'x' }), JSON.stringify(records[0])].join('\n'));
  const completions = writeCompletions('for-broken.jsonl', (r) => r.code);
  await assert.rejects(runEval({ benchmark: broken, completions, sandbox }), (error: unknown) => {
    assert.ok(error instanceof EvalInputError);
    assert.deepEqual(error.problems.map((p) => [p.file, p.line]), [[broken, 2], [broken, 3], [broken, 4], [broken, 5]]);
    assert.match(error.problems[0].reason, /^not JSON/);
    assert.match(error.problems[1].reason, /^official-format item: example_outputs\[0\]: neither return nor error/);
    assert.match(error.problems[2].reason, /^neither an official-format item .* nor a bench item/);
    assert.match(error.problems[3].reason, /^duplicate id/);
    assert.match(error.message, /broken\.jsonl:2: not JSON/);
    return true;
  });
});

test('an item whose setup fails here is that item\'s result, listed with its reason, and the run goes on', async () => {
  const needsMissing = { ...records[0], id: 'needs-a-missing-module', example_str: 'import no_such_module_here\n' + records[0].example_str };
  const short = { ...records[1], id: 'short-outputs', example_outputs: records[1].example_outputs.slice(1) };
  const benchmark = writeBenchmark('setup-errors.jsonl', [records[2], needsMissing, short, records[3]]);
  const completions = writeCompletions('setup-gold.jsonl', (r) => r.code, [records[2], needsMissing, short, records[3]]);
  const { summary, results } = await runEval({ benchmark, completions, sandbox });
  assert.deepEqual(results.map((r) => r.verdict), ['pass', 'setup-error', 'setup-error', 'pass']);
  assert.equal(summary.items, 4);
  assert.equal(summary.pass_at_k['1'], 0.5, 'an item that could not be set up counts as not passed');
  assert.equal(summary.reasons['setup-error'], 2);
  assert.deepEqual(summary.setup_errors.map((e) => [e.id, e.line]), [['needs-a-missing-module', 2], ['short-outputs', 3]]);
  assert.match(summary.setup_errors[0].reason, /ModuleNotFoundError: No module named 'no_such_module_here'/);
  assert.match(summary.setup_errors[1].reason, /example_str builds \d+ examples but example_outputs has \d+/);
  assert.equal(results[1].samples[0].code, '', 'no answer of a setup-error item is run');
});

test('on the native backend an item whose examples need an installed package (numpy) runs', async () => {
  const numpyItem = {
    id: 'needs-numpy', func_name: 'total', prompt: 'Function: total\n', code: 'def total(v):\n    return int(v.sum())\n',
    example_str: 'import numpy as np\nexamples = [dict(v=np.array([1, 2, 3])), dict(v=np.array([4]))]',
    example_outputs: [{ return: '"6"' }, { return: '"4"' }],
  };
  const benchmark = writeBenchmark('numpy.jsonl', [numpyItem]);
  const completions = writeCompletions('numpy-gold.jsonl', (r) => r.code, [numpyItem]);
  const { summary } = await runEval({ benchmark, completions, sandbox });
  assert.equal(sandbox.info.backend, 'native');
  assert.deepEqual([summary.pass_at_k['1'], summary.setup_errors], [1, []]);
});

test('a bad completions line is refused with its file and line', async () => {
  const completions = path.join(dir, 'bad-completions.jsonl');
  writeFileSync(completions, `${JSON.stringify({ id: records[0].id, completion: 'x' })}\n${JSON.stringify({ id: records[1].id })}\n${JSON.stringify({ gen_answer_id: records[2].id })}\n`);
  await assert.rejects(runEval({ benchmark: FIXTURE, completions, sandbox }), (error: unknown) => {
    assert.ok(error instanceof EvalInputError);
    assert.deepEqual(error.problems.map((p) => [p.file, p.line]), [[completions, 2], [completions, 3]]);
    assert.match(error.problems[0].reason, /^not a completion .*completion/);
    assert.match(error.problems[1].reason, /^not a reference completion .*completions/);
    return true;
  });
});

test('an empty completions file is refused with its name and what a line should hold', async () => {
  const completions = path.join(dir, 'empty-completions.jsonl');
  writeFileSync(completions, '\n');
  await assert.rejects(runEval({ benchmark: FIXTURE, completions, sandbox }), /empty-completions\.jsonl: no completions \(expected \{"id", "completion"\} or \{"gen_answer_id", "completions"\} lines\)/);
});


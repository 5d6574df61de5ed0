// Completions in the reference's own model-output layout are read as the reference's scorer reads
// them, and floats can be matched within a tolerance when asked (exact match stays the default).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readCompletions } from '../../src/eval/completions.js';
import { reprsMatch } from '../../src/eval/float-match.js';
import { EVAL_TOOLS, runEval } from '../../src/eval/run-eval.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { REFERENCE_TEST_FIXTURE as FIXTURE } from '../helpers/reference-fixture.js';

const records: any[] = readFileSync(FIXTURE, 'utf8').trim().split('\n').slice(0, 3).map((line) => JSON.parse(line));
const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-eval-layouts-'));
const benchmark = path.join(dir, 'three.jsonl');
writeFileSync(benchmark, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: EVAL_TOOLS });
});
after(() => sandbox.close());

/** A line as mp_run_api_local.py writes it: the prompted item plus the model's output. */
function referenceLine(record: any, completions: string): string {
  return JSON.stringify({ prompt: record.prompt, gen_answer_id: record.id, completions, num_gen_tokens: 12, task: 'trace2code_test_baseline', data: 'dataset/test.jsonl', check_result: true, retry_time: 1 });
}

test("the reference's gen_answer_id/completions files are read, <|NONSTOP|> as its scorer reads it", async () => {
  const [a, b, c] = records;
  const file = path.join(dir, 'reference-output.jsonl');
  writeFileSync(file, [
    referenceLine(a, '```python\n' + a.code + '\n```'),
    referenceLine(a, 'no code here<|NONSTOP|>'),
    // The code block closed before the token limit: the reference runs the code, so do we.
    referenceLine(b, '```python\n' + b.code + '\n```\nAnd then the model rambled on<|NONSTOP|>'),
    // The limit cut the code itself: the reference fails it without running (Error: nonstop).
    referenceLine(c, '```python\n' + c.code + '<|NONSTOP|>'),
  ].join('\n') + '\n');
  const read = await readCompletions(file);
  assert.deepEqual([...read.keys()], [a.id, b.id, c.id]);
  assert.deepEqual(read.get(a.id)!.map((x) => x.truncated), [false, true]);
  assert.equal(read.get(b.id)![0].truncated, false);
  assert.equal(read.get(c.id)![0].truncated, true);
  assert.ok(!read.get(b.id)![0].text.includes('<|NONSTOP|>'));

  const { summary, results } = await runEval({ benchmark, completions: file, samplesPerItem: 1, sandbox, warn: () => {} });
  assert.deepEqual(results.map((r) => [r.verdict, r.reason]), [['pass', null], ['pass', null], ['fail', 'truncated']]);
  assert.ok(Math.abs(summary.pass_at_k['1'] - 2 / 3) < 1e-12);
});

test('both layouts may share one file', async () => {
  const file = path.join(dir, 'mixed-layouts.jsonl');
  writeFileSync(file, [referenceLine(records[0], records[0].code), JSON.stringify({ id: records[1].id, completion: records[1].code })].join('\n') + '\n');
  const read = await readCompletions(file);
  assert.deepEqual([...read.keys()], [records[0].id, records[1].id]);
});

test('float tolerance: close floats match, everything else must still be identical', () => {
  assert.equal(reprsMatch('0.30000000000000004', '0.3', undefined), false, 'off by default');
  assert.equal(reprsMatch('0.30000000000000004', '0.3', 1e-9), true);
  assert.equal(reprsMatch('[1.0, (2.5, -0.0)]', '[1.0000000001, (2.4999999999, 0.0)]', 1e-6), true);
  assert.equal(reprsMatch("{'a': 1.5}", "{'b': 1.5}", 1e-6), false, 'keys are not numbers');
  assert.equal(reprsMatch("'0.3'", "'0.30000000000000004'", 1e-6), false, 'a float inside a string is text');
  assert.equal(reprsMatch('3', '4', 0.5), false, 'integers stay exact');
  assert.equal(reprsMatch('1.0', '1.1', 1e-3), false);
  assert.equal(reprsMatch('1e+20', '1.0000000001e+20', 1e-6), true, 'relative for large values');
  assert.equal(reprsMatch('nan', 'nan', 1e-6), true);
  assert.equal(reprsMatch('inf', '-inf', 1e-6), false);
  assert.equal(reprsMatch('np.float64(2.0)', 'np.float64(2.0000001)', 1e-6), true, 'type names with digits are names');
  assert.equal(reprsMatch('[1.0, 2.0]', '[1.0, 2.0, 3.0]', 1e-6), false);
  assert.equal(reprsMatch('(1 - 2.0)', '(1 - 2.0000001)', 1e-6), true, 'a binary minus is not a sign');
});

test('--float-tolerance through eval: a float answer that differs in the last digits passes only with it', async () => {
  const item = {
    id: 'total', func_name: 'total', prompt: 'Function: total\n', code: 'def total(xs):\n    return sum(xs)\n',
    example_str: 'examples = [dict(xs=[0.1, 0.2, 0.3]), dict(xs=[1, 2, 4])]',
    example_outputs: [{ return: JSON.stringify('0.6000000000000001') }, { return: JSON.stringify('7') }],
  };
  const file = path.join(dir, 'floats.jsonl');
  writeFileSync(file, JSON.stringify(item) + '\n');
  const answers = path.join(dir, 'float-answers.jsonl');
  // The same sum in another order: equal to within rounding (0.6), not digit for digit.
  writeFileSync(answers, JSON.stringify({ id: 'total', completion: 'def total(xs):\n    return sum(reversed(xs))\n' }) + '\n');
  const exact = await runEval({ benchmark: file, completions: answers, sandbox });
  assert.equal(exact.results[0].reason, 'wrong-output');
  const tolerant = await runEval({ benchmark: file, completions: answers, floatTolerance: 1e-9, sandbox });
  assert.equal(tolerant.results[0].verdict, 'pass');
  assert.equal(tolerant.summary.settings.float_tolerance, 1e-9);
});

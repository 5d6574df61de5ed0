// Acceptance 3: bench items as the pipeline writes them (samples stage formats, dataset writer)
// evaluate end to end. The cases come from real sandbox runs of the functions.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EVAL_TOOLS, runEval } from '../../src/eval/run-eval.js';
import { toCase } from '../../src/filters/calls.js';
import { buildSamples, completionFor } from '../../src/samples/formats.js';
import { DatasetWriter } from '../../src/samples/write.js';
import type { CallSpec } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const FUNCTIONS: Array<{ entry: string; code: string; inputs: CallSpec[]; wrong: string }> = [
  {
    entry: 'safe_div', code: 'def safe_div(a, b):\n    return a // b\n',
    inputs: [{ args: ['7', '2'] }, { args: ['9', '3'] }, { args: ['1', '0'] }, { args: ['-7', '2'] }],
    wrong: 'def safe_div(a, b):\n    return int(a / b)\n',
  },
  {
    entry: 'words', code: 'def words(text, n=2):\n    return sorted(text.split(), key=len)[:n]\n',
    inputs: [{ args: ["'a bb ccc'"] }, { args: ["'ccc a bb'"] }, { args: ["'x yy'"], kwargs: { n: '1' } }, { args: ["''"] }, { args: ['None'] }],
    wrong: 'def words(text, n=2):\n    return text.split()[:n]\n',
  },
  {
    entry: 'clamp', code: 'def clamp(x, lo=0, hi=10):\n    return max(lo, min(hi, x))\n',
    inputs: [{ args: ['5'] }, { args: ['-3'] }, { args: ['42'] }, { args: ['3'], kwargs: { lo: '4' } }],
    wrong: 'def clamp(x, lo=0, hi=10):\n    return min(hi, x)\n',
  },
  {
    entry: 'initials', code: 'def initials(name):\n    return "".join(part[0].upper() for part in name.split())\n',
    inputs: [{ args: ["'ada lovelace'"] }, { args: ["'Guido van Rossum'"] }, { args: ["'x'"] }, { args: ['3'] }],
    wrong: 'def initials(name):\n    return name[:2].upper()\n',
  },
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-eval-pipeline-'));
const benchmark = path.join(dir, 'bench', 'test.jsonl');
let sandbox: Sandbox;
let ids: string[] = [];

before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: EVAL_TOOLS });
  const writer = new DatasetWriter(dir, { parquet: false });
  for (const fn of FUNCTIONS) {
    const outcomes = await sandbox.runFunction({ code: fn.code, entry: fn.entry, calls: fn.inputs });
    const cases = fn.inputs.map((input, i) => toCase(input, outcomes[i]));
    const sample = buildSamples({ id: `fn-${fn.entry}`, entry: fn.entry, code: fn.code, params: [], source: {}, cases }, 'test', 7);
    await writer.add(sample);
    ids.push(sample.id);
  }
  await writer.close();
});
after(() => sandbox.close());

function writeSamples(name: string, pick: (fn: (typeof FUNCTIONS)[number], i: number) => string): string {
  const file = path.join(dir, name);
  writeFileSync(file, FUNCTIONS.map((fn, i) => JSON.stringify({ id: ids[i], completion: completionFor(pick(fn, i)) })).join('\n') + '\n');
  return file;
}

test('the pipeline writes bench items with raises among the cases', () => {
  const items = readFileSync(benchmark, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(items.length, 4);
  assert.ok(items.some((item) => item.cases.some((c: any) => c.output.verdict === 'raise')));
});

test('reference code passes every pipeline bench item', async () => {
  const { summary } = await runEval({ benchmark, completions: writeSamples('gold.jsonl', (fn) => fn.code), sandbox });
  assert.deepEqual([summary.items, summary.pass_at_k['1']], [4, 1]);
});

test('plausible but wrong code fails, with its first failing case named', async () => {
  const { summary, results } = await runEval({ benchmark, completions: writeSamples('half.jsonl', (fn, i) => (i % 2 === 0 ? fn.code : fn.wrong)), sandbox });
  assert.equal(summary.pass_at_k['1'], 0.5);
  assert.deepEqual(results.map((r) => r.verdict), ['pass', 'fail', 'pass', 'fail']);
  assert.equal(results[1].reason, 'wrong-output');
  assert.match(results[1].failing!.input, /^words\(/);
  assert.equal(results[3].reason, 'wrong-output');
});

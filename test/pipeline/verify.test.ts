// verify against real execution: a dataset built from real outcomes passes; a tampered one fails
// with the file, line and the case that no longer matches; prediction rows are run again; a
// definition in the code of both splits is reported.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { execStage } from '../../src/execute/index.js';
import { filterStage } from '../../src/filters/index.js';
import type { CasesRecord } from '../../src/contract/index.js';
import { runOn } from '../helpers/stages.js';
import { verifyDataset } from '../../src/pipeline/verify.js';
import type { ExecRecord } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { buildSamples } from '../../src/samples/formats.js';
import { DatasetWriter } from '../../src/samples/write.js';

let sandbox: Sandbox;
let dir: string;
before(async () => {
  sandbox = await Sandbox.start({ workers: 1 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-verify-'));
});
after(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const functions = [
  { entry: 'clamp', code: 'def clamp(x, lo=0, hi=10):\n    if lo > hi:\n        raise ValueError("empty range")\n    return max(lo, min(x, hi))\n', inputs: [['5'], ['-3'], ['42'], ['1', '5', '2'], ['7', 'hi=3']] },
  { entry: 'initials', code: 'def initials(name):\n    return "".join(part[0].upper() for part in name.split())\n', inputs: [["'ada lovelace'"], ["'grace brewster hopper'"], ["''"], ['3']] },
  { entry: 'ratio', code: 'def ratio(a, b):\n    return round(a / b, 3)\n', inputs: [['1', '3'], ['2', '0'], ['10', '4'], ['-1', '8']] },
];

test('a dataset from real outcomes verifies; a changed output or completion is reported', async () => {
  const jobs = functions.map((f, i) => ({
    id: `v${i}`,
    entry: f.entry,
    code: f.code,
    params: [],
    source: {},
    inputs: f.inputs.map((args) => {
      const kw = args.filter((a) => a.includes('='));
      return { args: args.filter((a) => !a.includes('=')), ...(kw.length ? { kwargs: Object.fromEntries(kw.map((a) => a.split('='))) } : {}) };
    }),
  }));
  const { kept: executed } = await runOn(execStage(sandbox), jobs);
  const { kept } = await runOn<ExecRecord, CasesRecord>(filterStage({}), executed as ExecRecord[]);
  assert.equal(kept.length, 3);

  const writer = new DatasetWriter(dir, { parquet: false });
  for (const [i, record] of kept.entries()) await writer.add(buildSamples(record, i === 2 ? 'test' : 'train', 9));
  await writer.close();

  const clean = await verifyDataset(sandbox, dir);
  assert.deepEqual(clean.problems, []);
  assert.equal(clean.items, 3);
  assert.equal(clean.calls, kept.reduce((n, r) => n + r.cases.length, 0));
  assert.equal(clean.textSamples, 6);
  assert.equal(clean.predictions, 6, JSON.stringify(clean.rows));
  assert.deepEqual(Object.keys(clean.rows).filter((f) => f.includes('prediction')).sort(), [
    'input_prediction/test.jsonl', 'input_prediction/train.jsonl', 'output_prediction/test.jsonl', 'output_prediction/train.jsonl',
  ]);

  // Tamper: one expected output in bench/test, and one completion in sft.
  const benchFile = path.join(dir, 'bench/test.jsonl');
  const item = JSON.parse(readFileSync(benchFile, 'utf8'));
  const target = item.cases.findIndex((c: any) => c.output.verdict === 'return');
  item.cases[target].output.repr = '999';
  writeFileSync(benchFile, JSON.stringify(item) + '\n');
  const sftFile = path.join(dir, 'sft/train.jsonl');
  const rows = readFileSync(sftFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  rows[1].completion = rows[1].completion.replace('return', 'return -1 +');
  writeFileSync(sftFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

  // Tamper: an output-prediction answer, and an input-prediction call that no longer gives its value.
  const outputFile = path.join(dir, 'output_prediction/train.jsonl');
  const outputs = readFileSync(outputFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  outputs[0].output = outputs[0].completion = '-12345';
  writeFileSync(outputFile, outputs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const inputFile = path.join(dir, 'input_prediction/test.jsonl');
  const inputs = readFileSync(inputFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  inputs[0].input = { args: ['1', '1'] };
  writeFileSync(inputFile, inputs.map((r) => JSON.stringify(r)).join('\n') + '\n');

  const broken = await verifyDataset(sandbox, dir);
  const lines = broken.problems.map((p) => `${p.file}:${p.line}:${p.problem}`);
  assert.ok(lines.some((l) => l.startsWith('output_prediction/train.jsonl:1:the row says returns -12345, re-execution gave returns')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('input_prediction/test.jsonl:1:the row says returns') && l.includes('re-execution gave returns 1.0')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('input_prediction/test.jsonl:1:the completion is not the call')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith(`bench/test.jsonl:1:case ${target}: the dataset says returns 999`)), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('sft/train.jsonl:2:the completion is not the reference code')), lines.join('\n'));
});

test('a definition in the code of a train item and of a test item is reported', async () => {
  const leakDir = mkdtempSync(path.join(os.tmpdir(), 'c2c-verify-leak-'));
  try {
    const helper = 'def _half(x):\n    if x < 0:\n        raise ValueError("negative")\n    return x / 2\n';
    const ret = (arg: string, repr: string) => ({ input: { args: [arg] }, output: { verdict: 'return' as const, repr } });
    const cases = [ret('4', '2.0'), ret('3', '1.5'), { input: { args: ['-1'] }, output: { verdict: 'raise' as const, type: 'ValueError', message: 'negative' } }];
    const writer = new DatasetWriter(leakDir, { parquet: false });
    await writer.add(buildSamples({ id: 'h', entry: '_half', code: helper, params: [], source: {}, cases }, 'test', 1));
    const user = `${helper}\n\ndef quarter(x):\n    return _half(_half(x))\n`;
    await writer.add(buildSamples({ id: 'q', entry: 'quarter', code: user, params: [], source: {}, cases: [ret('4', '1.0'), ret('2', '0.5'), { ...cases[2] }] }, 'train', 1));
    await writer.close();
    const result = await verifyDataset(sandbox, leakDir);
    const lines = result.problems.map((p) => `${p.file}:${p.line}:${p.id}:${p.problem}`);
    assert.deepEqual(lines, ['bench/test.jsonl:1:h:`_half` is also in the code of q (the other split), so the split leaks it']);
  } finally {
    rmSync(leakDir, { recursive: true, force: true });
  }
});

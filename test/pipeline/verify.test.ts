// verify against real execution: a dataset built from real outcomes passes; a tampered one fails
// with the file, line and the case that no longer matches.
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

  const broken = await verifyDataset(sandbox, dir);
  const lines = broken.problems.map((p) => `${p.file}:${p.line}:${p.problem}`);
  assert.ok(lines.some((l) => l.startsWith(`bench/test.jsonl:1:case ${target}: the dataset says returns 999`)), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('sft/train.jsonl:2:the completion is not the reference code')), lines.join('\n'));
});

// A real run (extract, fuzz, exec, filters, samples) on a corpus whose helpers are functions of
// their own, carried into their callers' code: the data is the same for any shard size, no
// definition is on both sides of the split (by Python's own AST, bench/measure-definitions.py),
// the moves are counted, the shown cases reveal their functions, and verify passes on every
// format. The smaller sibling of `npm run bench -- data-quality` (issue 11, acceptance 2).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BenchItem } from '../../src/contract/index.js';
import { runCase2Code } from '../../src/pipeline/case2code.js';
import { verifyDataset } from '../../src/pipeline/verify.js';
import { FORMATS } from '../../src/samples/formats.js';
import { shownProblem } from '../../src/samples/informative.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const CORPUS = fileURLToPath(new URL('../../../test/pipeline/shared-helpers', import.meta.url));
const MEASURE = fileURLToPath(new URL('../../../bench/measure-definitions.py', import.meta.url));
// Seed 3 puts helpers and their callers on both sides before the leak-free step.
const SETTINGS = { sources: [CORPUS], seed: 3, testFraction: 0.5, inputs: 8, workers: 1 };

let root: string;
const rows = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const dataFiles = (dir: string) =>
  new Map((readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\.(jsonl|parquet)$/.test(f)).map((f) => [f, readFileSync(path.join(dir, f))]));

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'c2c-data-quality-'));
  await runCase2Code({ ...SETTINGS, output: path.join(root, 'small'), shardSize: 2 });
  await runCase2Code({ ...SETTINGS, output: path.join(root, 'large'), shardSize: 50 });
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the data is byte-identical for shards of 2 and of 50 functions (the card lists the shard size)', () => {
  const small = dataFiles(path.join(root, 'small/data'));
  const large = dataFiles(path.join(root, 'large/data'));
  assert.deepEqual([...small.keys()].sort(), [...large.keys()].sort());
  assert.deepEqual([...small].filter(([f, bytes]) => !bytes.equals(large.get(f)!)).map(([f]) => f), []);
});

test('no definition, entry or carried helper, is on both sides of the split, and the moves are counted', () => {
  const data = path.join(root, 'small/data');
  const train = rows(path.join(data, 'bench/train.jsonl')) as BenchItem[];
  const test = rows(path.join(data, 'bench/test.jsonl')) as BenchItem[];
  assert.ok(train.length > 0 && test.length > 0, `${train.length} train, ${test.length} test`);
  const jobs = [...train, ...test].map((item) => JSON.stringify({ id: item.id, code: item.code })).join('\n') + '\n';
  const measured = spawnSync('python3', [MEASURE], { input: jobs, encoding: 'utf8' });
  assert.equal(measured.status, 0, measured.stderr);
  const hashes = new Map<string, string[]>(measured.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((a) => [a.id, a.definitions.map((d: any) => d.hash)]));
  const trainHashes = new Set(train.flatMap((item) => hashes.get(item.id)!));
  const leaking = test.filter((item) => hashes.get(item.id)!.some((h) => trainHashes.has(h))).map((item) => item.entry);
  assert.deepEqual(leaking, []);
  // The corpus shares helpers, so some function had to move; the card and the summary say how many.
  const summary = JSON.parse(readFileSync(path.join(root, 'small/summary.json'), 'utf8'));
  const { toTrain, toTest } = summary.dataset.moved;
  assert.ok(toTrain + toTest > 0, JSON.stringify(summary.dataset));
  assert.match(readFileSync(path.join(data, 'README.md'), 'utf8'), new RegExp(`${toTrain + toTest} functions were moved \\(${toTrain} from test to train, ${toTest} from train to test\\)`));
});

test('at least 90% of functions show informative cases', () => {
  const data = path.join(root, 'small/data');
  const items = [...rows(path.join(data, 'bench/train.jsonl')), ...rows(path.join(data, 'bench/test.jsonl'))] as BenchItem[];
  const informative = items.filter((item) => shownProblem(item.shown) === undefined).length;
  assert.ok(informative >= 0.9 * items.length, `${informative} of ${items.length}`);
});

test('verify passes on every format and split', { timeout: 120_000 }, async () => {
  const sandbox = await Sandbox.start({ workers: 1 });
  try {
    const result = await verifyDataset(sandbox, path.join(root, 'small'));
    assert.deepEqual(result.problems, []);
    for (const format of FORMATS) assert.ok((result.rows[`${format}/train.jsonl`] ?? 0) > 0, `${format}/train.jsonl: ${JSON.stringify(result.rows)}`);
    assert.ok(result.rows['output_prediction/test.jsonl'] > 0 && result.rows['input_prediction/test.jsonl'] > 0);
  } finally {
    await sandbox.close();
  }
});

test('no absolute path in the data', () => {
  const data = path.join(root, 'small/data');
  const absolute: string[] = [];
  for (const file of readdirSync(data, { recursive: true, encoding: 'utf8' }) as string[]) {
    if (!file.endsWith('.jsonl')) continue;
    for (const row of rows(path.join(data, file))) {
      for (const [field, value] of Object.entries(row.source ?? {})) if (typeof value === 'string' && path.isAbsolute(value)) absolute.push(`${file}: source.${field} ${value}`);
    }
  }
  assert.ok(!readFileSync(path.join(data, 'README.md'), 'utf8').includes(CORPUS), 'the card names the corpus by its absolute path');
  assert.deepEqual(absolute.slice(0, 3), []);
});

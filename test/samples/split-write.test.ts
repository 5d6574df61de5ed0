import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parquetReadObjects } from 'hyparquet';
import { LeakFreeSplit, splitOf, type SplitUnit } from '../../src/samples/split.js';
import { definitionsOf } from '../../src/samples/definitions.js';
import { rngFor } from '../../src/samples/random.js';
import { buildSamples } from '../../src/samples/formats.js';
import { DatasetWriter } from '../../src/samples/write.js';
import { datasetCard } from '../../src/samples/card.js';
import { syntheticRecord } from './fixtures.js';

test('split: no near-duplicate cluster has members on both sides, and the share is near the fraction', () => {
  const side = new Map<string, Set<string>>();
  let test = 0;
  for (let i = 0; i < 3000; i++) {
    const cluster = i % 3 === 0 ? undefined : `c${i % 400}`; // clustered functions spread over many shards
    const record = { id: `f${i}`, ...(cluster ? { cluster } : {}) };
    const s = splitOf(record, 0.2, 42);
    if (s === 'test') test++;
    const key = cluster ?? record.id;
    (side.get(key) ?? side.set(key, new Set()).get(key)!).add(s);
  }
  for (const [key, sides] of side) assert.equal(sides.size, 1, `cluster ${key} on both sides`);
  assert.ok(test / 3000 > 0.12 && test / 3000 < 0.28, `test share ${test / 3000}`);
  assert.equal(splitOf({ id: 'x' }, 0, 1), 'train');
  assert.equal(splitOf({ id: 'x' }, 1, 1), 'test');
});

const HELPER = 'def _words(text):\n    cleaned = text.replace(",", " ")\n    return [w.lower() for w in cleaned.split() if w]\n';
const user = (name: string, body: string) => `${HELPER}\n\ndef ${name}(text):\n    words = _words(text)\n    return ${body}\n`;
const unit = (id: string, split: 'train' | 'test', code: string, cluster?: string): SplitUnit => ({ id, split, ...(cluster ? { cluster } : {}), definitions: definitionsOf(code).map((d) => d.hash) });

test('leak-free split: a test function carried as a helper by train functions moves to train, and is counted', () => {
  const split = new LeakFreeSplit();
  split.add(unit('words', 'test', HELPER));
  split.add(unit('count', 'train', user('word_count', 'len(words)')));
  split.add(unit('longest', 'train', user('longest_word', 'max(words, key=len)')));
  split.add(unit('alone', 'test', 'def shout(text):\n    return text.upper() + "!"\n'));
  assert.deepEqual(['words', 'count', 'longest', 'alone'].map((id) => split.sideOf(id)), ['train', 'train', 'train', 'test']);
  assert.deepEqual(split.moves, { toTrain: 1, toTest: 0 });
});

test('leak-free split: functions linked through a chain of definitions and clusters end on one side, the side most of them are on', () => {
  const split = new LeakFreeSplit();
  // a and b share _words; b and c share a cluster; c and d share another helper; e is alone.
  const other = 'def _pad(s):\n    return s.center(10)\n';
  split.add(unit('a', 'train', HELPER));
  split.add(unit('b', 'test', user('first', 'words[0]'), 'k1'));
  split.add(unit('c', 'test', `${other}\n\ndef boxed(s):\n    return "[" + _pad(s) + "]"\n`, 'k1'));
  split.add(unit('d', 'test', other));
  split.add(unit('e', 'train', 'def twice(x):\n    return 2 * x\n'));
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((id) => split.sideOf(id)), ['test', 'test', 'test', 'test', 'train']);
  assert.deepEqual(split.moves, { toTrain: 0, toTest: 1 });
});

test('leak-free split: the sides depend on the set of functions, not on their order (shards, resume)', () => {
  const units: SplitUnit[] = [];
  for (let i = 0; i < 300; i++) {
    const helper = `def _h${i % 17}(x):\n    return x + ${i % 17}\n`;
    const code = i % 5 === 0 ? helper : `${helper}\n\ndef f${i}(x):\n    return _h${i % 17}(x) * ${i}\n`;
    units.push(unit(`f${i}`, splitOf({ id: `f${i}` }, 0.3, 1), code));
  }
  const sides = (order: SplitUnit[]) => {
    const split = new LeakFreeSplit();
    for (const u of order) split.add(u);
    return { sides: units.map((u) => split.sideOf(u.id)), moves: split.moves };
  };
  const first = sides(units);
  for (let seed = 0; seed < 5; seed++) assert.deepEqual(sides(rngFor(seed, 'order').shuffle(units)), first);
  assert.ok(first.moves.toTrain + first.moves.toTest > 0);
  // No helper on both sides.
  const hashSides = new Map<string, Set<string>>();
  units.forEach((u, i) => u.definitions.forEach((h) => (hashSides.get(h) ?? hashSides.set(h, new Set()).get(h)!).add(first.sides[i])));
  assert.deepEqual([...hashSides.values()].filter((s) => s.size > 1), []);
});

test('the writer makes JSONL and Parquet per format and split, and a card with the counts', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-write-'));
  try {
    const writer = new DatasetWriter(dir);
    for (let i = 0; i < 10; i++) await writer.add(buildSamples(syntheticRecord(i), i < 3 ? 'test' : 'train', 1));
    const counts = await writer.close();
    assert.deepEqual(counts.functions, { train: 7, test: 3 });
    assert.deepEqual(counts.files, {
      'sft/train': 7, 'chat/train': 7, 'pretrain/train': 7, 'bench/train': 7, 'bench/test': 3,
      'output_prediction/train': 7, 'output_prediction/test': 3, 'input_prediction/train': 7, 'input_prediction/test': 3,
    });
    const sftLines = readFileSync(path.join(dir, 'sft/train.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(sftLines[0]), ['id', 'prompt', 'completion']);
    const read = async (file: string) => {
      const bytes = readFileSync(path.join(dir, file));
      return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    };
    const sft = await read('sft/train.parquet');
    assert.deepEqual(sft.map((r) => r.prompt), sftLines.map((r) => r.prompt));
    const chat = await read('chat/train.parquet');
    assert.equal(chat[0].messages[1].role, 'assistant');
    const bench = await read('bench/test.parquet');
    assert.equal(bench.length, 3);
    assert.equal(typeof bench[0].cases === 'string' ? JSON.parse(bench[0].cases).length : bench[0].cases.length, syntheticRecord(0).cases.length);
    const predictions = await read('input_prediction/test.parquet');
    assert.deepEqual(Object.keys(predictions[0]).sort(), ['code', 'completion', 'entry', 'function', 'id', 'input', 'output', 'prompt']);
    assert.equal(predictions[0].function, 'fn-0');
    const card = datasetCard({ counts: { ...counts, moved: { toTrain: 2, toTest: 1 } }, settings: { seed: 1 }, funnel: [{ stage: 'extract', seen: 12, kept: 10 }], tool: 'case2code test' });
    assert.match(card, /config_name: bench/);
    assert.match(card, /config_name: output_prediction\n  data_files:\n  - split: train\n    path: output_prediction\/train.parquet\n  - split: test/);
    assert.match(card, /`bench\/test` \| 3 \|/);
    assert.match(card, /3 functions were moved \(2 from test to train, 1 from train to test\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

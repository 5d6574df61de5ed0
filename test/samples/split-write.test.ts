import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parquetReadObjects } from 'hyparquet';
import { splitOf } from '../../src/samples/split.js';
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

test('the writer makes JSONL and Parquet per format and split, and a card with the counts', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-write-'));
  try {
    const writer = new DatasetWriter(dir);
    for (let i = 0; i < 10; i++) await writer.add(buildSamples(syntheticRecord(i), i < 3 ? 'test' : 'train', 1));
    const counts = await writer.close();
    assert.deepEqual(counts.functions, { train: 7, test: 3 });
    assert.deepEqual(counts.files, { 'sft/train': 7, 'chat/train': 7, 'pretrain/train': 7, 'bench/train': 7, 'bench/test': 3 });
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
    const card = datasetCard({ counts, settings: { seed: 1 }, funnel: [{ stage: 'extract', seen: 12, kept: 10 }], tool: 'case2code test' });
    assert.match(card, /config_name: bench/);
    assert.match(card, /`bench\/test` \| 3 \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// JSON Lines: reading with line numbers (plain and gzip), records checked against a schema with
// every bad line kept as a reject, and a writer that waits when its reader is slow.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FunctionRecordSchema } from '../../src/contract/index.js';
import { JsonlWriter, readJsonl } from '../../src/io/jsonl.js';
import { readRecords } from '../../src/io/records.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-jsonl-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('readJsonl', () => {
  it('numbers lines as the file does (blank lines count), and reports a line that is not JSON', async () => {
    const file = path.join(dir, 'a.jsonl');
    writeFileSync(file, '{"a": 1}\n\n{"a": \n[2]\n');
    const lines = await all(readJsonl(file));
    assert.deepEqual(lines.map((l) => [l.line, l.ok]), [[1, true], [3, false], [4, true]]);
    assert.match((lines[1] as { error: string }).error, /^not JSON/);
  });

  it('reads gzip', async () => {
    const file = path.join(dir, 'b.jsonl.gz');
    writeFileSync(file, gzipSync('{"x": "y"}\n'));
    assert.deepEqual(await all(readJsonl(file)), [{ line: 1, ok: true, value: { x: 'y' } }]);
  });
});

describe('readRecords', () => {
  it('keeps valid records and turns each bad line into a reject naming the file, the line and the problem', async () => {
    const file = path.join(dir, 'functions.jsonl');
    writeFileSync(file, [JSON.stringify({ id: 'a', entry: 'f', code: 'def f(): pass' }), '{oops', JSON.stringify({ id: 'b', entry: 3 })].join('\n') + '\n');
    const items = await all(readRecords(file, FunctionRecordSchema, 'inputs'));
    assert.equal(items[0].kind, 'keep');
    assert.deepEqual(items[0].kind === 'keep' && items[0].record.params, [], 'defaults of the schema are applied');
    const rejects = items.flatMap((item) => (item.kind === 'reject' ? [item.reject] : []));
    assert.deepEqual(rejects.map((r) => [r.stage, r.reason, r.source]), [['inputs', 'bad-json', { path: file, line: 2 }], ['inputs', 'bad-record', { path: file, line: 3 }]]);
    assert.match(rejects[1].detail!, /entry: .*string/);
    assert.match(rejects[1].detail!, /code: /);
  });
});

describe('JsonlWriter', () => {
  it('waits while its reader is slow, so memory stays flat, and loses nothing', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = createReadStream(fifo);
    reader.pause();
    const writer = new JsonlWriter(fifo);
    const line = { text: 'x'.repeat(16 * 1024) };
    let written = 0;
    const writing = (async () => {
      for (let i = 0; i < 200; i++) {
        await writer.write({ i, ...line });
        written++;
      }
      await writer.close();
    })();
    // Nothing is read yet: the writer stops once the pipe and its own buffer are full, far
    // short of the 3 MB it was given.
    let before = -1;
    while (written !== before) {
      before = written;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(written < 50, `${written} lines of 16 KB written with no reader`);
    const chunks: Buffer[] = [];
    reader.on('data', (chunk) => chunks.push(chunk as Buffer));
    reader.resume();
    await writing;
    await new Promise<void>((resolve) => reader.on('close', () => resolve()));
    const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l).i);
    assert.deepEqual(lines, Array.from({ length: 200 }, (_, i) => i));
  });
});

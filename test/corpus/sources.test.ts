import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { embeddedStdlibPath, readCorpus, type CorpusOptions, type SourceFile } from '../../src/corpus/index.js';
import type { StageItem } from '../../src/contract/index.js';
import { buildZip } from './zip-writer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-corpus-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(sources: string[], options?: CorpusOptions): Promise<StageItem<SourceFile>[]> {
  const items: StageItem<SourceFile>[] = [];
  for await (const item of readCorpus(sources, options)) items.push(item);
  return items;
}
const kept = (items: StageItem<SourceFile>[]) => items.flatMap((i) => (i.kind === 'keep' ? [i.record] : []));
const rejected = (items: StageItem<SourceFile>[]) => items.flatMap((i) => (i.kind === 'reject' ? [i.reject] : []));

describe('directories and .py files', () => {
  const root = path.join(dir, 'tree');
  mkdirSync(path.join(root, 'pkg', '__pycache__'), { recursive: true });
  writeFileSync(path.join(root, 'b.py'), 'def b(x):\n    return x\n');
  writeFileSync(path.join(root, 'a.py'), '\ufeffdef a(x):\n    return x\n');
  writeFileSync(path.join(root, 'notes.txt'), 'not python');
  writeFileSync(path.join(root, 'pkg', 'latin1.py'), Buffer.from('s = "caf\xe9"\n', 'latin1'));
  writeFileSync(path.join(root, 'pkg', 'blob.py'), Buffer.from([0x64, 0x65, 0x66, 0x00, 0x01]));
  writeFileSync(path.join(root, 'pkg', 'big.py'), 'x = 1\n'.repeat(100));
  writeFileSync(path.join(root, 'pkg', '__pycache__', 'c.py'), 'x = 1\n');

  test('walks .py files in sorted order, skipping excluded directories and other files', async () => {
    const items = await collect([root], { maxBytes: 200 });
    // Named relative to the folder that holds the source given, never by the machine's absolute path.
    assert.deepEqual(kept(items).map((f) => f.source.path), [`${path.basename(root)}/a.py`, `${path.basename(root)}/b.py`]);
    assert.equal(kept(items)[0].text, 'def a(x):\n    return x\n', 'the BOM is dropped');
  });

  test('rejects binary, non-UTF-8 and over-size files with a reason, and goes on', async () => {
    const reasons = Object.fromEntries(rejected(await collect([root], { maxBytes: 200 })).map((r) => [path.basename(r.source!.path!), r.reason]));
    assert.deepEqual(reasons, { 'big.py': 'too-large', 'blob.py': 'binary', 'latin1.py': 'not-utf8' });
  });

  test('a single .py file is a source; a missing or unknown source is a configuration error', async () => {
    assert.equal(kept(await collect([path.join(root, 'b.py')])).length, 1);
    await assert.rejects(collect([path.join(dir, 'nope.py')]), /not found/);
    await assert.rejects(collect([path.join(root, 'notes.txt')]), /unsupported corpus source/);
  });
});

describe('JSONL', () => {
  const lines = [
    JSON.stringify({ content: 'def f(x):\n    return x\n', max_stars_repo_path: 'src/f.py', max_stars_repo_name: 'me/repo', max_stars_repo_licenses: ['MIT'], hexsha: 'abc' }),
    '{"content": "def g(',
    JSON.stringify({ text: 'no content field' }),
    JSON.stringify({ content: 'x = "\ud800"' }),
    '',
    JSON.stringify({ id: 'ref-1', content: 'def h():\n    return 1\n' }),
  ].join('\n');

  test('reads plain and gzip JSONL; a non-JSON line and a missing field are rejects naming file and line', async () => {
    const plain = path.join(dir, 'rows.jsonl');
    const gz = path.join(dir, 'rows.jsonl.gz');
    writeFileSync(plain, lines);
    writeFileSync(gz, gzipSync(lines));
    for (const file of [plain, gz]) {
      const items = await collect([file]);
      assert.equal(items.length, 5);
      assert.deepEqual(kept(items).map((f) => f.source), [
        { dataset: path.basename(file), row: 1, path: 'src/f.py', repo: 'me/repo', license: 'MIT', id: 'abc' },
        { dataset: path.basename(file), row: 6, id: 'ref-1' },
      ]);
      assert.deepEqual(rejected(items).map((r) => [r.reason, r.source?.row]), [['bad-json', 2], ['missing-field', 3], ['not-utf8', 4]]);
    }
  });

  test('the text field is configurable', async () => {
    const file = path.join(dir, 'text.jsonl');
    writeFileSync(file, JSON.stringify({ code: 'def f(x):\n    return x\n' }) + '\n');
    assert.equal(kept(await collect([file], { field: 'code' })).length, 1);
    assert.equal(rejected(await collect([file]))[0].reason, 'missing-field');
  });
});

describe('Parquet', () => {
  const file = path.join(dir, 'stack.parquet');
  const content = Array.from({ length: 25 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`);
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'content', data: content, type: 'STRING' },
      { name: 'path', data: content.map((_, i) => `src/f${i}.py`), type: 'STRING' },
      { name: 'repo_name', data: content.map(() => 'me/repo'), type: 'STRING' },
      { name: 'license', data: content.map(() => 'Apache-2.0'), type: 'STRING' },
    ],
    rowGroupSize: 10,
  });

  test('reads every row of every row group with its path, repo and license', async () => {
    const items = await collect([file]);
    assert.equal(items.length, 25);
    const files = kept(items);
    assert.deepEqual(files.map((f) => f.text), content);
    assert.deepEqual(files[12].source, { dataset: path.basename(file), row: 12, path: 'src/f12.py', repo: 'me/repo', license: 'Apache-2.0' });
  });

  test('a corrupt or truncated file is a corrupt-parquet reject, and the run continues', async () => {
    const garbage = path.join(dir, 'garbage.parquet');
    writeFileSync(garbage, Buffer.from('PAR1 this is not parquet at all PAR1'));
    const truncated = path.join(dir, 'truncated.parquet');
    const bytes = readFileSync(file);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 20));
    const items = await collect([garbage, truncated, file]);
    assert.deepEqual(rejected(items).map((r) => [r.reason, r.source?.dataset]), [['corrupt-parquet', path.basename(garbage)], ['corrupt-parquet', path.basename(truncated)]]);
    assert.equal(kept(items).length, 25);
  });

  test('a missing text column is reported', async () => {
    assert.equal(rejected(await collect([file], { field: 'code' }))[0].reason, 'missing-field');
  });
});

describe('zip', () => {
  test('reads stored and deflated .py entries; a bad CRC is a corrupt-zip reject', async () => {
    const file = path.join(dir, 'lib.zip');
    writeFileSync(file, buildZip([
      { name: 'pkg/a.py', data: Buffer.from('def a(x):\n    return x\n') },
      { name: 'pkg/b.py', data: Buffer.from('def b(x):\n    return x * 2\n'.repeat(50)), deflate: true },
      { name: 'pkg/data.bin', data: Buffer.from([0, 1, 2]) },
      { name: 'pkg/c.py', data: Buffer.from('x = 1\n'), deflate: true, badCrc: true },
    ]));
    const items = await collect([file]);
    assert.deepEqual(kept(items).map((f) => f.source), [{ dataset: path.basename(file), path: 'pkg/a.py' }, { dataset: path.basename(file), path: 'pkg/b.py' }]);
    assert.equal(kept(items)[1].text, 'def b(x):\n    return x * 2\n'.repeat(50));
    assert.deepEqual(rejected(items).map((r) => [r.reason, r.source?.path]), [['corrupt-zip', 'pkg/c.py']]);
  });

  test('a file that is not a zip is one reject', async () => {
    const file = path.join(dir, 'fake.zip');
    writeFileSync(file, 'not a zip archive, just text that is long enough');
    assert.deepEqual(rejected(await collect([file])).map((r) => r.reason), ['corrupt-zip']);
  });

  test("Pyodide's embedded standard library is readable", async () => {
    const files = kept(await collect([embeddedStdlibPath()]));
    assert.ok(files.length > 300, `${files.length} files`);
    const heapq = files.find((f) => f.source.path === 'heapq.py');
    assert.match(heapq?.text ?? '', /def heappush\(heap, item\)/);
  });
});

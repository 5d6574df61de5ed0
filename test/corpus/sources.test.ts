import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parquetWriteFile } from 'hyparquet-writer';
import { embeddedStdlibPath, PackageModules, readCorpus, type CorpusOptions, type SourceFile } from '../../src/corpus/index.js';
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

describe('package places', () => {
  const tree = path.join(dir, 'pkgs');
  const files: Record<string, string> = {
    'loose.py': 'x = 1\n',
    'app/__init__.py': 'VERSION = 1\n',
    'app/core.py': 'from . import sub\n',
    'app/sub/__init__.py': '',
    'app/sub/deep.py': 'from ..core import sub\n',
    'app/not-a-name.py': 'x = 1\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
    writeFileSync(path.join(tree, name), text);
  }
  const zipFile = path.join(dir, 'pkgs.zip');
  writeFileSync(zipFile, buildZip(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, text]) => ({ name, data: Buffer.from(text) }))));
  const places = (items: StageItem<SourceFile>[]) => Object.fromEntries(kept(items).map((f) => [f.source.path, f.package && `${f.package.module}${f.package.init ? ' (init)' : ''}`]));

  test('a file in a package knows its dotted module name and the folder holding the top package (plain data)', async () => {
    const items = await collect([tree]);
    assert.deepEqual(places(items), {
      'pkgs/app/__init__.py': 'app (init)',
      'pkgs/app/core.py': 'app.core',
      'pkgs/app/not-a-name.py': undefined,
      'pkgs/app/sub/__init__.py': 'app.sub (init)',
      'pkgs/app/sub/deep.py': 'app.sub.deep',
      'pkgs/loose.py': undefined,
    });
    const deep = kept(items).find((f) => f.source.path === 'pkgs/app/sub/deep.py')!;
    assert.deepEqual(deep.package, { module: 'app.sub.deep', init: false, root: tree });
    assert.deepEqual(JSON.parse(JSON.stringify(deep)), deep, 'survives JSON, as records between processes must');
  });

  test('given a folder inside the package, the package still starts at its top', async () => {
    const items = await collect([path.join(tree, 'app', 'sub')]);
    assert.deepEqual(places(items), { 'sub/__init__.py': 'app.sub (init)', 'sub/deep.py': 'app.sub.deep' });
  });

  test('zip entries have package places inside the archive', async () => {
    const items = await collect([zipFile]);
    const deep = kept(items).find((f) => f.source.path === 'app/sub/deep.py')!;
    assert.deepEqual(deep.package, { module: 'app.sub.deep', init: false, root: '', archive: zipFile });
  });

  test('PackageModules reads a module or a package by name, null where there is none; a root that is gone is an input error', async () => {
    const modules = new PackageModules(1024 * 1024);
    const ref = { module: 'app.core', init: false, root: tree };
    assert.deepEqual(await modules.read(ref, 'app.sub'), { text: '', init: true });
    assert.deepEqual(await modules.read(ref, 'app.core'), { text: files['app/core.py'], init: false });
    assert.equal(await modules.read(ref, 'app.nowhere'), null);
    assert.equal(await modules.read(ref, 'other.core'), null, 'only the own top package');
    assert.equal(await modules.read(ref, 'app..core'), null);
    const zipped = await modules.read({ module: 'app.core', init: false, root: '', archive: zipFile }, 'app.sub.deep');
    assert.deepEqual(zipped, { text: files['app/sub/deep.py'], init: false });
    await assert.rejects(modules.read({ ...ref, root: path.join(dir, 'gone') }, 'app.x'), /not readable here/);
    await modules.close();
  });
});

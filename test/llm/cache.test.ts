import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hashKey, ResponseCache } from '../../src/llm/cache.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'c2c-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let dirs = 0;
const freshDir = () => path.join(tmp, `cache-${dirs++}`);
const entryFile = (dir: string, key: string) => path.join(dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`);
const filesUnder = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((name) => /\.(json|tmp)$/.test(name));

describe('ResponseCache', () => {
  it('keeps one JSON file per key, sharded by the first hex characters of the key', () => {
    const dir = freshDir();
    const cache = new ResponseCache(dir);
    const key = hashKey({ prompt: 'hello', index: 0 });
    assert.equal(cache.get(key), undefined);
    cache.put(key, { text: 'hi \u{1F600} "quoted"\n', finishReason: null });
    assert.deepEqual(cache.get(key), { text: 'hi \u{1F600} "quoted"\n', finishReason: null });
    assert.ok(existsSync(entryFile(dir, key)));
    assert.deepEqual(filesUnder(dir), [path.relative(dir, entryFile(dir, key))], 'no temp file is left behind');
    cache.close();
  });

  it('creates a missing directory, parents included', () => {
    const dir = path.join(freshDir(), 'deeper', 'still');
    const cache = new ResponseCache(dir);
    cache.put(hashKey('x'), { text: 'x', finishReason: 'stop' });
    assert.equal(cache.get(hashKey('x'))?.text, 'x');
    cache.close();
  });

  it('lets two instances on one directory see each other’s entries', () => {
    const dir = freshDir();
    const a = new ResponseCache(dir);
    const b = new ResponseCache(dir);
    const first = hashKey('first');
    const second = hashKey('second');
    a.put(first, { text: 'from a', finishReason: 'stop' });
    b.put(second, { text: 'from b', finishReason: 'length' });
    assert.deepEqual(b.get(first), { text: 'from a', finishReason: 'stop' });
    assert.deepEqual(a.get(second), { text: 'from b', finishReason: 'length' });
    b.put(first, { text: 'b again', finishReason: 'stop' });
    assert.equal(a.get(first)?.text, 'b again', 'the last write of a key wins');
    a.close();
    b.close();
  });

  it('treats a truncated, garbled or foreign entry as a miss, and a put replaces it', () => {
    const dir = freshDir();
    const cache = new ResponseCache(dir);
    const key = hashKey('broken');
    const file = entryFile(dir, key);
    const breakages: Array<[string, () => void]> = [
      ['truncated', () => truncateSync(file, Math.floor(readFileSync(file).length / 2))],
      ['empty', () => truncateSync(file, 0)],
      ['not JSON', () => writeFileSync(file, '\u0000\u0000garbage')],
      ['JSON of another shape', () => writeFileSync(file, '[1, 2, 3]')],
      ['the entry of another key', () => writeFileSync(file, readFileSync(entryFile(dir, hashKey('other')), 'utf8'))],
    ];
    cache.put(hashKey('other'), { text: 'other', finishReason: 'stop' });
    for (const [name, breakIt] of breakages) {
      cache.put(key, { text: 'whole answer', finishReason: 'stop' });
      breakIt();
      assert.equal(cache.get(key), undefined, name);
      cache.put(key, { text: 'new answer', finishReason: 'stop' });
      assert.deepEqual(cache.get(key), { text: 'new answer', finishReason: 'stop' }, `${name}: replaced`);
    }
    cache.close();
  });

  it('refuses a path that is a file (an old SQLite cache), naming it and asking for a directory', () => {
    const file = path.join(tmp, 'old-cache.sqlite');
    writeFileSync(file, 'SQLite format 3\u0000');
    assert.throws(
      () => new ResponseCache(file),
      (error: unknown) => error instanceof Error && error.message.includes(file) && /must now be a directory/.test(error.message),
    );
    assert.equal(readFileSync(file, 'utf8'), 'SQLite format 3\u0000', 'the old file is left alone');
  });

  it('refuses a key that is not a hashKey digest (it becomes a file name)', () => {
    const cache = new ResponseCache(freshDir());
    assert.throws(() => cache.get('../../etc/passwd'), /hashKey/);
    assert.throws(() => cache.put('ABC', { text: '', finishReason: null }), /hashKey/);
    cache.close();
  });

  it('is an error to use after close()', () => {
    const cache = new ResponseCache(freshDir());
    cache.close();
    assert.throws(() => cache.get(hashKey('late')), /after close/);
  });

  it('never shows a reader a missing or half entry while other processes rewrite it', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const keys = Array.from({ length: 20 }, (_, i) => hashKey({ shared: i }));
    // Entries large enough that a write in place would be seen half done.
    const textOf = (writer: number, round: number) => `${writer}:${round}:`.padEnd(200_000, String(writer));
    const cacheModule = new URL('../../src/llm/cache.js', import.meta.url).href;
    const writerScript = `
      const { ResponseCache } = await import(${JSON.stringify(cacheModule)});
      const [dir, writer, keys] = [process.argv[1], Number(process.argv[2]), JSON.parse(process.argv[3])];
      const cache = new ResponseCache(dir);
      for (let round = 0; round < 5; round++)
        for (const key of keys) cache.put(key, { text: (writer + ':' + round + ':').padEnd(200000, String(writer)), finishReason: 'stop' });
      cache.close();`;
    const writers = [1, 2].map(
      (writer) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', writerScript, dir, String(writer), JSON.stringify(keys)], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('error', reject);
          child.on('exit', resolve);
        }),
    );
    let running = true;
    const done = Promise.all(writers).finally(() => (running = false));
    const reader = new ResponseCache(dir);
    const valid = new Set([1, 2].flatMap((writer) => Array.from({ length: 5 }, (_, round) => textOf(writer, round))));
    // A partial entry would read as a miss, so an atomic write shows as: once there, always whole.
    const present = new Set<string>();
    while (running) {
      for (const key of keys) {
        const hit = reader.get(key);
        if (hit === undefined) {
          assert.ok(!present.has(key), 'an entry a reader had seen was missing or partial while rewritten');
          continue;
        }
        assert.ok(valid.has(hit.text), `a reader saw a wrong entry (${hit.text.length} characters)`);
        present.add(key);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(await done, [0, 0]);
    for (const key of keys) assert.ok(valid.has(reader.get(key)!.text));
    assert.equal(filesUnder(dir).filter((name) => name.endsWith('.tmp')).length, 0, 'no temp file is left behind');
    reader.close();
  });
});

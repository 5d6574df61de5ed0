// Issue 9, acceptance 4: the same run on an idle and on a busy machine makes the same data. The
// second `case2code run --limit 100` runs beside two processes that burn a core each, and every
// file under data/ must be byte-identical. No wall-clock figure may decide what data is produced.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function run(out: string): void {
  const result = spawnSync(process.execPath, [CLI, 'run', '--limit', '100', '--seed', '7', '--output', out], {
    encoding: 'utf8',
    env: { ...process.env, CASE2CODE_QUIET: '1' },
    timeout: 300_000,
  });
  assert.equal(result.status, 0, result.stderr);
}

function files(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    if (statSync(full).isFile()) found.set(name, readFileSync(full));
  }
  return found;
}

test('case2code run --limit 100 makes byte-identical data beside two CPU-burning processes', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'c2c-busy-'));
  const idle = path.join(root, 'idle');
  const busy = path.join(root, 'busy');
  run(idle);
  const burners: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // let them take their cores
    run(busy);
  } finally {
    for (const burner of burners) burner.kill('SIGKILL');
  }
  const a = files(path.join(idle, 'data'));
  const b = files(path.join(busy, 'data'));
  assert.ok(a.size >= 8, `only ${a.size} files under data/`);
  assert.ok(a.get(path.join('sft', 'train.jsonl'))?.length, 'no sft samples: the comparison would be empty');
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
  const differing = [...a].filter(([name, bytes]) => !bytes.equals(b.get(name)!)).map(([name]) => name);
  assert.deepEqual(differing, [], 'files that differ between the idle and the busy run');
});

// `case2code run` for real (corpus, extract, fuzz inputs, exec, filters, samples) on a small corpus:
// killed twice with SIGKILL part-way and resumed, it ends byte-identical to an uninterrupted run,
// and `case2code verify` passes on the result.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../test/pipeline/corpus', import.meta.url));
const RUN_FLAGS = ['--shard-size', '3', '--seed', '3', '--inputs', '6', '--workers', '1', '--test-fraction', '0.3'];

function cli(args: string[], killWhen?: () => boolean): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CASE2CODE_QUIET: '1' } });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    const timer = killWhen ? setInterval(() => { if (!killed && killWhen()) { killed = true; proc.kill('SIGKILL'); } }, 20) : undefined;
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

const markers = (out: string, stage: string) => {
  const dir = path.join(out, 'stages', stage);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.stats.json')).length : 0;
};

function dataFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of readdirSync(dir, { recursive: true }) as string[]) if (/\.(jsonl|parquet|md)$/.test(f)) files.set(f, readFileSync(path.join(dir, f)));
  return files;
}

/** The first differing line of two text files, to say why a comparison failed. */
function firstDifference(name: string, a: Buffer, b: Buffer): string {
  if (name.endsWith('.parquet')) return name;
  const x = a.toString('utf8').split('\n');
  const y = b.toString('utf8').split('\n');
  const i = x.findIndex((line, k) => line !== y[k]);
  return `${name} line ${i + 1}: ${x[i]?.slice(0, 200)} | ${y[i]?.slice(0, 200)}`;
}

test('run, killed twice and resumed, equals an uninterrupted run; verify passes', { timeout: 600_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'c2c-cli-run-'));
  try {
    const whole = path.join(root, 'whole');
    const first = await cli(['run', CORPUS, '--output', whole, ...RUN_FLAGS]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /stage\s+in\s+kept/);
    const summary = JSON.parse(readFileSync(path.join(whole, 'summary.json'), 'utf8'));
    assert.ok(summary.dataset.functions.train + summary.dataset.functions.test >= 4, JSON.stringify(summary.dataset));

    const broken = path.join(root, 'broken');
    const a = await cli(['run', CORPUS, '--output', broken, ...RUN_FLAGS], () => markers(broken, 'exec') >= 1);
    const b = await cli(['run', CORPUS, '--output', broken, ...RUN_FLAGS], () => markers(broken, 'filter') >= 3);
    assert.ok(a.killed && b.killed, 'both runs were killed part-way');
    const last = await cli(['run', CORPUS, '--output', broken, ...RUN_FLAGS]);
    assert.equal(last.code, 0, last.stderr);

    const expected = dataFiles(path.join(whole, 'data'));
    const actual = dataFiles(path.join(broken, 'data'));
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    const differing = [...expected].filter(([name, bytes]) => !bytes.equals(actual.get(name)!)).map(([name]) => name);
    assert.deepEqual(differing, [], `differs after resume: ${differing.map((name) => firstDifference(name, expected.get(name)!, actual.get(name)!)).join('; ')}`);

    // Other settings in the same directory are refused instead of mixed in.
    const other = await cli(['run', CORPUS, '--output', broken, ...RUN_FLAGS, '--seed', '4']);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /seed/);

    const verify = await cli(['verify', broken, '--workers', '1']);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
    assert.match(verify.stdout, /0 problems/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

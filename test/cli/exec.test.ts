// `case2code exec` end to end, as a user runs it: a real child process on real files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('exec keeps input order, reports bad lines with file and line, and still runs the rest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-exec-'));
  const input = path.join(dir, 'calls.jsonl');
  const output = path.join(dir, 'results.jsonl');
  const lines = [
    JSON.stringify({ id: 'slow', code: 'def f(n):\n    return sum(range(n))\n', entry: 'f', inputs: [{ args: ['10**6'] }, { args: ['3'] }] }),
    '{"id": "broken", "code": ',
    JSON.stringify({ id: 'div', code: 'def div(a, b):\n    return a // b\n', entry: 'div', inputs: [{ kwargs: { a: '7', b: '2' } }, { kwargs: { a: '1', b: '0' } }, { args: ['1', 'nope'] }] }),
    JSON.stringify({ id: 'no-entry', code: 'x = 1' }),
    JSON.stringify({ id: 'bad-code', code: 'def f(:\n', entry: 'f', inputs: [{}, {}] }),
    JSON.stringify({ id: 'extra', code: 'def g():\n    return [1, 2]\n', entry: 'g', inputs: [{}], meta: { keep: true } }),
  ];
  writeFileSync(input, lines.join('\n') + '\n');
  const run = spawnSync(process.execPath, [CLI, 'exec', '--input', input, '--output', output, '--workers', '1'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);

  const results = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(results.map((r) => r.id), ['slow', 'div', 'bad-code', 'extra']);
  assert.deepEqual(results[0].outputs.map((o: any) => o.repr), ['499999500000', '3']);
  const [ok, zero, bad] = results[1].outputs;
  assert.equal(ok.repr, '3');
  assert.deepEqual([zero.verdict, zero.type], ['raise', 'ZeroDivisionError']);
  assert.match(zero.message, /^(integer )?division( or modulo)? by zero$/); // the wording changed in CPython 3.12
  assert.deepEqual([bad.verdict, bad.message], ['bad-input', "NameError: name 'nope' is not defined"]);
  assert.ok(results[2].outputs.every((o: any) => o.verdict === 'raise' && o.type === 'SyntaxError' && o.phase === 'define'));
  assert.deepEqual(results[3].meta, { keep: true });
  assert.equal(results[3].outputs[0].repr, '[1, 2]');

  const rejects = readFileSync(`${output}.rejects.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rejects.map((r) => [r.reason, r.source.line]), [['bad-json', 2], ['bad-record', 4]]);
  assert.match(rejects[1].detail, /entry/);
  assert.match(run.stderr, new RegExp(`${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: bad-json`));
  assert.match(run.stderr, /:4: bad-record: .*entry/);
});

test('--help lists the commands', () => {
  const run = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  assert.equal(run.status, 0);
  for (const command of ['exec', 'doctor']) assert.match(run.stdout, new RegExp(`\\b${command}\\b`));
});

test('doctor prints the backend, the Python version and each isolation layer', () => {
  const run = spawnSync(process.execPath, [CLI, 'doctor'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /backend\s+native/); // a machine like CI's has bubblewrap and python3
  assert.match(run.stdout, /python\s+3\.\d+\.\d+/);
  assert.match(run.stdout, /probe\(41\) -> 42/);
  for (const layer of ['fresh-process-per-function', 'user-namespace', 'pid-namespace', 'network-namespace', 'minimal-filesystem', 'seccomp', 'rlimits', 'clean-environment']) {
    assert.match(run.stdout, new RegExp(`\\[x\\] ${layer}\\b`), layer);
  }
});

test('bad sandbox settings get a clear error, not a hang', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--workers', '0'], /workers must be a whole number of at least 1 \(got 0\)/],
    [['--workers', '-2'], /workers must be a whole number of at least 1 \(got -2\)/],
    [['--backend', 'docker'], /'docker' is invalid\. Allowed choices are auto, native, pyodide/],
    [['--backend', 'native', '--python', '/nonexistent/python3'], /cannot run \/nonexistent\/python3: ENOENT/],
    [['--backend', 'native', '--python', '/root/.pyenv/versions/3.8.18/bin/python3'], /is Python 3\.8\.\d+; the native backend supports 3\.9 to 3\.14/],
  ];
  for (const [flags, message] of cases) {
    if (flags.includes('/root/.pyenv/versions/3.8.18/bin/python3') && !existsSync(flags[flags.length - 1])) continue; // that old python is a machine fact, not ours
    const run = spawnSync(process.execPath, [CLI, 'doctor', ...flags], { encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(run.status, 0, flags.join(' '));
    assert.match(run.stderr, message, flags.join(' '));
  }
});

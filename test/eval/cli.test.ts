// The eval command is thin: flags in, the library's summary out (text, or JSON with --json).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REFERENCE_TEST_FIXTURE as FIXTURE } from '../helpers/reference-fixture.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-eval-cli-'));

test('eval --completions --json prints the summary as JSON and writes results and report', async () => {
  const records = readFileSync(FIXTURE, 'utf8').trim().split('\n').slice(0, 4).map((line) => JSON.parse(line));
  const benchmark = path.join(dir, 'four.jsonl');
  writeFileSync(benchmark, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const samples = path.join(dir, 'samples.jsonl');
  // Two samples per item: the gold code, then an answer with no code.
  writeFileSync(samples, records.flatMap((r) => [{ id: r.id, completion: r.output }, { id: r.id, completion: 'I do not know.\n```\n```' }]).map((s) => JSON.stringify(s)).join('\n'));
  const output = path.join(dir, 'results.jsonl');
  const report = path.join(dir, 'report.html');
  const { stdout } = await run(process.execPath, [CLI, 'eval', '--benchmark', benchmark, '--completions', samples, '--k', '1,2', '--json', '--workers', '1', '--output', output, '--report', report], {
    env: { ...process.env, CASE2CODE_QUIET: '1' },
  });
  const summary = JSON.parse(stdout);
  assert.deepEqual({ items: summary.items, n: summary.n, pass_at_k: summary.pass_at_k }, { items: 4, n: 2, pass_at_k: { '1': 0.5, '2': 1 } });
  assert.equal(summary.reasons['no-code'], 4);
  assert.equal(readFileSync(output, 'utf8').trim().split('\n').length, 4);
  assert.ok(existsSync(report));
});

test('eval without samples or a model says what it needs', async () => {
  await assert.rejects(run(process.execPath, [CLI, 'eval', '--benchmark', FIXTURE]), (error: any) => {
    assert.match(error.stderr, /eval needs --completions FILE, or --llm-base-url URL and --llm-model NAME/);
    assert.equal(error.code, 1);
    return true;
  });
});

test('an unknown prompt style is refused with the styles there are', async () => {
  await assert.rejects(run(process.execPath, [CLI, 'eval', '--benchmark', FIXTURE, '--completions', FIXTURE, '--prompt-style', 'fancy']), (error: any) => {
    assert.match(error.stderr, /unknown prompt style 'fancy' \(choose official, reference-baseline, ours\)/);
    return true;
  });
});

test('--interactive needs a model, and --queries needs --interactive', async () => {
  await assert.rejects(run(process.execPath, [CLI, 'eval', '--benchmark', FIXTURE, '--completions', FIXTURE, '--interactive']), /--interactive needs a model/);
  await assert.rejects(run(process.execPath, [CLI, 'eval', '--benchmark', FIXTURE, '--completions', FIXTURE, '--queries', '3']), /--queries and --fuzz-seed only apply with --interactive/);
});

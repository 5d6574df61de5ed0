// Scoring speed: the official fixture with gold samples, through the sandbox (our design) and, in
// the same run, through one python3 subprocess per item (the reference design), two at a time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapOrdered } from '../src/io/ordered.js';
import { expectedFromOfficial } from '../src/eval/official.js';
import { EVAL_TOOLS, runEval } from '../src/eval/run-eval.js';
import { Sandbox } from '../src/sandbox/sandbox.js';
import { REFERENCE_FIXTURE as FIXTURE } from './fixture.js';

const REFERENCE_SCRIPT = fileURLToPath(new URL('../../bench/eval-reference.py', import.meta.url));
const WORKERS = 2;
const ROUNDS = 3;

export async function run(): Promise<void> {
  const records: any[] = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-eval-'));
  const samples = path.join(dir, 'gold.jsonl');
  writeFileSync(samples, records.map((r) => JSON.stringify({ id: r.id, completion: '```python\n' + r.code + '\n```' })).join('\n') + '\n');

  let started = performance.now();
  const sandbox = await Sandbox.start({ workers: WORKERS, tools: EVAL_TOOLS });
  console.log(`sandbox start (${WORKERS} workers): ${((performance.now() - started) / 1000).toFixed(1)}s (not counted below)`);
  let ours = { rate: 0, scoringRate: 0, passed: 0 };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      started = performance.now();
      const { summary } = await runEval({ benchmark: FIXTURE, completions: samples, sandbox });
      const seconds = (performance.now() - started) / 1000;
      const rate = summary.items / seconds;
      if (rate > ours.rate) ours = { rate, scoringRate: summary.items / summary.seconds, passed: summary.passedSamples };
    }
  } finally {
    await sandbox.close();
  }
  console.log(`ours: ${ours.rate.toFixed(1)} items/s with loading (examples counted in the sandbox), ${ours.scoringRate.toFixed(1)} items/s scoring only; gold passed ${ours.passed}/${records.length} (best of ${ROUNDS})`);

  started = performance.now();
  let referencePassed = 0;
  for await (const passed of mapOrdered(records, WORKERS, referenceScore)) if (passed) referencePassed++;
  const referenceRate = records.length / ((performance.now() - started) / 1000);
  console.log(`reference (one python3 per item, ${WORKERS} at a time): ${referenceRate.toFixed(1)} items/s; gold passed ${referencePassed}/${records.length}`);
  console.log(`ratio ours/reference: ${(ours.rate / referenceRate).toFixed(1)}x (scoring only: ${(ours.scoringRate / referenceRate).toFixed(1)}x)`);
}

/** One item in a fresh python3 process; true when every outcome matches the gold. */
async function referenceScore(record: any): Promise<boolean> {
  const stdout = await new Promise<string>((resolve) => {
    const child = spawn('python3', [REFERENCE_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'], timeout: 20_000 });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', () => resolve(out));
    child.on('error', () => resolve(''));
    child.stdin.end(JSON.stringify(record));
  });
  let outcomes: Array<{ return?: string; error?: string }>;
  try {
    outcomes = JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1));
  } catch {
    return false;
  }
  return record.example_outputs.every((output: unknown, i: number) => {
    const expected = expectedFromOfficial(output).expected!;
    const actual = outcomes[i];
    return expected.verdict === 'return' ? actual?.return === expected.text : actual?.error === expected.text;
  });
}

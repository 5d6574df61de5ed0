// `case2code exec` streams: on a 1 GB input, the caller's memory stays flat (bounded by the
// in-flight window), not proportional to the file. Reports peak RSS of this process.
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExecJobSchema } from '../src/contract/index.js';
import { execStage } from '../src/execute/index.js';
import { readRecords } from '../src/io/records.js';
import { runStageToFiles } from '../src/pipeline/run-stage.js';
import { Sandbox } from '../src/sandbox/sandbox.js';

const TARGET_BYTES = 1024 ** 3;
const PADDING = 'p'.repeat(128 * 1024); // carried through untouched, as a user's metadata would be

async function writeInput(file: string): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let jobs = 0;
  while (bytes < TARGET_BYTES) {
    const line = JSON.stringify({ id: `job-${jobs}`, code: 'def f(a, b):\n    return a * b + len(str(a))\n', entry: 'f', inputs: [{ args: [String(jobs), '3'] }, { kwargs: { a: "'x'", b: '2' } }], padding: PADDING }) + '\n';
    bytes += line.length;
    jobs++;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return jobs;
}

export async function run(): Promise<void> {
  const dir = path.resolve('.bench-tmp');
  mkdirSync(dir, { recursive: true });
  const input = path.join(dir, 'exec-1gb.jsonl');
  const output = path.join(dir, 'exec-1gb.out.jsonl');
  try {
    const jobs = await writeInput(input);
    const rssBefore = process.memoryUsage().rss;
    const sandbox = await Sandbox.start({ workers: 2 });
    // Sampled during exec only: the lifetime peak would include writing the input above.
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      const started = performance.now();
      const stats = await runStageToFiles({ stage: execStage(sandbox), input: readRecords(input, ExecJobSchema, 'exec'), output });
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const peakMb = peak / 1024 ** 2;
      console.log(`input ${(statSync(input).size / 1024 ** 2).toFixed(0)} MB, ${jobs} jobs -> ${stats.kept} done in ${seconds.toFixed(1)} s (${(stats.kept / seconds).toFixed(0)} functions/s)`);
      console.log(`caller RSS before ${(rssBefore / 1024 ** 2).toFixed(0)} MB, peak ${peakMb.toFixed(0)} MB (the pool runs in its own process)`);
    } finally {
      clearInterval(sampler);
      await sandbox.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

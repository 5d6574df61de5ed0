// Resume after kill -9: a run killed several times part-way and restarted ends with the same
// files, byte for byte, as a run that was never interrupted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./toy-run.js', import.meta.url));

function runToy(out: string, killWhen?: () => boolean): Promise<{ code: number | null; signal: string | null; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, out], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CASE2CODE_QUIET: '1' } });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    let killed = false;
    const timer = killWhen
      ? setInterval(() => {
          if (!killed && killWhen()) {
            killed = true;
            proc.kill('SIGKILL');
          }
        }, 5)
      : undefined;
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      if (code !== 0 && !killed) reject(new Error(`toy run failed (${code}): ${stderr}`));
      else resolve({ code, signal, killed });
    });
  });
}

function doneMarkers(out: string): number {
  const stages = path.join(out, 'stages');
  if (!existsSync(stages)) return 0;
  return readdirSync(stages, { recursive: true }).filter((f) => String(f).endsWith('.stats.json')).length;
}

function filesOf(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, f);
    if (f.endsWith('.jsonl') || f.endsWith('.parquet') || f.endsWith('.md') || f.endsWith('.json')) files.set(f, readFileSync(full));
  }
  return files;
}

test('a run killed with SIGKILL three times and resumed equals an uninterrupted run', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'c2c-resume-'));
  try {
    const whole = path.join(root, 'whole');
    const broken = path.join(root, 'broken');
    await runToy(whole);

    // Kill at growing amounts of finished work, so the kills fall in different stages and shards.
    const kills = [];
    for (const threshold of [3, 30, 70]) {
      const outcome = await runToy(broken, () => doneMarkers(broken) >= threshold);
      kills.push(outcome);
    }
    assert.ok(kills.filter((k) => k.killed).length >= 2, `expected at least two kills, got ${JSON.stringify(kills)}`);
    assert.ok(!existsSync(path.join(broken, 'data')), 'the killed runs never reached the end');
    await runToy(broken);

    const a = filesOf(path.join(whole, 'data'));
    const b = filesOf(path.join(broken, 'data'));
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)!), `${name} differs`);
    // Stage outputs and rejects too: no duplicates, nothing lost.
    assert.deepEqual(filesOf(path.join(broken, 'stages')), filesOf(path.join(whole, 'stages')));
    const sft = readFileSync(path.join(whole, 'data/sft/train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    assert.equal(new Set(sft).size, sft.length);
    assert.ok(sft.length > 40, `only ${sft.length} samples`);

    // The report: one self-contained page with the funnel, reasons, histograms and samples.
    const report = readFileSync(path.join(whole, 'report.html'), 'utf8');
    for (const section of ['Funnel', 'Reject reasons', 'Cases per function', 'Verdicts', 'Input coverage', 'Template mix', 'Samples']) {
      assert.ok(report.includes(`<h2>${section}</h2>`), section);
    }
    assert.ok((report.match(/<svg /g) ?? []).length >= 6);
    assert.ok(report.includes('too-few-cases') && report.includes('duplicate-input'));
    assert.doesNotMatch(report, /<script|<link|\bsrc=|\bhref=/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

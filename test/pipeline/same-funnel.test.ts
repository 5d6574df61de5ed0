// One runner for every command: `case2code extract`, then `inputs`, then `exec`, run one after
// the other on a corpus, give the same records and the same counts (in, kept, rejects by stage and
// reason) as the same stages inside `case2code run` on that corpus.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../test/pipeline/corpus', import.meta.url));
const SHARED = ['--seed', '3', '--inputs', '6', '--workers', '1'];

function cli(args: string[]): void {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CASE2CODE_QUIET: '1' }, timeout: 300_000 });
  assert.equal(run.status, 0, `case2code ${args.join(' ')}: ${run.stderr}`);
}

const readLines = (file: string): unknown[] => {
  const text = readFileSync(file, 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line));
};

/** A stage's records in a run directory, shard after shard (`plan`: the functions after the global dedup). */
const runRecords = (dir: string, stage: string): unknown[] =>
  readdirSync(path.join(dir, 'stages', stage))
    .filter((file) => /^\d+\.jsonl$/.test(file))
    .sort()
    .flatMap((file) => readLines(path.join(dir, 'stages', stage, file)));

/** A run orders its functions by id (shards by content hash); a stage alone keeps corpus order. */
const byId = (records: unknown[]) => [...records].sort((a, b) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1));

/** Outcomes without their CPU time, which no two executions share. */
const withoutTimes = (records: unknown[]) =>
  (records as { outputs: Record<string, unknown>[] }[]).map((r) => ({ ...r, outputs: r.outputs.map(({ ms: _ms, ...rest }) => rest) }));

test('extract + inputs + exec alone make the records and the funnel of the same stages inside run', { timeout: 600_000 }, () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'c2c-funnel-'));
  try {
    const file = (name: string) => path.join(root, name);
    cli(['extract', CORPUS, '--output', file('functions.jsonl'), '--workers', '1']);
    cli(['inputs', '--input', file('functions.jsonl'), '--output', file('inputs.jsonl'), ...SHARED]);
    cli(['exec', '--input', file('inputs.jsonl'), '--output', file('exec.jsonl'), '--workers', '1']);
    cli(['run', CORPUS, '--output', file('run'), '--shard-size', '4', ...SHARED]);

    const alone = {
      extract: byId(readLines(file('functions.jsonl'))),
      inputs: byId(readLines(file('inputs.jsonl'))),
      exec: withoutTimes(byId(readLines(file('exec.jsonl')))),
    };
    const inRun = { extract: runRecords(file('run'), 'plan'), inputs: runRecords(file('run'), 'inputs'), exec: withoutTimes(runRecords(file('run'), 'exec')) };
    assert.ok(alone.extract.length >= 5, `only ${alone.extract.length} functions`);
    assert.deepEqual(alone, inRun);

    const summary = JSON.parse(readFileSync(file('run/summary.json'), 'utf8')).stages as { stage: string; in: number; kept: number; rejects: unknown }[];
    for (const [stage, output] of [['extract', 'functions.jsonl'], ['inputs', 'inputs.jsonl'], ['exec', 'exec.jsonl']]) {
      const stats = JSON.parse(readFileSync(file(`${output}.stats.json`), 'utf8'));
      const row = summary.find((s) => s.stage === stage)!;
      assert.deepEqual({ in: stats.in, kept: stats.kept, rejects: stats.rejects }, { in: row.in, kept: row.kept, rejects: row.rejects }, stage);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

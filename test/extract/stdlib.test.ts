// Acceptance on real code: a sample of the machine's CPython standard library. Every kept function
// must define its entry, with no unresolved names, alone in a fresh interpreter of another sandbox.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { extractionStage, extractTools, checkStandalone } from '../../src/extract/index.js';
import { readCorpus } from '../../src/corpus/index.js';
import { rejectedCount } from '../../src/contract/index.js';
import { runStageToFiles } from '../../src/pipeline/run-stage.js';
import type { FunctionRecord } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const SAMPLE = ['heapq.py', 'bisect.py', 'colorsys.py', 'textwrap.py', 'string.py', 'fnmatch.py', 'difflib.py', 'statistics.py', 'base64.py', 'calendar.py', 'fractions.py', 'shlex.py', 'quopri.py', 'json/encoder.py', 'email/quoprimime.py', 'posixpath.py'];

function stdlibDir(): string | undefined {
  try {
    const dir = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
    return existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-stdlib-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a sample of the CPython standard library: kept functions define alone, with no unresolved names', { skip: stdlibDir() ? false : 'no python3 on this machine' }, async () => {
  const stdlib = stdlibDir()!;
  const sources = SAMPLE.map((file) => path.join(stdlib, file)).filter(existsSync);
  const output = path.join(dir, 'functions.jsonl');
  const extractor = await Sandbox.start({ workers: 2, tools: extractTools() });
  let stats;
  try {
    stats = await runStageToFiles({ stage: await extractionStage(extractor), input: readCorpus(sources), output });
  } finally {
    await extractor.close();
  }
  const records: FunctionRecord[] = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(records.length, stats.kept);
  assert.ok(records.length >= 40, `only ${records.length} kept`);
  assert.equal(stats.in, sources.length, 'every source file went in');
  const rejects = readFileSync(path.join(dir, 'functions.jsonl.rejects.jsonl'), 'utf8').trim().split('\n');
  assert.equal(rejects.length, rejectedCount(stats), 'every dropped function or file is in the rejects file');
  assert.ok(stats.rejects.extract['disallowed-import:os'] >= 1, 'posixpath functions that need os are dropped');
  assert.deepEqual(JSON.parse(readFileSync(`${output}.stats.json`, 'utf8')).kept, records.length);

  // A separate sandbox (its own process): each check runs in a fresh namespace.
  const checker = await Sandbox.start({ workers: 1, tools: extractTools() });
  try {
    const verdicts = await checkStandalone(checker, records);
    const failures = verdicts.flatMap((v, i) => (v.ok ? [] : [`${records[i].entry}: ${v.reason} ${v.detail ?? ''}`]));
    assert.deepEqual(failures, []);
    // The harness's own define path agrees: calling with no arguments may raise (missing
    // arguments), but never in the define phase.
    for (const record of records.slice(0, 30)) {
      const [outcome] = await checker.runFunction({ code: record.code, entry: record.entry, calls: [{ kwargsFrom: '{}' }] });
      assert.ok(!(outcome.verdict === 'raise' && outcome.phase === 'define'), `${record.entry}: ${JSON.stringify(outcome)}`);
      assert.ok(outcome.verdict === 'return' || outcome.verdict === 'raise', `${record.entry}: ${JSON.stringify(outcome)}`);
    }
  } finally {
    await checker.close();
  }
});

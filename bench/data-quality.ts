// Data quality of a run (issue 11, acceptance 2): the default run (embedded stdlib, fuzz, 400
// functions) made by the real CLI, or the run directory in DATA_QUALITY_DIR, measured as a user
// would find it:
// - informative functions: share whose shown cases (the bench item's `shown`, which every text
//   format of the function states) have at least 3 distinct outcomes, not all raising, and not
//   every return equal to an argument (src/samples/informative.ts);
// - functions on both sides of the split: top-level definitions (entry or carried helper) whose
//   normalised-AST hash is in the code of a train item and of a test item, hashed by
//   bench/measure-definitions.py with the host's python3 (parsed, never run), apart from the
//   pipeline's own hashing;
// - absolute paths: `source` fields (path, dataset, ...) that are absolute paths, and any string of the data (every
//   JSONL row, the card) holding a location of this machine (the checkout, the run directory, the
//   embedded corpus's folder; not /tmp or the home folder, which realistic inputs name too);
// - `case2code verify` on the run: rows checked and problems, per file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchItem } from '../src/contract/index.js';
import { embeddedStdlibPath } from '../src/corpus/index.js';
import { verifyDataset } from '../src/pipeline/verify.js';
import { shownProblem } from '../src/samples/informative.js';
import { Sandbox } from '../src/sandbox/sandbox.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const CHECKOUT = fileURLToPath(new URL('../../', import.meta.url));
const DEFINITIONS_SCRIPT = path.join(CHECKOUT, 'bench/measure-definitions.py');

function readRows(file: string): Record<string, any>[] {
  const text = readFileSync(file, 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

async function defaultRun(out: string): Promise<void> {
  const child = spawn(process.execPath, [CLI, 'run', '--output', out], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CASE2CODE_QUIET: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const code: number | null = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`case2code run failed (${code}): ${stderr.trim()}`);
}

/** Normalised-AST hashes of each item's top-level definitions, by the host's python3. */
async function definitionsOf(items: BenchItem[]): Promise<Map<string, { name: string; hash: string }[]>> {
  const child = spawn('python3', [DEFINITIONS_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  const done = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  child.stdin.end(items.map((item) => JSON.stringify({ id: item.id, code: item.code })).join('\n') + '\n');
  if ((await done) !== 0) throw new Error('measure-definitions.py failed');
  const found = new Map<string, { name: string; hash: string }[]>();
  for (const line of out.trim().split('\n').filter(Boolean)) {
    const answer = JSON.parse(line);
    found.set(answer.id, answer.definitions);
  }
  return found;
}

function* strings(value: unknown): Iterable<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}

function* sourcePaths(value: unknown): Iterable<string> {
  if (Array.isArray(value)) for (const v of value) yield* sourcePaths(v);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'source' && v && typeof v === 'object') {
        for (const [field, text] of Object.entries(v)) if (typeof text === 'string') yield `${field} ${text}`;
      } else yield* sourcePaths(v);
    }
  }
}

export async function measureData(runDir: string): Promise<void> {
  const data = path.join(runDir, 'data');
  const train = readRows(path.join(data, 'bench/train.jsonl')) as BenchItem[];
  const test = readRows(path.join(data, 'bench/test.jsonl')) as BenchItem[];
  const all = [...train, ...test];

  const problems = new Map<string, number>();
  for (const item of all) {
    const problem = shownProblem(item.shown);
    if (problem) problems.set(problem, (problems.get(problem) ?? 0) + 1);
  }
  const uninformative = [...problems.values()].reduce((a, b) => a + b, 0);
  const reasons = [...problems].map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  console.log(`informative functions: ${all.length - uninformative} of ${all.length} (${((100 * (all.length - uninformative)) / Math.max(1, all.length)).toFixed(1)}%; goal at least 90%); not: ${reasons}`);

  const definitions = await definitionsOf(all);
  const side = (items: BenchItem[]) => new Map(items.flatMap((item) => (definitions.get(item.id) ?? []).map((d) => [d.hash, d.name] as const)));
  const trainDefs = side(train);
  const testDefs = side(test);
  const both = [...testDefs].filter(([hash]) => trainDefs.has(hash));
  const leakingItems = test.filter((item) => (definitions.get(item.id) ?? []).some((d) => trainDefs.has(d.hash)));
  console.log(
    `split: ${train.length} train, ${test.length} test functions; definitions on both sides: ${both.length}` +
      (both.length ? ` (${both.map(([, name]) => name).slice(0, 12).join(', ')})` : '') +
      `; test items sharing a definition with a train item: ${leakingItems.length} (goal 0)`,
  );
  const moved = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')).dataset?.moved;
  if (moved) console.log(`split: ${moved.toTrain} functions moved from test to train, ${moved.toTest} from train to test to keep it leak-free`);

  const machine = [CHECKOUT, path.resolve(runDir), path.dirname(embeddedStdlibPath())].map((p) => p.replace(/[\\/]+$/, ''));
  let absoluteSources = 0;
  let machineStrings = 0;
  const examples: string[] = [];
  const files = readdirSync(data, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl'));
  for (const file of files) {
    for (const row of readRows(path.join(data, file))) {
      for (const field of sourcePaths(row)) {
        if (!path.isAbsolute(field.slice(field.indexOf(' ') + 1))) continue;
        absoluteSources++;
        if (examples.length < 3) examples.push(`${file}: source.${field}`);
      }
      for (const s of strings(row)) if (machine.some((m) => s.includes(m))) machineStrings++;
    }
  }
  const card = readFileSync(path.join(data, 'README.md'), 'utf8');
  const cardHits = machine.filter((m) => card.includes(m)).length;
  console.log(`absolute paths: ${absoluteSources} absolute source fields, ${machineStrings} strings naming this machine's folders, ${cardHits} in the card (goal 0)${examples.length ? `; e.g. ${examples.join('; ')}` : ''}`);

  const sandbox = await Sandbox.start({ workers: 2 });
  try {
    const verified = await verifyDataset(sandbox, runDir);
    const byFile = new Map<string, number>();
    for (const p of verified.problems) byFile.set(p.file, (byFile.get(p.file) ?? 0) + 1);
    const rows = Object.entries(verified.rows ?? {}).map(([file, n]) => `${file} ${n} rows, ${byFile.get(file) ?? 0} problems`);
    console.log(`verify: ${verified.items} bench items, ${verified.calls} calls re-executed, ${verified.problems.length} problems${rows.length ? `: ${rows.join('; ')}` : ''}`);
    for (const p of verified.problems.slice(0, 5)) console.log(`  ${p.file}:${p.line} ${p.id ?? ''} ${p.problem}`);
  } finally {
    await sandbox.close();
  }
}

export async function run(): Promise<void> {
  const given = process.env.DATA_QUALITY_DIR;
  const out = given ?? mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-data-'));
  try {
    if (!given) {
      const started = performance.now();
      await defaultRun(out);
      console.log(`default run: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await measureData(out);
  } finally {
    if (!given) rmSync(out, { recursive: true, force: true });
  }
}

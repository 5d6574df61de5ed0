// Inputs: data quality and speed on the 100 functions of the reference sample.
// Rows: the fixture's own inputs (written by Llama-3.1-70B: the first `examples = [...]` block of
// `example_str`), fuzz with N=10, and hybrid (the model's inputs kept, fuzz inputs added where they
// kill mutants or cover arcs the model missed). Quality is measured by bench/measure-inputs.py with
// the host's python3, outside the sandbox: branch-arc coverage, mutation score (share of that
// script's own AST mutants some input tells apart), type agreement with the LLM's inputs (share of
// calls whose argument types all appear among the LLM's types for the parameter), distinct outputs,
// raising share. Coverage and mutation score are means over the functions that have arcs / mutants.
// Speed: fuzz functions/s with 2 sandbox workers (goal: at least 50), and the process's CPU time
// per function (all threads), which a busy shared machine disturbs less than wall time.
// INPUTS_BENCH_ROWS=1 also prints one row per function where fuzz trails the LLM;
// INPUTS_BENCH_DUMP=file writes the inputs measured.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mapOrdered } from '../src/io/ordered.js';
import { INPUTS_OPTIONS, inputsTools, parseAnswer, runFuzz, type FuzzAnswer, type FuzzSettings } from '../src/inputs/index.js';
import type { CallSpec, FunctionRecord } from '../src/contract/index.js';
import { Sandbox } from '../src/sandbox/sandbox.js';
import { REFERENCE_FIXTURE as FIXTURE } from './fixture.js';

const MEASURE_SCRIPT = fileURLToPath(new URL('../../bench/measure-inputs.py', import.meta.url));
// The defaults of `case2code run` and `case2code inputs` (INPUTS_OPTIONS), as the fuzzer is sent them.
const DEFAULTS = INPUTS_OPTIONS.resolve();
const FUZZ: FuzzSettings = {
  n: DEFAULTS.inputs, seed: DEFAULTS.seed, maxExecutions: DEFAULTS.maxExecutions, maxTotalSteps: DEFAULTS.maxTotalSteps,
  maxSteps: DEFAULTS.maxSteps, maxRaiseShare: DEFAULTS.maxRaiseShare, edgeShare: DEFAULTS.edgeShare,
};
const SETS = ['llm', 'fuzz', 'hybrid'] as const;
type SetName = (typeof SETS)[number];

interface SetMeasure { calls: number; ran: number; arcs: number; killed: number; distinct: number; raising: number; timeouts: number; typed: number; typeAgree: number }
interface HostMeasure { id: string; error?: string; arcsTotal: number; mutants: number; sets: Record<SetName, SetMeasure> }

/** The first `examples = [...]` block: the source up to the first `examples +=`. */
function firstExamplesBlock(exampleStr: string): string {
  const cut = exampleStr.search(/^examples\s*\+=/m);
  return cut < 0 ? exampleStr : exampleStr.slice(0, cut);
}

/** Each job through the host measuring script, two python3 processes at a time (2 cores). */
async function measureOnHost(jobs: object[]): Promise<HostMeasure[]> {
  const lanes = [0, 1].map((lane) => jobs.filter((_, i) => i % 2 === lane));
  const results = await Promise.all(
    lanes.map(
      (lane) =>
        new Promise<HostMeasure[]>((resolve, reject) => {
          const child = spawn('python3', [MEASURE_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))) : reject(new Error(`measure-inputs.py exited ${code}`))));
          child.stdin.end(lane.map((job) => JSON.stringify(job)).join('\n') + '\n');
        }),
    ),
  );
  return results.flat();
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function run(): Promise<void> {
  const items = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const functions: FunctionRecord[] = items.map((item) => ({ id: item.id ?? item.func_name, entry: item.func_name, code: item.code, params: [], source: {} }));
  // No warm spare: it would load while the speed phase is timed (~8 ms CPU per function here), and
  // 100 functions never recycle a worker.
  const sandbox = await Sandbox.start({ workers: 2, tools: inputsTools() });
  const inputs = new Map<string, Record<SetName, CallSpec[]>>();
  const fuzzStats = new Map<string, FuzzAnswer>();
  let seconds = 0;
  let cpuMsPerFunction = 0;
  let hybridMs = 0;
  try {
    // Speed first, on a quiet pool: fuzz only, 2 workers, a few functions in flight per worker.
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    for await (const [fn, answer] of mapOrdered(functions, 4, async (fn) => [fn, await runFuzz(sandbox, fn, FUZZ)] as const)) fuzzStats.set(fn.id, answer);
    seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    cpuMsPerFunction = (cpu.user + cpu.system) / 1000 / functions.length;

    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < functions.length; i += 4) {
          const fn = functions[i];
          const parsed = await parseAnswer(sandbox, fn, '```python\n' + firstExamplesBlock(items[i].example_str) + '\n```', []);
          const t = performance.now();
          const hybrid = await runFuzz(sandbox, fn, { ...FUZZ, seeds: parsed.inputs, keepSeeds: true });
          hybridMs += performance.now() - t;
          inputs.set(fn.id, { llm: parsed.inputs, fuzz: fuzzStats.get(fn.id)?.inputs ?? [], hybrid: hybrid.inputs });
        }
      }),
    );
  } finally {
    await sandbox.close();
  }

  const jobs = functions.map((fn) => ({ id: fn.id, code: fn.code, entry: fn.entry, sets: inputs.get(fn.id), reference: 'llm' }));
  // INPUTS_BENCH_DUMP=file keeps the measuring script's input, to study the inputs without a rerun.
  if (process.env.INPUTS_BENCH_DUMP) writeFileSync(process.env.INPUTS_BENCH_DUMP, jobs.map((job) => JSON.stringify(job)).join('\n') + '\n');
  const measured = await measureOnHost(jobs);
  const ok = measured.filter((m) => !m.error);
  console.log(`inputs bench: ${functions.length} functions of ${FIXTURE.split('/').pop()}; measured on the host's python3: ${ok.length} (${measured.length - ok.length} failed)`);
  console.log('| inputs | mean inputs | branch-arc coverage | mutation score | type agreement | distinct outputs | raising share |');
  console.log('|---|---|---|---|---|---|---|');
  const withArcs = ok.filter((m) => m.arcsTotal > 0);
  const withMutants = ok.filter((m) => m.mutants > 0);
  for (const name of SETS) {
    const label = name === 'llm' ? 'fixture LLM (Llama-3.1-70B, 1st block)' : name === 'fuzz' ? 'fuzz, N=10' : 'hybrid (LLM inputs kept, fuzz added), N=10';
    const rows = ok.map((m) => m.sets[name]);
    const typed = rows.reduce((a, r) => a + r.typed, 0);
    const agree = rows.reduce((a, r) => a + r.typeAgree, 0);
    console.log(
      `| ${label} | ${mean(rows.map((r) => r.calls)).toFixed(1)} | ${pct(mean(withArcs.map((m) => m.sets[name].arcs / m.arcsTotal)))} (${withArcs.length} with branches) | ${pct(mean(withMutants.map((m) => m.sets[name].killed / m.mutants)))} (${withMutants.length} with mutants) | ${typed ? (agree / typed).toFixed(3) : '-'} (${typed} calls) | ${mean(rows.map((r) => r.distinct)).toFixed(2)} | ${pct(mean(rows.map((r) => (r.ran ? r.raising / r.ran : 0))))} |`,
    );
  }
  const fuzzKept = [...fuzzStats.values()].filter((a) => a.inputs.length > 0).length;
  console.log(`fuzz speed: ${functions.length} functions in ${seconds.toFixed(1)}s = ${(functions.length / seconds).toFixed(1)} functions/s on 2 workers (goal >= 50); ${fuzzKept} with inputs`);
  const toolMs = [...fuzzStats.values()].map((a) => a.ms ?? 0).sort((a, b) => a - b);
  const executions = [...fuzzStats.values()].map((a) => a.stats?.executions ?? 0).sort((a, b) => a - b);
  const pick = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))];
  console.log(
    `fuzz cost: ${cpuMsPerFunction.toFixed(1)} ms CPU per function (whole process); in the tool: median ${pick(toolMs, 0.5).toFixed(0)} ms, p90 ${pick(toolMs, 0.9).toFixed(0)} ms; executions median ${pick(executions, 0.5)}, p90 ${pick(executions, 0.9)}`,
  );
  console.log(`hybrid: mean ${(hybridMs / functions.length).toFixed(0)} ms per function (4 in flight)`);
  if (process.env.INPUTS_BENCH_ROWS) {
    const reasons = [...fuzzStats.entries()].filter(([, a]) => a.reason).map(([id, a]) => `${id}: ${a.reason} ${a.detail ?? ''}`);
    if (reasons.length) console.log(`fuzz rejects:\n  ${reasons.join('\n  ')}`);
    for (const m of measured) {
      const fn = functions.find((f) => f.id === m.id)!;
      if (m.error) {
        console.log(`  ${fn.entry}: ${m.error}`);
        continue;
      }
      const { llm, fuzz, hybrid } = m.sets;
      if (fuzz.arcs >= llm.arcs && fuzz.killed >= llm.killed && fuzz.typeAgree >= fuzz.typed) continue;
      console.log(
        `  ${fn.entry}: arcs llm ${llm.arcs} fuzz ${fuzz.arcs} hybrid ${hybrid.arcs} of ${m.arcsTotal}; killed llm ${llm.killed} fuzz ${fuzz.killed} hybrid ${hybrid.killed} of ${m.mutants}; types ${fuzz.typeAgree}/${fuzz.typed} ${JSON.stringify(fuzzStats.get(m.id)?.stats?.types)}`,
      );
    }
  }
}

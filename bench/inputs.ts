// Inputs: data quality and speed on the 100 functions of the reference sample.
// Rows: the fixture's own inputs (written by Llama-3.1-70B: the first `examples = [...]` block of
// `example_str`), fuzz with N=10, and hybrid (the fuzzer seeded with those LLM inputs). Columns, per
// function then averaged: branch-arc coverage, distinct outputs, share of raising inputs.
// Speed: fuzz functions/s with 2 sandbox workers (goal: at least 50), and the process's CPU time
// per function (all threads), which a busy shared machine disturbs less than wall time.
// INPUTS_BENCH_ROWS=1 also prints one row per function where fuzz covers fewer arcs than the LLM.
import { readFileSync } from 'node:fs';
import { mapOrdered } from '../src/io/ordered.js';
import { INPUTS_OPTIONS, inputsTools, measureInputs, parseAnswer, runFuzz, type FuzzAnswer, type Measurement } from '../src/inputs/index.js';
import type { FunctionRecord } from '../src/contract/index.js';
import { Sandbox } from '../src/sandbox/sandbox.js';
import type { CallSpec } from '../src/contract/index.js';
import { REFERENCE_FIXTURE as FIXTURE } from './fixture.js';

// The defaults of `case2code run` and `case2code inputs` (INPUTS_OPTIONS), as the fuzzer is sent them.
const DEFAULTS = INPUTS_OPTIONS.resolve();
const FUZZ = { n: DEFAULTS.inputs, seed: DEFAULTS.seed, maxExecutions: DEFAULTS.maxExecutions, maxTotalSteps: DEFAULTS.maxTotalSteps, maxSteps: DEFAULTS.maxSteps, maxRaiseShare: DEFAULTS.maxRaiseShare };

interface Row {
  arcs: number[];
  distinct: number[];
  raising: number[];
  sizes: number[];
  failed: number;
}

const emptyRow = (): Row => ({ arcs: [], distinct: [], raising: [], sizes: [], failed: 0 });

function add(row: Row, m: Measurement | { error: string }, count: number): void {
  if (!('counts' in m)) {
    row.failed++;
    return;
  }
  if (m.arcs[1] > 0) row.arcs.push(m.arcs[0] / m.arcs[1]);
  row.distinct.push(m.distinctOutputs);
  const total = Object.values(m.counts).reduce((a, b) => a + b, 0);
  row.raising.push(total ? m.counts.raise / total : 0);
  row.sizes.push(count);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** The first `examples = [...]` block: the source up to the first `examples +=`. */
function firstExamplesBlock(exampleStr: string): string {
  const cut = exampleStr.search(/^examples\s*\+=/m);
  return cut < 0 ? exampleStr : exampleStr.slice(0, cut);
}

export async function run(): Promise<void> {
  const items = readFileSync(FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const functions: FunctionRecord[] = items.map((item) => ({ id: item.id ?? item.func_name, entry: item.func_name, code: item.code, params: [], source: {} }));
  // No warm spare: it would load while the speed phase is timed (~8 ms CPU per function here), and
  // 100 functions never recycle a worker.
  const sandbox = await Sandbox.start({ workers: 2, tools: inputsTools() });
  try {
    // Speed first, on a quiet pool: fuzz only, 2 workers, a few functions in flight per worker.
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const fuzzed = new Map<string, CallSpec[]>();
    const fuzzStats = new Map<string, FuzzAnswer>();
    for await (const [fn, answer] of mapOrdered(functions, 4, async (fn) => [fn, await runFuzz(sandbox, fn, FUZZ)] as const)) {
      fuzzed.set(fn.id, answer.inputs);
      fuzzStats.set(fn.id, answer);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMsPerFunction = (cpu.user + cpu.system) / 1000 / functions.length;
    const toolMs = [...fuzzStats.values()].map((a) => a.ms ?? 0).sort((a, b) => a - b);
    const executions = [...fuzzStats.values()].map((a) => a.stats?.executions ?? 0).sort((a, b) => a - b);
    const perFunction = new Map<string, { llm?: Measurement; fuzz?: Measurement; hybrid?: Measurement }>();
    const keepRow = (id: string, key: 'llm' | 'fuzz' | 'hybrid', m: Measurement | { error: string }) => {
      if ('counts' in m) perFunction.set(id, { ...perFunction.get(id), [key]: m });
      return m;
    };

    const rows = { llm: emptyRow(), fuzz: emptyRow(), hybrid: emptyRow() };
    let hybridMs = 0;
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = lane; i < functions.length; i += 4) {
          const fn = functions[i];
          const parsed = await parseAnswer(sandbox, fn, '```python\n' + firstExamplesBlock(items[i].example_str) + '\n```', []);
          const llmInputs = parsed.inputs;
          add(rows.llm, keepRow(fn.id, 'llm', await measureInputs(sandbox, fn, llmInputs)), llmInputs.length);
          const fuzzInputs = fuzzed.get(fn.id) ?? [];
          add(rows.fuzz, keepRow(fn.id, 'fuzz', await measureInputs(sandbox, fn, fuzzInputs)), fuzzInputs.length);
          const t = performance.now();
          const hybrid = await runFuzz(sandbox, fn, { ...FUZZ, seeds: llmInputs });
          hybridMs += performance.now() - t;
          add(rows.hybrid, keepRow(fn.id, 'hybrid', await measureInputs(sandbox, fn, hybrid.inputs)), hybrid.inputs.length);
        }
      }),
    );

    console.log(`inputs bench: ${functions.length} functions of ${FIXTURE.split('/').pop()}`);
    console.log('| inputs | functions measured | mean inputs | branch-arc coverage | distinct outputs | raising share |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, row] of Object.entries(rows)) {
      const label = name === 'llm' ? 'fixture LLM (Llama-3.1-70B, 1st block)' : name === 'fuzz' ? 'fuzz, N=10' : 'hybrid (seeded with the LLM inputs), N=10';
      console.log(
        `| ${label} | ${row.sizes.length} (${row.failed} failed) | ${mean(row.sizes).toFixed(1)} | ${(100 * mean(row.arcs)).toFixed(1)}% (${row.arcs.length} with branches) | ${mean(row.distinct).toFixed(2)} | ${(100 * mean(row.raising)).toFixed(1)}% |`,
      );
    }
    const fuzzKept = [...fuzzed.values()].filter((inputs) => inputs.length > 0).length;
    console.log(`fuzz speed: ${functions.length} functions in ${seconds.toFixed(1)}s = ${(functions.length / seconds).toFixed(1)} functions/s on 2 workers (goal >= 50); ${fuzzKept} with inputs`);
    const pick = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))];
    console.log(
      `fuzz cost: ${cpuMsPerFunction.toFixed(1)} ms CPU per function (whole process); in the tool: median ${pick(toolMs, 0.5).toFixed(0)} ms, p90 ${pick(toolMs, 0.9).toFixed(0)} ms; executions median ${pick(executions, 0.5)}, p90 ${pick(executions, 0.9)}`,
    );
    if (process.env.INPUTS_BENCH_ROWS) {
      const reasons = [...fuzzStats.entries()].filter(([, a]) => a.reason).map(([id, a]) => `${id}: ${a.reason} ${a.detail ?? ''}`);
      if (reasons.length) console.log(`fuzz rejects:\n  ${reasons.join('\n  ')}`);
      const ratio = (m?: Measurement) => (m && m.arcs[1] > 0 ? m.arcs[0] / m.arcs[1] : NaN);
      for (const fn of functions) {
        const row = perFunction.get(fn.id);
        if (!row || !(ratio(row.fuzz) < ratio(row.llm)) && !((row.fuzz?.distinctOutputs ?? 0) < (row.llm?.distinctOutputs ?? 0))) continue;
        const stats = fuzzStats.get(fn.id)?.stats;
        console.log(
          `  ${fn.entry}: arcs llm ${row.llm?.arcs.join('/')} fuzz ${row.fuzz?.arcs.join('/')} hybrid ${row.hybrid?.arcs.join('/')}; outputs llm ${row.llm?.distinctOutputs} fuzz ${row.fuzz?.distinctOutputs}; types ${JSON.stringify(stats?.types)}; ${stats?.executions} runs, ${stats?.stop}`,
        );
      }
    }
    console.log(`hybrid: mean ${(hybridMs / functions.length).toFixed(0)} ms per function (4 in flight)`);
  } finally {
    await sandbox.close();
  }
}

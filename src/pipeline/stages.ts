// The upstream stages (inputs, exec) as runner stages with the figures the report shows. The
// stages themselves live in their own folders; this only adapts and counts.
import { executeRecords } from '../execute/execute.js';
import type { ExecRecord, FunctionRecord, InputsRecord } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { keep, type ReportingStage, type StageItem } from './stage.js';

export function execStage(sandbox: Sandbox): ReportingStage<InputsRecord, ExecRecord> {
  return {
    name: 'exec',
    async *run(input) {
      for await (const record of executeRecords(sandbox, input)) yield keep(record as ExecRecord);
    },
    describe: (kept) => {
      const verdicts: Record<string, number> = {};
      const outcomeKinds: Record<string, number> = {};
      for (const record of kept) {
        for (const o of record.outputs) verdicts[o.verdict] = (verdicts[o.verdict] ?? 0) + 1;
        const returns = record.outputs.some((o) => o.verdict === 'return');
        const raises = record.outputs.some((o) => o.verdict === 'raise');
        const kind = returns && raises ? 'returns and raises' : returns ? 'only returns' : raises ? 'only raises' : 'neither';
        outcomeKinds[kind] = (outcomeKinds[kind] ?? 0) + 1;
      }
      return { calls: kept.reduce((n, r) => n + r.outputs.length, 0), verdicts, outcomeKinds };
    },
  };
}

/** Wraps an inputs generator (functions in, records with inputs or rejects out). */
export function inputsStage(
  generate: (functions: AsyncIterable<FunctionRecord>) => AsyncIterable<StageItem<InputsRecord>>,
): ReportingStage<FunctionRecord, InputsRecord> {
  return {
    name: 'inputs',
    run: (input) => generate(input),
    describe: (kept) => {
      const inputsPerFunction: Record<string, number> = {};
      const coverage: Record<string, number> = {};
      for (const record of kept) {
        inputsPerFunction[record.inputs.length] = (inputsPerFunction[record.inputs.length] ?? 0) + 1;
        const share = coverageOf(record.generator);
        if (share !== undefined) {
          const bucket = (Math.min(10, Math.floor(share * 10)) / 10).toFixed(1);
          coverage[bucket] = (coverage[bucket] ?? 0) + 1;
        }
      }
      return { inputsPerFunction, ...(Object.keys(coverage).length > 0 ? { coverage } : {}) };
    },
  };
}

/** The line-coverage share a generator reports, under the names generators are likely to use. */
function coverageOf(generator: Record<string, unknown> | undefined): number | undefined {
  if (!generator) return undefined;
  for (const key of ['lines', 'coverage', 'lineCoverage']) {
    const value = generator[key];
    if (typeof value === 'number' && value >= 0 && value <= 1) return value;
    // The fuzzer reports `lines: [covered, total]`.
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number' && value[1] > 0) {
      return Math.min(1, value[0] / value[1]);
    }
    if (value && typeof value === 'object') {
      const nested = (value as Record<string, unknown>).share ?? (value as Record<string, unknown>).ratio;
      if (typeof nested === 'number') return nested;
    }
  }
  return undefined;
}

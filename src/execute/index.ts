// The exec stage: run each function on its inputs in the sandbox and attach one outcome per input.
// Its input is any record with code, entry and inputs (ExecJobSchema): extra fields pass through.
import { mapKept } from '../io/ordered.js';
import { keep, type CallOutcome, type ExecJobRecord, type Figures, type Stage } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';

export type Executed<T extends ExecJobRecord> = T & { outputs: CallOutcome[] };

/** How many jobs to keep in flight per worker: enough to hide the IPC round trip. */
export const JOBS_IN_FLIGHT_PER_WORKER = 8;

export const EXEC_STAGE = 'exec';

export function execStage<T extends ExecJobRecord>(sandbox: Sandbox, options: { concurrency?: number } = {}): Stage<T, Executed<T>> {
  const concurrency = options.concurrency ?? sandbox.info.workers * JOBS_IN_FLIGHT_PER_WORKER;
  return {
    name: EXEC_STAGE,
    run: (items) => mapKept(items, concurrency, async (record) => keep(await executeRecord(sandbox, record))),
    figures: (record) => execFigures(record.outputs),
  };
}

/** One record through the sandbox: its code, entry, setup and inputs become a job. */
export async function executeRecord<T extends ExecJobRecord>(sandbox: Sandbox, record: T): Promise<Executed<T>> {
  const outputs = await sandbox.runFunction({ code: record.code, entry: record.entry, calls: record.inputs, setup: record.setup });
  return { ...record, outputs };
}

/** Calls, verdicts, and whether the function only returns, only raises, or both. */
function execFigures(outputs: CallOutcome[]): Figures {
  const verdicts: Record<string, number> = {};
  for (const o of outputs) verdicts[o.verdict] = (verdicts[o.verdict] ?? 0) + 1;
  const returns = verdicts.return > 0;
  const raises = verdicts.raise > 0;
  const kind = returns && raises ? 'returns and raises' : returns ? 'only returns' : raises ? 'only raises' : 'neither';
  return { calls: outputs.length, verdicts, outcomeKinds: { [kind]: 1 } };
}

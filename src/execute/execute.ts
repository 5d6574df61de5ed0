// The execute stage: run each function on its inputs in the sandbox and attach the outcomes.
import { mapOrdered } from '../io/ordered.js';
import type { ExecJobRecord } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../sandbox/types.js';

export type Executed<T extends ExecJobRecord> = T & { outputs: CallOutcome[] };

/** How many jobs to keep in flight per worker: enough to hide the IPC round trip. */
export const JOBS_IN_FLIGHT_PER_WORKER = 8;

export function executeRecords<T extends ExecJobRecord>(
  sandbox: Sandbox,
  records: AsyncIterable<T> | Iterable<T>,
  options: { concurrency?: number; timeoutMs?: number } = {},
): AsyncIterable<Executed<T>> {
  const concurrency = options.concurrency ?? sandbox.info.workers * JOBS_IN_FLIGHT_PER_WORKER;
  return mapOrdered(records, concurrency, (record) => executeRecord(sandbox, record, options.timeoutMs));
}

/** One record through the sandbox: its code, entry, setup and inputs become a job. */
export async function executeRecord<T extends ExecJobRecord>(sandbox: Sandbox, record: T, timeoutMs?: number): Promise<Executed<T>> {
  const outputs = await sandbox.runFunction({ code: record.code, entry: record.entry, calls: record.inputs, setup: record.setup, timeoutMs });
  return { ...record, outputs };
}

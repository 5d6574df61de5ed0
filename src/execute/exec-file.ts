// `case2code exec`: JSONL of jobs in, JSONL of jobs with outcomes out, in input order. Lines that
// are not valid jobs are reported (stderr and the rejects file) and skipped; the rest still run.
import { readJsonl, JsonlWriter } from '../io/jsonl.js';
import { mapOrdered } from '../io/ordered.js';
import { ExecJobSchema, type ExecJobRecord, type Reject } from '../records.js';
import { Progress } from '../cli/progress.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { executeRecord, JOBS_IN_FLIGHT_PER_WORKER } from './execute.js';

export interface ExecFileOptions {
  input: string;
  output: string;
  rejects?: string;
  /** Per-call timeout; defaults to the sandbox's. */
  timeoutMs?: number;
}

export interface ExecFileStats {
  jobs: number;
  calls: number;
  rejected: number;
  verdicts: Record<string, number>;
  seconds: number;
}

type Item = { kind: 'job'; line: number; value: ExecJobRecord } | { kind: 'reject'; reject: Reject };

export async function execFile(sandbox: Sandbox, options: ExecFileOptions): Promise<ExecFileStats> {
  const out = new JsonlWriter(options.output);
  const rejects = new JsonlWriter(options.rejects ?? `${options.output}.rejects.jsonl`);
  const stats: ExecFileStats = { jobs: 0, calls: 0, rejected: 0, verdicts: {}, seconds: 0 };
  const started = performance.now();
  const progress = new Progress('exec', undefined, 'functions');

  async function* items(): AsyncIterable<Item> {
    for await (const entry of readJsonl(options.input)) {
      if (!entry.ok) {
        yield { kind: 'reject', reject: { stage: 'exec', reason: 'bad-json', source: { path: options.input, line: entry.line }, detail: entry.error } };
        continue;
      }
      const parsed = ExecJobSchema.safeParse(entry.value);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
        yield { kind: 'reject', reject: { stage: 'exec', reason: 'bad-record', source: { path: options.input, line: entry.line }, detail } };
        continue;
      }
      yield { kind: 'job', line: entry.line, value: parsed.data };
    }
  }

  const concurrency = sandbox.info.workers * JOBS_IN_FLIGHT_PER_WORKER;
  const results = mapOrdered(items(), concurrency, async (item) => {
    if (item.kind === 'reject') return item;
    return { kind: 'done' as const, record: await executeRecord(sandbox, item.value, options.timeoutMs) };
  });

  for await (const result of results) {
    if (result.kind === 'reject') {
      stats.rejected++;
      const { source, reason, detail } = result.reject;
      process.stderr.write(`${source?.path}:${source?.line}: ${reason}: ${detail}\n`);
      await rejects.write(result.reject);
      continue;
    }
    stats.jobs++;
    for (const outcome of result.record.outputs) {
      stats.calls++;
      stats.verdicts[outcome.verdict] = (stats.verdicts[outcome.verdict] ?? 0) + 1;
    }
    await out.write(result.record);
    progress.tick();
  }
  progress.finish();
  await Promise.all([out.close(), rejects.close()]);
  stats.seconds = (performance.now() - started) / 1000;
  return stats;
}

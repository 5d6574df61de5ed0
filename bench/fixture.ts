// The official test-set sample as exec jobs, shared by the benchmarks that replay it.
import { fileURLToPath } from 'node:url';
import { loadBenchmark } from '../src/eval/benchmark.js';
import type { ExecJobRecord } from '../src/contract/index.js';
import type { Sandbox } from '../src/sandbox/sandbox.js';

export const REFERENCE_FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/case2code-reference-test.sample100.jsonl', import.meta.url));

/** One job per fixture function: its gold code, `example_str` as setup, entry(**examples[i]) calls. */
export async function fixtureJobs(sandbox: Sandbox): Promise<ExecJobRecord[]> {
  const items = await loadBenchmark(sandbox, REFERENCE_FIXTURE);
  return items.map((item) => ({ id: item.id, code: item.gold ?? '', entry: item.entry, setup: item.setup, inputs: item.calls }));
}

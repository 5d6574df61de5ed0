// Runs a stage over records in a test, as the runners feed it (each record a kept item).
import { keepAll, type Reject, type Stage } from '../../src/contract/index.js';

export async function runOn<In, Out>(stage: Stage<In, Out>, records: In[] | AsyncIterable<In>): Promise<{ kept: Out[]; rejects: Reject[] }> {
  const kept: Out[] = [];
  const rejects: Reject[] = [];
  for await (const item of stage.run(keepAll(records))) {
    if (item.kind === 'keep') kept.push(item.record);
    else rejects.push(item.reject);
  }
  return { kept, rejects };
}

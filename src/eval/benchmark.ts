// Read a benchmark file into items, whatever its format (ours or the official test set, told apart
// line by line). Every problem is collected with its file and line, and the file is refused as a
// whole: scoring a benchmark with silently missing items would give a wrong pass@k.
import { readJsonl } from '../io/jsonl.js';
import { mapOrdered } from '../io/ordered.js';
import { BenchItemSchema } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { benchItem } from './bench-format.js';
import { EvalInputError, type EvalItem } from './items.js';
import { looksOfficial, officialItem, officialProblems, type OfficialRecord } from './official.js';

type Pending = { line: number; ready: EvalItem } | { line: number; official: OfficialRecord };

/**
 * All items of `file`, in file order. The sandbox must have been started with OFFICIAL_TOOLS when
 * the file may be in the official format.
 */
export async function loadBenchmark(sandbox: Sandbox, file: string): Promise<EvalItem[]> {
  const problems: string[] = [];
  const pending: Pending[] = [];
  const seen = new Map<string, number>();
  for await (const entry of readJsonl(file)) {
    const where = `${file}:${entry.line}`;
    if (!entry.ok) {
      problems.push(`${where}: ${entry.error}`);
      continue;
    }
    let id: string;
    if (looksOfficial(entry.value)) {
      const found = officialProblems(entry.value);
      if (found.length > 0) {
        problems.push(`${where}: official-format item: ${found.join('; ')}`);
        continue;
      }
      const record = entry.value as unknown as OfficialRecord;
      id = record.id;
      pending.push({ line: entry.line, official: record });
    } else {
      const parsed = BenchItemSchema.safeParse(entry.value);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
        problems.push(`${where}: neither an official-format item (example_str, example_outputs) nor a bench item: ${detail}`);
        continue;
      }
      if (parsed.data.cases.length === 0) {
        problems.push(`${where}: bench item has no cases`);
        continue;
      }
      id = parsed.data.id;
      pending.push({ line: entry.line, ready: benchItem(parsed.data, { path: file, line: entry.line }) });
    }
    if (seen.has(id)) problems.push(`${where}: duplicate id ${JSON.stringify(id)} (first on line ${seen.get(id)})`);
    else seen.set(id, entry.line);
  }
  if (problems.length > 0) throw new EvalInputError(problems);

  // Official items need the sandbox to count their examples; do it concurrently, keep file order.
  const concurrency = sandbox.info.workers * 4;
  const items: EvalItem[] = [];
  const prepared = mapOrdered(pending, concurrency, async (p) => {
    if ('ready' in p) return { line: p.line, item: p.ready };
    return { line: p.line, ...(await officialItem(sandbox, p.official, { path: file, line: p.line })) };
  });
  for await (const result of prepared) {
    if (result.item) items.push(result.item);
    else problems.push(`${file}:${result.line}: ${result.problem}`);
  }
  if (problems.length > 0) throw new EvalInputError(problems);
  if (items.length === 0) throw new EvalInputError([`${file}: no items`]);
  return items;
}

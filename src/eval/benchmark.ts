// Read a benchmark file into items, whatever its format (ours or the official test set, told apart
// line by line). A line that is not an item (not JSON, fields missing, a duplicate id) is collected
// with its file and line, and the file is refused as a whole: scoring a benchmark with silently
// missing items would give a wrong pass@k. An item that is well formed but cannot be prepared
// here (its `example_str` fails) is kept, marked with its setup error.
import { readJsonl } from '../io/jsonl.js';
import { mapOrdered } from '../io/ordered.js';
import { BenchItemSchema } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { benchItem } from './bench-format.js';
import { EvalInputError, type EvalItem, type InputProblem } from './items.js';
import { looksOfficial, officialItem, officialProblems, type OfficialRecord } from './official.js';
import { DEFAULT_PROMPT_STYLE, type PromptStyle } from './prompts.js';

type Pending = { line: number; ready: EvalItem } | { line: number; official: OfficialRecord };

export interface LoadBenchmarkOptions {
  /** The prompt of official-format items (default `official`: the item's own prompt). */
  promptStyle?: PromptStyle;
}

/**
 * All items of `file`, in file order. The sandbox must have been started with OFFICIAL_TOOLS when
 * the file may be in the official format.
 */
export async function loadBenchmark(sandbox: Sandbox, file: string, options: LoadBenchmarkOptions = {}): Promise<EvalItem[]> {
  const style = options.promptStyle ?? DEFAULT_PROMPT_STYLE;
  const problems: InputProblem[] = [];
  const pending: Pending[] = [];
  const seen = new Map<string, number>();
  for await (const entry of readJsonl(file)) {
    const problem = (reason: string) => problems.push({ file, line: entry.line, reason });
    if (!entry.ok) {
      problem(entry.error);
      continue;
    }
    let id: string;
    if (looksOfficial(entry.value)) {
      const found = officialProblems(entry.value);
      if (found.length > 0) {
        problem(`official-format item: ${found.join('; ')}`);
        continue;
      }
      const record = entry.value as unknown as OfficialRecord;
      id = record.id;
      pending.push({ line: entry.line, official: record });
    } else {
      const parsed = BenchItemSchema.safeParse(entry.value);
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
        problem(`neither an official-format item (example_str, example_outputs) nor a bench item: ${detail}`);
        continue;
      }
      if (parsed.data.cases.length === 0) {
        problem('bench item has no cases');
        continue;
      }
      id = parsed.data.id;
      pending.push({ line: entry.line, ready: benchItem(parsed.data, { path: file, line: entry.line }) });
    }
    if (seen.has(id)) problem(`duplicate id ${JSON.stringify(id)} (first on line ${seen.get(id)})`);
    else seen.set(id, entry.line);
  }
  if (problems.length > 0) throw new EvalInputError(problems);
  if (pending.length === 0) throw new EvalInputError([{ file, reason: 'no items' }]);

  // Official items need the sandbox to count their examples; do it concurrently, keep file order.
  const concurrency = sandbox.info.workers * 4;
  const items: EvalItem[] = [];
  const prepared = mapOrdered(pending, concurrency, async (p) =>
    'ready' in p ? p.ready : officialItem(sandbox, p.official, { path: file, line: p.line }, style),
  );
  for await (const item of prepared) items.push(item);
  return items;
}

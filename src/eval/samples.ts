// Saved completions (`--samples`): one `{"id", "completion"}` a line, several lines per id for n > 1,
// in sample order. `truncated: true` or `finish_reason: "length"` marks a completion cut at the
// token limit. The file is read whole (completions are small next to the sandbox's work), and a bad
// line refuses the file: a lost sample would bias pass@k.
import { z } from 'zod';
import { readJsonl } from '../io/jsonl.js';
import { EvalInputError } from './items.js';
import type { Answer } from './score.js';

const SampleLineSchema = z.object({
  id: z.string().min(1),
  completion: z.string(),
  truncated: z.boolean().optional(),
  finish_reason: z.string().nullable().optional(),
});

export async function readSamples(file: string): Promise<Map<string, Answer[]>> {
  const byId = new Map<string, Answer[]>();
  const problems: string[] = [];
  for await (const entry of readJsonl(file)) {
    if (!entry.ok) {
      problems.push(`${file}:${entry.line}: ${entry.error}`);
      continue;
    }
    const parsed = SampleLineSchema.safeParse(entry.value);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
      problems.push(`${file}:${entry.line}: not a sample ({"id", "completion"}): ${detail}`);
      continue;
    }
    const { id, completion, truncated, finish_reason } = parsed.data;
    const answers = byId.get(id) ?? [];
    answers.push({ text: completion, truncated: truncated === true || finish_reason === 'length' });
    byId.set(id, answers);
  }
  if (problems.length > 0) throw new EvalInputError(problems);
  return byId;
}

// Saved completions (`--completions FILE`), one answer a line, several lines per id for several
// samples per item, in sample order. Two layouts, told apart line by line:
//   ours       {"id", "completion"}; `truncated: true` or `finish_reason: "length"` marks a
//              completion cut at the token limit;
//   reference  the paper's own model-output files (mp_run_api_local.py): {"gen_answer_id",
//              "completions"}, where the reference appended `<|NONSTOP|>` to a completion that
//              did not stop by itself. As its scorer does, such an answer fails as truncated when
//              the marker falls inside the code it would run, and is scored normally when the code
//              block closed before it.
// The file is read whole (completions are small next to the sandbox's work), and a bad line refuses
// the file: a lost answer would bias pass@k.
import { z } from 'zod';
import { readJsonl } from '../io/jsonl.js';
import { extractCode } from './extract-code.js';
import { EvalInputError, type InputProblem } from './items.js';
import type { Answer } from './score.js';

const OursSchema = z.object({
  id: z.string().min(1),
  completion: z.string(),
  truncated: z.boolean().optional(),
  finish_reason: z.string().nullable().optional(),
});

const ReferenceSchema = z.object({
  gen_answer_id: z.string().min(1),
  completions: z.union([z.string(), z.array(z.string())]),
});

/** What the reference appends to a completion that hit its token limit. */
export const REFERENCE_TRUNCATION_MARKER = '<|NONSTOP|>';

export async function readCompletions(file: string): Promise<Map<string, Answer[]>> {
  const byId = new Map<string, Answer[]>();
  const problems: InputProblem[] = [];
  const add = (id: string, answer: Answer) => {
    const answers = byId.get(id) ?? [];
    answers.push(answer);
    byId.set(id, answers);
  };
  for await (const entry of readJsonl(file)) {
    if (!entry.ok) {
      problems.push({ file, line: entry.line, reason: entry.error });
      continue;
    }
    const value = entry.value as Record<string, unknown> | null;
    if (value && typeof value === 'object' && 'gen_answer_id' in value) {
      const parsed = ReferenceSchema.safeParse(value);
      if (!parsed.success) {
        problems.push({ file, line: entry.line, reason: `not a reference completion ({"gen_answer_id", "completions"}): ${issues(parsed.error)}` });
        continue;
      }
      const texts = typeof parsed.data.completions === 'string' ? [parsed.data.completions] : parsed.data.completions;
      for (const text of texts) add(parsed.data.gen_answer_id, referenceAnswer(text));
      continue;
    }
    const parsed = OursSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ file, line: entry.line, reason: `not a completion ({"id", "completion"} or {"gen_answer_id", "completions"}): ${issues(parsed.error)}` });
      continue;
    }
    const { id, completion, truncated, finish_reason } = parsed.data;
    add(id, { text: completion, truncated: truncated === true || finish_reason === 'length' });
  }
  if (problems.length > 0) throw new EvalInputError(problems);
  return byId;
}

function referenceAnswer(text: string): Answer {
  const truncated = extractCode(text).includes(REFERENCE_TRUNCATION_MARKER);
  return { text: text.split(REFERENCE_TRUNCATION_MARKER).join(''), truncated };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
}

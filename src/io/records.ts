// Records from a JSONL file as stage items: each line parsed and checked against the record's
// schema; a line that is not JSON or not a valid record becomes a reject naming the file, the line
// and what is wrong, so nothing read is lost and the valid records still flow on.
import type { z } from 'zod';
import { keep, reject, type StageItem } from '../contract/index.js';
import { readJsonl } from './jsonl.js';

export async function* readRecords<S extends z.ZodType>(file: string, schema: S, stage: string): AsyncIterable<StageItem<z.infer<S>>> {
  for await (const entry of readJsonl(file)) {
    const source = { path: file, line: entry.line };
    if (!entry.ok) {
      yield reject({ stage, reason: 'bad-json', source, detail: entry.error });
      continue;
    }
    const parsed = schema.safeParse(entry.value);
    if (parsed.success) yield keep(parsed.data);
    else yield reject({ stage, reason: 'bad-record', source, detail: describeIssues(parsed.error) });
  }
}

/** A schema's complaints as one line: `inputs.0.args: expected array, received string; ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
}

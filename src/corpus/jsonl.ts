// JSONL (plain or .gz) sources: one file a line, its text in a configurable field.
import { readJsonl } from '../io/jsonl.js';
import { reject, type StageItem } from '../contract/index.js';
import { recordToSource } from './dataset-record.js';
import type { SourceFile } from './types.js';

export async function* readJsonlSource(file: string, field: string, maxBytes: number): AsyncIterable<StageItem<SourceFile>> {
  try {
    for await (const line of readJsonl(file)) {
      const where = { dataset: file, row: line.line };
      if (!line.ok) yield reject({ stage: 'corpus', reason: 'bad-json', source: where, detail: line.error });
      else yield recordToSource(line.value, field, where, maxBytes);
    }
  } catch (error) {
    // A truncated or corrupt gzip stream ends the file; what was read before stands.
    yield reject({ stage: 'corpus', reason: 'corrupt-file', source: { dataset: file }, detail: (error as Error).message });
  }
}

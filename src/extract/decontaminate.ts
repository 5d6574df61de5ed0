// Decontamination: drop functions that share a long token n-gram (default 10 tokens) with any text
// of a benchmark (its code, prompt, tests: every string field of every JSONL record).
import { readJsonl } from '../io/jsonl.js';
import { InputError, reject, type FunctionRecord, type Stage } from '../contract/index.js';
import { codeTokens, ngramHashes } from './tokens.js';

export interface ContaminationIndex {
  n: number;
  files: string[];
  texts: number;
  ngrams: Set<number>;
}

/** Reads benchmark JSONL files; a line that is not JSON is an input error naming file:line. */
export async function loadContamination(files: string[], options: { n?: number } = {}): Promise<ContaminationIndex> {
  const n = options.n ?? 10;
  const index: ContaminationIndex = { n, files, texts: 0, ngrams: new Set() };
  for (const file of files) {
    for await (const line of readJsonl(file)) {
      if (!line.ok) throw new InputError(`${file}:${line.line}: benchmark line is ${line.error}`);
      for (const text of stringsIn(line.value)) {
        index.texts++;
        for (const hash of ngramHashes(codeTokens(text), n)) index.ngrams.add(hash);
      }
    }
  }
  return index;
}

function* stringsIn(value: unknown, depth = 0): Iterable<string> {
  if (typeof value === 'string') yield value;
  else if (depth < 8 && value !== null && typeof value === 'object') {
    for (const inner of Array.isArray(value) ? value : Object.values(value)) yield* stringsIn(inner, depth + 1);
  }
}

/** Drops functions that share a long token n-gram with the benchmarks of `index`. */
export function decontaminateStage(index: ContaminationIndex): Stage<FunctionRecord, FunctionRecord> {
  return {
    name: 'decontaminate',
    async *run(items) {
      for await (const item of items) {
        if (item.kind === 'reject' || !contaminated(item.record.code, index)) {
          yield item;
          continue;
        }
        const { id, entry, source } = item.record;
        yield reject({ stage: 'decontaminate', reason: 'contaminated', id, entry, source, detail: `shares a ${index.n}-token sequence with ${index.files.join(', ')}` });
      }
    },
  };
}

function contaminated(code: string, index: ContaminationIndex): boolean {
  const tokens = codeTokens(code);
  // Shorter code can only match a whole benchmark text of the same length; skip that case.
  return tokens.length >= index.n && ngramHashes(tokens, index.n).some((hash) => index.ngrams.has(hash));
}

// The extract stage: source files in, standalone functions (or rejects with reasons) out, in input
// order. Small files are batched into one tool call so the per-call overhead stays small, and
// several calls are kept in flight so every interpreter of the pool stays busy.
import type { SourceFile } from '../corpus/index.js';
import { mapOrdered } from '../io/ordered.js';
import { keep, reject, type Stage, type StageItem } from '../contract/index.js';
import type { FunctionRecord, Param, Reject } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../contract/index.js';
import { resolveRules, type ExtractRules } from './rules.js';

export interface ExtractOptions {
  /** Overrides of DEFAULT_RULES. */
  rules?: Partial<ExtractRules>;
  /** Source characters per tool call (default 256 Ki); a larger file goes alone. */
  batchChars?: number;
  /** Files per tool call (default 64). */
  batchFiles?: number;
  /** Tool calls in flight (default: two per interpreter). */
  inFlight?: number;
}

interface FoundFunction {
  entry: string;
  line: number;
  code: string;
  params: Param[];
  id: string;
}
interface DroppedFunction {
  entry: string;
  line: number;
  reason: string;
  detail?: string;
}
type FileResult = { functions: FoundFunction[]; drops: DroppedFunction[] } | { error: string; line?: number; detail?: string };

const MB = 1024 * 1024;

export const EXTRACT_STAGE = 'extract';

/**
 * Parses each file with CPython's `ast` in the sandbox (needs `extractTools()` among the sandbox's
 * tools), keeps the top-level functions that pass the rules, as self-contained code that was
 * defined and checked in the sandbox. Corpus rejects pass through. A file-level reject (e.g.
 * `syntax-error`) has no `entry`; a function-level one names its `entry` and `source.line`.
 */
export function extractStage(sandbox: Sandbox, options: ExtractOptions = {}): Stage<SourceFile, FunctionRecord> {
  const rules = resolveRules(options.rules);
  const inFlight = options.inFlight ?? sandbox.info.workers * 2;
  return {
    name: EXTRACT_STAGE,
    async *run(files) {
      const batched = batches(withoutFunctionlessFiles(files), options.batchChars ?? 256 * 1024, options.batchFiles ?? 64);
      for await (const items of mapOrdered(batched, inFlight, (batch) => extractBatch(sandbox, batch, rules))) yield* items;
    },
  };
}

// A top-level function always has `def` (or `async def`) at the start of a line, so a file without
// one has nothing to extract: it is rejected here without the cost of a parse.
const TOP_LEVEL_DEF = /^(?:async[ \t]+)?def[ \t]/m;

async function* withoutFunctionlessFiles(items: AsyncIterable<StageItem<SourceFile>>): AsyncIterable<StageItem<SourceFile>> {
  for await (const item of items) {
    if (item.kind === 'keep' && !TOP_LEVEL_DEF.test(item.record.text)) {
      yield reject({ stage: 'extract', reason: 'no-functions', source: item.record.source, detail: 'no top-level def' });
    } else yield item;
  }
}

async function* batches<T extends StageItem<SourceFile>>(items: AsyncIterable<T>, maxChars: number, maxFiles: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  let chars = 0;
  let count = 0;
  for await (const item of items) {
    if (item.kind === 'keep') {
      if (count > 0 && chars + item.record.text.length > maxChars) {
        yield batch;
        batch = [];
        chars = count = 0;
      }
      chars += item.record.text.length;
      count++;
    }
    batch.push(item);
    if (count >= maxFiles) {
      yield batch;
      batch = [];
      chars = count = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

async function extractBatch(sandbox: Sandbox, batch: StageItem<SourceFile>[], rules: ExtractRules): Promise<StageItem<FunctionRecord>[]> {
  const files = batch.flatMap((item) => (item.kind === 'keep' ? [item.record] : []));
  let results: (FileResult | Reject)[] = [];
  if (files.length > 0) {
    const answer = await callTool(sandbox, files, rules);
    if (Array.isArray(answer)) results = answer;
    else if (files.length === 1) results = [answer];
    // One file broke the call (crash, memory, hard timeout): redo the files one by one to find it.
    else results = await Promise.all(files.map(async (file) => {
      const alone = await callTool(sandbox, [file], rules);
      return Array.isArray(alone) ? alone[0] : alone;
    }));
  }
  const out: StageItem<FunctionRecord>[] = [];
  let next = 0;
  for (const item of batch) {
    if (item.kind === 'reject') out.push(item);
    else out.push(...toItems(item.record, results[next++]));
  }
  return out;
}

/** One tool call: a result per file, or a reject (without source) when the call itself failed. */
async function callTool(sandbox: Sandbox, files: SourceFile[], rules: ExtractRules): Promise<FileResult[] | Reject> {
  const largest = Math.max(...files.map((file) => file.text.length));
  const total = files.reduce((sum, file) => sum + file.text.length, 0);
  // Generous: parsing alone takes about 0.7 s per MB inside the interpreter.
  const timeoutMs = 10_000 + Math.ceil((20_000 * largest) / MB);
  const totalMs = 60_000 + Math.ceil((30_000 * total) / MB);
  const answer = await sandbox.runTool<FileResult[]>('extract', { rules, files: files.map((file) => file.text) }, { timeoutMs, totalMs });
  if (answer.ok) return answer.value;
  return { stage: 'extract', ...failureOf(answer.outcome) };
}

function failureOf(outcome: CallOutcome): { reason: string; detail?: string } {
  switch (outcome.verdict) {
    case 'timeout':
      return { reason: 'extract-timeout', detail: outcome.message };
    case 'memory':
      return { reason: 'extract-memory' };
    case 'crash':
      return { reason: 'extract-crash', detail: outcome.message.slice(0, 200) };
    case 'raise':
      return { reason: 'extract-error', detail: `${outcome.type}: ${outcome.message}`.slice(0, 200) };
    default:
      return { reason: 'extract-error', detail: outcome.verdict };
  }
}

function toItems(file: SourceFile, result: FileResult | Reject): StageItem<FunctionRecord>[] {
  if ('stage' in result) return [reject({ ...result, source: file.source })];
  if ('error' in result) {
    const source = result.line ? { ...file.source, line: result.line } : file.source;
    return [reject({ stage: 'extract', reason: result.error, source, ...(result.detail ? { detail: result.detail } : {}) })];
  }
  const found: { line: number; item: StageItem<FunctionRecord> }[] = [];
  for (const fn of result.functions) {
    const record: FunctionRecord = { id: fn.id, entry: fn.entry, code: fn.code, params: fn.params, source: { ...file.source, line: fn.line } };
    found.push({ line: fn.line, item: keep(record) });
  }
  for (const drop of result.drops) {
    const value: Reject = { stage: 'extract', reason: drop.reason, entry: drop.entry, source: { ...file.source, line: drop.line } };
    if (drop.detail) value.detail = drop.detail;
    found.push({ line: drop.line, item: reject(value) });
  }
  return found.sort((a, b) => a.line - b.line).map((entry) => entry.item);
}

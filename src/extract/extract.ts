// The extract stage: source files in, standalone functions (or rejects with reasons) out, in input
// order. Small files are batched into one tool call so the per-call overhead stays small, and
// several calls are kept in flight so every interpreter of the pool stays busy.
import { DEFAULT_MAX_BYTES, PackageModules, type PackageModule, type SourceFile } from '../corpus/index.js';
import { mapOrdered } from '../io/ordered.js';
import { keep, reject, type Stage, type StageItem } from '../contract/index.js';
import type { FunctionRecord, Param, Reject } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../contract/index.js';
import { packageImports } from './imports.js';
import { mayHaveFunctions } from './prefilter.js';
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
  /** Sibling modules larger than this many bytes are not read (default: the corpus's 1 MiB). */
  maxBytes?: number;
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
/** A file whose functions reach modules of its package the call was not given. */
type Wanting = { wants: string[] };
type Supplied = Record<string, PackageModule | null>;

// Rounds of "read the modules asked for, ask again" per batch. Each round reads at least one new
// module of the package, so a package's own size bounds them; this is a guard, not a setting.
const MAX_ROUNDS = 16;

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
      // Rebuilt from the records' plain package refs on each run: nothing but data travels.
      const modules = new PackageModules(options.maxBytes ?? DEFAULT_MAX_BYTES);
      try {
        const batched = batches(withoutFunctionlessFiles(files, rules.liftMethods, rules.liftAttributeReads), options.batchChars ?? 256 * 1024, options.batchFiles ?? 64);
        for await (const items of mapOrdered(batched, inFlight, (batch) => extractBatch(sandbox, batch, rules, modules))) yield* items;
      } finally {
        await modules.close();
      }
    },
  };
}

async function* withoutFunctionlessFiles(items: AsyncIterable<StageItem<SourceFile>>, methods: boolean, attributeReads: boolean): AsyncIterable<StageItem<SourceFile>> {
  for await (const item of items) {
    if (item.kind === 'keep' && !mayHaveFunctions(item.record.text, methods, attributeReads)) {
      yield reject({ stage: 'extract', reason: 'no-functions', source: item.record.source, detail: methods ? 'no top-level def, no method that could be one' : 'no top-level def' });
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

async function extractBatch(sandbox: Sandbox, batch: StageItem<SourceFile>[], rules: ExtractRules, modules: PackageModules): Promise<StageItem<FunctionRecord>[]> {
  const files = batch.flatMap((item) => (item.kind === 'keep' ? [item.record] : []));
  const results: (FileResult | Reject)[] = [];
  // Files whose functions import from their own package come back asking for modules: the host
  // reads them (the sandbox reads no file) and asks again for those files, with every module
  // each of them asked for so far.
  const supplied: Supplied = {};
  const wanted = new Map<number, Set<string>>();
  if (rules.carryPackage) {
    for (const [i, file] of files.entries()) {
      if (!file.package) continue;
      const guesses = packageImports(file.text, file.package);
      for (const name of guesses) if (!(name in supplied)) supplied[name] = await modules.read(file.package, name);
      wanted.set(i, new Set(guesses));
    }
  }
  let open = files.map((_, i) => i);
  for (let round = 0; open.length > 0; round++) {
    const modulesFor = (indices: number[]) => pick(supplied, indices.flatMap((i) => [...(wanted.get(i) ?? [])]));
    const answers = await callRound(sandbox, open.map((i) => files[i]), rules, (subset) => modulesFor(subset.map((k) => open[k])), modulesFor(open));
    const next: number[] = [];
    for (const [k, i] of open.entries()) {
      const answer = answers[k];
      if (!('wants' in answer)) {
        results[i] = answer;
        continue;
      }
      const asked = wanted.get(i) ?? new Set<string>();
      const fresh = answer.wants.filter((name) => !asked.has(name));
      if (fresh.length === 0 || round + 1 >= MAX_ROUNDS) {
        results[i] = { error: 'package-too-deep', detail: `still needs ${answer.wants.slice(0, 5).join(', ')} after ${round + 1} rounds` };
        continue;
      }
      const ref = files[i].package;
      for (const name of fresh) {
        asked.add(name);
        if (!(name in supplied)) supplied[name] = ref ? await modules.read(ref, name) : null;
      }
      wanted.set(i, asked);
      next.push(i);
    }
    open = next;
  }
  const out: StageItem<FunctionRecord>[] = [];
  let next = 0;
  for (const item of batch) {
    if (item.kind === 'reject') out.push(item);
    else out.push(...toItems(item.record, results[next++]));
  }
  return out;
}

function pick(supplied: Supplied, names: string[]): Supplied {
  const out: Supplied = {};
  for (const name of [...new Set(names)].sort()) out[name] = supplied[name];
  return out;
}

/** One round for `files`: an answer per file. A call that broke (crash, memory, hard timeout) is
 * redone file by file to find the one that broke it. */
async function callRound(
  sandbox: Sandbox,
  files: SourceFile[],
  rules: ExtractRules,
  modulesOf: (indices: number[]) => Supplied,
  all: Supplied,
): Promise<(FileResult | Wanting | Reject)[]> {
  const answer = await callTool(sandbox, files, rules, all);
  if (Array.isArray(answer)) return answer;
  if (files.length === 1) return [answer];
  return Promise.all(files.map(async (file, k) => {
    const alone = await callTool(sandbox, [file], rules, modulesOf([k]));
    return Array.isArray(alone) ? alone[0] : alone;
  }));
}

/** One tool call: a result per file, or a reject (without source) when the call itself failed. */
async function callTool(sandbox: Sandbox, files: SourceFile[], rules: ExtractRules, modules: Supplied): Promise<(FileResult | Wanting)[] | Reject> {
  const texts = [...files.map((file) => file.text), ...Object.values(modules).map((module) => module?.text ?? '')];
  const largest = Math.max(...texts.map((text) => text.length));
  const total = texts.reduce((sum, text) => sum + text.length, 0);
  // Generous: parsing alone takes about 0.7 s per MB inside the interpreter.
  const timeoutMs = 10_000 + Math.ceil((20_000 * largest) / MB);
  const totalMs = 60_000 + Math.ceil((30_000 * total) / MB);
  const payload = {
    rules,
    files: files.map((file) => (file.package ? { text: file.text, module: file.package.module, init: file.package.init } : { text: file.text })),
    modules,
  };
  const answer = await sandbox.runTool<(FileResult | Wanting)[]>('extract', payload, { timeoutMs, totalMs });
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
  // A file that passed the text test but, parsed, has nothing to judge (its classes' methods all
  // need their instance after all) is still accounted for.
  if (found.length === 0) return [reject({ stage: 'extract', reason: 'no-functions', source: file.source, detail: 'parsed: no top-level def, no method that could be one' })];
  return found.sort((a, b) => a.line - b.line).map((entry) => entry.item);
}

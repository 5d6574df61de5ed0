// `case2code verify DIR`: re-executes every sample's reference code on all its inputs (shown and
// held out) and checks that the results are what the dataset states, and that each text sample
// (sft, chat, pretrain) states its cases and its code as the structured bench item does.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJsonl } from '../io/jsonl.js';
import { mapOrdered } from '../io/ordered.js';
import { BenchItemSchema, InputError, type BenchItem, type Case } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../contract/index.js';
import { outcomeText } from '../samples/calls.js';
import { completionFor } from '../samples/formats.js';

export interface VerifyProblem {
  file: string;
  line: number;
  id?: string;
  problem: string;
}

export interface VerifyResult {
  items: number;
  calls: number;
  textSamples: number;
  /** Rows read per file, e.g. `sft/train.jsonl`. */
  rows: Record<string, number>;
  problems: VerifyProblem[];
}

/** The dataset directory of a run directory, or the directory itself when it is one. */
export function dataDirOf(dir: string): string {
  return existsSync(path.join(dir, 'data', 'bench')) ? path.join(dir, 'data') : dir;
}

export async function verifyDataset(sandbox: Sandbox, dir: string, options: { onItem?: () => void } = {}): Promise<VerifyResult> {
  const data = dataDirOf(dir);
  const result: VerifyResult = { items: 0, calls: 0, textSamples: 0, rows: {}, problems: [] };
  const benchFiles = ['bench/train.jsonl', 'bench/test.jsonl'].filter((f) => existsSync(path.join(data, f)));
  if (benchFiles.length === 0) throw new InputError(`${dir}: no bench/train.jsonl or bench/test.jsonl; is this a case2code run or data directory?`);
  const byId = new Map<string, BenchItem>();

  for (const file of benchFiles) {
    const items = parsed(path.join(data, file), file, result.problems);
    const checked = mapOrdered(items, sandbox.info.workers * 4, async ({ line, item }) => {
      const outcomes = await sandbox.runFunction({ code: item.code, entry: item.entry, calls: item.cases.map((c) => c.input) });
      return { line, item, outcomes };
    });
    for await (const { line, item, outcomes } of checked) {
      result.items++;
      result.rows[file] = (result.rows[file] ?? 0) + 1;
      result.calls += item.cases.length;
      byId.set(item.id, item);
      const problem = (p: string) => result.problems.push({ file, line, id: item.id, problem: p });
      item.cases.forEach((c, i) => {
        const got = describe(outcomes[i]);
        if (got !== describeCase(c)) problem(`case ${i}: the dataset says ${describeCase(c)}, re-execution gave ${got}`);
      });
      for (const s of item.shown) if (!item.cases.some((c) => sameCase(c, s))) problem(`a shown case is not among the cases: ${JSON.stringify(s.input)}`);
      options.onItem?.();
    }
  }

  for (const format of ['sft', 'chat', 'pretrain'] as const) {
    const file = `${format}/train.jsonl`;
    if (!existsSync(path.join(data, file))) continue;
    for await (const entry of readJsonl(path.join(data, file))) {
      const problem = (p: string, id?: string) => result.problems.push({ file, line: entry.line, id, problem: p });
      if (!entry.ok) {
        problem(entry.error);
        continue;
      }
      result.textSamples++;
      result.rows[file] = (result.rows[file] ?? 0) + 1;
      const row = entry.value as Record<string, any>;
      const item = byId.get(row.id);
      if (!item) {
        problem('no bench item with this id, so its cases cannot be checked', row.id);
        continue;
      }
      const { prompt, answer } = textsOf(format, row);
      if (answer !== undefined && answer !== completionFor(item.code)) problem('the completion is not the reference code', row.id);
      if (format === 'pretrain' && !prompt.includes(item.code.trimEnd())) problem('the text does not contain the reference code', row.id);
      const stated = format === 'pretrain' ? item.cases : item.shown;
      for (const c of stated) {
        const text = outcomeText(c);
        if (!prompt.includes(text) && !prompt.includes(text.replace(/\|/g, '\\|')) && !prompt.includes(JSON.stringify(text).slice(1, -1))) {
          problem(`the text does not state the result ${text.slice(0, 80)}`, row.id);
        }
      }
    }
  }
  return result;
}

function textsOf(format: 'sft' | 'chat' | 'pretrain', row: Record<string, any>): { prompt: string; answer?: string } {
  if (format === 'sft') return { prompt: String(row.prompt ?? ''), answer: String(row.completion ?? '') };
  if (format === 'chat') {
    const messages = Array.isArray(row.messages) ? row.messages : [];
    return { prompt: String(messages.find((m: any) => m.role === 'user')?.content ?? ''), answer: String(messages.find((m: any) => m.role === 'assistant')?.content ?? '') };
  }
  return { prompt: String(row.text ?? '') };
}

async function* parsed(full: string, file: string, problems: VerifyProblem[]): AsyncIterable<{ line: number; item: BenchItem }> {
  for await (const entry of readJsonl(full)) {
    if (!entry.ok) {
      problems.push({ file, line: entry.line, problem: entry.error });
      continue;
    }
    const check = BenchItemSchema.safeParse(entry.value);
    if (!check.success) {
      problems.push({ file, line: entry.line, problem: check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      continue;
    }
    yield { line: entry.line, item: check.data };
  }
}

function describeCase(c: Case): string {
  return c.output.verdict === 'return' ? `returns ${c.output.repr}` : `raises ${c.output.type}: ${c.output.message}`;
}

function describe(o: CallOutcome | undefined): string {
  if (!o) return 'no outcome';
  if (o.verdict === 'return') return `returns ${o.repr}`;
  if (o.verdict === 'raise') return `raises ${o.type}: ${o.message}`;
  return o.verdict;
}

function sameCase(a: Case, b: Case): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// `case2code verify DIR`: re-executes every sample's reference code on all its inputs (shown and
// held out) and checks that the results are what the dataset states, that each text sample (sft,
// chat, pretrain) states its cases and its code as the structured bench item does, that each
// prediction row (output_prediction, input_prediction) returns its value when its call is run
// again, and that no definition (entry or carried helper) is in the code of both splits.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readJsonl } from '../io/jsonl.js';
import { mapOrdered } from '../io/ordered.js';
import { BenchItemSchema, CallSpecSchema, InputError, type BenchItem, type Case } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../contract/index.js';
import { outcomeText } from '../samples/calls.js';
import { definitionsOf } from '../samples/definitions.js';
import { completionFor } from '../samples/formats.js';
import { PREDICTION_FORMATS, predictionCall, type PredictionFormat } from '../samples/predictions.js';

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
  /** Prediction rows re-executed. */
  predictions: number;
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
  const result: VerifyResult = { items: 0, calls: 0, textSamples: 0, predictions: 0, rows: {}, problems: [] };
  const benchFiles = ['bench/train.jsonl', 'bench/test.jsonl'].filter((f) => existsSync(path.join(data, f)));
  if (benchFiles.length === 0) throw new InputError(`${dir}: no bench/train.jsonl or bench/test.jsonl; is this a case2code run or data directory?`);
  const byId = new Map<string, BenchItem>();
  const splitOf = new Map<string, 'train' | 'test'>();
  // Where each definition was seen first, per split: `file:line` and the item's id.
  const seen = { train: new Map<string, { line: number; id: string; name: string }>(), test: new Map<string, { line: number; id: string; name: string }>() };

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
      const split = file === 'bench/test.jsonl' ? 'test' : 'train';
      splitOf.set(item.id, split);
      const problem = (p: string) => result.problems.push({ file, line, id: item.id, problem: p });
      for (const d of definitionsOf(item.code)) {
        const other = seen[split === 'test' ? 'train' : 'test'].get(d.hash);
        if (other) problem(`\`${d.name}\` is also in the code of ${other.id} (the other split), so the split leaks it`);
        if (!seen[split].has(d.hash)) seen[split].set(d.hash, { line, id: item.id, name: d.name });
      }
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
  for (const format of PREDICTION_FORMATS) {
    for (const split of ['train', 'test'] as const) {
      const file = `${format}/${split}.jsonl`;
      if (existsSync(path.join(data, file))) await verifyPredictions(sandbox, path.join(data, file), file, format, split, splitOf, result);
    }
  }
  return result;
}

/**
 * Each row's call, run again, returns its `output`; the completion is that output (output
 * prediction) or that call (input prediction); the prompt states the code and what it asks about;
 * the row's function is a bench item of the same split.
 */
async function verifyPredictions(
  sandbox: Sandbox, full: string, file: string, format: PredictionFormat, split: 'train' | 'test', splitOf: Map<string, 'train' | 'test'>, result: VerifyResult,
): Promise<void> {
  type Row = { line: number; row: Record<string, any> };
  async function* rows(): AsyncIterable<Row> {
    for await (const entry of readJsonl(full)) {
      if (!entry.ok) {
        result.problems.push({ file, line: entry.line, problem: entry.error });
        continue;
      }
      const row = entry.value as Record<string, any>;
      const fields = ['id', 'function', 'entry', 'code', 'output', 'prompt', 'completion'].filter((k) => typeof row[k] !== 'string');
      const input = CallSpecSchema.safeParse(row.input);
      if (fields.length > 0 || !input.success) {
        result.problems.push({ file, line: entry.line, id: row.id, problem: `not a prediction row: ${[...fields, ...(input.success ? [] : ['input'])].join(', ')} missing or malformed` });
        continue;
      }
      yield { line: entry.line, row: { ...row, input: input.data } };
    }
  }
  const checked = mapOrdered(rows(), sandbox.info.workers * 4, async ({ line, row }) => {
    const [outcome] = await sandbox.runFunction({ code: row.code, entry: row.entry, calls: [row.input] });
    return { line, row, outcome };
  });
  for await (const { line, row, outcome } of checked) {
    result.predictions++;
    result.rows[file] = (result.rows[file] ?? 0) + 1;
    const problem = (p: string) => result.problems.push({ file, line, id: row.id, problem: p });
    const got = describe(outcome);
    if (got !== `returns ${row.output}`) problem(`the row says returns ${row.output}, re-execution gave ${got}`);
    const call = predictionCall(row.entry, row.input);
    const answer = format === 'output_prediction' ? row.output : call;
    if (row.completion !== answer) problem(`the completion is not ${format === 'output_prediction' ? 'the output' : 'the call'}: ${String(row.completion).slice(0, 80)}`);
    if (!row.prompt.includes(row.code.trimEnd())) problem('the prompt does not contain the code');
    const asked = format === 'output_prediction' ? call : row.output;
    if (!row.prompt.includes(asked)) problem(`the prompt does not state ${asked.slice(0, 80)}`);
    const side = splitOf.get(row.function);
    if (side === undefined) problem(`no bench item with the id ${row.function}`);
    else if (side !== split) problem(`its function ${row.function} is in ${side}, the row in ${split}`);
  }
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

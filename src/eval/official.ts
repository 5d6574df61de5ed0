// The official Case2Code test-set format (the paper's `dataset/test.jsonl`): the cases are every
// example that `example_str` builds, called with keyword arguments; `example_outputs` holds what
// CPython gave, as `{"return": json.dumps(repr(v))}` or `{"error": "<|EXCEPTION|> " +
// json.dumps("<class 'T'>: message")}`, with any text the function printed before the marker.
import { pythonAssetPath } from '../sandbox/assets.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { PythonTool } from '../sandbox/types.js';
import type { Expected, EvalItem } from './items.js';
import { officialPrompt, type PromptStyle } from './prompts.js';

/** The tool that builds an official item's examples (./python/case2code_eval/examples.py). */
export const OFFICIAL_TOOLS: Record<string, PythonTool> = {
  case2code_examples: { root: pythonAssetPath(import.meta.url, './python'), module: 'case2code_eval.examples' },
};

const EXCEPTION_MARKER = '<|EXCEPTION|>';

export interface OfficialRecord {
  id: string;
  func_name: string;
  prompt: string;
  example_str: string;
  example_outputs: Record<string, unknown>[];
  code?: string;
  /** Which examples the prompt shows. */
  choosed_example_idx?: number[];
}

export function looksOfficial(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'example_str' in value && 'example_outputs' in value;
}

/** Checks the fields an official record must have; a list of reasons, empty when it is fine. */
export function officialProblems(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const field of ['id', 'func_name', 'prompt', 'example_str']) {
    if (typeof value[field] !== 'string' || value[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  if (!Array.isArray(value.example_outputs)) problems.push('example_outputs must be a list');
  else {
    value.example_outputs.forEach((output, i) => {
      const problem = expectedFromOfficial(output).problem;
      if (problem) problems.push(`example_outputs[${i}]: ${problem}`);
    });
  }
  const shown = value.choosed_example_idx;
  if (shown !== undefined && !(Array.isArray(shown) && shown.every((i) => Number.isInteger(i) && i >= 0))) {
    problems.push('choosed_example_idx must be a list of example indices');
  }
  return problems;
}

/** One `example_outputs` entry as an expected outcome, or why it cannot be read. */
export function expectedFromOfficial(output: unknown): { expected?: Expected; problem?: string } {
  if (typeof output !== 'object' || output === null) return { problem: 'not an object' };
  const entry = output as Record<string, unknown>;
  if (typeof entry.return === 'string') {
    const text = parseJsonString(entry.return);
    return text === undefined ? { problem: 'return is not a JSON-encoded string' } : { expected: { verdict: 'return', text } };
  }
  if (typeof entry.error === 'string') {
    const at = entry.error.lastIndexOf(EXCEPTION_MARKER);
    if (at < 0) return { problem: `error has no ${EXCEPTION_MARKER} marker` };
    const encoded = entry.error.slice(at + EXCEPTION_MARKER.length).trim();
    // Printed noise comes before the marker; the part after it is the exception, JSON-encoded.
    return { expected: { verdict: 'raise', text: parseJsonString(encoded) ?? encoded } };
  }
  return { problem: 'neither return nor error' };
}

function parseJsonString(text: string): string | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns a checked official record into an item. The examples are counted inside the sandbox, once
 * per item, because only Python can say what `example_str` builds. When that fails here (a module
 * this interpreter lacks, examples that do not match the outputs), the item still comes back, with
 * `setupError` saying why: one broken item must not stop a run.
 */
export async function officialItem(
  sandbox: Sandbox,
  record: OfficialRecord,
  source: { path: string; line: number },
  style: PromptStyle,
): Promise<EvalItem> {
  const base = {
    id: record.id,
    entry: record.func_name,
    prompt: officialPrompt(record, style),
    format: 'official' as const,
    setup: record.example_str,
    gold: record.code,
    source,
  };
  const broken = (setupError: string): EvalItem => ({ ...base, calls: [], inputs: [], expected: [], setupError });
  const answer = await sandbox.runTool<{ count?: number; inputs?: string[]; error?: string }>(
    'case2code_examples',
    { example_str: record.example_str, gold: record.code ?? null },
    { timeoutMs: 5000, totalMs: 20000 },
  );
  if (!answer.ok) return broken(`example_str could not be run: ${describe(answer.outcome)}`);
  if (answer.value.error) return broken(answer.value.error);
  const count = answer.value.count!;
  if (count !== record.example_outputs.length) {
    return broken(`example_str builds ${count} examples but example_outputs has ${record.example_outputs.length}`);
  }
  return {
    ...base,
    calls: Array.from({ length: count }, (_, i) => ({ kwargsFrom: `examples[${i}]` })),
    inputs: answer.value.inputs!,
    expected: record.example_outputs.map((output) => expectedFromOfficial(output).expected!),
    ...(record.choosed_example_idx ? { shown: record.choosed_example_idx.filter((i) => i < count) } : {}),
  };
}

function describe(outcome: { verdict: string; type?: string; message?: string }): string {
  return outcome.verdict === 'raise' ? `${outcome.type}: ${outcome.message}` : (outcome.message ?? outcome.verdict);
}

/** An actual raise in the official format: `<class 'T'>: message`, qualified for non-builtins. */
export function officialRaiseText(outcome: { type: string; message: string; module?: string }): string {
  const name = outcome.module ? `${outcome.module}.${outcome.type}` : outcome.type;
  return `<class '${name}'>: ${outcome.message}`;
}

// Typed wrappers around the inputs tool's operations (see ./python/tool.py).
import type { FunctionRecord } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallSpec, CallOutcome } from '../sandbox/types.js';
import { INPUTS_TOOL } from './tools.js';

export interface FuzzStats {
  executions: number;
  /** Why the search ended: saturated, exhausted, max-executions, time. */
  stop: string;
  ms: number;
  /** [covered, total] branch arcs and executable lines of the chosen inputs. */
  arcs: [number, number];
  lines: [number, number];
  distinctOutputs: number;
  raising: number;
  timeouts: number;
  /** The strongest inferred type per parameter, e.g. {"s": "str", "xs": "list[int]"}. */
  types: Record<string, string>;
}

export interface FuzzAnswer {
  inputs: CallSpec[];
  reason: string | null;
  detail?: string;
  stats?: FuzzStats;
}

export interface FuzzSettings {
  n: number;
  seed: number;
  maxExecutions: number;
  budgetMs: number;
  /** Time limit of one candidate execution, enforced inside Python. */
  candidateMs: number;
  maxRaiseShare: number;
  /** Calls to start the search from (hybrid mode); their sources are evaluated in the sandbox. */
  seeds?: CallSpec[];
}

/** Extra time the sandbox allows beyond our own limits before it interrupts: a backstop only. */
const WINDOW_SLACK_MS = 400;
const TOTAL_SLACK_MS = 2000;

export async function runFuzz(sandbox: Sandbox, fn: FunctionRecord, settings: FuzzSettings): Promise<FuzzAnswer> {
  const outcome = await sandbox.runTool<FuzzAnswer>(
    INPUTS_TOOL,
    { op: 'fuzz', code: fn.code, entry: fn.entry, ...settings },
    { timeoutMs: settings.candidateMs + WINDOW_SLACK_MS, totalMs: settings.budgetMs + TOTAL_SLACK_MS },
  );
  if (outcome.ok) return outcome.value;
  return { inputs: [], reason: toolFailureReason(outcome.outcome), detail: describeOutcome(outcome.outcome) };
}

export interface ParsedAnswer {
  inputs: CallSpec[];
  keys: string[];
  dropped: Array<{ source: string; reason: string }>;
  entries: number;
}

/** Read a model's answer into calls. The text is only ever parsed inside the sandbox. */
export async function parseAnswer(sandbox: Sandbox, fn: FunctionRecord, text: string, known: string[]): Promise<ParsedAnswer> {
  const outcome = await sandbox.runTool<ParsedAnswer>(
    INPUTS_TOOL,
    { op: 'parse', code: fn.code, entry: fn.entry, text, known },
    { timeoutMs: 1000, totalMs: 10_000 },
  );
  if (outcome.ok) return outcome.value;
  return { inputs: [], keys: [], dropped: [{ source: '(whole answer)', reason: `parse-failed:${describeOutcome(outcome.outcome)}` }], entries: 0 };
}

export interface Measurement {
  arcs: [number, number];
  lines: [number, number];
  distinctOutputs: number;
  counts: { return: number; raise: number; timeout: number; memory: number; 'bad-input': number };
  error?: string;
  detail?: string;
}

/** Run calls once each with coverage: what they cover, how many outputs differ, how many raise. */
export async function measureInputs(sandbox: Sandbox, fn: FunctionRecord, inputs: CallSpec[], candidateMs = 1000): Promise<Measurement | { error: string; detail: string }> {
  const outcome = await sandbox.runTool<Measurement>(
    INPUTS_TOOL,
    { op: 'measure', code: fn.code, entry: fn.entry, inputs, candidateMs },
    { timeoutMs: candidateMs + WINDOW_SLACK_MS, totalMs: candidateMs * (inputs.length + 1) + TOTAL_SLACK_MS },
  );
  if (!outcome.ok) return { error: toolFailureReason(outcome.outcome), detail: describeOutcome(outcome.outcome) };
  return outcome.value;
}

function toolFailureReason(outcome: CallOutcome): string {
  return outcome.verdict === 'timeout' ? 'tool-timeout' : outcome.verdict === 'memory' ? 'tool-memory' : 'tool-error';
}

function describeOutcome(outcome: CallOutcome): string {
  if (outcome.verdict === 'raise') return `${outcome.type}: ${outcome.message}`.slice(0, 300);
  if ('message' in outcome && outcome.message) return `${outcome.verdict}: ${outcome.message}`.slice(0, 300);
  return outcome.verdict;
}

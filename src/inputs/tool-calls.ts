// Typed wrappers around the inputs tool's operations (see ./python/case2code_inputs/tool.py).
import type { FunctionRecord } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallSpec, CallOutcome } from '../contract/index.js';
import { INPUTS_OPTIONS } from './options.js';
import { INPUTS_TOOL } from './tools.js';


export interface FuzzStats {
  executions: number;
  /** Steps of all runs together: what the search cost, in the unit of its budget. */
  steps: number;
  /** Why the search ended: saturated, exhausted, max-executions, max-steps, or slow (the sandbox's
   * window had to stop runs: work no step count sees, such as huge integer arithmetic). */
  stop: string;
  /** [covered, total] branch arcs and executable lines of the chosen inputs. */
  arcs: [number, number];
  lines: [number, number];
  distinctOutputs: number;
  /** [killed by the chosen inputs, made] mutants of the function (see python/.../mutants.py). */
  mutants: [number, number];
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
  /** Wall time of the tool call, for benchmarks only: it is never part of a record. */
  ms?: number;
}

export interface FuzzSettings {
  n: number;
  seed: number;
  maxExecutions: number;
  /** Steps of all runs together; the search stops there. */
  maxTotalSteps: number;
  /** Steps one run may take before it is cut and counts as a timeout. */
  maxSteps: number;
  maxRaiseShare: number;
  /** Largest share of chosen inputs with a value outside the inferred types, i.e. type-confused edge cases. */
  edgeShare: number;
  /** Calls to start the search from (hybrid mode); their sources are evaluated in the sandbox. */
  seeds?: CallSpec[];
  /** Hybrid mode: every seed is kept, and fuzz inputs are added only where they kill mutants or
   * cover arcs the seeds missed (default false: the seeds compete with the fuzzer's own finds). */
  keepSeeds?: boolean;
}

// The sandbox's own limits are backstops: the tool's budgets are counts of executions and steps, so
// no clock decides which inputs it finds. The window (renewed before each execution) stops work the
// step count cannot see, such as `10**10**8`; the total stops a tool call that should never be so long.
const EXECUTION_WINDOW_MS = 1000;
const FUZZ_TOTAL_MS = 120_000;

export async function runFuzz(sandbox: Sandbox, fn: FunctionRecord, settings: FuzzSettings): Promise<FuzzAnswer> {
  const outcome = await sandbox.runTool<FuzzAnswer>(
    INPUTS_TOOL,
    { op: 'fuzz', code: fn.code, entry: fn.entry, ...settings },
    { timeoutMs: EXECUTION_WINDOW_MS, totalMs: FUZZ_TOTAL_MS },
  );
  if (outcome.ok) return { ...outcome.value, ms: outcome.ms };
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
  /** [killed, made] mutants; with `rank`, also the calls' order by what each reveals. */
  mutants?: [number, number];
  order?: number[];
  counts: { return: number; raise: number; timeout: number; memory: number; 'bad-input': number };
  error?: string;
  detail?: string;
}

/** Run calls once each with coverage (each cut at `maxSteps` steps): what they cover, how many
 * outputs differ, how many raise. With `rank`, also mutants: how many the calls kill, and the
 * calls' order by what each reveals (coverage, mutants killed, outputs), as the fuzzer ranks its own. */
export async function measureInputs(
  sandbox: Sandbox,
  fn: FunctionRecord,
  inputs: CallSpec[],
  maxSteps: number = INPUTS_OPTIONS.table.maxSteps.default!,
  rank = false,
): Promise<Measurement | { error: string; detail: string }> {
  const outcome = await sandbox.runTool<Measurement>(
    INPUTS_TOOL,
    { op: 'measure', code: fn.code, entry: fn.entry, inputs, maxSteps, rank },
    { timeoutMs: EXECUTION_WINDOW_MS, totalMs: EXECUTION_WINDOW_MS * (inputs.length + 1) + 2000 },
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

// The filter stage: ExecRecords in, functions with their good cases out (`CasesRecord`). Each
// dropped call and each dropped function becomes a reject with its reason:
//   calls (stage `filter-calls`): timeout, memory, crash, bad-input, define-error, repr-error,
//     output-too-long, memory-address, duplicate-input, nondeterministic;
//   functions (stage `filter`): nondeterministic, too-few-cases, all-raise, trivial, mostly-raise,
//     few-outcomes, one-output, returns-argument (see cases.ts).
import { mapOrdered } from '../io/ordered.js';
import type { Case, ExecRecord, FunctionRecord, Reject } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../sandbox/types.js';
import { keep, reject, type ReportingStage, type StageItem } from '../pipeline/stage.js';
import { DEFAULT_CALL_FILTER, filterCalls, toCase, type CallDrop, type CallFilterOptions } from './calls.js';
import { DEFAULT_CASE_FILTER, judgeCases, type CaseFilterOptions } from './cases.js';
import { compareRuns } from './nondeterminism.js';

export * from './calls.js';
export * from './cases.js';
export * from './nondeterminism.js';

/** A function with the cases it keeps after filtering, in the order they were run. */
export type CasesRecord = FunctionRecord & { generator?: Record<string, unknown>; cases: Case[] };

export const FILTER_STAGE = 'filter';
export const CALL_FILTER_STAGE = 'filter-calls';

export interface FilterOptions extends Partial<CallFilterOptions>, Partial<CaseFilterOptions> {
  /**
   * A second sandbox started with another hash seed: the surviving calls run there again and must
   * give the same results. Without it the nondeterminism filter is skipped.
   */
  rerun?: Sandbox;
  /** Functions checked at once (default: twice the rerun sandbox's workers, or 4). */
  concurrency?: number;
}

/** The verdict for one record, given its outcomes in a second run (of the kept calls only). */
export interface FilterDecision {
  cases: Case[];
  drops: CallDrop[];
  functionReject?: { reason: string; detail: string };
}

/** Pure part of the filter: verdicts, duplicates, the second run's comparison, then case counts. */
export function decide(
  record: ExecRecord,
  rerunOf: ((kept: number[]) => CallOutcome[] | undefined) | undefined,
  options: CallFilterOptions & Partial<CaseFilterOptions>,
): FilterDecision {
  const { kept, dropped } = filterCalls(record.inputs, record.outputs, options);
  let survivors = kept;
  const second = rerunOf?.(kept);
  if (second && kept.length > 0) {
    const comparison = compareRuns(kept.map((i) => record.outputs[i]), second);
    const differing = new Set(comparison.differing.map((position) => kept[position]));
    for (const index of differing) dropped.push({ index, reason: 'nondeterministic', detail: describeChange(record.outputs[index], second[kept.indexOf(index)]) });
    if (comparison.functionIsNondeterministic) {
      return {
        cases: [],
        drops: sortDrops(dropped),
        functionReject: { reason: 'nondeterministic', detail: `${differing.size} of ${kept.length} calls changed under another hash seed` },
      };
    }
    survivors = kept.filter((i) => !differing.has(i));
  }
  const cases = survivors.map((i) => toCase(record.inputs[i], record.outputs[i]));
  return { cases, drops: sortDrops(dropped), functionReject: judgeCases(cases, options) };
}

export function filterStage(options: FilterOptions = {}): ReportingStage<ExecRecord, CasesRecord> {
  const settings = { ...DEFAULT_CALL_FILTER, ...DEFAULT_CASE_FILTER, ...definedOnly(options) };
  const concurrency = options.concurrency ?? (options.rerun ? options.rerun.info.workers * 4 : 4);
  return {
    name: FILTER_STAGE,
    async *run(input) {
      const decisions = mapOrdered(input, concurrency, async (record) => {
        let second: CallOutcome[] | undefined;
        if (options.rerun) {
          const { kept } = filterCalls(record.inputs, record.outputs, settings);
          if (kept.length > 0) second = await options.rerun.runFunction({ code: record.code, entry: record.entry, calls: kept.map((i) => record.inputs[i]) });
        }
        return { record, decision: decide(record, second ? () => second : undefined, settings) };
      });
      for await (const { record, decision } of decisions) yield* itemsFor(record, decision);
    },
    describe: (kept) => ({ casesPerFunction: countBy(kept.map((r) => r.cases.length)), cases: kept.reduce((n, r) => n + r.cases.length, 0) }),
  };
}

function* itemsFor(record: ExecRecord, decision: FilterDecision): Iterable<StageItem<CasesRecord>> {
  for (const drop of decision.drops) {
    yield reject(rejectOf(record, CALL_FILTER_STAGE, drop.reason, `call ${drop.index}${drop.detail ? `: ${drop.detail}` : ''}`));
  }
  if (decision.functionReject) {
    yield reject(rejectOf(record, FILTER_STAGE, decision.functionReject.reason, decision.functionReject.detail));
    return;
  }
  const { inputs: _inputs, outputs: _outputs, ...fn } = record;
  yield keep({ ...fn, cases: decision.cases });
}

function rejectOf(record: ExecRecord, stage: string, reason: string, detail: string): Reject {
  return { stage, reason, id: record.id, entry: record.entry, source: record.source, detail };
}

function describeChange(a: CallOutcome, b: CallOutcome | undefined): string {
  const show = (o: CallOutcome | undefined) =>
    !o ? '(none)' : o.verdict === 'return' ? o.repr.slice(0, 80) : o.verdict === 'raise' ? `${o.type}: ${o.message.slice(0, 60)}` : o.verdict;
  return `${show(a)} then ${show(b)}`;
}

function countBy(values: (string | number)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

function sortDrops(drops: CallDrop[]): CallDrop[] {
  return drops.sort((a, b) => a.index - b.index);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => v !== undefined && k !== 'rerun' && k !== 'concurrency')) as Partial<T>;
}

// The filter stage: ExecRecords in, functions with their good cases out (`CasesRecord`). Each
// dropped call and each dropped function becomes a reject with its reason:
//   calls (stage `filter-calls`): timeout, memory, crash, bad-input, define-error, repr-error,
//     output-too-long, memory-address, duplicate-input, nondeterministic;
//   functions (stage `filter`): nondeterministic, too-few-cases, all-raise, trivial, mostly-raise,
//     few-outcomes, one-output, returns-argument (see cases.ts).
import { mapKept } from '../io/ordered.js';
import { countBy, keep, reject, type CallOutcome, type Case, type CasesRecord, type ExecRecord, type Reject, type Stage, type StageItem } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { filterCalls, toCase, type CallDrop, type CallFilterOptions } from './calls.js';
import { judgeCases, type CaseFilterOptions } from './cases.js';
import { compareRuns } from './nondeterminism.js';
import { FILTER_OPTIONS, type FilterFlags } from './options.js';

export * from './calls.js';
export * from './cases.js';
export * from './nondeterminism.js';
export * from './options.js';

export const FILTER_STAGE = 'filter';
export const CALL_FILTER_STAGE = 'filter-calls';

export interface FilterOptions extends FilterFlags {
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

export function filterStage(options: FilterOptions = {}): Stage<ExecRecord, CasesRecord> {
  const { rerun, concurrency, ...flags } = options;
  const resolved = FILTER_OPTIONS.resolve(flags);
  const settings: CallFilterOptions & CaseFilterOptions = {
    reprCap: resolved.caseReprCap,
    minCases: resolved.minCases,
    minOutcomes: resolved.minOutcomes,
    maxRaiseShare: resolved.maxCaseRaiseShare,
    maxSameShare: resolved.maxSameOutputShare,
  };
  const inFlight = concurrency ?? (rerun ? rerun.info.workers * 4 : 4);
  return {
    name: FILTER_STAGE,
    run: (items) =>
      mapKept(items, inFlight, async (record) => {
        let second: CallOutcome[] | undefined;
        if (rerun) {
          const { kept } = filterCalls(record.inputs, record.outputs, settings);
          if (kept.length > 0) second = await rerun.runFunction({ code: record.code, entry: record.entry, calls: kept.map((i) => record.inputs[i]) });
        }
        return [...itemsFor(record, decide(record, second ? () => second : undefined, settings))];
      }),
    figures: (record) => ({ casesPerFunction: countBy([record.cases.length]), cases: record.cases.length }),
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

function sortDrops(drops: CallDrop[]): CallDrop[] {
  return drops.sort((a, b) => a.index - b.index);
}


// The funnel as text: the table `case2code run` and the single-stage commands print, and the top
// reasons of a stage. Takes stage stats (data), never a run directory.
import { rejectedCount, type StageStats } from '../contract/index.js';

/** Sums of reasons, most frequent first, for one stage's own rejects and for all of them. */
export function topReasons(stats: StageStats, limit = 3): string {
  const all = Object.entries(stats.rejects).flatMap(([stage, reasons]) =>
    Object.entries(reasons).map(([reason, n]) => [stage === stats.stage ? reason : `${stage}:${reason}`, n] as const),
  );
  return all
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, limit)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}

/** One row per stage: items in, kept, rejected, top reasons. */
export function funnelTable(stages: StageStats[], reasons = 3): string {
  const rows = [
    ['stage', 'in', 'kept', 'rejected', 'top reasons'],
    ...stages.map((s) => [s.stage, String(s.in), String(s.kept), String(rejectedCount(s)), topReasons(s, reasons)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

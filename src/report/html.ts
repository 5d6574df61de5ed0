// report.html: one self-contained page (inline CSS and SVG, no scripts, works offline) with the
// funnel, reject reasons, cases per function, verdicts, input coverage, template mix and samples.
import { rejectedCount, type StageStats } from '../contract/index.js';
import { barChart, escapeHtml, histogramBars, type Bar } from './svg.js';

export interface ReportInput {
  title: string;
  settings: Record<string, unknown>;
  stages: StageStats[];
  /** Wall-clock seconds of this attempt (a resumed run counts only its own time). */
  seconds?: number;
  dataset: { functions: { train: number; test: number }; files: Record<string, number> };
  /** A few rendered samples: a heading and the text. */
  examples: { title: string; text: string }[];
}

const CSS = `body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;font-size:13px}
pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:12px;white-space:pre-wrap}.empty{color:#888}
.grid{display:flex;flex-wrap:wrap;gap:1em}.note{color:#555;font-size:13px}`;

export function renderRunReport(input: ReportInput): string {
  const byStage = (name: string) => input.stages.find((s) => s.stage === name);
  const funnel: Bar[] = input.stages.map((s) => ({ label: s.stage, value: s.kept, total: s.in }));
  const reasonSections = input.stages
    .filter((s) => Object.keys(s.rejects).length > 0)
    .map((s) => {
      const bars = compactReasons(
        Object.entries(s.rejects).flatMap(([stage, reasons]) => Object.entries(reasons).map(([reason, n]) => ({ label: stage === s.stage ? reason : `${stage}: ${reason}`, value: n }))),
      );
      return `<h3>${escapeHtml(s.stage)}</h3>${barChart(bars, { color: '#e45756' })}`;
    });
  const filter = byStage('filter')?.figures ?? {};
  const exec = byStage('exec')?.figures ?? {};
  const inputs = byStage('inputs')?.figures ?? {};
  const samples = byStage('samples')?.figures ?? {};
  const templates = (samples.templates ?? {}) as Record<string, Record<string, number>>;
  const rows = input.stages
    .map((s) => `<tr><td>${escapeHtml(s.stage)}</td><td>${s.in}</td><td>${s.kept}</td><td>${rejectedCount(s)}</td></tr>`)
    .join('');
  const settings = Object.entries(input.settings)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(JSON.stringify(v))}</code></td></tr>`)
    .join('');
  const files = Object.entries(input.dataset.files)
    .map(([k, n]) => `<tr><td><code>${escapeHtml(k)}</code></td><td>${n}</td></tr>`)
    .join('');
  const functionsKept = byStage('samples')?.kept ?? 0;
  const speed = input.seconds ? `<p class="note">This attempt took ${input.seconds.toFixed(1)} s.</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title><style>${CSS}</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p>${functionsKept} functions became samples: ${input.dataset.functions.train} train, ${input.dataset.functions.test} test.</p>${speed}
<table><tr><th>stage</th><th>in</th><th>kept</th><th>rejected</th></tr>${rows}</table>
<h2>Funnel</h2><p class="note">Records kept out of records in, per stage (functions; for the source, files and functions).</p>${barChart(funnel)}
<h2>Reject reasons</h2><p class="note">Call-level drops are listed with their own stage (e.g. <code>filter-calls</code>).</p>${reasonSections.join('') || '<p class="empty">nothing rejected</p>'}
<h2>Cases per function</h2><p class="note">Cases kept after filtering, per function that passed.</p>${barChart(histogramBars(filter.casesPerFunction as Record<string, number>), { color: '#54a24b' })}
<h2>Verdicts</h2><p class="note">Outcomes of every call, before filtering.</p>${barChart(histogramBars(exec.verdicts as Record<string, number>), { color: '#f58518' })}
<h2>Input coverage</h2>${coverageSection({ ...inputs, outcomeKinds: exec.outcomeKinds })}
<h2>Template mix</h2>
<div class="grid"><div><h3>case rendering</h3>${barChart(histogramBars(templates.rendering), { width: 460 })}</div>
<div><h3>instruction</h3>${barChart(histogramBars(templates.instruction), { width: 460 })}</div>
<div><h3>header</h3>${barChart(histogramBars(templates.header), { width: 460 })}</div>
<div><h3>part order</h3>${barChart(histogramBars(templates.order), { width: 460 })}</div>
<div><h3>cases shown</h3>${barChart(histogramBars(samples.shown as Record<string, number>), { width: 460 })}</div></div>
<h2>Samples</h2>${input.examples.map((e) => `<h3>${escapeHtml(e.title)}</h3><pre>${escapeHtml(e.text)}</pre>`).join('') || '<p class="empty">no samples</p>'}
<h2>Dataset files</h2><table>${files}</table>
<h2>Settings</h2><table>${settings}</table>
</body></html>
`;
}

function coverageSection(inputs: Record<string, unknown>): string {
  // `outcomeKinds` comes from exec: whether the inputs reached returns, exceptions, or both.
  const parts: string[] = [];
  if (inputs.coverage) parts.push(`<p class="note">Share of each function's lines the chosen inputs ran (per function, in tenths).</p>${barChart(histogramBars(inputs.coverage as Record<string, number>), { color: '#72b7b2' })}`);
  if (inputs.inputsPerFunction) parts.push(`<p class="note">Inputs written per function.</p>${barChart(histogramBars(inputs.inputsPerFunction as Record<string, number>), { color: '#72b7b2' })}`);
  if (inputs.outcomeKinds) parts.push(`<p class="note">Functions whose inputs reached only returns, only exceptions, or both.</p>${barChart(histogramBars(inputs.outcomeKinds as Record<string, number>), { color: '#72b7b2' })}`);
  return parts.join('') || '<p class="empty">no coverage figures</p>';
}

/**
 * Reasons with a detail after a colon (`unresolved-name:foo`) are summed under their kind
 * (`unresolved-name:*`), and the tail past the 20 largest is one `other` bar, so charts stay legible.
 */
export function compactReasons(bars: Bar[], keep = 20): Bar[] {
  const grouped = new Map<string, number>();
  for (const bar of bars) {
    const at = bar.label.lastIndexOf(':');
    const label = at > 0 && !bar.label.slice(at).startsWith(': ') ? `${bar.label.slice(0, at)}:*` : bar.label;
    grouped.set(label, (grouped.get(label) ?? 0) + bar.value);
  }
  const sorted = [...grouped].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : 1));
  if (sorted.length <= keep) return sorted;
  const other = sorted.slice(keep).reduce((n, b) => n + b.value, 0);
  return [...sorted.slice(0, keep), { label: `other (${sorted.length - keep} reasons)`, value: other }];
}

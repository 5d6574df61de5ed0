// The offline HTML report: one self-contained file (inline CSS, no scripts, no external assets)
// with the summary, the reasons, and every item that did not fully pass, with its first failing
// case diffed against the expected output.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { diffParts } from './diff.js';
import type { EvalSummary, ItemResult } from './evaluate.js';
import type { EvalItem } from './items.js';

export interface ReportInput {
  summary: EvalSummary;
  results: ItemResult[];
  items: EvalItem[];
  benchmark: string;
}

/** Past this many failures the report lists the first ones only, to stay a readable size. */
const MAX_FAILURES_SHOWN = 2000;

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.item { border-top: 2px solid #ddd; padding-top: .5em; margin-top: 1.5em; }
.reason { font-weight: bold; color: #a00; } .partial { color: #a60; }
del { background: #fcc; text-decoration: none; } ins { background: #cfc; text-decoration: none; }
.label { color: #666; font-size: .9em; }
`;

export async function writeEvalReport(file: string, input: ReportInput): Promise<void> {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, renderEvalReport(input));
}

export function renderEvalReport({ summary, results, items, benchmark }: ReportInput): string {
  const byId = new Map(items.map((item) => [item.id, item]));
  const failures = results.filter((r) => r.verdict !== 'pass');
  const shown = failures.slice(0, MAX_FAILURES_SHOWN);
  const passAtK = Object.entries(summary.pass_at_k).map(([k, v]) => `<tr><th>pass@${k}</th><td>${v.toFixed(4)}</td></tr>`).join('');
  const settings = Object.entries(summary.settings)
    .map(([name, value]) => `<tr><th>${escape(name)}</th><td>${escape(typeof value === 'string' ? value : JSON.stringify(value))}</td></tr>`)
    .join('');
  const setupErrors = summary.setup_errors
    .map((e) => `<tr><td><a href="#${escape(e.id)}">${escape(e.id)}</a></td><td>${e.line}</td><td>${escape(e.reason)}</td></tr>`)
    .join('');
  const reasons = Object.entries(summary.reasons)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `<tr><td>${escape(reason)}</td><td>${count}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>case2code eval: ${escape(path.basename(benchmark))}</title>
<style>${STYLE}</style></head><body>
<h1>case2code eval: ${escape(path.basename(benchmark))}</h1>
<table>
<tr><th>items</th><td>${summary.items}</td></tr>
<tr><th>samples per item (n)</th><td>${summary.n}</td></tr>
<tr><th>samples passed</th><td>${summary.passedSamples} / ${summary.samples}</td></tr>
${passAtK}
${settings}
</table>
${setupErrors ? `<h2>Items that could not be set up here (${summary.setup_errors.length}, counted as not passed)</h2>
<table><tr><th>id</th><th>line</th><th>reason</th></tr>${setupErrors}</table>` : ''}
<h2>Failure reasons (over samples)</h2>
${reasons ? `<table><tr><th>reason</th><th>samples</th></tr>${reasons}</table>` : '<p>None: every sample passed.</p>'}
<h2>Items that did not pass (${failures.length}${failures.length > shown.length ? `, first ${shown.length} shown` : ''})</h2>
${shown.map((result) => renderFailure(result, byId.get(result.id))).join('\n')}
</body></html>
`;
}

function renderFailure(result: ItemResult, item: EvalItem | undefined): string {
  const sample = result.samples.find((s) => !s.passed);
  const verdict = result.verdict === 'partial' ? `<span class="partial">partial: ${result.correct}/${result.n} samples passed</span>` : '';
  const parts = [
    `<div class="item" id="${escape(result.id)}">`,
    `<h3>${escape(result.entry)} <span class="label">${escape(result.id)}</span></h3>`,
    `<p><span class="reason">${escape(result.reason ?? '')}</span> ${verdict}<br>${escape(result.detail ?? '')}</p>`,
  ];
  if (result.failing) {
    const { expected, actual, prefix, suffix } = diffParts(result.failing.expected, result.failing.actual);
    parts.push(
      `<p class="label">case ${result.failing.case}: ${escape(result.failing.input)}</p>`,
      `<pre><span class="label">expected </span>${escape(prefix)}<del>${escape(expected)}</del>${escape(suffix)}\n` +
        `<span class="label">actual   </span>${escape(prefix)}<ins>${escape(actual)}</ins>${escape(suffix)}</pre>`,
    );
  }
  if (sample?.code) parts.push(`<details><summary>code (sample ${sample.sample})</summary><pre>${escape(sample.code)}</pre></details>`);
  if (item) parts.push(`<details><summary>prompt</summary><pre>${escape(item.prompt)}</pre></details>`);
  parts.push('</div>');
  return parts.join('\n');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addShard, mergeFigures, topReasons, type StageSummary } from '../../src/report/collect.js';
import { compactReasons, renderReport } from '../../src/report/html.js';
import { summaryTable } from '../../src/pipeline/assemble.js';

test('shard figures add up: counts, reasons per reject stage, nested histograms', () => {
  const summary: StageSummary = { stage: 'filter', in: 0, kept: 0, rejects: {}, extra: {} };
  addShard(summary, { stage: 'filter', shard: 0, in: 5, kept: 3, rejects: { filter: { trivial: 2 }, 'filter-calls': { timeout: 4 } }, extra: { casesPerFunction: { '3': 2, '5': 1 } } });
  addShard(summary, { stage: 'filter', shard: 1, in: 4, kept: 4, rejects: { 'filter-calls': { timeout: 1, crash: 2 } }, extra: { casesPerFunction: { '3': 1, '4': 3 } } });
  assert.equal(summary.in, 9);
  assert.equal(summary.kept, 7);
  assert.deepEqual(summary.rejects, { filter: { trivial: 2 }, 'filter-calls': { timeout: 5, crash: 2 } });
  assert.deepEqual(summary.extra.casesPerFunction, { '3': 3, '5': 1, '4': 3 });
  assert.equal(topReasons(summary), 'filter-calls:timeout 5, trivial 2, filter-calls:crash 2');
  assert.deepEqual(mergeFigures({ a: 1, b: { c: 2 } }, { b: { c: 3, d: 1 } }), { a: 1, b: { c: 5, d: 1 } });
  assert.match(summaryTable([summary], (s) => topReasons(s)), /^stage\s+in\s+kept\s+dropped\s+top reasons\nfilter\s+9\s+7\s+2\s+filter-calls:timeout 5/);
});

test('reasons with details are grouped by kind and the long tail is one bar', () => {
  const bars = Array.from({ length: 30 }, (_, i) => ({ label: `reason-${i}`, value: 100 - i }));
  bars.push({ label: 'unresolved-name:foo', value: 1 }, { label: 'unresolved-name:bar', value: 1 });
  const compact = compactReasons(bars, 20);
  assert.equal(compact.length, 21);
  assert.match(compact[20].label, /^other \(\d+ reasons\)$/);
  assert.equal(compact.reduce((n, b) => n + b.value, 0), bars.reduce((n, b) => n + b.value, 0));
});

test('the report escapes what it shows', () => {
  const html = renderReport({
    title: 'r',
    settings: { sources: ['<dir>'] },
    stages: [{ stage: 'samples', in: 1, kept: 1, rejects: {}, extra: {} }],
    dataset: { functions: { train: 1, test: 0 }, files: { 'sft/train': 1 } },
    examples: [{ title: 'x', text: 'assert f("<b>") == 1' }],
  });
  assert.ok(html.includes('assert f(&quot;&lt;b&gt;&quot;) == 1'));
  assert.ok(!html.includes('<b>'));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addStats, emptyStats, mergeFigures } from '../../src/contract/index.js';
import { funnelTable, topReasons } from '../../src/report/collect.js';
import { compactReasons, renderRunReport } from '../../src/report/html.js';

test('shard figures add up: counts, reasons per reject stage, nested histograms', () => {
  const summary = emptyStats('filter');
  addStats(summary, { stage: 'filter', in: 5, kept: 3, rejects: { filter: { trivial: 2 }, 'filter-calls': { timeout: 4 } }, figures: { casesPerFunction: { '3': 2, '5': 1 } } });
  addStats(summary, { stage: 'filter', in: 4, kept: 4, rejects: { 'filter-calls': { timeout: 1, crash: 2 } }, figures: { casesPerFunction: { '3': 1, '4': 3 } } });
  assert.equal(summary.in, 9);
  assert.equal(summary.kept, 7);
  assert.deepEqual(summary.rejects, { filter: { trivial: 2 }, 'filter-calls': { timeout: 5, crash: 2 } });
  assert.deepEqual(summary.figures.casesPerFunction, { '3': 3, '5': 1, '4': 3 });
  assert.equal(topReasons(summary), 'filter-calls:timeout 5, filter-calls:crash 2, trivial 2', 'most frequent first, ties by name');
  assert.deepEqual(mergeFigures({ a: 1, b: { c: 2 } }, { b: { c: 3, d: 1 } }), { a: 1, b: { c: 5, d: 1 } });
  assert.match(funnelTable([summary]), /^stage\s+in\s+kept\s+rejected\s+top reasons\nfilter\s+9\s+7\s+9\s+filter-calls:timeout 5/);
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
  const html = renderRunReport({
    title: 'r',
    settings: { sources: ['<dir>'] },
    stages: [{ stage: 'samples', in: 1, kept: 1, rejects: {}, figures: {} }],
    dataset: { functions: { train: 1, test: 0 }, files: { 'sft/train': 1 } },
    examples: [{ title: 'x', text: 'assert f("<b>") == 1' }],
  });
  assert.ok(html.includes('assert f(&quot;&lt;b&gt;&quot;) == 1'));
  assert.ok(!html.includes('<b>'));
});

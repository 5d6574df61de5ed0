import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRuns, decide, filterCalls, judgeCases, judgeOutcome, sameOutcome } from '../../src/filters/index.js';
import type { CallOutcome, Case, CasesRecord, ExecRecord } from '../../src/contract/index.js';
import { runOn } from '../helpers/stages.js';

const ret = (repr: string): CallOutcome => ({ verdict: 'return', repr, ms: 1 });
const raise = (type: string, message: string): CallOutcome => ({ verdict: 'raise', type, message, ms: 1 });
const call = (...args: string[]) => ({ args });
const settings = { reprCap: 50, minCases: 3 };

function record(outputs: CallOutcome[], inputs = outputs.map((_, i) => call(String(i)))): ExecRecord {
  return { id: 'f1', entry: 'f', code: 'def f(x): return x', params: [], source: { path: 'a.py' }, inputs, outputs };
}

test('unusable verdicts are dropped with the verdict as the reason', () => {
  for (const outcome of [
    { verdict: 'timeout', ms: 1000 },
    { verdict: 'memory', ms: 3 },
    { verdict: 'crash', message: 'worker died' },
    { verdict: 'bad-input', message: 'SyntaxError in argument' },
  ] as CallOutcome[]) {
    assert.equal(judgeOutcome(outcome, settings)?.reason, outcome.verdict);
  }
  assert.equal(judgeOutcome(ret('3'), settings), undefined);
  assert.equal(judgeOutcome(raise('ValueError', 'bad'), settings), undefined);
});

test('long reprs, truncated reprs and memory addresses are dropped', () => {
  assert.equal(judgeOutcome(ret('x'.repeat(51)), settings)?.reason, 'output-too-long');
  assert.equal(judgeOutcome({ verdict: 'return', repr: 'abc', truncated: true, reprLength: 9000, ms: 1 }, settings)?.reason, 'output-too-long');
  assert.equal(judgeOutcome(ret('<object at 0x7f3a2c>'), settings)?.reason, 'memory-address');
  assert.equal(judgeOutcome(raise('TypeError', 'bad <Foo object at 0x1a2b>'), settings)?.reason, 'memory-address');
  assert.equal(judgeOutcome(ret("'0 x 12'"), settings), undefined);
});

test('errors in defining the function or in repr are not cases', () => {
  assert.equal(judgeOutcome({ ...raise('NameError', 'x'), phase: 'define' } as CallOutcome, settings)?.reason, 'define-error');
  assert.equal(judgeOutcome({ ...raise('ValueError', 'x'), phase: 'repr' } as CallOutcome, settings)?.reason, 'repr-error');
});

test('a repeated call is kept once', () => {
  const inputs = [call('1'), { kwargs: { b: '2', a: '1' } }, call('1'), { kwargs: { a: '1', b: '2' } }];
  const { kept, dropped } = filterCalls(inputs, [ret('1'), ret('2'), ret('1'), ret('2')], settings);
  assert.deepEqual(kept, [0, 1]);
  assert.deepEqual(dropped.map((d) => [d.index, d.reason]), [[2, 'duplicate-input'], [3, 'duplicate-input']]);
});

test('outcomes compare by what they state, not by timing or stdout', () => {
  assert.ok(sameOutcome(ret('1'), { verdict: 'return', repr: '1', ms: 99, stdout: 'hi' }));
  assert.ok(!sameOutcome(ret('{1, 2}'), ret('{2, 1}')));
  assert.ok(!sameOutcome(raise('KeyError', 'a'), raise('KeyError', 'b')));
  assert.ok(!sameOutcome(ret('1'), raise('KeyError', '1')));
});

test('nondeterminism: differing calls are listed; more than half differing condemns the function', () => {
  const a = [ret('1'), ret('2'), ret('3'), ret('4')];
  assert.deepEqual(compareRuns(a, [ret('1'), ret('9'), ret('3'), ret('4')]), { differing: [1], functionIsNondeterministic: false });
  assert.equal(compareRuns(a, [ret('1'), ret('9'), ret('8'), ret('4')]).functionIsNondeterministic, false); // exactly half
  assert.equal(compareRuns(a, [ret('0'), ret('9'), ret('8'), ret('4')]).functionIsNondeterministic, true);
});

test('case-count filters: too few, all raise, trivial', () => {
  const r = (repr: string): Case => ({ input: call('1'), output: { verdict: 'return', repr } });
  const e = (type: string): Case => ({ input: call('1'), output: { verdict: 'raise', type, message: 'm' } });
  assert.equal(judgeCases([r('1'), r('2')])?.reason, 'too-few-cases');
  assert.equal(judgeCases([e('TypeError'), e('ValueError'), e('TypeError')])?.reason, 'all-raise');
  assert.equal(judgeCases([r('0'), r('0'), r('0'), r('0')])?.reason, 'trivial');
  assert.equal(judgeCases([e('TypeError'), e('ValueError'), r('2')]), undefined);
  assert.equal(judgeCases([r('0'), r('2'), r('3')]), undefined);
  assert.equal(judgeCases([r('0'), r('2')], { minCases: 2, minOutcomes: 2 }), undefined);
});

test('uninformative cases: few outcomes, nearly all raising, one output for most, every return an argument', () => {
  const c = (arg: string, repr: string): Case => ({ input: { kwargs: { x: arg } }, output: { verdict: 'return', repr } });
  const e = (arg: string, type: string): Case => ({ input: { kwargs: { x: arg } }, output: { verdict: 'raise', type, message: 'm' } });
  // A predicate shows two outcomes only: what it computes stays hidden.
  assert.equal(judgeCases([c('1', 'True'), c('2', 'False'), c('3', 'True'), c('4', 'False')])?.reason, 'few-outcomes');
  // Nine of ten raise.
  const raising = [...Array.from({ length: 9 }, (_, i) => e(String(i), i % 2 ? 'TypeError' : 'ValueError')), c('9', '81')];
  assert.equal(judgeCases(raising)?.reason, 'mostly-raise');
  // Eight of ten give None.
  const mostlyNone = [...Array.from({ length: 8 }, (_, i) => c(String(i), 'None')), c('8', '64'), c('9', '81')];
  assert.equal(judgeCases(mostlyNone)?.reason, 'one-output');
  assert.match(judgeCases(mostlyNone)!.detail, /8 of 10 cases give None/);
  // `_tuple_str`-like: each return is its own argument, the rest raise.
  const echo = [c("'a'", "'a'"), c("'b c'", "'b c'"), c('[1]', '[1]'), e('3', 'TypeError')];
  assert.equal(judgeCases(echo)?.reason, 'returns-argument');
  // Thresholds are options; within them the function is kept.
  assert.equal(judgeCases(mostlyNone, { maxSameShare: 0.9 }), undefined);
  assert.equal(judgeCases([c('1', '1'), c('2', '4'), c('3', '9')]), undefined, 'one echo among real results is fine');
});

test('decide: call drops, the rerun, and the function verdict together', () => {
  const rec = record([ret('1'), { verdict: 'timeout', ms: 1000 }, ret('{1, 2}'), ret('3'), ret('4')]);
  // The rerun sees only the kept calls (0, 2, 3, 4); call 2 changes under the other hash seed.
  const decision = decide(rec, (kept) => {
    assert.deepEqual(kept, [0, 2, 3, 4]);
    return [ret('1'), ret('{2, 1}'), ret('3'), ret('4')];
  }, settings);
  assert.equal(decision.functionReject, undefined);
  assert.deepEqual(decision.drops.map((d) => [d.index, d.reason]), [[1, 'timeout'], [2, 'nondeterministic']]);
  assert.deepEqual(decision.cases.map((c) => c.output.verdict === 'return' && c.output.repr), ['1', '3', '4']);
  assert.deepEqual(decision.cases[0], { input: call('0'), output: { verdict: 'return', repr: '1' } });

  const mostlyRandom = decide(record([ret('1'), ret('2'), ret('3')]), () => [ret('5'), ret('6'), ret('3')], settings);
  assert.equal(mostlyRandom.functionReject?.reason, 'nondeterministic');

  const fewLeft = decide(record([ret('1'), ret('2'), { verdict: 'memory', ms: 1 }]), undefined, settings);
  assert.equal(fewLeft.functionReject?.reason, 'too-few-cases');
});

test('a kept record carries cases and no raw outcomes', async () => {
  const { filterStage } = await import('../../src/filters/index.js');
  const input = [record([ret('1'), ret('2'), raise('ValueError', 'neg'), { verdict: 'crash', message: 'x' }]), record([ret('0'), ret('0'), ret('0')])];
  const { kept, rejects } = await runOn<ExecRecord, CasesRecord>(filterStage({ caseReprCap: 50 }), input);
  assert.equal(kept.length, 1);
  assert.equal('outputs' in kept[0], false);
  assert.equal(kept[0].cases.length, 3);
  assert.deepEqual(kept[0].cases[2].output, { verdict: 'raise', type: 'ValueError', message: 'neg' });
  assert.deepEqual(rejects.map((r) => [r.stage, r.reason]), [['filter-calls', 'crash'], ['filter', 'trivial']]);
  assert.equal(rejects[1].id, 'f1');
});

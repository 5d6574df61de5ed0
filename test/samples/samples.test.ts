import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSamples, benchPrompt } from '../../src/samples/formats.js';
import { INSTRUCTIONS } from '../../src/samples/instructions.js';
import { RENDERINGS } from '../../src/samples/renderings.js';
import { pythonCall, outcomeText } from '../../src/samples/calls.js';
import { BenchItemSchema } from '../../src/contract/index.js';
import { skeleton, syntheticRecord } from './fixtures.js';

test('at least 20 instruction phrasings and 10 case renderings', () => {
  assert.ok(INSTRUCTIONS.length >= 20);
  assert.equal(new Set(INSTRUCTIONS).size, INSTRUCTIONS.length);
  assert.ok(RENDERINGS.length >= 10);
  assert.equal(new Set(RENDERINGS.map((r) => r.name)).size, RENDERINGS.length);
});

test('template variety: most of 1,000 prompts have a distinct skeleton, and every part is used', () => {
  const samples = Array.from({ length: 1000 }, (_, i) => buildSamples(syntheticRecord(i), 'train', 7));
  const skeletons = new Set(samples.map((s) => skeleton(s.sft.prompt, s.entry)));
  const share = skeletons.size / samples.length;
  assert.ok(share >= 0.6, `distinct skeleton share ${share}`);
  assert.equal(new Set(samples.map((s) => s.template.instruction)).size, INSTRUCTIONS.length);
  assert.equal(new Set(samples.map((s) => s.template.rendering)).size, RENDERINGS.length);
  assert.ok(samples.some((s) => s.template.header) && samples.some((s) => !s.template.header));
  assert.ok(new Set(samples.map((s) => s.template.order)).size >= 4);
  const shownCounts = new Set(samples.map((s) => s.template.shown));
  assert.ok(shownCounts.has(3) && shownCounts.has(8));
});

test('every rendering states each shown case: its call arguments and its result or exception', () => {
  const record = syntheticRecord(4);
  for (const rendering of RENDERINGS) {
    for (const style of ['as-given', 'keywords'] as const) {
      const text = rendering.render(record.cases, { entry: record.entry, params: record.params, style });
      for (const c of record.cases) {
        assert.ok(text.includes(outcomeText(c).replace(/\|/g, '\\|')), `${rendering.name}: ${outcomeText(c)} missing`);
        for (const arg of c.input.args ?? []) assert.ok(text.includes(arg), `${rendering.name}: argument ${arg} missing`);
      }
    }
  }
  const raised = record.cases.find((c) => c.output.verdict === 'raise')!;
  assert.equal(outcomeText(raised), 'ValueError: bad value 2');
});

test('calls can name positional arguments, but never positional-only or *args ones', () => {
  const params = [
    { name: 'a', annotation: null, default: null, kind: 'positional_only' as const },
    { name: 'b', annotation: null, default: null, kind: 'positional_or_keyword' as const },
    { name: 'rest', annotation: null, default: null, kind: 'var_positional' as const },
  ];
  assert.equal(pythonCall('f', { args: ['1', '2', '3'], kwargs: { k: '4' } }, params, 'keywords'), 'f(1, 2, 3, k=4)');
  assert.equal(pythonCall('f', { args: ['1', '2'] }, params.slice(0, 2), 'keywords'), 'f(1, b=2)');
  assert.equal(pythonCall('f', { args: ['1', '2'] }, [], 'keywords'), 'f(1, 2)');
});

test('samples are reproducible with the seed and change with it', () => {
  const record = syntheticRecord(11);
  const a = buildSamples(record, 'train', 1);
  assert.deepEqual(buildSamples(record, 'train', 1), a);
  const others = [2, 3, 4, 5, 6].map((seed) => buildSamples(record, 'train', seed).sft.prompt);
  assert.ok(others.some((p) => p !== a.sft.prompt));
});

test('formats: sft, chat, pretrain and a valid bench item with every case', () => {
  const record = syntheticRecord(5);
  const s = buildSamples(record, 'test', 3);
  assert.ok(s.sft.completion.includes(record.code.trimEnd()));
  assert.deepEqual(s.chat.messages.map((m) => m.role), ['user', 'assistant']);
  assert.equal(s.chat.messages[0].content, s.sft.prompt);
  assert.ok(s.pretrain.text.includes('>>> helper_5(') && s.pretrain.text.includes(record.code.trimEnd()));
  assert.ok(s.pretrain.text.includes('ValueError: bad value 2'));
  const bench = BenchItemSchema.parse(s.bench);
  assert.equal(bench.cases.length, record.cases.length);
  assert.ok(bench.shown.length >= 3 && bench.shown.length <= bench.cases.length);
  assert.equal(bench.prompt, benchPrompt(record.entry, bench.shown));
  // The bench template is fixed: two items differ only in their function-specific text.
  const other = buildSamples(syntheticRecord(6), 'test', 3).bench;
  assert.equal(bench.prompt.split('\n\n')[0].replace(/`\w+`/, ''), other.prompt.split('\n\n')[0].replace(/`\w+`/, ''));
});

test('shown cases include two different results whenever the function has them', async () => {
  const { chooseShown } = await import('../../src/samples/templates.js');
  const { rngFor } = await import('../../src/samples/random.js');
  const same = (repr: string) => ({ input: { args: [repr] }, output: { verdict: 'return' as const, repr: 'False' } });
  const cases = [same('1'), same('2'), same('3'), same('4'), same('5'), { input: { args: ['[]'] }, output: { verdict: 'return' as const, repr: 'True' } }];
  for (let seed = 0; seed < 200; seed++) {
    const shown = chooseShown(cases, rngFor(seed, 'x'));
    assert.ok(shown.length >= 3);
    assert.ok(shown.some((c) => c.output.verdict === 'return' && c.output.repr === 'True'), `seed ${seed}`);
  }
});

test('shown cases are the first of the ranked cases, in a shuffled order', async () => {
  const { chooseShown } = await import('../../src/samples/templates.js');
  const { rngFor } = await import('../../src/samples/random.js');
  // The inputs stage ranks cases by what they reveal: a sample shows the top k of them.
  const cases = Array.from({ length: 10 }, (_, i) => ({ input: { args: [String(i)] }, output: { verdict: 'return' as const, repr: String(i * i) } }));
  const orders = new Set<string>();
  for (let seed = 0; seed < 100; seed++) {
    const shown = chooseShown(cases, rngFor(seed, 'y'));
    const ranks = shown.map((c) => Number(c.input.args?.[0])).sort((a, b) => a - b);
    assert.deepEqual(ranks, Array.from({ length: shown.length }, (_, i) => i), `seed ${seed}`);
    orders.add(shown.map((c) => c.input.args?.[0]).join(','));
  }
  assert.ok(orders.size > 20, 'the display order varies');
});

test('shown cases reveal the function whenever its cases can: a return, one that is not an argument, 3 distinct outcomes', async () => {
  const { chooseShown } = await import('../../src/samples/templates.js');
  const { rngFor } = await import('../../src/samples/random.js');
  const { shownProblem } = await import('../../src/samples/informative.js');
  const ret = (arg: string, repr: string) => ({ input: { args: [arg] }, output: { verdict: 'return' as const, repr } });
  const raise = (arg: string) => ({ input: { args: [arg] }, output: { verdict: 'raise' as const, type: 'TypeError', message: `bad ${arg}` } });
  // Ranked first: raising and echoing cases; the revealing ones come last.
  const cases = [raise("'a'"), raise('None'), ret('3', '3'), ret('4', '4'), raise('[]'), ret('5', '25'), ret('6', '36'), ret('7', '49')];
  for (let seed = 0; seed < 200; seed++) {
    const shown = chooseShown(cases, rngFor(seed, 'z'));
    assert.equal(shownProblem(shown), undefined, `seed ${seed}: ${JSON.stringify(shown)}`);
  }
  // Where the cases cannot, the count stays and they do what they can.
  const poor = [raise('1'), raise('2'), ret('3', '3'), ret('4', '4')];
  const shown = chooseShown(poor, rngFor(1, 'z'));
  assert.ok(shown.length >= 3 && shown.some((c) => c.output.verdict === 'return'));
  assert.equal(shownProblem([ret('1', '1'), ret('2', '2'), raise('x')]), 'returns-argument');
  assert.equal(shownProblem([raise('1'), raise('2'), raise('3')]), 'all-raise');
  assert.equal(shownProblem([ret('1', '0'), ret('2', '0'), raise('x')]), 'few-outcomes');
  assert.equal(shownProblem([ret('1', '0'), ret('2', '5'), raise('x')]), undefined);
});

test('prediction samples: a returning case per task, not one that returns its argument; the prompt asks, the completion answers', async () => {
  const { predictionCall } = await import('../../src/samples/predictions.js');
  const record = syntheticRecord(5);
  record.cases.push({ input: { args: ["'same'"] }, output: { verdict: 'return', repr: "'same'" } });
  const chosen = new Set<string>();
  for (let seed = 0; seed < 40; seed++) {
    const s = buildSamples(record, 'train', seed);
    assert.equal(s.output_prediction.length, 1);
    assert.equal(s.input_prediction.length, 1);
    for (const row of [...s.output_prediction, ...s.input_prediction]) {
      const index = Number(row.id.split(':').pop());
      const c = record.cases[index];
      assert.equal(row.function, record.id);
      assert.equal(c.output.verdict, 'return');
      assert.deepEqual(row.input, c.input);
      assert.equal(row.output, c.output.verdict === 'return' ? c.output.repr : '');
      assert.notEqual(row.output, "'same'");
      assert.ok(row.prompt.includes(record.code.trimEnd()));
      chosen.add(row.id);
    }
    const [o] = s.output_prediction;
    assert.equal(o.completion, o.output);
    assert.ok(o.prompt.includes(`assert ${predictionCall(record.entry, o.input)} == ??`));
    const [i] = s.input_prediction;
    assert.equal(i.completion, predictionCall(record.entry, i.input));
    assert.ok(i.prompt.includes(`assert ${record.entry}(??) == ${i.output}`));
    assert.ok(!i.prompt.includes(i.completion), 'the prompt does not give the call away');
  }
  assert.ok(chosen.size > 3, 'the case asked about varies with the seed');
  assert.equal(buildSamples(record, 'train', 1, { predictions: 0 }).output_prediction.length, 0);
  assert.equal(buildSamples(record, 'train', 1, { predictions: 3 }).input_prediction.length, 3);
});

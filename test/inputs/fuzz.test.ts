// The fuzz generator end to end, in a real sandbox: coverage, determinism, inputs that `exec` can
// run as they are, the raising cap, slow candidates, odd signatures, and rejects with reasons.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INPUTS_OPTIONS, inputsForFunction, inputsStage, inputsTools, runFuzz } from '../../src/inputs/index.js';

const DEFAULT_MAX_STEPS = INPUTS_OPTIONS.table.maxSteps.default!;
const FUZZ_DEFAULTS = { maxTotalSteps: INPUTS_OPTIONS.table.maxTotalSteps.default!, maxSteps: DEFAULT_MAX_STEPS, edgeShare: INPUTS_OPTIONS.table.edgeShare.default! };
import { keepAll, type FunctionRecord, type InputsRecord } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: inputsTools() });
});
after(() => sandbox?.close());

const fn = (entry: string, code: string): FunctionRecord => ({ id: `id-${entry}`, entry, code, params: [], source: {} });

async function kept(record: FunctionRecord, options = {}): Promise<InputsRecord & { generator: any }> {
  const item = await inputsForFunction(sandbox, record, { inputs: 10, ...options });
  assert.equal(item.kind, 'keep', JSON.stringify(item));
  return (item as any).record;
}

const CLASSIFY = fn(
  'classify',
  [
    'def classify(n, word):',
    "    if n > 100 and word == 'magic':",
    "        return 'both'",
    '    if n < 0:',
    "        return 'negative'",
    '    if len(word) > 5:',
    "        return 'long'",
    "    return 'plain'",
  ].join('\n'),
);

describe('fuzz generator', () => {
  it('reaches every branch, including ones guarded by the code\'s own literals', async () => {
    const record = await kept(CLASSIFY);
    const [covered, total] = record.generator.arcs;
    assert.ok(total > 0);
    assert.equal(covered, total, JSON.stringify(record.generator));
    assert.ok(record.generator.distinctOutputs >= 4);
    assert.equal(record.inputs.length, 10);
    assert.deepEqual(record.generator.types, { n: 'int', word: 'str' });
  });

  it('gives inputs that exec runs as they are, with the outputs the fuzzer saw', async () => {
    const mutating = fn('push', 'def push(items, x):\n    items.append(x)\n    if len(items) > 3:\n        return sum(items)\n    return items\n');
    for (const record of [await kept(CLASSIFY), await kept(mutating)]) {
      const outcomes = await sandbox.runFunction({ code: record.code, entry: record.entry, calls: record.inputs });
      assert.ok(outcomes.every((o) => o.verdict === 'return' || o.verdict === 'raise'), JSON.stringify(outcomes));
      const distinct = new Set(outcomes.map((o) => (o.verdict === 'return' ? `r:${o.repr}` : `e:${(o as any).type}: ${(o as any).message}`)));
      assert.equal(distinct.size, record.generator.distinctOutputs);
      const raising = outcomes.filter((o) => o.verdict === 'raise').length;
      assert.equal(raising, record.generator.raising);
      assert.ok(raising <= 2, 'at most 20% of 10 raise');
    }
  });

  it('builds dicts with the keys the body reads, e.g. x[\'rank\']', async () => {
    const record = await kept(fn('grade', "def grade(x):\n    if x['rank'] > 3:\n        return 'high'\n    return 'low'\n"));
    assert.equal(record.generator.arcs[0], record.generator.arcs[1], JSON.stringify(record.generator));
    const returning = record.inputs.filter((call) => /'rank': /.test(call.kwargs?.x ?? call.args?.[0] ?? ''));
    assert.ok(returning.length >= 8, JSON.stringify(record.inputs));
  });

  it('finds inputs for digit strings, long unpackings, constant indexes and ord() ranges', async () => {
    const cases = [
      fn('parse', 'def parse(s):\n    if int(s) > 10:\n        return "big"\n    return "small"\n'),
      fn('rates', 'def rates(n, k):\n    a, b, c, d, e, g, h, i, j = n\n    return [k[0] * a, k[5] * j]\n'),
      fn('mapcode', 'def mapcode(c):\n    if ord(c) >= 97 and ord(c) <= 102:\n        return ord(c) - 87\n    if ord(c) >= 48 and ord(c) <= 57:\n        return ord(c) - 48\n'),
      fn('extents', "def extents(ds):\n    return float(ds['x'][0]), float(ds['x'][-1])\n"),
    ];
    for (const record of cases) {
      const item = await inputsForFunction(sandbox, record, { inputs: 10 });
      assert.equal(item.kind, 'keep', JSON.stringify(item));
      const generator = (item as any).record.generator;
      assert.equal(generator.arcs[0], generator.arcs[1], `${record.entry}: ${JSON.stringify(generator)}`);
      assert.ok(generator.raising <= 2);
    }
  });

  it('makes realistic values of the inferred types, and type-confused ones only within the edge share', async () => {
    const record = await kept(fn('domain', "def domain(url, retries=3):\n    if retries < 0:\n        raise ValueError('retries')\n    return url.split('/')[2] if '://' in url else url\n"));
    const urls = record.inputs.map((call) => call.kwargs?.url ?? call.args?.[0] ?? '');
    assert.ok(urls.every((u) => /^'.*'$/.test(u)), JSON.stringify(record.inputs));
    assert.ok(urls.filter((u) => u.includes('://')).length >= 3, JSON.stringify(urls));
    assert.deepEqual(record.generator.types, { url: 'str', retries: 'int' });
    // With a larger edge share a type-confused input may be chosen, never more than the share.
    const loose = await kept(fn('kind', "def kind(x):\n    if isinstance(x, str):\n        return 'text'\n    return x + 1\n"), { edgeShare: 0.2 });
    const confused = loose.inputs.filter((call) => !/^'/.test(call.kwargs?.x ?? ''));
    assert.ok(confused.length <= 2, JSON.stringify(loose.inputs));
    assert.ok(loose.generator.mutants[1] > 0);
  });

  it('gives a runaway input a short leash once normal runs are known to be short', async () => {
    const log2 = fn('log2', 'def log2(a):\n    r = 0\n    while a != 0:\n        r += 1\n        a >>= 1\n    return r\n');
    const record = await kept(log2);
    const { timeouts, steps } = record.generator;
    assert.ok(timeouts >= 1, JSON.stringify(record.generator));
    // The first runaway may use the full step limit; each one after it at most 10,000 steps.
    assert.ok(steps <= DEFAULT_MAX_STEPS + 10_000 * timeouts + 20_000, JSON.stringify(record.generator));
  });

  it('repeats itself for a seed and changes with another', async () => {
    const a = await kept(CLASSIFY, { seed: 7 });
    const b = await kept(CLASSIFY, { seed: 7 });
    const c = await kept(CLASSIFY, { seed: 8 });
    assert.deepEqual(a.inputs, b.inputs);
    assert.notDeepEqual(a.inputs, c.inputs);
  });

  it('keeps one endless candidate from eating the budget', async () => {
    const loop = fn('spin', 'def spin(n):\n    while n > 3:\n        pass\n    return n * 2\n');
    const record = await kept(loop, { maxSteps: 20_000 });
    assert.ok(record.generator.timeouts > 0, 'some candidates looped');
    // Each loop was cut at its step limit, so the search went on to other candidates.
    assert.ok(record.generator.executions > record.generator.timeouts, JSON.stringify(record.generator));
    const outcomes = await sandbox.runFunction({ code: loop.code, entry: loop.entry, calls: record.inputs, timeoutMs: 500 });
    assert.ok(outcomes.every((o) => o.verdict === 'return'), 'no chosen input loops');
  });

  it('handles positional-only, *args, keyword-only and **kwargs parameters, and functions without any', async () => {
    const odd = fn('odd', 'def odd(a, /, *rest, key=None, **extra):\n    return (a, len(rest), key, sorted(extra))\n');
    const record = await kept(odd);
    const outcomes = await sandbox.runFunction({ code: odd.code, entry: odd.entry, calls: record.inputs });
    assert.ok(outcomes.every((o) => o.verdict === 'return'), JSON.stringify({ inputs: record.inputs, outcomes }));
    assert.ok(record.inputs.every((input) => input.args!.length >= 1), 'a is passed by position');

    const none = await kept(fn('answer', 'def answer():\n    return 42\n'));
    assert.deepEqual(none.inputs, [{ args: [], kwargs: {} }]);
  });

  it('starts from seeds when given (hybrid), reaching code random search does not', async () => {
    const code = "def lock(s):\n    if s.count('z') == 9 and s.endswith('!'):\n        return 'open'\n    return 'closed'\n";
    const plain = await runFuzz(sandbox, fn('lock', code), { n: 5, seed: 0, maxExecutions: 150, maxRaiseShare: 0.2, ...FUZZ_DEFAULTS });
    const seeded = await runFuzz(sandbox, fn('lock', code), {
      n: 5, seed: 0, maxExecutions: 150, maxRaiseShare: 0.2, ...FUZZ_DEFAULTS, seeds: [{ kwargs: { s: "'z' * 9 + '!'" } }],
    });
    assert.ok(plain.stats!.arcs[0] < plain.stats!.arcs[1], 'unseeded search misses the lock');
    assert.equal(seeded.stats!.arcs[0], seeded.stats!.arcs[1], JSON.stringify(seeded));
    assert.ok(seeded.inputs.some((input) => input.kwargs?.s === "'z' * 9 + '!'" || input.kwargs?.s === "'zzzzzzzzz!'"));
  });

  it('ends every function with inputs or a reason, in input order', async () => {
    const functions = [
      fn('ok', 'def ok(x):\n    return x + 1\n'),
      fn('boom', "def boom(x):\n    raise ValueError('never')\n"),
      // A module this interpreter does not have (installed packages such as numpy import natively).
      fn('needs_missing', 'import no_such_module_here\ndef needs_missing(x):\n    return x\n'),
      fn('broken', 'def broken(x)\n    return x\n'),
      fn('ghost', 'def other(x):\n    return x\n'),
    ];
    const items = [];
    for await (const item of inputsStage(sandbox, { inputs: 5, maxExecutions: 100 }).run(keepAll(functions))) items.push(item);
    assert.deepEqual(
      items.map((item) => (item.kind === 'keep' ? `keep:${item.record.entry}` : `${item.reject.entry}:${item.reject.reason}`)),
      ['keep:ok', 'boom:all-raise', 'needs_missing:define-failed', 'broken:syntax-error', 'ghost:no-function'],
    );
    const boom = items[1] as any;
    assert.equal(boom.reject.stage, 'inputs');
    assert.match(boom.reject.detail, /ValueError: never/);
  });
});

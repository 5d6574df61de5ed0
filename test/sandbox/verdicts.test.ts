// The verdict a call gets, for each way a call can end, and the determinism of the hash seed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { CallOutcome } from '../../src/contract/index.js';

describe('verdicts', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await Sandbox.start({ workers: 1 });
  });
  after(() => sandbox.close());

  it('returns the repr and the time of a call', async () => {
    const [outcome] = await sandbox.runFunction({ code: 'def f(s):\n    return {s: [1.5, None]}\n', entry: 'f', calls: [{ args: ["'k'"] }] });
    assert.equal(outcome.verdict, 'return');
    assert.equal(outcome.verdict === 'return' && outcome.repr, "{'k': [1.5, None]}");
    assert.ok(outcome.verdict === 'return' && outcome.ms >= 0);
  });

  it('names the exception class, its message, and its module when it is not a builtin', async () => {
    const code = 'import json\ndef f(text):\n    return json.loads(text)\n';
    const [outcome] = await sandbox.runFunction({ code, entry: 'f', calls: [{ args: ["'{'"] }] });
    assert.deepEqual(
      outcome.verdict === 'raise' && [outcome.type, outcome.module, outcome.message],
      ['JSONDecodeError', 'json.decoder', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    );
  });

  it('gives every call a define-phase raise when the code does not define the entry', async () => {
    const outcomes = await sandbox.runFunction({ code: 'def g():\n    return 1\n', entry: 'f', calls: [{}, {}] });
    for (const outcome of outcomes) {
      assert.deepEqual(outcome.verdict === 'raise' && [outcome.type, outcome.phase], ['NameError', 'define']);
    }
  });

  it('reports an argument expression that fails as bad-input, not as the function raising', async () => {
    const [outcome] = await sandbox.runFunction({ code: 'def f(x):\n    return x\n', entry: 'f', calls: [{ args: ['1/0'] }] });
    assert.deepEqual(outcome, { verdict: 'bad-input', message: 'ZeroDivisionError: division by zero' });
  });

  it('runs setup in the function namespace and takes keyword arguments from an expression', async () => {
    const job = {
      code: 'def area(w, h=1):\n    return w * h\n',
      entry: 'area',
      setup: 'examples = [dict(w=2, h=3)]\nexamples += [dict(w=5)]  # a comment',
      calls: [{ kwargsFrom: 'examples[0]' }, { kwargsFrom: 'examples[1]' }, { kwargsFrom: 'examples[1]', kwargs: { h: '10' } }],
    };
    const outcomes = await sandbox.runFunction(job);
    assert.deepEqual(outcomes.map((o) => o.verdict === 'return' && o.repr), ['6', '5', '50']);
  });

  it('reports a failing setup as bad-input for every call', async () => {
    const outcomes = await sandbox.runFunction({ code: 'def f():\n    return 1\n', entry: 'f', setup: 'examples = [', calls: [{}] });
    assert.equal(outcomes[0].verdict, 'bad-input');
  });

  it('evaluates arguments fresh for every call, so a mutation does not leak into the next', async () => {
    const code = 'def push(xs):\n    xs.append(1)\n    return xs\n';
    const outcomes = await sandbox.runFunction({ code, entry: 'push', calls: [{ args: ['[]'] }, { args: ['[]'] }] });
    assert.deepEqual(outcomes.map((o) => o.verdict === 'return' && o.repr), ['[1]', '[1]']);
  });
});

describe('hash seed', () => {
  const probe = { code: "def f():\n    return hash('case2code'), list({'a', 'b', 'c', 'd', 'e'})\n", entry: 'f', calls: [{}] };

  it('is fixed by default, so runs repeat; another seed gives other hashes', async () => {
    const results: string[] = [];
    for (const hashSeed of [0, 0, 1]) {
      const sandbox = await Sandbox.start({ workers: 1, hashSeed });
      try {
        const [outcome] = await sandbox.runFunction(probe);
        results.push(outcome.verdict === 'return' ? outcome.repr : JSON.stringify(outcome));
      } finally {
        await sandbox.close();
      }
    }
    assert.equal(results[0], results[1]);
    assert.notEqual(results[0], results[2]);
  });
});

describe('random state', () => {
  // Every job starts from random.seed(0), whoever ran before it on the same worker: the native
  // server seeds once before its first fork (the children inherit that state), Pyodide restores
  // its image. A value Python's own seed(0) gives, so a change of mechanism cannot shift it.
  const draw = { code: 'import random\ndef f():\n    return random.random(), random.randrange(10**6)\n', entry: 'f', calls: [{}, {}] };
  const spoil = { code: 'import random\ndef g():\n    random.seed(12345)\n    return [random.random() for _ in range(1000)][-1]\n', entry: 'g', calls: [{}] };

  for (const backend of ['native', 'pyodide'] as const) {
    it(`starts every job from seed 0 on ${backend}`, async () => {
      const sandbox = await Sandbox.start({ workers: 1, backend });
      try {
        const alone = await sandbox.runFunction(draw);
        await sandbox.runFunction(spoil);
        const after = await sandbox.runFunction(draw);
        const reprs = (outcomes: typeof alone) => outcomes.map((o) => (o.verdict === 'return' ? o.repr : JSON.stringify(o)));
        assert.deepEqual(reprs(alone), ['(0.8444218515250481, 794772)', '(0.890243920837131, 42450)']);
        assert.deepEqual(reprs(after), reprs(alone));
      } finally {
        await sandbox.close();
      }
    });
  }
});

describe('a call that ends its process', () => {
  // Outcomes travel in batches, so at a death the calls finished before it may not have been
  // sent yet: they keep their own outcomes (run again in a new process), only the call in
  // flight gets the crash, and the calls after it run.
  const code = 'import os\ndef f(n):\n    if n == 1:\n        os._exit(3)\n    return n * 10\n';
  for (const backend of ['native', 'pyodide'] as const) {
    it(`is the only one blamed on ${backend}`, async () => {
      const sandbox = await Sandbox.start({ workers: 1, backend });
      try {
        const args = ['0', '2', '3', '1', '4', '1', '5'];
        const outcomes = await sandbox.runFunction({ code, entry: 'f', calls: args.map((n) => ({ args: [n] })) });
        assert.deepEqual(
          outcomes.map((o) => (o.verdict === 'return' ? o.repr : `${o.verdict}: ${o.verdict === 'crash' ? o.message : ''}`)),
          ['0', '20', '30', 'crash: the process exited with code 3', '40', 'crash: the process exited with code 3', '50'],
        );
      } finally {
        await sandbox.close();
      }
    });
  }
});

describe('a job that stops after a timeout', () => {
  // Scoring's jobs: one timeout fails the answer, so the calls after it are not run, whether the
  // call stopped at its interrupt or its process had to be ended (a loop inside one C call).
  const code = 'def f(n):\n    if n == 1:\n        while True:\n            pass\n    if n == 2:\n        sum(range(10 ** 12))\n    return n * 10\n';
  for (const backend of ['native', 'pyodide'] as const) {
    it(`runs no call after the first timeout on ${backend}`, async () => {
      const sandbox = await Sandbox.start({ workers: 1, backend, timeoutMs: 200 });
      try {
        const shown = (o: CallOutcome) => (o.verdict === 'return' ? o.repr : `${o.verdict}${o.verdict === 'timeout' && o.message?.startsWith('not run') ? ' (not run)' : ''}`);
        for (const [first, expected] of [['1', 'timeout'], ['2', 'timeout']] as const) {
          const args = ['0', '3', first, '4', '1', '5'];
          const outcomes = await sandbox.runFunction({ code, entry: 'f', calls: args.map((n) => ({ args: [n] })), stopAfterTimeout: true });
          assert.deepEqual(outcomes.map(shown), ['0', '30', expected, 'timeout (not run)', 'timeout (not run)', 'timeout (not run)'], `first timeout from f(${first})`);
        }
        // Without the flag every call runs (the second loop costs its own window).
        const outcomes = await sandbox.runFunction({ code, entry: 'f', calls: ['1', '4', '1', '5'].map((n) => ({ args: [n] })) });
        assert.deepEqual(outcomes.map(shown), ['timeout', '40', 'timeout', '50']);
      } finally {
        await sandbox.close();
      }
    });
  }
});

describe("a job's CPU budget", () => {
  // Looked at between calls on both backends: a call that starts before the budget is spent runs
  // to its own window, the calls after it are not run, and code that never stops is ended at
  // the job's CPU limit, not at a wall-clock point (which would depend on the machine's load).
  const spin = 'import time\ndef f(ms):\n    t = time.process_time()\n    while time.process_time() - t < ms / 1000:\n        pass\n    return ms\n';
  const hang = 'def f(n):\n    if n == 1:\n        sum(range(10 ** 12))\n    return n * 10\n';
  const shown = (o: CallOutcome) => (o.verdict === 'return' ? o.repr : o.verdict === 'timeout' && o.message?.startsWith('not run: the job time budget') ? 'not run' : o.verdict);
  for (const backend of ['native', 'pyodide'] as const) {
    it(`is the same on ${backend}`, async () => {
      const sandbox = await Sandbox.start({ workers: 1, backend, timeoutMs: 1000 });
      try {
        // 170 ms calls against 1000 ms: the sixth starts at 850 ms and finishes.
        const six = await sandbox.runFunction({ code: spin, entry: 'f', calls: Array.from({ length: 6 }, () => ({ args: ['170'] })), totalMs: 1000 });
        assert.deepEqual(six.map(shown), Array(6).fill('170'));
        // 300 ms calls against 500 ms: two run, the rest do not. (Pyodide's process_time is wall
        // time, so on a busy machine its calls may use less CPU than they wait, and more run.)
        const five = (await sandbox.runFunction({ code: spin, entry: 'f', calls: Array.from({ length: 5 }, () => ({ args: ['300'] })), totalMs: 500 })).map(shown);
        if (backend === 'native') assert.deepEqual(five, ['300', '300', 'not run', 'not run', 'not run']);
        const ran = five.indexOf('not run') < 0 ? 5 : five.indexOf('not run');
        assert.ok(ran >= 2 && five.every((o, i) => o === (i < ran ? '300' : 'not run')), JSON.stringify(five));
        // A C loop inside a 1 s window, against a 300 ms budget: ended at the job's CPU limit.
        const stuck = await sandbox.runFunction({ code: hang, entry: 'f', calls: ['0', '1', '2', '3'].map((n) => ({ args: [n] })), totalMs: 300 });
        assert.deepEqual(stuck.map(shown), ['0', 'timeout', 'not run', 'not run']);
        assert.match((stuck[1] as { message?: string }).message ?? '', /^CPU limit of the job/);
      } finally {
        await sandbox.close();
      }
    });
  }
});

// Resource bombs: each must end with a verdict of its own (not a hang), and the pool must answer a
// normal function correctly right after.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { Verdict } from '../../src/contract/index.js';
import { pyFunction } from '../helpers/python.js';

const TIMEOUT_MS = 1000;

const BOMBS: { name: string; body: string; verdicts: Verdict[]; check?: (o: any) => void }[] = [
  { name: 'while True: pass', body: 'while True:\n    pass', verdicts: ['timeout'] },
  { name: 'time.sleep(60)', body: 'import time\ntime.sleep(60)', verdicts: ['timeout'] },
  {
    name: 'a loop that swallows KeyboardInterrupt',
    body: 'while True:\n    try:\n        while True:\n            pass\n    except:\n        pass',
    verdicts: ['timeout'],
  },
  { name: 'sum(range(10**12))', body: 'return sum(range(10**12))', verdicts: ['timeout'] },
  { name: 'a growing list', body: "x = []\nwhile True:\n    x.append('x' * 10**6)", verdicts: ['memory', 'timeout'] },
  { name: '[0] * 10**10', body: 'return [0] * 10**10', verdicts: ['memory', 'raise'] },
  {
    name: 'deep Python recursion',
    body: 'def down(n):\n    return down(n + 1)\nreturn down(0)',
    verdicts: ['raise'],
    check: (o) => assert.equal(o.type, 'RecursionError'),
  },
  {
    name: 'repr of a 100,000-deep nested list',
    body: 'x = []\nfor _ in range(100000):\n    x = [x]\nreturn x',
    verdicts: ['raise', 'crash'],
  },
  {
    name: 'a 10 MB return string',
    body: "return 'x' * (10 * 1024 * 1024)",
    verdicts: ['return'],
    check: (o) => {
      assert.equal(o.truncated, true);
      assert.equal(o.repr.length, 4096);
      assert.equal(o.reprLength, 10 * 1024 * 1024 + 2);
    },
  },
  {
    name: 'a print flood',
    body: "while True:\n    print('x' * 100)",
    verdicts: ['timeout'],
  },
];

describe('resource limits', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await Sandbox.start({ workers: 1, timeoutMs: TIMEOUT_MS });
  });
  after(() => sandbox.close());

  for (const bomb of BOMBS) {
    it(`${bomb.name} -> ${bomb.verdicts.join(' or ')}, and the pool keeps serving`, async () => {
      const before = await sandbox.stats();
      const [outcome] = await sandbox.runFunction({ code: pyFunction(bomb.body), entry: 'f', calls: [{}] });
      assert.ok(bomb.verdicts.includes(outcome.verdict), JSON.stringify(outcome).slice(0, 300));
      bomb.check?.(outcome);
      // The bomb ended on its own limits (CPU window, twice that for code stuck in C, a wall
      // backstop for sleeps), not at the host's last-resort kill of a silent worker.
      assert.equal((await sandbox.stats()).hardKills, before.hardKills);
      const [next] = await sandbox.runFunction({ code: 'def g(a, b):\n    return a + b\n', entry: 'g', calls: [{ args: ['2', '40'] }] });
      assert.deepEqual(next.verdict === 'return' ? next.repr : next, '42');
    });
  }

  it('caps captured stdout', async () => {
    const [outcome] = await sandbox.runFunction({ code: pyFunction("print('y' * 100000)\nreturn 1"), entry: 'f', calls: [{}] });
    assert.equal(outcome.verdict, 'return');
    assert.equal(outcome.verdict === 'return' && outcome.stdout?.length, 4096);
  });

  it('ends a sleeping call at its wall-clock backstop, and does not run the rest of that job (a sleeper cannot hold a worker call after call)', async () => {
    const code = 'import time\ndef f(x):\n    if x:\n        time.sleep(60)\n    return x\n';
    const calls = [{ args: ['0'] }, { args: ['1'] }, ...Array.from({ length: 20 }, () => ({ args: ['2'] })), { args: ['0'] }];
    const outcomes = await sandbox.runFunction({ code, entry: 'f', calls });
    assert.deepEqual(outcomes.slice(0, 2).map((o) => o.verdict), ['return', 'timeout']);
    assert.ok(outcomes.slice(2).every((o) => o.verdict === 'timeout' && /^not run|time budget of the job/.test(o.message ?? '')), JSON.stringify(outcomes.slice(2, 4)));
    const [next] = await sandbox.runFunction({ code, entry: 'f', calls: [{ args: ['0'] }] });
    assert.equal(next.verdict === 'return' && next.repr, '0', 'the next job runs');
  });

  it('ends a call stuck in one C-level loop at twice its CPU window, and runs the next call in a new process', async () => {
    const code = 'def f(x):\n    if x:\n        return sum(range(10**12))\n    return x\n';
    const outcomes = await sandbox.runFunction({ code, entry: 'f', calls: [{ args: ['1'] }, { args: ['0'] }] });
    assert.deepEqual(outcomes.map((o) => o.verdict), ['timeout', 'return']);
    if (sandbox.info.backend === 'native') assert.match((outcomes[0] as { message?: string }).message ?? '', /CPU limit of the call/);
  });

  it('a long job of many short calls is not silent: the host does not kill a worker that is making progress', async () => {
    // 40 calls that each sleep 0.2 s: 8 s in all, past the host's silence limit for a 200 ms window
    // (2 x 200 ms + 1 s + 5 s), but each outcome reaches the host as the calls go. They sleep rather
    // than spin so that no CPU accounting on a loaded machine can push a call past its own window
    // (its wall-clock backstop is 1.4 s, seven times the sleep).
    const code = 'import time\ndef f(x):\n    time.sleep(0.2)\n    return x\n';
    const calls = Array.from({ length: 40 }, (_, i) => ({ args: [String(i)] }));
    const before = await sandbox.stats();
    const outcomes = await sandbox.runFunction({ code, entry: 'f', calls, timeoutMs: 200, totalMs: 60_000 });
    assert.deepEqual(outcomes.map((o) => (o.verdict === 'return' ? o.repr : o.verdict)), calls.map((_, i) => String(i)));
    assert.equal((await sandbox.stats()).hardKills, before.hardKills);
  });

  it('stops a job whose whole-job budget is spent, without running its remaining calls', async () => {
    const calls = Array.from({ length: 6 }, () => ({}));
    const outcomes = await sandbox.runFunction({ code: pyFunction('while True:\n    pass'), entry: 'f', calls, totalMs: 1500 });
    assert.ok(outcomes.every((o) => o.verdict === 'timeout'));
    // The call in flight when the budget runs out is interrupted; the ones after it never start.
    const notRun = outcomes.filter((o) => o.verdict === 'timeout' && o.message?.startsWith('not run'));
    assert.ok(notRun.length >= 3, JSON.stringify(outcomes));
  });

  it('a MemoryError ends only that call: the process is thrown away with the function', async () => {
    const code = pyFunction("x = []\nwhile True:\n    x.append(b'x' * 10**7)");
    const [outcome] = await sandbox.runFunction({ code, entry: 'f', calls: [{}], timeoutMs: 20000 });
    assert.equal(outcome.verdict, 'memory');
    const [next] = await sandbox.runFunction({ code: 'def g():\n    return len(bytearray(10**8))\n', entry: 'g', calls: [{}] });
    assert.deepEqual(next, { verdict: 'return', repr: '100000000', ms: (next as { ms: number }).ms });
    assert.equal((await sandbox.stats()).replaced, 0);
  });
});

// Limits of the Pyodide worker: per-call windows in CPU time, the interrupt, the stop of an
// interpreter that ignores it (the worker process survives and the job goes on), the job's CPU
// budget, tools with checkpoints, memory, and verdicts that do not change when the machine is busy.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallOutcome } from '../../src/contract/index.js';
import { pyFunction } from '../helpers/python.js';
import { PyodideWorker } from './pyodide-helpers.js';

const WINDOW_MS = 300;

const TOOL_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-pyodide-limits-'));
fs.writeFileSync(path.join(TOOL_ROOT, 'c2c_pyodide_limits_tool.py'), `
from case2code_sandbox import api as harness


def handle(payload):
    mode = payload['mode']
    if mode == 'steps':  # many executions, each well inside its own window, far longer in all
        for _ in range(payload['n']):
            harness.checkpoint()
            total = 0
            for i in range(payload['work']):
                total += i
        return {'done': payload['n']}
    if mode == 'untrusted':  # what a fuzzer does: each execution in its window, a verdict each
        verdicts = []
        for code in payload['codes']:
            harness.checkpoint()
            namespace = harness.fresh_namespace()
            _, exc, _, _ = harness.run_captured(lambda: exec(code, namespace))
            verdicts.append(type(exc).__name__ if exc is not None else 'ok')
        return verdicts
    if mode == 'forever':
        harness.checkpoint()
        while True:
            pass
    if mode == 'not-json':
        return {1, 2}
`);
const TOOLS = { limits: { root: TOOL_ROOT, module: 'c2c_pyodide_limits_tool' } };

const loop = 'def f():\n    while True:\n        pass\n';

/** How many turns of a plain Python loop take about `ms` here: measured at about that size (a turn
 * costs more as the sum grows), the quickest of a few runs. */
async function iterationsFor(worker: PyodideWorker, ms: number): Promise<number> {
  const code = 'def f(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total\n';
  const quickest = async (n: number, runs: number) => {
    const probes = await worker.runFunction({ code, entry: 'f', calls: Array.from({ length: runs }, () => ({ args: [String(n)] })) });
    return Math.min(...probes.map((o) => (o as { ms: number }).ms));
  };
  const rough = Math.round(ms / ((await quickest(100_000, 3)) / 100_000));
  return Math.round(rough * (ms / (await quickest(rough, 3))));
}

function repr(outcome: CallOutcome): string | undefined {
  return outcome.verdict === 'return' ? outcome.repr : undefined;
}

describe('Pyodide: limits', () => {
  let worker: PyodideWorker;
  before(async () => {
    worker = await PyodideWorker.start({ limits: { timeoutMs: WINDOW_MS, memoryMb: 128 }, tools: TOOLS });
  });
  after(async () => {
    await worker.close();
    fs.rmSync(TOOL_ROOT, { recursive: true, force: true });
  });

  it('ends a call at its CPU window with a timeout, and the job goes on', async () => {
    const code = `${loop}\ndef run(n):\n    if n:\n        f()\n    return n\n`;
    const outcomes = await worker.runFunction({ code, entry: 'run', calls: [{ args: ['1'] }, { args: ['0'] }, { args: ['1'] }] });
    assert.deepEqual(outcomes.map((o) => o.verdict), ['timeout', 'return', 'timeout']);
    for (const outcome of [outcomes[0], outcomes[2]]) {
      // Wall time: at least about the window (the process's CPU, which is what counts, includes
      // a little of its other threads), more on a busy machine.
      const ms = (outcome as { ms: number }).ms;
      assert.ok(ms >= WINDOW_MS * 0.8, `the call ran ${ms} ms for a ${WINDOW_MS} ms window`);
    }
  });

  it('interrupts time.sleep (which busy-waits in Pyodide)', async () => {
    const [outcome] = await worker.runFunction({ code: 'import time\ndef f():\n    time.sleep(30)\n', entry: 'f', calls: [{}] });
    // Interrupted in its window (no message: the interpreter was not stopped and replaced).
    assert.equal(outcome.verdict, 'timeout');
    assert.equal((outcome as { message?: string }).message, undefined, JSON.stringify(outcome));
  });

  it('stops an interpreter that ignores the interrupt, keeps its process, and runs the rest of the job afresh', async () => {
    const pid = worker.pid;
    const bodies = {
      'a swallowed KeyboardInterrupt': 'while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass',
      'a C loop that never checks for signals': 'import collections, itertools\ncollections.deque(itertools.count(), maxlen=0)',
    };
    const run = (body: string) => worker.runFunction({
      code: `${pyFunction(body, 'hang')}\ndef run(n):\n    if n < 0:\n        hang()\n    return n * 2\n`,
      entry: 'run',
      calls: [{ args: ['1'] }, { args: ['-1'] }, { args: ['2'] }, { args: ['3'] }],
    });
    for (const [what, body] of Object.entries(bodies)) {
      const outcomes = await run(body);
      assert.deepEqual(outcomes.map((o) => o.verdict), ['return', 'timeout', 'return', 'return'], `${what}: ${JSON.stringify(outcomes)}`);
      assert.match((outcomes[1] as { message?: string }).message ?? '', /the interpreter was stopped/);
      assert.deepEqual([repr(outcomes[0]), repr(outcomes[2]), repr(outcomes[3])], ['2', '4', '6']);
    }
    // Code that closes its own window runs on to the job's CPU budget: as a native child at
    // RLIMIT_CPU, the calls after it are not run.
    const outcomes = await run('from case2code_sandbox import limits\nlimits.stop_window()\nwhile True:\n    pass');
    assert.equal(repr(outcomes[0]), '2');
    assert.match((outcomes[1] as { message?: string }).message ?? '', /^CPU limit of the job/, JSON.stringify(outcomes));
    assert.ok(outcomes.slice(2).every((o) => o.verdict === 'timeout' && o.message?.startsWith('not run: the job time budget is spent')), JSON.stringify(outcomes));
    assert.equal(worker.pid, pid);
    assert.ok(worker.alive);
    assert.deepEqual(worker.breaches, []);
  });

  it('gives every call a timeout when the code itself does not finish', async () => {
    const outcomes = await worker.runFunction({ code: 'while True:\n    pass\n\ndef f():\n    return 1\n', entry: 'f', calls: [{}, {}] });
    assert.deepEqual(outcomes.map((o) => o.verdict), ['timeout', 'timeout']);
  });

  it('gives a tool a fresh window at each checkpoint', async () => {
    const work = await iterationsFor(worker, WINDOW_MS / 3);
    const answer = await worker.run({ kind: 'tool', tool: 'limits', payload: { mode: 'steps', n: 8, work }, timeoutMs: WINDOW_MS, totalMs: 20 * WINDOW_MS });
    assert.deepEqual(answer.value, { done: 8 }, JSON.stringify(answer));
    const verdicts = await worker.run({
      kind: 'tool', tool: 'limits', timeoutMs: WINDOW_MS, totalMs: 20 * WINDOW_MS,
      payload: { mode: 'untrusted', codes: ['x = 1', 'while True:\n    pass', 'import time\ntime.sleep(60)', '1 / 0', 'y = 2'] },
    });
    assert.deepEqual(verdicts.value, ['ok', 'KeyboardInterrupt', 'KeyboardInterrupt', 'ZeroDivisionError', 'ok'], JSON.stringify(verdicts));
    const [forever] = (await worker.run({ kind: 'tool', tool: 'limits', payload: { mode: 'forever' }, timeoutMs: WINDOW_MS })).outcomes;
    assert.equal(forever.verdict, 'timeout');
    const [notJson] = (await worker.run({ kind: 'tool', tool: 'limits', payload: { mode: 'not-json' } })).outcomes;
    assert.equal(notJson.verdict, 'crash');
  });

  it('caps the heap and reports memory', async () => {
    const outcomes = await worker.runFunction({
      code: 'def f(mb):\n    return len(bytearray(mb * 1024 * 1024))\n',
      entry: 'f',
      calls: [{ args: ['16'] }, { args: ['400'] }, { args: ['1500'] }, { args: ['32'] }],
    });
    assert.deepEqual(outcomes.map((o) => o.verdict), ['return', 'memory', 'memory', 'return']);
  });

  it("keeps a repr or stdout under its cap whatever a str subclass says of itself", async () => {
    const body = `
      class Liar(str):
          def __len__(self):
              return 0
      class Value:
          def __repr__(self):
              return Liar('x' * 10**6)
      print(Liar('y' * 10**6))
      return Value()`;
    const [outcome] = await worker.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}] });
    assert.equal(outcome.verdict, 'return');
    assert.ok(outcome.verdict === 'return' && outcome.repr.length <= 4096 && (outcome.stdout ?? '').length <= 4096, JSON.stringify(outcome).slice(0, 300));
    assert.deepEqual(worker.breaches, []);
  });
});

describe('Pyodide: verdicts do not depend on how busy the machine is', () => {
  let worker: PyodideWorker;
  let burners: ChildProcess[] = [];
  before(async () => {
    worker = await PyodideWorker.start({ limits: { timeoutMs: WINDOW_MS } });
  });
  after(async () => {
    for (const burner of burners) burner.kill('SIGKILL');
    await worker.close();
  });

  it('lets a call with a third of a window of CPU return, beside six processes that burn every core', async () => {
    // Six burners on two cores leave the worker about a quarter of a core: the call's wall time is
    // then past its window (1.2-1.8 windows, measured here), so a wall-clock window would time it
    // out, while its CPU time stays about a third of the window whatever the load.
    const code = 'def f(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total\n';
    const n = String(await iterationsFor(worker, WINDOW_MS / 3));
    const calm = await worker.runFunction({ code, entry: 'f', calls: [{ args: [n] }, { args: [n] }, { args: [n] }] });
    burners = Array.from({ length: 6 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const busy = await worker.runFunction({ code, entry: 'f', calls: [{ args: [n] }, { args: [n] }, { args: [n] }] });
    assert.deepEqual(busy.map(repr), calm.map(repr), JSON.stringify(busy));
    assert.ok(calm.every((o) => o.verdict === 'return'), JSON.stringify(calm));
  });
});

// The pool believes nothing a worker says. A scripted worker process (real, over the real pipes)
// answers each job in one way the protocol forbids; the job must end as `crash`, the worker must
// be replaced, and the next job must be answered correctly by the replacement.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkerPool, type WorkerLaunch } from '../../src/sandbox/pool.js';
import type { PoolJob } from '../../src/sandbox/protocol.js';

// A worker that says `ready`, then answers every job with the lines its `misbehave` expression
// gives for job `j` (a JSON request) the first time, and correctly after a restart (a new process
// gets MODE=good once the first one has been replaced).
function scriptedWorker(misbehave: string): () => WorkerLaunch {
  let started = 0;
  return () => {
    const mode = started++ === 0 ? 'bad' : 'good';
    const script = `
      const rl = require('node:readline').createInterface({ input: process.stdin });
      const say = (m) => process.stdout.write((typeof m === 'string' ? m : JSON.stringify(m)) + '\\n');
      let first = true;
      rl.on('line', (line) => {
        const j = JSON.parse(line);
        if (j.type === 'init') return say({ type: 'ready', python: '3.0.0', layers: {} });
        if (process.env.MODE === 'bad') { for (const m of (${misbehave})) say(m); return; }
        say({ type: 'outcomes', id: j.id, results: j.indices.map((index) => ({ index, outcome: { verdict: 'return', repr: String(index), ms: 1 } })) });
        say({ type: 'done', id: j.id });
      });`;
    return { command: process.execPath, args: ['-e', script], env: { MODE: mode }, init: { type: 'init' } };
  };
}

/** A one-worker pool whose first worker answers with `misbehave`, silent at most `silenceMs`. */
async function startPool(misbehave: string, silenceMs: number): Promise<WorkerPool> {
  const pool = new WorkerPool({
    workers: 1,
    launch: scriptedWorker(misbehave),
    caps: { reprCap: 4096, outputCap: 4096 },
    maxLineBytes: 200_000,
    silenceLimitMs: () => silenceMs,
    startLimitMs: 10_000,
  });
  await pool.start();
  return pool;
}

const JOB: PoolJob = { kind: 'function', code: 'def f(x):\n    return x\n', entry: 'f', calls: [{ args: ['1'] }, { args: ['2'] }] };

const ok = (index: number) => `{ index: ${index}, outcome: { verdict: 'return', repr: 'x', ms: 1 } }`;
const BREACHES: Record<string, string> = {
  'an outcome for another job': `[{ type: 'outcomes', id: j.id + 1, results: [${ok(0)}] }]`,
  'an index it was not given': `[{ type: 'outcomes', id: j.id, results: [${ok(0)}, ${ok(1)}, ${ok(2)}] }]`,
  'the same call answered twice': `[{ type: 'outcomes', id: j.id, results: [${ok(0)}, ${ok(0)}] }]`,
  "an index named 'length'": `[{ type: 'outcomes', id: j.id, results: [{ index: 'length', outcome: 0 }] }]`,
  'a repr that is not a string': `[{ type: 'outcomes', id: j.id, results: [{ index: 0, outcome: { verdict: 'return', repr: ['a'], ms: 1 } }] }]`,
  'a module that is a number': `[{ type: 'outcomes', id: j.id, results: [{ index: 0, outcome: { verdict: 'raise', type: 'E', message: 'm', module: 5, ms: 1 } }] }]`,
  'a repr over its cap': `[{ type: 'outcomes', id: j.id, results: [{ index: 0, outcome: { verdict: 'return', repr: 'x'.repeat(5000), ms: 1 } }] }]`,
  'an unknown verdict': `[{ type: 'outcomes', id: j.id, results: [{ index: 0, outcome: { verdict: 'pass', ms: 1 } }] }]`,
  'done with outcomes missing': `[{ type: 'outcomes', id: j.id, results: [${ok(0)}] }, { type: 'done', id: j.id }]`,
  'a second ready': `[{ type: 'ready', python: '3', layers: {} }]`,
  'a line that is not JSON': `['{"type": "outcomes", ']`,
  'a line over the size limit': `['"' + 'y'.repeat(300000) + '"']`,
  'a tool answer for a function job': `[{ type: 'outcomes', id: j.id, results: [{ index: 0, outcome: { verdict: 'return', repr: 'x', ms: 1 }, value: 1 }] }]`,
};

describe('the pool checks every line a worker writes', () => {
  for (const [breach, lines] of Object.entries(BREACHES)) {
    it(`${breach}: the job is a crash, the worker is replaced, the next job is answered`, async () => {
      const pool = await startPool(lines, 5000);
      try {
        const bad = await pool.run(JOB);
        assert.equal(bad.outcomes.length, 2);
        for (const outcome of bad.outcomes) {
          assert.equal(outcome.verdict, 'crash');
          assert.match((outcome as { message: string }).message, /the worker broke the protocol/);
        }
        const good = await pool.run(JOB);
        assert.deepEqual(good.outcomes.map((o) => (o.verdict === 'return' ? o.repr : o.verdict)), ['0', '1']);
        const stats = pool.stats();
        assert.equal(stats.protocolViolations, 1);
        assert.equal(stats.replaced, 1);
      } finally {
        await pool.close();
      }
    });
  }

  it('a worker that goes silent is killed at its limit; the call in flight is a timeout and the rest run elsewhere', async () => {
    const pool = await startPool('[]', 300);
    try {
      const result = await pool.run(JOB);
      assert.deepEqual(result.outcomes.map((o) => o.verdict), ['timeout', 'return']);
      assert.equal(pool.stats().hardKills, 1);
    } finally {
      await pool.close();
    }
  });

  it('closing the pool answers the jobs still waiting or running', async () => {
    const pool = await startPool('[]', 60_000);
    const running = pool.run(JOB);
    const waiting = pool.run(JOB);
    await pool.close();
    for (const result of await Promise.all([running, waiting])) assert.ok(result.outcomes.every((o) => o.verdict === 'crash'));
  });
});

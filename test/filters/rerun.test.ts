// The nondeterminism filter against real interpreters: the same calls under two hash seeds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { filterStage } from '../../src/filters/index.js';
import type { CasesRecord } from '../../src/contract/index.js';
import { runOn } from '../helpers/stages.js';
import type { ExecRecord } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { execStage } from '../../src/execute/index.js';

let first: Sandbox;
let second: Sandbox;
before(async () => {
  [first, second] = await Promise.all([
    Sandbox.start({ workers: 1, hashSeed: 0 }),
    Sandbox.start({ workers: 1, hashSeed: 12345 }),
  ]);
});
after(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

test('string-set order changes with the hash seed: such functions and calls are dropped', async () => {
  const words = ['"apple"', '"pear"', '"plum"', '"fig"', '"kiwi"', '"lime"'];
  const jobs = [
    { id: 'set-order', entry: 'tags', code: 'def tags(a, b, c):\n    return list({a, b, c})', params: [], source: {}, inputs: [0, 1, 2, 3].map((i) => ({ args: words.slice(i, i + 3) })) },
    { id: 'stable', entry: 'total', code: 'def total(a, b):\n    return a + b', params: [], source: {}, inputs: [['1', '2'], ['3', '4'], ['5', '6']].map((args) => ({ args })) },
  ];
  const { kept: executed } = await runOn(execStage(first), jobs);
  const { kept, rejects } = await runOn<ExecRecord, CasesRecord>(filterStage({ rerun: second }), executed as ExecRecord[]);
  const reasons = rejects.map((r) => `${r.stage}:${r.id}:${r.reason}`);
  assert.deepEqual(kept.map((k) => k.id), ['stable']);
  assert.equal(kept[0].cases.length, 3);
  assert.ok(reasons.includes('filter:set-order:nondeterministic'), reasons.join(' '));
});

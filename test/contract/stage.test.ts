// The stage contract: items in, items out, rejects passing through in place; the counter that
// every runner uses; figures that add up over records and shards.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addStats, chainStages, emptyStats, keep, keepAll, mergeFigures, reject, rejectedCount, StageCounter,
  type Stage, type StageItem,
} from '../../src/contract/index.js';
import { mapKept } from '../../src/io/ordered.js';

/** Doubles even numbers, rejects odd ones, reports each kept value's size. */
const evens: Stage<number, number> = {
  name: 'evens',
  run: (items) => mapKept(items, 3, async (n) => (n % 2 === 0 ? keep(n * 2) : reject({ stage: 'evens', reason: 'odd', detail: String(n) }))),
  figures: (n) => ({ values: 1, size: { [n >= 10 ? 'big' : 'small']: 1 } }),
};
const noSix: Stage<number, number> = {
  name: 'no-six',
  run: (items) => mapKept(items, 1, async (n) => (n === 12 ? reject({ stage: 'no-six', reason: 'six' }) : keep(n))),
};

async function collect<T>(items: AsyncIterable<StageItem<T>>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item.kind === 'keep' ? `keep ${item.record}` : `${item.reject.stage}:${item.reject.reason}`);
  return out;
}

describe('stages', () => {
  it('yield what each item becomes in input order; a reject that comes in passes through in place', async () => {
    const input: StageItem<number>[] = [keep(1), keep(2), reject({ stage: 'read', reason: 'bad-json' }), keep(4), keep(6)];
    async function* items() {
      yield* input;
    }
    assert.deepEqual(await collect(evens.run(items())), ['evens:odd', 'keep 4', 'read:bad-json', 'keep 8', 'keep 12']);
  });

  it('chain into one stage that keeps every reject and the last stage figures', async () => {
    const chain = chainStages<number, number>('both', [evens, noSix]);
    assert.deepEqual(await collect(chain.run(keepAll([1, 2, 6, 8]))), ['evens:odd', 'keep 4', 'no-six:six', 'keep 16']);
    assert.equal(chain.figures, undefined);
  });
});

describe('stage stats', () => {
  it('count items in, records kept, rejects per stage and reason, and the figures of kept records', async () => {
    const counter = new StageCounter(evens);
    for await (const item of evens.run(counter.input(keepAll([1, 2, 3, 6])))) counter.output(item);
    assert.deepEqual(counter.stats, { stage: 'evens', in: 4, kept: 2, rejects: { evens: { odd: 2 } }, figures: { values: 2, size: { small: 1, big: 1 } } });
    assert.equal(rejectedCount(counter.stats), 2);
    const taken = counter.take();
    assert.equal(taken.kept, 2);
    assert.deepEqual(counter.stats, emptyStats('evens'), 'take starts a new count (one per shard)');
  });

  it('add up over shards', () => {
    const total = emptyStats('s');
    addStats(total, { stage: 's', in: 3, kept: 1, rejects: { s: { a: 2 } }, figures: { n: 1, h: { x: 1 } } });
    addStats(total, { stage: 's', in: 2, kept: 2, rejects: { s: { a: 1, b: 1 }, t: { c: 1 } }, figures: { n: 2, h: { y: 1 } } });
    assert.deepEqual(total, { stage: 's', in: 5, kept: 3, rejects: { s: { a: 3, b: 1 }, t: { c: 1 } }, figures: { n: 3, h: { x: 1, y: 1 } } });
    assert.deepEqual(mergeFigures({ a: 1, b: { c: 2 } }, { b: { c: 3, d: 1 } }), { a: 1, b: { c: 5, d: 1 } });
  });
});

// mapOrdered: results in input order whatever order the calls finish in, never more than
// `concurrency` calls at once, and an error surfaces at its turn.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapOrdered } from '../../src/io/ordered.js';

/** A call that finishes when the test says so, to control the order calls end in. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('mapOrdered', () => {
  it('yields in input order though later calls finish first', async () => {
    const gates = [gate(), gate(), gate()];
    const results = mapOrdered([0, 1, 2], 3, async (i) => {
      await gates[i].opened;
      return `r${i}`;
    });
    gates[2].open();
    gates[1].open();
    setImmediate(() => gates[0].open());
    const out: string[] = [];
    for await (const r of results) out.push(r);
    assert.deepEqual(out, ['r0', 'r1', 'r2']);
  });

  it('keeps at most `concurrency` calls in flight, and reads its input only as fast as it yields', async () => {
    let running = 0;
    let most = 0;
    let pulled = 0;
    async function* input() {
      for (let i = 0; i < 20; i++) {
        pulled++;
        yield i;
      }
    }
    const results = mapOrdered(input(), 4, async (i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return i * i;
    });
    const out: number[] = [];
    for await (const r of results) {
      out.push(r);
      assert.ok(pulled - out.length <= 4, `read ${pulled} items with ${out.length} yielded`);
    }
    assert.deepEqual(out, Array.from({ length: 20 }, (_, i) => i * i));
    assert.equal(most, 4);
  });

  it('throws a failed call at its turn, after the results before it', async () => {
    const out: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const r of mapOrdered([1, 2, 3, 4], 2, async (i) => {
          if (i === 3) throw new Error('three');
          return i;
        })) out.push(r);
      })(),
      /three/,
    );
    assert.deepEqual(out, [1, 2]);
  });
});

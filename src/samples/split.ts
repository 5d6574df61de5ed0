// Train/test split by function, in two steps.
// 1. Per record (the samples stage, on any shard): a hash of the near-duplicate cluster (or the id
//    when a function has none) decides the side, so every member of a cluster lands on the same
//    side, whatever shard it is in.
// 2. Once over the whole dataset (assemble, which reads every shard anyway): functions that share
//    a definition (the entry or a carried helper, by normalised-code hash, see definitions.ts) or a
//    cluster are one group, and a group found on both sides is moved whole to the side where most
//    of its functions are (train on a tie). The groups depend only on the set of functions, never
//    on their order or sharding, so the result is the same for any shard size.
import { unitHash } from './random.js';

export type Split = 'train' | 'test';

export function splitOf(record: { id: string; cluster?: string }, testFraction: number, seed: number | string): Split {
  if (testFraction <= 0) return 'train';
  if (testFraction >= 1) return 'test';
  return unitHash('split', seed, record.cluster ?? record.id) < testFraction ? 'test' : 'train';
}

/** What the leak-free step needs of one function. */
export interface SplitUnit {
  id: string;
  split: Split;
  cluster?: string;
  /** Hashes of the definitions its code carries, the entry's included. */
  definitions: string[];
}

export interface SplitMoves {
  /** Functions moved from test to train, and from train to test. */
  toTrain: number;
  toTest: number;
}

/** Union-find over string keys, with path halving. */
class Groups {
  private readonly parent = new Map<string, string>();

  find(key: string): string {
    if (!this.parent.has(key)) this.parent.set(key, key);
    let at = key;
    for (let up = this.parent.get(at)!; up !== at; up = this.parent.get(at)!) {
      const grand = this.parent.get(up)!;
      this.parent.set(at, grand);
      at = grand;
    }
    return at;
  }

  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/**
 * The final side of every function: each group of functions linked by a shared definition or
 * cluster sits on one side. Holds one entry per function and definition, not the samples.
 */
export class LeakFreeSplit {
  private readonly groups = new Groups();
  private readonly units = new Map<string, Split>();
  private decided?: { sides: Map<string, Split>; moves: SplitMoves };

  add(unit: SplitUnit): void {
    if (this.decided) throw new Error('LeakFreeSplit: add after the sides were decided');
    const key = `f:${unit.id}`;
    this.units.set(unit.id, unit.split);
    this.groups.find(key);
    if (unit.cluster) this.groups.union(key, `c:${unit.cluster}`);
    for (const hash of unit.definitions) this.groups.union(key, `d:${hash}`);
  }

  private decide(): { sides: Map<string, Split>; moves: SplitMoves } {
    if (this.decided) return this.decided;
    const count = new Map<string, { train: number; test: number }>();
    for (const [id, split] of this.units) {
      const root = this.groups.find(`f:${id}`);
      const c = count.get(root) ?? { train: 0, test: 0 };
      c[split]++;
      count.set(root, c);
    }
    const sides = new Map<string, Split>();
    const moves: SplitMoves = { toTrain: 0, toTest: 0 };
    for (const [id, split] of this.units) {
      const c = count.get(this.groups.find(`f:${id}`))!;
      const side: Split = c.train === 0 ? 'test' : c.test === 0 ? 'train' : c.test > c.train ? 'test' : 'train';
      if (side !== split) side === 'train' ? moves.toTrain++ : moves.toTest++;
      sides.set(id, side);
    }
    this.decided = { sides, moves };
    return this.decided;
  }

  sideOf(id: string): Split {
    const side = this.decide().sides.get(id);
    if (!side) throw new Error(`LeakFreeSplit: no function ${id}`);
    return side;
  }

  get moves(): SplitMoves {
    return { ...this.decide().moves };
  }
}

// Train/test split by function, decided by a hash of the near-duplicate cluster (or the id when a
// function has none): every member of a cluster lands on the same side, whatever shard it is in.
import { unitHash } from './random.js';

export type Split = 'train' | 'test';

export function splitOf(record: { id: string; cluster?: string }, testFraction: number, seed: number | string): Split {
  if (testFraction <= 0) return 'train';
  if (testFraction >= 1) return 'test';
  return unitHash('split', seed, record.cluster ?? record.id) < testFraction ? 'test' : 'train';
}

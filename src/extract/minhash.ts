// MinHash signatures and an LSH index over them, to find near-duplicate functions in one pass.
// A signature keeps, for each of `numPerm` hash functions, the smallest hash over a document's
// shingles; the share of equal positions estimates the Jaccard similarity of two documents. LSH
// cuts a signature into `bands` and calls two documents candidates when a band matches exactly.
import { mix32 } from './tokens.js';
import { ConfigurationError } from '../contract/index.js';

export class MinHasher {
  private readonly seeds: Uint32Array;

  constructor(readonly numPerm = 128, seed = 0x2545f491) {
    this.seeds = new Uint32Array(numPerm);
    let state = seed >>> 0;
    for (let i = 0; i < numPerm; i++) {
      state = (state + 0x9e3779b9) >>> 0;
      this.seeds[i] = mix32(state);
    }
  }

  /** The signature of a set of 32-bit shingle hashes. */
  signature(shingles: Iterable<number>): Uint32Array {
    const signature = new Uint32Array(this.numPerm).fill(0xffffffff);
    for (const shingle of shingles) {
      for (let i = 0; i < this.numPerm; i++) {
        const value = mix32(shingle ^ this.seeds[i]);
        if (value < signature[i]) signature[i] = value;
      }
    }
    return signature;
  }
}

export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/** Representatives (one per cluster) and their band buckets. */
export class LshIndex<T> {
  private readonly buckets: Map<number, number[]>[];
  private readonly signatures: Uint32Array[] = [];
  private readonly values: T[] = [];
  private readonly rows: number;

  constructor(
    numPerm: number,
    readonly bands: number,
  ) {
    if (numPerm % bands !== 0) throw new ConfigurationError(`numPerm (${numPerm}) must be a multiple of bands (${bands})`);
    this.rows = numPerm / bands;
    this.buckets = Array.from({ length: bands }, () => new Map());
  }

  /** The most similar representative at or above `threshold`, if any. */
  query(signature: Uint32Array, threshold: number): { value: T; jaccard: number } | undefined {
    let best: { value: T; jaccard: number } | undefined;
    const seen = new Set<number>();
    for (let band = 0; band < this.bands; band++) {
      for (const index of this.buckets[band].get(this.bandKey(signature, band)) ?? []) {
        if (seen.has(index)) continue;
        seen.add(index);
        const jaccard = estimatedJaccard(signature, this.signatures[index]);
        if (jaccard >= threshold && (!best || jaccard > best.jaccard)) best = { value: this.values[index], jaccard };
      }
    }
    return best;
  }

  insert(signature: Uint32Array, value: T): void {
    const index = this.values.length;
    this.values.push(value);
    this.signatures.push(signature);
    for (let band = 0; band < this.bands; band++) {
      const key = this.bandKey(signature, band);
      const bucket = this.buckets[band].get(key);
      if (bucket) bucket.push(index);
      else this.buckets[band].set(key, [index]);
    }
  }

  private bandKey(signature: Uint32Array, band: number): number {
    let hash = 0x811c9dc5 ^ band;
    for (let i = band * this.rows; i < (band + 1) * this.rows; i++) hash = mix32(Math.imul(hash, 31) ^ signature[i]);
    return hash;
  }
}

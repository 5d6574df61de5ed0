// The dedup stage: drop exact duplicates (same id, i.e. same normalised code) and near duplicates
// (MinHash/LSH over 3-token shingles of the code with names normalised, see similarityTokens).
// The first function of a cluster is kept and carries the cluster id (its own id); later members
// are rejected, naming the cluster. It is two steps, so a
// run can scale it: a signature per function (anywhere, shard by shard), then one merge that sees
// the signatures in corpus order and decides (DedupMerger). The stage below does both in one pass.
import { keep, reject, type FunctionRecord, type Reject, type Stage, type StageItem } from '../contract/index.js';
import { LshIndex, MinHasher } from './minhash.js';
import { codeTokens, ngramHashes, similarityTokens } from './tokens.js';

export interface DedupOptions {
  /** Drop functions whose normalised code was seen before (default true). */
  exact?: boolean;
  /** Drop functions too similar to a kept one (default true). */
  near?: boolean;
  /** Estimated Jaccard similarity at which two functions are near duplicates (default 0.8). */
  threshold?: number;
  /** Tokens per shingle (default 3). */
  shingle?: number;
  /**
   * Compare names as one placeholder and drop docstrings (similarityTokens, default true): template
   * families such as the total_ordering helpers are near duplicates; with raw tokens they were not.
   */
  normalise?: boolean;
  /** MinHash permutations (default 128) and LSH bands (default 16: candidates from about 0.7). */
  numPerm?: number;
  bands?: number;
}

const hashers = new Map<number, MinHasher>();

/** The MinHash signature dedup compares (numPerm 32-bit values); depends on the code alone. */
export function dedupSignature(code: string, options: DedupOptions = {}): Uint32Array {
  const numPerm = options.numPerm ?? 128;
  let hasher = hashers.get(numPerm);
  if (!hasher) hashers.set(numPerm, (hasher = new MinHasher(numPerm)));
  const tokens = (options.normalise ?? true) ? similarityTokens(code) : codeTokens(code);
  return hasher.signature(ngramHashes(tokens, options.shingle ?? 3).map((hash) => hash >>> 0));
}

/** Dedup's decisions, one function at a time in corpus order: the first of each cluster is kept. */
export class DedupMerger {
  private readonly exact: boolean;
  private readonly near: boolean;
  private readonly threshold: number;
  private readonly index: LshIndex<string>;
  private readonly seen = new Set<string>();

  constructor(readonly options: DedupOptions = {}) {
    this.exact = options.exact ?? true;
    this.near = options.near ?? true;
    this.threshold = options.threshold ?? 0.8;
    this.index = new LshIndex<string>(options.numPerm ?? 128, options.bands ?? 16);
  }

  /** Whether near duplicates are looked for, i.e. whether `decide` needs signatures. */
  get needsSignatures(): boolean {
    return this.near;
  }

  /** Keep (the function starts a cluster), or the reject that says which one it duplicates. */
  decide(record: Pick<FunctionRecord, 'id' | 'entry' | 'source'>, signature?: Uint32Array): { keep: true } | { keep: false; reject: Reject } {
    const where = { stage: 'dedup', id: record.id, entry: record.entry, source: record.source };
    if (this.exact) {
      if (this.seen.has(record.id)) return { keep: false, reject: { ...where, reason: 'duplicate', detail: `same normalised code as an earlier function (id ${record.id})` } };
      this.seen.add(record.id);
    }
    if (this.near) {
      if (!signature) throw new Error('DedupMerger.decide: near-duplicate search needs the signature');
      const match = this.index.query(signature, this.threshold);
      if (match) return { keep: false, reject: { ...where, reason: 'near-duplicate', detail: `cluster ${match.value} (estimated Jaccard ${match.jaccard.toFixed(2)})` } };
      this.index.insert(signature, record.id);
    }
    return { keep: true };
  }
}

/** Keeps the first function of each cluster; it keeps state over the whole stream. */
export function dedupStage(options: DedupOptions = {}): Stage<FunctionRecord, FunctionRecord> {
  return { name: 'dedup', run: (items) => dedup(items, options) };
}

async function* dedup(items: AsyncIterable<StageItem<FunctionRecord>>, options: DedupOptions): AsyncIterable<StageItem<FunctionRecord>> {
  const merger = new DedupMerger(options);
  for await (const item of items) {
    if (item.kind === 'reject') {
      yield item;
      continue;
    }
    const record = item.record;
    const decision = merger.decide(record, merger.needsSignatures ? dedupSignature(record.code, options) : undefined);
    yield decision.keep ? keep({ ...record, cluster: record.id }) : reject(decision.reject);
  }
}

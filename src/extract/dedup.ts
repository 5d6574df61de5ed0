// The dedup stage: drop exact duplicates (same id, i.e. same normalised code) and near duplicates
// (MinHash/LSH over code tokens). The first function of a cluster is kept and carries the
// cluster id (its own id); later members are rejected, naming the cluster.
import { keep, reject, type FunctionRecord, type Stage, type StageItem } from '../contract/index.js';
import { LshIndex, MinHasher } from './minhash.js';
import { codeTokens, ngramHashes } from './tokens.js';

export interface DedupOptions {
  /** Drop functions whose normalised code was seen before (default true). */
  exact?: boolean;
  /** Drop functions too similar to a kept one (default true). */
  near?: boolean;
  /** Estimated Jaccard similarity at which two functions are near duplicates (default 0.85). */
  threshold?: number;
  /** Tokens per shingle (default 5). */
  shingle?: number;
  /** MinHash permutations (default 128) and LSH bands (default 16: candidates from about 0.7). */
  numPerm?: number;
  bands?: number;
}

/** Keeps the first function of each cluster; it keeps state over the whole stream (see the runner). */
export function dedupStage(options: DedupOptions = {}): Stage<FunctionRecord, FunctionRecord> {
  return { name: 'dedup', run: (items) => dedup(items, options) };
}

async function* dedup(items: AsyncIterable<StageItem<FunctionRecord>>, options: DedupOptions): AsyncIterable<StageItem<FunctionRecord>> {
  const exact = options.exact ?? true;
  const near = options.near ?? true;
  const threshold = options.threshold ?? 0.85;
  const shingle = options.shingle ?? 5;
  const hasher = new MinHasher(options.numPerm ?? 128);
  const index = new LshIndex<string>(hasher.numPerm, options.bands ?? 16);
  const seen = new Set<string>();
  for await (const item of items) {
    if (item.kind === 'reject') {
      yield item;
      continue;
    }
    const record = item.record;
    const where = { stage: 'dedup', id: record.id, entry: record.entry, source: record.source };
    if (exact) {
      if (seen.has(record.id)) {
        yield reject({ ...where, reason: 'duplicate', detail: `same normalised code as an earlier function (id ${record.id})` });
        continue;
      }
      seen.add(record.id);
    }
    if (near) {
      const signature = hasher.signature(ngramHashes(codeTokens(record.code), shingle).map((hash) => hash >>> 0));
      const match = index.query(signature, threshold);
      if (match) {
        yield reject({ ...where, reason: 'near-duplicate', detail: `cluster ${match.value} (estimated Jaccard ${match.jaccard.toFixed(2)})` });
        continue;
      }
      index.insert(signature, record.id);
    }
    yield keep({ ...record, cluster: record.id });
  }
}

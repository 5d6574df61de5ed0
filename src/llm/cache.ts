// The response cache: one small JSON file per sample, `<dir>/ab/cd/<key>.json`. A rerun of the same
// job finds every answer here and sends no request; an interrupted run resumes where it stopped.
//
// Plain files rather than a database, so installing needs no native build, and several processes
// (or machines on a shared file system) can use one cache at once: an entry is written to a temp
// file in its own directory and renamed into place, and a rename is atomic there (NFS included), so
// a reader sees the whole old entry, the whole new one, or none. Two writers of one key both write a
// complete answer; the last rename wins. An entry that does not parse (a truncated copy, a crash on a
// file system that reorders writes) is a miss, and the next answer for its key replaces it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CachedAnswer {
  text: string;
  finishReason: string | null;
}

/** A stable hash of any JSON value (object keys sorted, so key order never changes the key). */
export function hashKey(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What one entry file holds; `v` changes when the layout does (an old entry is then a miss). */
interface Entry {
  v: 1;
  key: string;
  text: string;
  finishReason: string | null;
  createdAt: number;
}

/** A key is a hashKey digest: hex, so it is safe in a file name, and long enough to shard on. */
const KEY_PATTERN = /^[0-9a-f]{64}$/;

export class ResponseCache {
  private readonly dir: string;
  private closed = false;

  /** `dir` is created if missing; an existing file there (an SQLite cache of older versions) is an error. */
  constructor(dir: string) {
    this.dir = path.resolve(dir);
    const existing = statSync(this.dir, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) {
      const what = existing.isFile() ? 'a file (an SQLite cache of an older case2code?)' : 'not a directory';
      throw new Error(
        `the LLM response cache "${dir}" is ${what}, but the cache must now be a directory (one JSON file per answer): give a directory path (created if missing), or move the file away`,
      );
    }
    mkdirSync(this.dir, { recursive: true });
  }

  get(key: string): CachedAnswer | undefined {
    const file = this.entryPath(key);
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    return parseEntry(raw, key);
  }

  put(key: string, answer: CachedAnswer): void {
    const file = this.entryPath(key);
    const entry: Entry = { v: 1, key, text: answer.text, finishReason: answer.finishReason, createdAt: Date.now() };
    mkdirSync(path.dirname(file), { recursive: true });
    // Random, not pid-based: writers on other machines share the directory. No fsync: an entry a
    // crash leaves half-written is a miss, which costs one request, not a wrong answer.
    const temp = path.join(path.dirname(file), `.${key}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      writeFileSync(temp, JSON.stringify(entry));
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }

  /** Nothing is held open; a cache used after close() is a bug, and says so. */
  close(): void {
    this.closed = true;
  }

  private entryPath(key: string): string {
    if (this.closed) throw new Error('ResponseCache: used after close()');
    if (!KEY_PATTERN.test(key)) throw new Error(`ResponseCache: a key must be a hashKey() digest (64 hex characters), got "${key.slice(0, 80)}"`);
    return path.join(this.dir, key.slice(0, 2), key.slice(2, 4), `${key}.json`);
  }
}

/** The answer in an entry file, or undefined for anything else: truncated, garbled, another key. */
function parseEntry(raw: string, key: string): CachedAnswer | undefined {
  let entry: Partial<Entry>;
  try {
    entry = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== 'object' || entry.v !== 1 || entry.key !== key || typeof entry.text !== 'string') return undefined;
  if (entry.finishReason !== null && typeof entry.finishReason !== 'string') return undefined;
  return { text: entry.text, finishReason: entry.finishReason };
}

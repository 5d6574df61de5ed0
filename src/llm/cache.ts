// The response cache: one SQLite row per sample. A rerun of the same job finds every answer here and
// sends no request; an interrupted run resumes where it stopped.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
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

export class ResponseCache {
  private readonly db: Database.Database;
  private readonly getStatement: Database.Statement;
  private readonly putStatement: Database.Statement;

  constructor(file: string) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    // WAL lets a second process (or a later shard) read while this one writes.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, text TEXT NOT NULL, finish_reason TEXT, created_at INTEGER NOT NULL)',
    );
    this.getStatement = this.db.prepare('SELECT text, finish_reason AS finishReason FROM answers WHERE key = ?');
    this.putStatement = this.db.prepare('INSERT OR REPLACE INTO answers (key, text, finish_reason, created_at) VALUES (?, ?, ?, ?)');
  }

  get(key: string): CachedAnswer | undefined {
    return this.getStatement.get(key) as CachedAnswer | undefined;
  }

  put(key: string, answer: CachedAnswer): void {
    this.putStatement.run(key, answer.text, answer.finishReason, Date.now());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

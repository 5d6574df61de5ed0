// Files that appear whole or not at all: written to a temporary name, flushed to disk, then renamed
// over the final name. A kill -9 at any moment leaves either the old state or the new one.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

const TEMP_MARK = '.partial-';

// Processes on several machines may write into one shared directory: a pid alone could repeat.
export function tempNameFor(file: string): string {
  return `${file}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
}

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** JSON lines text for records (empty string for none). */
export function jsonLines(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

/**
 * Removes leftovers of writes that a kill interrupted. Only those older than `minAgeMs`: another
 * process (a worker of the same run) may be writing one right now.
 */
export function removePartials(dir: string, minAgeMs = 60_000): void {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return;
  }
  const now = Date.now();
  for (const entry of entries) {
    if (!path.basename(entry).includes(TEMP_MARK)) continue;
    const full = path.join(dir, entry);
    try {
      if (now - statSync(full).mtimeMs < minAgeMs) continue;
    } catch {
      continue; // renamed or removed meanwhile
    }
    rmSync(full, { recursive: true, force: true });
  }
}

/** Replaces a directory by a fully written one (the old one is removed first). */
export function replaceDirectory(fresh: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  renameSync(fresh, target);
}

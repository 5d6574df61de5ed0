// Python files on disk: one `.py` file, or every `.py` file under a directory (sorted, so runs
// agree; symbolic links are not followed, so a link cycle cannot loop).
import { opendir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { keep, reject, type StageItem } from '../contract/index.js';
import { decodeSource } from './decode.js';
import { DiskPackages } from './packages.js';
import type { SourceFile } from './types.js';

export async function* readPythonFile(file: string, maxBytes: number, packages = new DiskPackages()): AsyncIterable<StageItem<SourceFile>> {
  const source = { path: file };
  try {
    const { size } = await stat(file);
    if (size > maxBytes) {
      yield reject({ stage: 'corpus', reason: 'too-large', source, detail: `${size} bytes (limit ${maxBytes})` });
      return;
    }
    const decoded = decodeSource(await readFile(file), maxBytes);
    const place = decoded.ok ? packages.refOf(file) : undefined;
    if (decoded.ok) yield keep(place ? { text: decoded.text, source, package: place } : { text: decoded.text, source });
    else yield reject({ stage: 'corpus', reason: decoded.reason, source, detail: decoded.detail });
  } catch (error) {
    yield reject({ stage: 'corpus', reason: 'unreadable', source, detail: (error as Error).message });
  }
}

export async function* readPythonTree(root: string, maxBytes: number, exclude: string[]): AsyncIterable<StageItem<SourceFile>> {
  const packages = new DiskPackages();
  for await (const file of walk(root, new Set(exclude))) {
    if (typeof file === 'string') yield* readPythonFile(file, maxBytes, packages);
    else yield file;
  }
}

async function* walk(dir: string, exclude: Set<string>): AsyncIterable<string | StageItem<never>> {
  let entries;
  try {
    entries = [];
    for await (const entry of await opendir(dir)) entries.push(entry);
  } catch (error) {
    yield reject({ stage: 'corpus', reason: 'unreadable', source: { path: dir }, detail: (error as Error).message });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!exclude.has(entry.name)) yield* walk(full, exclude);
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      yield full;
    }
  }
}

// Read code corpora as a stream of source files. Sources: a directory (every `.py` below it), a
// `.py` file, JSONL (`.jsonl`, `.jsonl.gz`), Parquet, or a zip of `.py` files. Files that cannot
// be used become rejects with a reason (`too-large`, `binary`, `not-utf8`, `bad-json`,
// `missing-field`, `corrupt-parquet`, `corrupt-zip`, ...); a source that does not exist or has an
// unknown kind is a configuration error and throws.
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ConfigurationError, InputError, type StageItem } from '../contract/index.js';
import { readPythonFile, readPythonTree } from './files.js';
import { readJsonlSource } from './jsonl.js';
import { readParquetSource } from './parquet.js';
import { DEFAULT_EXCLUDE, DEFAULT_MAX_BYTES, type CorpusOptions, type SourceFile } from './types.js';
import { readZipSource } from './zip-source.js';

export type { CorpusOptions, PackageRef, SourceFile } from './types.js';
export { PackageModules, type PackageModule } from './packages.js';
export { DEFAULT_EXCLUDE, DEFAULT_MAX_BYTES } from './types.js';

export type SourceKind = 'directory' | 'python' | 'jsonl' | 'parquet' | 'zip';

/** What kind of source a path is, by what it is on disk and its name. Throws for anything else. */
export async function sourceKind(source: string): Promise<SourceKind> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new InputError(`corpus source not found: ${source}`);
  }
  if (info.isDirectory()) return 'directory';
  const name = source.toLowerCase();
  if (name.endsWith('.py')) return 'python';
  if (name.endsWith('.jsonl') || name.endsWith('.jsonl.gz') || name.endsWith('.ndjson') || name.endsWith('.ndjson.gz')) return 'jsonl';
  if (name.endsWith('.parquet')) return 'parquet';
  if (name.endsWith('.zip')) return 'zip';
  throw new ConfigurationError(`unsupported corpus source ${source}: expected a directory, .py, .jsonl[.gz], .parquet or .zip`);
}

/**
 * Every source file of every source, in order, as a stage stream (rejects have stage `corpus`).
 * Each record's `source` names its file relative to the folder holding the source given (for
 * `run ~/code/requests`: `requests/api.py`), so no record carries the paths of the machine that
 * made it.
 */
export async function* readCorpus(sources: string[], options: CorpusOptions = {}): AsyncIterable<StageItem<SourceFile>> {
  const field = options.field ?? 'content';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const kinds = await Promise.all(sources.map(sourceKind)); // fail fast, before any work
  for (const [i, source] of sources.entries()) {
    const relative = relativeTo(path.dirname(path.resolve(source)));
    for await (const item of readSource(source, kinds[i], field, maxBytes, options.exclude ?? DEFAULT_EXCLUDE)) {
      const where = item.kind === 'keep' ? item.record.source : item.reject.source;
      if (where) {
        // A file on disk is named by `path` (directories, .py) or by `dataset` (JSONL, Parquet,
        // zip, whose `path` is the one inside the dataset).
        if (kinds[i] === 'directory' || kinds[i] === 'python') {
          if (where.path !== undefined) where.path = relative(where.path);
        } else if (where.dataset !== undefined) where.dataset = relative(where.dataset);
      }
      yield item;
    }
  }
}

function relativeTo(base: string): (file: string) => string {
  return (file) => path.relative(base, path.resolve(file)).split(path.sep).join('/');
}

function readSource(source: string, kind: SourceKind, field: string, maxBytes: number, exclude: string[]): AsyncIterable<StageItem<SourceFile>> {
  switch (kind) {
    case 'directory':
      return readPythonTree(source, maxBytes, exclude);
    case 'python':
      return readPythonFile(source, maxBytes);
    case 'jsonl':
      return readJsonlSource(source, field, maxBytes);
    case 'parquet':
      return readParquetSource(source, field, maxBytes);
    case 'zip':
      return readZipSource(source, maxBytes);
  }
}

/** Pyodide's own standard library (`python_stdlib.zip` of the installed `pyodide` package). */
export function embeddedStdlibPath(): string {
  const entry = createRequire(import.meta.url).resolve('pyodide/pyodide.mjs');
  return path.join(path.dirname(entry), 'python_stdlib.zip');
}

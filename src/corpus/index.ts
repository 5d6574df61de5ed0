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

export type { CorpusOptions, SourceFile } from './types.js';
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

/** Every source file of every source, in order, as a stage stream (rejects have stage `corpus`). */
export async function* readCorpus(sources: string[], options: CorpusOptions = {}): AsyncIterable<StageItem<SourceFile>> {
  const field = options.field ?? 'content';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const kinds = await Promise.all(sources.map(sourceKind)); // fail fast, before any work
  for (const [i, source] of sources.entries()) {
    switch (kinds[i]) {
      case 'directory':
        yield* readPythonTree(source, maxBytes, options.exclude ?? DEFAULT_EXCLUDE);
        break;
      case 'python':
        yield* readPythonFile(source, maxBytes);
        break;
      case 'jsonl':
        yield* readJsonlSource(source, field, maxBytes);
        break;
      case 'parquet':
        yield* readParquetSource(source, field, maxBytes);
        break;
      case 'zip':
        yield* readZipSource(source, maxBytes);
        break;
    }
  }
}

/** Pyodide's own standard library (`python_stdlib.zip` of the installed `pyodide` package). */
export function embeddedStdlibPath(): string {
  const entry = createRequire(import.meta.url).resolve('pyodide/pyodide.mjs');
  return path.join(path.dirname(entry), 'python_stdlib.zip');
}

// What the corpus readers yield: the text of one source file and where it came from.
import type { SourceRef } from '../contract/index.js';

export interface SourceFile {
  text: string;
  /**
   * `path` for files (inside a directory or a zip: the file's own path); `dataset` plus `row` for
   * JSONL (row = line number, from 1) and Parquet (row = row index, from 0), with the record's
   * path, repo and license when its columns have them.
   */
  source: SourceRef;
  /** Where the file sits in its Python package, when it is in one (files on disk and in zips). */
  package?: PackageRef;
}

/**
 * A file's place in its package, as plain data (records travel between processes as JSON): enough
 * for the extract stage to read the sibling modules the file imports (see packages.ts).
 */
export interface PackageRef {
  /** The file's dotted module name: `requests.utils`; a package's `__init__.py` is `requests`. */
  module: string;
  /** The file is its package's `__init__.py` (its relative imports start from itself). */
  init: boolean;
  /** The folder holding the top package: absolute on disk; inside the archive when `archive` is set. */
  root: string;
  /** The zip archive (absolute path) the package is in. */
  archive?: string;
}

export interface CorpusOptions {
  /** JSONL/Parquet field holding the file text (default `content`, as in The Stack). */
  field?: string;
  /** Files over this many bytes are skipped as `too-large` (default 1 MiB). */
  maxBytes?: number;
  /** Directory names skipped while walking (default: caches, VCS, virtualenvs, site-packages). */
  exclude?: string[];
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_EXCLUDE = ['__pycache__', '.git', '.hg', '.svn', 'node_modules', 'site-packages', '.venv', '.tox'];

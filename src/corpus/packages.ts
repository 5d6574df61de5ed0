// Where a source file sits in its Python package, and the sibling modules of that package. A file
// inside a package (its folder has an `__init__.py`) carries a PackageRef: its dotted module name
// and the folder that holds the top package, as plain strings, because corpus records travel
// between processes as JSON. The extract stage rebuilds a PackageModules from them to read the
// modules a function imports from its own package. Files of JSONL and Parquet rows have none:
// their siblings are not addressable.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../contract/index.js';
import { decodeSource } from './decode.js';
import type { PackageRef } from './types.js';
import { ZipError, ZipReader, type ZipEntry } from './zip.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The package place of `parts` (a file's path as folder names plus its file name), given a test
 * for "this folder (as the first `n` parts) holds an `__init__.py`"; undefined for a file outside
 * any package or one whose name is not importable.
 */
function placeOf(parts: string[], hasInit: (depth: number) => boolean): { module: string; init: boolean; rootDepth: number } | undefined {
  const file = parts[parts.length - 1];
  if (!file.endsWith('.py')) return undefined;
  const stem = file.slice(0, -3);
  let depth = parts.length - 1; // the file's folder
  if (depth === 0 || !hasInit(depth) || !IDENTIFIER.test(parts[depth - 1])) return undefined;
  const init = stem === '__init__';
  if (!init && !IDENTIFIER.test(stem)) return undefined;
  const names = init ? [] : [stem];
  // Up the chain of package folders; a folder whose name is no identifier cannot be imported.
  while (depth > 0 && hasInit(depth) && IDENTIFIER.test(parts[depth - 1])) {
    names.unshift(parts[depth - 1]);
    depth--;
  }
  return { module: names.join('.'), init, rootDepth: depth };
}

/** For files on disk; one instance per corpus read, caching which folders are packages. */
export class DiskPackages {
  private readonly inits = new Map<string, boolean>();

  refOf(file: string): PackageRef | undefined {
    const absolute = path.resolve(file);
    const parts = absolute.split(path.sep).filter(Boolean);
    const folder = (depth: number) => path.sep + parts.slice(0, depth).join(path.sep);
    const place = placeOf(parts, (depth) => this.hasInit(folder(depth)));
    return place && { module: place.module, init: place.init, root: folder(place.rootDepth) };
  }

  private hasInit(dir: string): boolean {
    let known = this.inits.get(dir);
    if (known === undefined) this.inits.set(dir, (known = existsSync(path.join(dir, '__init__.py'))));
    return known;
  }
}

/** For the entries of one zip archive (its absolute path is `archive`). */
export function zipPackages(archive: string, names: Iterable<string>): (entry: string) => PackageRef | undefined {
  const all = new Set(names);
  return (entry) => {
    const parts = entry.split('/').filter(Boolean);
    const place = placeOf(parts, (depth) => all.has(parts.slice(0, depth).join('/') + '/__init__.py'));
    return place && { module: place.module, init: place.init, root: parts.slice(0, place.rootDepth).join('/'), archive };
  };
}

/** A sibling module's text, and whether it is a package's `__init__.py`. */
export interface PackageModule {
  text: string;
  init: boolean;
}

/**
 * Reads modules of a package by dotted name: `a.b` is `<root>/a/b.py` or `<root>/a/b/__init__.py`
 * (on disk, or inside the archive). A module that is not there is null; a root that does not exist
 * at all is an input error, so a machine that cannot see the sources fails instead of quietly
 * extracting less than another. Texts are cached: many files import the same few modules.
 */
export class PackageModules {
  private readonly texts = new Map<string, Promise<PackageModule | null>>();
  private readonly archives = new Map<string, Promise<{ zip: ZipReader; entries: Map<string, ZipEntry> }>>();

  constructor(private readonly maxBytes: number) {}

  /** `name` must be in the same top package as `ref.module` (anything else is null). */
  read(ref: PackageRef, name: string): Promise<PackageModule | null> {
    if (!DOTTED.test(name) || name.split('.')[0] !== ref.module.split('.')[0]) return Promise.resolve(null);
    const key = `${ref.archive ?? ''}\u0000${ref.root}\u0000${name}`;
    let text = this.texts.get(key);
    if (!text) this.texts.set(key, (text = this.load(ref, name)));
    return text;
  }

  async close(): Promise<void> {
    const archives = [...this.archives.values()];
    this.archives.clear();
    await Promise.all(archives.map(async (open) => (await open.catch(() => undefined))?.zip.close()));
  }

  private async load(ref: PackageRef, name: string): Promise<PackageModule | null> {
    const relative = name.split('.');
    // The package first: where `a/b/__init__.py` and `a/b.py` both exist, Python imports the package.
    const candidates: [string[], boolean][] = [
      [[...relative, '__init__.py'], true],
      [[...relative.slice(0, -1), `${relative[relative.length - 1]}.py`], false],
    ];
    if (ref.archive) {
      const { zip, entries } = await this.archive(ref.archive);
      for (const [candidate, init] of candidates) {
        const entry = entries.get([ref.root, ...candidate].filter(Boolean).join('/'));
        if (entry) return this.decoded(await zip.read(entry).catch(() => undefined), init);
      }
      return null;
    }
    if (!existsSync(ref.root)) throw new InputError(`package root ${ref.root} (named by the corpus) is not readable here: extract needs the sources where it runs`);
    for (const [candidate, init] of candidates) {
      const file = path.join(ref.root, ...candidate);
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile()) return info.size > this.maxBytes ? null : this.decoded(await readFile(file).catch(() => undefined), init);
    }
    return null;
  }

  private decoded(bytes: Buffer | undefined, init: boolean): PackageModule | null {
    if (!bytes) return null;
    const decoded = decodeSource(bytes, this.maxBytes);
    if (!decoded.ok) return null;
    return { text: decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text, init };
  }

  private archive(file: string): Promise<{ zip: ZipReader; entries: Map<string, ZipEntry> }> {
    let open = this.archives.get(file);
    if (!open) {
      open = ZipReader.open(file).then(
        (zip) => ({ zip, entries: new Map(zip.entries.map((entry) => [entry.name, entry])) }),
        (error) => {
          throw new InputError(`package archive ${file} (named by the corpus) is not readable here: ${error instanceof ZipError ? error.message : (error as Error).message}`);
        },
      );
      this.archives.set(file, open);
    }
    return open;
  }
}

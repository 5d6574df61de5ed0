// `.py` files inside a zip archive, entry by entry (e.g. Pyodide's own standard library).
import path from 'node:path';
import { reject, type StageItem } from '../contract/index.js';
import { decodeSource } from './decode.js';
import { zipPackages } from './packages.js';
import type { SourceFile } from './types.js';
import { ZipError, ZipReader } from './zip.js';

export async function* readZipSource(file: string, maxBytes: number): AsyncIterable<StageItem<SourceFile>> {
  let zip: ZipReader;
  try {
    zip = await ZipReader.open(file);
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    yield reject({ stage: 'corpus', reason: 'corrupt-zip', source: { dataset: file }, detail: error.message });
    return;
  }
  const placeOf = zipPackages(path.resolve(file), zip.entries.map((entry) => entry.name));
  try {
    for (const entry of zip.entries) {
      if (!entry.name.endsWith('.py')) continue;
      const source = { dataset: file, path: entry.name };
      if (entry.size > maxBytes) {
        yield reject({ stage: 'corpus', reason: 'too-large', source, detail: `${entry.size} bytes (limit ${maxBytes})` });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = await zip.read(entry);
      } catch (error) {
        if (!(error instanceof ZipError)) throw error;
        yield reject({ stage: 'corpus', reason: 'corrupt-zip', source, detail: error.message });
        continue;
      }
      const decoded = decodeSource(bytes, maxBytes);
      const place = decoded.ok ? placeOf(entry.name) : undefined;
      if (decoded.ok) yield { kind: 'keep', record: place ? { text: decoded.text, source, package: place } : { text: decoded.text, source } };
      else yield reject({ stage: 'corpus', reason: decoded.reason, source, detail: decoded.detail });
    }
  } finally {
    await zip.close();
  }
}

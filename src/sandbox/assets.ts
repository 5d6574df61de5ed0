// Python that runs inside the interpreter lives in .py files next to the TypeScript that uses it.
// Compiled code runs from dist/, so a path under dist/src/ is mapped back to src/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function pythonAssetPath(moduleUrl: string, relative: string): string {
  const compiled = fileURLToPath(new URL(relative, moduleUrl));
  const marker = `${path.sep}dist${path.sep}src${path.sep}`;
  const at = compiled.lastIndexOf(marker);
  return at < 0 ? compiled : compiled.slice(0, at) + `${path.sep}src${path.sep}` + compiled.slice(at + marker.length);
}

export function readPythonAsset(moduleUrl: string, relative: string): string {
  return readFileSync(pythonAssetPath(moduleUrl, relative), 'utf8');
}

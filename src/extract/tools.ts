// The Python tools extraction needs inside the sandbox. Both live in one package,
// ./python/case2code_extract/, and import what they share (check.py) from it.
import { pythonAssetPath } from '../sandbox/assets.js';

/**
 * A trusted Python tool: the directory that contains its package, and the module whose
 * `handle(payload)` the sandbox calls.
 * TODO: import it from '../sandbox/types.js' once the new sandbox declares it there (same shape).
 */
export interface PythonTool {
  root: string;
  module: string;
}

/** Tools to pass to `Sandbox.start({ tools })`: `extract` and `extract-verify`. */
export function extractTools(): Record<string, PythonTool> {
  const root = pythonAssetPath(import.meta.url, './python');
  return {
    extract: { root, module: 'case2code_extract.extract' },
    'extract-verify': { root, module: 'case2code_extract.verify' },
  };
}

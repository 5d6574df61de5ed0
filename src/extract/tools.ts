// The Python tools extraction needs inside the sandbox. Both live in one package,
// ./python/case2code_extract/, and import what they share (check.py) from it.
import { pythonAssetPath } from '../sandbox/assets.js';
import type { PythonTool } from '../sandbox/types.js';

/** Tools to pass to `Sandbox.start({ tools })`: `extract` and `extract-standalone`. */
export function extractTools(): Record<string, PythonTool> {
  const root = pythonAssetPath(import.meta.url, './python');
  return {
    extract: { root, module: 'case2code_extract.extract' },
    'extract-standalone': { root, module: 'case2code_extract.standalone' },
  };
}

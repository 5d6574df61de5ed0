// The Python half of the inputs stage, as one sandbox tool: the package ./python/case2code_inputs/,
// whose tool.py has handle(payload).
import { pythonAssetPath } from '../sandbox/assets.js';
import type { PythonTool } from '../sandbox/types.js';

export type { PythonTool };

export const INPUTS_TOOL = 'case2code_inputs';

/** Tools for `Sandbox.start({ tools })`; merge with other stages' tools when sharing a sandbox. */
export function inputsTools(): Record<string, PythonTool> {
  return { [INPUTS_TOOL]: { root: pythonAssetPath(import.meta.url, './python'), module: 'case2code_inputs.tool' } };
}

// The Python half of the inputs stage, as one sandbox tool: the package ./python/case2code_inputs/,
// whose tool.py has handle(payload).
import { pythonAssetPath } from '../sandbox/assets.js';

export const INPUTS_TOOL = 'case2code_inputs';

/**
 * A trusted Python tool: the directory that contains its package, and the module whose
 * `handle(payload)` the sandbox calls.
 * TODO: import it from '../sandbox/types.js' once the new sandbox declares it there (same shape).
 */
export interface PythonTool {
  root: string;
  module: string;
}

/** Tools for `Sandbox.start({ tools })`; merge with other stages' tools when sharing a sandbox. */
export function inputsTools(): Record<string, PythonTool> {
  return { [INPUTS_TOOL]: { root: pythonAssetPath(import.meta.url, './python'), module: 'case2code_inputs.tool' } };
}

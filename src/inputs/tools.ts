// The Python half of the inputs stage, as one sandbox tool. Its modules live in ./python/ as separate
// files for readability and are joined in dependency order into a single tool source.
import { readPythonAsset } from '../sandbox/assets.js';

export const INPUTS_TOOL = 'case2code_inputs';

const MODULES = ['infer.py', 'usage.py', 'values.py', 'coverage.py', 'select.py', 'calls.py', 'parse.py', 'fuzz.py', 'tool.py'];

let cached: string | undefined;

/** Tool sources for `Sandbox.start({ tools })`; merge with other stages' tools when sharing a sandbox. */
export function inputsTools(): Record<string, string> {
  cached ??= MODULES.map((file) => `# ---- ${file} ----\n${readPythonAsset(import.meta.url, `./python/${file}`)}`).join('\n\n');
  return { [INPUTS_TOOL]: cached };
}

// The sandbox tools `case2code serve` needs: the official examples (scoring official items) and
// run_code (./python/case2code_serve/run_code.py, for POST /run_code).
import { OFFICIAL_TOOLS } from '../eval/official.js';
import { pythonAssetPath } from '../sandbox/assets.js';
import type { PythonTool } from '../sandbox/types.js';

export const RUN_CODE_TOOL = 'case2code_run_code';

export const SERVE_TOOLS: Record<string, PythonTool> = {
  ...OFFICIAL_TOOLS,
  [RUN_CODE_TOOL]: { root: pythonAssetPath(import.meta.url, './python'), module: 'case2code_serve.run_code' },
};

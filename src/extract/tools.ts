// The Python tools extraction needs inside the sandbox. A tool is one module's source, so the
// files of a tool are joined in order: shared checks first, then the parts that use them.
import { readPythonAsset } from '../sandbox/assets.js';

const EXTRACT_FILES = ['./python/check.py', './python/scan.py', './python/carry.py', './python/extract.py'];
const VERIFY_FILES = ['./python/check.py', './python/verify.py'];

function joined(files: string[]): string {
  return files.map((file) => `# ---- ${file.slice('./python/'.length)} ----\n${readPythonAsset(import.meta.url, file)}`).join('\n\n');
}

/** Tool sources to pass to `Sandbox.start({ tools })`: `extract` and `extract-verify`. */
export function extractTools(): Record<string, string> {
  return { extract: joined(EXTRACT_FILES), 'extract-verify': joined(VERIFY_FILES) };
}

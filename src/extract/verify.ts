// Check extracted functions on their own, as a consumer receives them: defined in a fresh
// namespace, entry callable, every global name read by any scope bound (CPython's symtable).
// Needs the `extract-verify` tool of `extractTools()`.
import type { Sandbox } from '../sandbox/sandbox.js';

export type Verdict = { ok: true } | { ok: false; reason: string; detail?: string };

export async function verifyFunctions(sandbox: Sandbox, items: { code: string; entry: string }[], options: { timeoutMs?: number } = {}): Promise<Verdict[]> {
  if (items.length === 0) return [];
  const answer = await sandbox.runTool<Verdict[]>('extract-verify', { items }, { timeoutMs: options.timeoutMs ?? 10_000 });
  if (answer.ok) return answer.value;
  throw new Error(`extract-verify failed: ${JSON.stringify(answer.outcome)}`);
}

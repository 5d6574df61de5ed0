// Checks extracted functions on their own, as a consumer receives them: defined in a fresh
// namespace, entry callable, every global name read by any scope bound (CPython's symtable).
// Needs the `extract-standalone` tool of `extractTools()`.
import { Case2CodeError } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';

export type StandaloneCheck = { ok: true } | { ok: false; reason: string; detail?: string };

export async function checkStandalone(sandbox: Sandbox, items: { code: string; entry: string }[], options: { timeoutMs?: number } = {}): Promise<StandaloneCheck[]> {
  if (items.length === 0) return [];
  const answer = await sandbox.runTool<StandaloneCheck[]>('extract-standalone', { items }, { timeoutMs: options.timeoutMs ?? 10_000 });
  if (answer.ok) return answer.value;
  throw new Case2CodeError('sandbox', `extract-standalone failed: ${JSON.stringify(answer.outcome)}`);
}

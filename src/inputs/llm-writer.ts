// The `llm` generator: ask a model for inputs, read them inside the sandbox, ask again (a bounded
// number of times) while fewer than N usable ones remain.
import type { LlmClient, LlmMessage } from '../llm/client.js';
import type { FunctionRecord } from '../contract/index.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallSpec } from '../contract/index.js';
import { asCompletionPrompt, followUp, writerMessages } from './prompt.js';
import { parseAnswer } from './tool-calls.js';

export interface LlmInputs {
  inputs: CallSpec[];
  /** Requests made for this function (1 + follow-ups). */
  rounds: number;
  /** Counts of dropped entries per reason. */
  dropped: Record<string, number>;
  truncated: number;
}

export async function writeWithLlm(sandbox: Sandbox, client: LlmClient, fn: FunctionRecord, n: number, maxRounds: number): Promise<LlmInputs> {
  const messages: LlmMessage[] = writerMessages(fn.code, fn.entry, n);
  const result: LlmInputs = { inputs: [], rounds: 0, dropped: {}, truncated: 0 };
  const keys: string[] = [];
  while (result.rounds < maxRounds && result.inputs.length < n) {
    result.rounds++;
    const request = client.options.mode === 'completions' ? { prompt: asCompletionPrompt(messages) } : { messages };
    const [answer] = await client.complete(request);
    if (answer.truncated) result.truncated++;
    const parsed = await parseAnswer(sandbox, fn, answer.text, keys);
    for (let i = 0; i < parsed.inputs.length && result.inputs.length < n; i++) {
      result.inputs.push(parsed.inputs[i]);
      keys.push(parsed.keys[i]);
    }
    const reasons = parsed.dropped.map((d) => d.reason.split(':')[0]);
    for (const reason of reasons) result.dropped[reason] = (result.dropped[reason] ?? 0) + 1;
    if (parsed.entries === 0) reasons.push('no inputs found in a code block');
    messages.push({ role: 'assistant', content: answer.text }, { role: 'user', content: followUp(result.inputs.length, n - result.inputs.length, reasons) });
  }
  return result;
}

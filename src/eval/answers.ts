// Where the answers come from: a saved completions file, or a model behind an OpenAI-compatible API
// (through the shared LLM client, which brings concurrency, retries and the response cache).
import type { LlmClient } from '../llm/client.js';
import type { EvalItem } from './items.js';
import type { Answer } from './score.js';

/** The n answers for an item, in sample order. */
export type AnswerSource = (item: EvalItem) => Promise<Answer[]>;

/** Stands for an answer missing from a completions file; it fails as `no-code`. */
export const MISSING_ANSWER: Answer = { text: '', truncated: false };

/**
 * Answers from a completions file (see readCompletions). An item with fewer than n answers gets
 * empty ones for the rest, which fail: a missing answer must not raise the score.
 */
export function answersFromCompletions(completions: Map<string, Answer[]>, n: number): AnswerSource {
  return async (item) => {
    const saved = completions.get(item.id) ?? [];
    return Array.from({ length: n }, (_, i) => saved[i] ?? MISSING_ANSWER);
  };
}

/** The largest number of answers any id has: the default samples per item for a completions file. */
export function mostAnswersPerId(completions: Map<string, Answer[]>): number {
  let n = 0;
  for (const answers of completions.values()) n = Math.max(n, answers.length);
  return n;
}

/** n fresh answers per item from a model; the prompt goes as the user message in chat mode. */
export function answersFromModel(client: LlmClient, n: number, request: { temperature?: number; maxTokens?: number } = {}): AnswerSource {
  return async (item) => {
    try {
      const completions = await client.complete({ prompt: item.prompt, n, temperature: request.temperature, maxTokens: request.maxTokens });
      return completions.map((c) => ({ text: c.text, truncated: c.truncated }));
    } catch (error) {
      throw new Error(`item ${item.id} (${item.source.path}:${item.source.line}): the model request failed: ${(error as Error).message}`, { cause: error });
    }
  };
}

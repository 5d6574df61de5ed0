// Where the answers come from: a saved samples file, or a model behind an OpenAI-compatible API
// (through the shared LLM client, which brings concurrency, retries and the response cache).
import type { LlmClient } from '../llm/client.js';
import type { EvalItem } from './items.js';
import type { Answer } from './score.js';

/** The n answers for an item, in sample order. */
export type AnswerSource = (item: EvalItem) => Promise<Answer[]>;

/** Why a sample is missing from a samples file; such a sample fails as `no-code`. */
export const MISSING_SAMPLE: Answer = { text: '', truncated: false };

/**
 * Answers from a samples file (see readSamples). An item with fewer than n samples gets empty
 * answers for the rest, which fail: a missing sample must not raise the score.
 */
export function answersFromSamples(samples: Map<string, Answer[]>, n: number): AnswerSource {
  return async (item) => {
    const saved = samples.get(item.id) ?? [];
    return Array.from({ length: n }, (_, i) => saved[i] ?? MISSING_SAMPLE);
  };
}

/** The largest number of samples any id has: the default n for a samples file. */
export function samplesPerItem(samples: Map<string, Answer[]>): number {
  let n = 0;
  for (const answers of samples.values()) n = Math.max(n, answers.length);
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

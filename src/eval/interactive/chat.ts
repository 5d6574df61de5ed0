// A chat client that offers tools: one model turn (text and/or tool calls) per call. The shared
// LlmClient speaks plain completions; this adds tool calls for interactive mode, with the same
// retry policy (llm/errors.ts), the same limit on requests in flight, and the same response cache,
// keyed by the whole conversation so far, so a rerun sends nothing it already has.
import OpenAI from 'openai';
import { hashKey, ResponseCache } from '../../llm/cache.js';
import type { LlmOptions } from '../../llm/client.js';
import { backoffMs, classify, isRetryable, LlmError } from '../../llm/errors.js';
import { Limiter } from '../../llm/limiter.js';

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: JSON text, not yet checked. */
  arguments: string;
}

export interface ChatTurn {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  cached: boolean;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export class ToolChat {
  private readonly openai: OpenAI;
  private readonly limiter: Limiter;
  private readonly cache?: ResponseCache;

  constructor(readonly options: LlmOptions) {
    if (options.mode === 'completions') throw new Error('interactive mode needs a chat model with tool calls (--llm-mode chat)');
    const keyVariable = options.apiKeyEnv ?? 'OPENAI_API_KEY';
    const apiKey = process.env[keyVariable];
    if (options.apiKeyEnv && apiKey === undefined) throw new Error(`the environment variable ${options.apiKeyEnv} (API key) is not set`);
    this.openai = new OpenAI({ baseURL: options.baseURL, apiKey: apiKey ?? 'EMPTY', maxRetries: 0, timeout: options.timeoutMs ?? 300_000 });
    this.limiter = new Limiter(options.concurrency ?? 64);
    if (options.cachePath) this.cache = new ResponseCache(options.cachePath);
  }

  /** The model's next turn. `sample` tells apart independent conversations of one item. */
  async turn(messages: ChatMessage[], tools: ToolSpec[], request: { toolChoice: 'auto' | 'none'; sample: number; temperature?: number; maxTokens?: number }): Promise<ChatTurn> {
    const o = this.options;
    const body = {
      model: o.model,
      messages,
      tools,
      tool_choice: request.toolChoice,
      temperature: request.temperature ?? o.temperature,
      top_p: o.topP,
      max_tokens: request.maxTokens ?? o.maxTokens,
      seed: o.seed,
    };
    const key = hashKey({ v: 1, kind: 'tool-chat', baseURL: o.baseURL, ...body, sample: request.sample });
    const hit = this.cache?.get(key);
    if (hit) return { ...(JSON.parse(hit.text) as Omit<ChatTurn, 'cached' | 'finishReason'>), finishReason: hit.finishReason, cached: true };
    const turn = await this.send(body);
    this.cache?.put(key, { text: JSON.stringify({ content: turn.content, toolCalls: turn.toolCalls }), finishReason: turn.finishReason });
    return turn;
  }

  close(): void {
    this.cache?.close();
  }

  private async send(body: Record<string, unknown>): Promise<ChatTurn> {
    const maxRetries = this.options.maxRetries ?? 6;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(async () => parseTurn(await this.openai.chat.completions.create(body as any)));
      } catch (caught) {
        const error = classify(caught);
        error.attempts = attempt + 1;
        if (!isRetryable(error.failure) || attempt >= maxRetries) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, error, this.options.retryBaseMs ?? 500, this.options.retryMaxMs ?? 60_000)));
      }
    }
  }
}

/** The first choice of a response, checked by hand: a server may answer 200 with anything. */
function parseTurn(response: unknown): ChatTurn {
  const choice = (response as any)?.choices?.[0];
  const message = choice?.message;
  if (!message || typeof message !== 'object') throw new LlmError('garbage', `the answer has no choices[0].message: ${JSON.stringify(response)?.slice(0, 120)}`);
  if (message.content !== null && message.content !== undefined && typeof message.content !== 'string') throw new LlmError('garbage', 'the message content is not text');
  const calls = message.tool_calls ?? [];
  if (!Array.isArray(calls)) throw new LlmError('garbage', 'tool_calls is not a list');
  const toolCalls = calls.map((call: any, i: number): ToolCall => {
    const fn = call?.function;
    if (typeof fn?.name !== 'string') throw new LlmError('garbage', `tool call ${i} has no function name`);
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    return { id: typeof call.id === 'string' && call.id ? call.id : `call_${i}`, name: fn.name, arguments: args };
  });
  return { content: message.content ?? '', toolCalls, finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null, cached: false };
}

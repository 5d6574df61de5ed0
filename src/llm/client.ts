// An OpenAI-compatible client for model servers (vLLM, SGLang, Ollama, llama.cpp, LMDeploy, OpenAI):
// many requests in flight, our own retries with backoff, a per-request timeout, and a response cache
// where every sample has its own key, so a rerun sends nothing it already has.
import { hashKey, ResponseCache, type CachedAnswer } from './cache.js';
import { backoffMs, classify, isRetryable, LlmError } from './errors.js';
import { jsonPoster, type JsonPost } from './http.js';
import { Limiter } from './limiter.js';
import { LLM_OPTIONS } from './options.js';
import { ConfigurationError } from '../contract/index.js';

export { LlmError, type LlmFailure } from './errors.js';

export interface LlmOptions {
  baseURL: string;
  model: string;
  /** Environment variable holding the API key (default OPENAI_API_KEY; local servers need none). */
  apiKeyEnv?: string;
  mode?: 'chat' | 'completions';
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
  /** HTTP requests in flight at once (default 64). */
  concurrency?: number;
  /** Per-attempt timeout (default 300 s). */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts, connection errors, garbage (default 6). */
  maxRetries?: number;
  /** First backoff step (default 500 ms); doubles each retry up to retryMaxMs (default 60 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Directory of the response cache (created if missing; one JSON file per answer, may be shared); undefined = no cache. */
  cachePath?: string;
  /** Called once per completion delivered (from the cache or the server), e.g. to tick a progress bar. */
  onCompletion?: (completion: Completion) => void;
  /** Awaited before each HTTP attempt, e.g. a rate limit shared by every worker of a queue. */
  beforeRequest?: () => Promise<void>;
}

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  messages?: LlmMessage[];
  prompt?: string;
  /** Number of samples (default 1). */
  n?: number;
  temperature?: number;
  maxTokens?: number;
}

export interface Completion {
  text: string;
  finishReason: string | null;
  /** The server stopped at the token limit (`finish_reason == "length"`). */
  truncated: boolean;
  cached: boolean;
  /** Sample index within the request, 0..n-1. */
  index: number;
}

export interface LlmUsage {
  /** HTTP attempts sent (retries included). */
  requests: number;
  cachedAnswers: number;
  retries: number;
  promptTokens: number;
  completionTokens: number;
  /** complete() calls that failed after every retry. */
  failures: number;
}

export class LlmClient {
  private readonly post: JsonPost;
  private readonly limiter: Limiter;
  private readonly cache?: ResponseCache;
  private readonly mode: 'chat' | 'completions';
  private readonly counters: LlmUsage = { requests: 0, cachedAnswers: 0, retries: 0, promptTokens: 0, completionTokens: 0, failures: 0 };

  constructor(readonly options: LlmOptions) {
    if (!options.baseURL) throw new ConfigurationError('LlmClient: baseURL is required');
    if (!options.model) throw new ConfigurationError('LlmClient: model is required');
    const keyVariable = options.apiKeyEnv ?? 'OPENAI_API_KEY';
    const apiKey = process.env[keyVariable];
    if (options.apiKeyEnv && apiKey === undefined) throw new ConfigurationError(`LlmClient: the environment variable ${options.apiKeyEnv} (API key) is not set`);
    this.mode = options.mode ?? 'chat';
    // Our own retries honour Retry-After, count retries and respect the limiter.
    const defaults = LLM_OPTIONS.table;
    const concurrency = options.concurrency ?? defaults.llmConcurrency.default!;
    this.post = jsonPoster({ baseURL: options.baseURL, apiKey: apiKey ?? 'EMPTY', timeoutMs: options.timeoutMs ?? defaults.llmTimeoutMs.default!, sockets: concurrency });
    this.limiter = new Limiter(concurrency);
    if (options.cachePath) this.cache = new ResponseCache(options.cachePath);
  }

  /** `n` completions of one request; sample i comes from the cache when an earlier run stored it. */
  async complete(request: LlmRequest): Promise<Completion[]> {
    const n = request.n ?? 1;
    const body = this.requestBody(request);
    const keys = Array.from({ length: n }, (_, index) => hashKey({ v: 1, baseURL: this.options.baseURL, mode: this.mode, ...body, index }));
    const results: Completion[] = new Array(n);
    let missing: number[] = [];
    for (let index = 0; index < n; index++) {
      const hit = this.cache?.get(keys[index]);
      if (hit) {
        this.counters.cachedAnswers++;
        results[index] = this.deliver(hit, index, true);
      } else missing.push(index);
    }
    try {
      // A server may give fewer choices than asked; ask again for the rest, a bounded number of times.
      for (let round = 0; missing.length > 0; round++) {
        const answers = await this.send(body, missing.length);
        if (answers.length === 0 && round >= 2) throw new LlmError('garbage', `the server returned no choices (asked for ${missing.length})`);
        for (const answer of answers.slice(0, missing.length)) {
          const index = missing.shift()!;
          this.cache?.put(keys[index], answer);
          results[index] = this.deliver(answer, index, false);
        }
      }
    } catch (error) {
      this.counters.failures++;
      throw error;
    }
    return results;
  }

  usage(): LlmUsage {
    return { ...this.counters };
  }

  close(): void {
    this.cache?.close();
    this.post.close();
  }

  private deliver(answer: CachedAnswer, index: number, cached: boolean): Completion {
    const completion = { text: answer.text, finishReason: answer.finishReason, truncated: answer.finishReason === 'length', cached, index };
    this.options.onCompletion?.(completion);
    return completion;
  }

  /** The sampling part of the request: what the cache key covers besides the sample index. */
  private requestBody(request: LlmRequest): Record<string, unknown> {
    const o = this.options;
    const common = {
      model: o.model,
      temperature: request.temperature ?? o.temperature,
      top_p: o.topP,
      max_tokens: request.maxTokens ?? o.maxTokens,
      seed: o.seed,
      stop: o.stop && o.stop.length > 0 ? o.stop : undefined,
    };
    if (this.mode === 'chat') {
      const messages = request.messages ?? (request.prompt !== undefined ? [{ role: 'user' as const, content: request.prompt }] : undefined);
      if (!messages || messages.length === 0) throw new ConfigurationError('LlmClient.complete: a chat request needs messages or a prompt');
      return { ...common, messages };
    }
    if (request.prompt === undefined) throw new ConfigurationError('LlmClient.complete: completions mode needs a prompt (not messages)');
    return { ...common, prompt: request.prompt };
  }

  /** One logical request with our retries around it; the answers are the server's choices in order. */
  private async send(body: Record<string, unknown>, n: number): Promise<CachedAnswer[]> {
    const maxRetries = this.options.maxRetries ?? LLM_OPTIONS.table.llmRetries.default!;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiter.run(() => this.attempt(body, n));
      } catch (caught) {
        const error = classify(caught);
        error.attempts = attempt + 1;
        if (!isRetryable(error.failure) || attempt >= maxRetries) throw error;
        this.counters.retries++;
        const wait = backoffMs(attempt, error, this.options.retryBaseMs ?? 500, this.options.retryMaxMs ?? 60_000);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async attempt(body: Record<string, unknown>, n: number): Promise<CachedAnswer[]> {
    if (this.options.beforeRequest) await this.options.beforeRequest();
    this.counters.requests++;
    const params = { ...body, n } as any;
    const response: unknown = await this.post(this.mode === 'chat' ? 'chat/completions' : 'completions', params);
    const answers = parseChoices(response, this.mode);
    const usage = (response as any).usage;
    if (usage) {
      this.counters.promptTokens += Number(usage.prompt_tokens) || 0;
      this.counters.completionTokens += Number(usage.completion_tokens) || 0;
    }
    return answers;
  }
}

/** The choices of a response, checked by hand: a server may answer 200 with anything. */
function parseChoices(response: unknown, mode: 'chat' | 'completions'): CachedAnswer[] {
  const choices = (response as any)?.choices;
  if (!response || typeof response !== 'object' || !Array.isArray(choices)) {
    const preview = typeof response === 'string' ? response.slice(0, 120) : JSON.stringify(response)?.slice(0, 120);
    throw new LlmError('garbage', `the answer has no "choices" array: ${preview}`);
  }
  const ordered = [...choices].sort((a, b) => (Number(a?.index) || 0) - (Number(b?.index) || 0));
  return ordered.map((choice) => {
    const text = mode === 'chat' ? choice?.message?.content : choice?.text;
    if (text !== null && text !== undefined && typeof text !== 'string') throw new LlmError('garbage', 'a choice has no text');
    const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : null;
    return { text: text ?? '', finishReason };
  });
}

// The model-server options, stated once and shared by every command that talks to a model (run,
// inputs, eval): the same flags everywhere, `--llm-*`.
import { ConfigurationError, defineOptions, opt, type OptionValues } from '../contract/index.js';
import type { LlmOptions } from './client.js';

export const LLM_OPTIONS = defineOptions('llm', {
  llmBaseUrl: opt.string('OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1'),
  llmModel: opt.string('model name on that server'),
  llmApiKeyEnv: opt.string('environment variable holding the API key (default OPENAI_API_KEY; local servers need none)'),
  llmMode: opt.choice(['chat', 'completions'] as const, 'chat messages or a plain completion prompt', 'chat'),
  llmTemperature: opt.number('sampling temperature (0: the most likely answer, so reruns agree)', 0, { min: 0, max: 2 }),
  llmMaxTokens: opt.int('longest answer, in tokens', 2048, { min: 1 }),
  llmConcurrency: opt.int('requests in flight at once', 64, { min: 1 }),
  llmTimeoutMs: opt.int('per-attempt timeout, in ms', 300_000, { min: 1 }),
  llmRetries: opt.int('retries after the first attempt on 429, 5xx, timeouts, connection errors, garbage', 6, { min: 0 }),
  llmSeed: opt.int('sampling seed sent to the model (default: the command\'s --seed where it has one)', undefined, { min: 0 }),
  llmCache: opt.string('response cache directory (shareable by several processes): a rerun sends no request it already made'),
});

export type LlmFlags = OptionValues<(typeof LLM_OPTIONS)['table']>;

/** The client's options from resolved flags, or undefined when no server was given. */
export function llmClientOptions(flags: LlmFlags, seed?: number): LlmOptions | undefined {
  if (!flags.llmBaseUrl && !flags.llmModel) return undefined;
  if (!flags.llmBaseUrl || !flags.llmModel) {
    throw new ConfigurationError(`a model needs both --llm-base-url and --llm-model (got ${flags.llmBaseUrl ? 'only --llm-base-url' : 'only --llm-model'})`);
  }
  return {
    baseURL: flags.llmBaseUrl,
    model: flags.llmModel,
    apiKeyEnv: flags.llmApiKeyEnv,
    mode: flags.llmMode,
    temperature: flags.llmTemperature,
    maxTokens: flags.llmMaxTokens,
    concurrency: flags.llmConcurrency,
    timeoutMs: flags.llmTimeoutMs,
    maxRetries: flags.llmRetries,
    cachePath: flags.llmCache,
    seed: flags.llmSeed ?? seed,
  };
}

import type { Command } from 'commander';
import { inputsFile } from '../../inputs/inputs-file.js';
import { inputsTools, type GeneratorName } from '../../inputs/index.js';
import { LlmClient } from '../../llm/client.js';
import { Sandbox } from '../../sandbox/sandbox.js';
import { addSandboxFlags, sandboxOptionsFrom, toInt } from '../sandbox-options.js';

const GENERATORS = ['fuzz', 'llm', 'hybrid'];

export function registerInputs(program: Command): void {
  addSandboxFlags(
    program
      .command('inputs')
      .description('write about N diverse, valid inputs per function: fuzz (default, no model), llm, or hybrid')
      .requiredOption('--input <file>', 'JSONL of functions: {"id", "entry", "code", ...}')
      .requiredOption('--output <file>', 'JSONL: each function plus "inputs" and "generator"')
      .option('--rejects <file>', 'functions without inputs and bad lines, with reasons (default: <output>.rejects.jsonl)')
      .option('--generator <name>', 'fuzz | llm | hybrid', 'fuzz')
      .option('-n, --n <count>', 'inputs per function', toInt, 10)
      .option('--seed <n>', 'seed of the fuzzer', toInt, 0)
      .option('--max-executions <n>', 'fuzz budget: executions per function', toInt, 300)
      .option('--edge-share <x>', 'largest share of type-confused inputs (fuzz, hybrid)', Number, 0.05)
      .option('--base-url <url>', 'OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 (llm, hybrid)')
      .option('--model <name>', 'model name on that server')
      .option('--api-key-env <var>', 'environment variable holding the API key')
      .option('--mode <mode>', 'chat | completions', 'chat')
      .option('--temperature <t>', 'sampling temperature', Number, 0.7)
      .option('--max-tokens <n>', 'longest answer', toInt, 1500)
      .option('--concurrency <n>', 'requests in flight (llm, hybrid)', toInt, 64)
      .option('--cache <file>', 'SQLite response cache: a rerun sends no request it already made'),
  ).action(async (flags) => {
    if (!GENERATORS.includes(flags.generator)) throw new Error(`--generator must be one of ${GENERATORS.join(', ')}, got "${flags.generator}"`);
    let llm: LlmClient | undefined;
    if (flags.generator !== 'fuzz') {
      if (!flags.baseUrl || !flags.model) throw new Error(`--generator ${flags.generator} needs --base-url and --model`);
      llm = new LlmClient({
        baseURL: flags.baseUrl,
        model: flags.model,
        apiKeyEnv: flags.apiKeyEnv,
        mode: flags.mode === 'completions' ? 'completions' : 'chat',
        temperature: flags.temperature,
        maxTokens: flags.maxTokens,
        seed: flags.seed,
        concurrency: flags.concurrency,
        cachePath: flags.cache,
      });
    }
    const sandbox = await Sandbox.start({ ...sandboxOptionsFrom(flags), tools: inputsTools() });
    try {
      const stats = await inputsFile(sandbox, {
        input: flags.input,
        output: flags.output,
        rejects: flags.rejects,
        generator: flags.generator as GeneratorName,
        n: flags.n,
        seed: flags.seed,
        llm,
        budget: { executions: flags.maxExecutions },
        edgeShare: flags.edgeShare,
        concurrency: llm ? flags.concurrency : undefined,
        onBadLine: (r) => process.stderr.write(`${r.source?.path}:${r.source?.line}: ${r.reason}: ${r.detail}\n`),
      });
      const { funnel } = stats;
      process.stderr.write(
        `inputs: ${funnel.kept} functions with inputs, ${funnel.rejected} rejected, ${stats.badLines} bad lines in ${stats.seconds.toFixed(1)}s (${(funnel.seen / Math.max(stats.seconds, 1e-9)).toFixed(1)} functions/s)\n` +
          (funnel.rejected ? `reasons: ${JSON.stringify(funnel.reasons)}\n` : ''),
      );
      if (llm) process.stderr.write(`llm: ${JSON.stringify(llm.usage())}\n`);
    } finally {
      llm?.close();
      await sandbox.close();
    }
  });
}

import type { Command } from 'commander';
import { runEval } from '../../eval/run-eval.js';
import type { EvalSummary } from '../../eval/evaluate.js';
import { Progress } from '../progress.js';
import { addSandboxFlags, sandboxOptionsFrom, toInt } from '../sandbox-options.js';

export function registerEval(program: Command): void {
  addSandboxFlags(
    program
      .command('eval')
      .description('evaluate a model on a Case2Code benchmark: pass@k by execution in the sandbox')
      .requiredOption('--benchmark <file>', 'JSONL benchmark: our bench format or the official Case2Code test-set format (detected)')
      .option('--samples <file>', 'saved completions, JSONL {"id", "completion"} (several lines per id for n > 1)')
      .option('--base-url <url>', 'OpenAI-compatible API base URL (instead of --samples)')
      .option('--model <name>', 'model name for the API')
      .option('--mode <mode>', 'chat or completions', 'chat')
      .option('--api-key-env <name>', 'environment variable holding the API key')
      .option('--concurrency <n>', 'model requests in flight', toInt, 64)
      .option('--cache <dir>', 'response cache directory, so a rerun sends nothing it already has')
      .option('--seed <n>', 'sampling seed sent to the model', toInt)
      .option('--n <n>', 'samples per item (default: 1, or the most any id has in --samples)', toInt)
      .option('--k <list>', 'comma-separated k values for pass@k', toIntList, [1])
      .option('--temperature <t>', 'sampling temperature', Number, 0)
      .option('--max-tokens <n>', 'longest completion', toInt, 2048)
      .option('--output <file>', 'per-item results, JSONL')
      .option('--report <file>', 'offline HTML report with the failures and their diffs')
      .option('--json', 'print the summary as JSON'),
  ).action(async (flags) => {
    if (!flags.samples && !(flags.baseUrl && flags.model)) throw new Error('eval needs --samples FILE, or --base-url URL and --model NAME');
    if (flags.samples && flags.baseUrl) throw new Error('give either --samples or --base-url, not both');
    const model = flags.baseUrl
      ? {
          baseURL: flags.baseUrl,
          model: flags.model,
          mode: flags.mode === 'completions' ? ('completions' as const) : ('chat' as const),
          apiKeyEnv: flags.apiKeyEnv,
          concurrency: flags.concurrency,
          cachePath: flags.cache,
          seed: flags.seed,
          temperature: flags.temperature,
          maxTokens: flags.maxTokens,
        }
      : undefined;
    let progress: Progress | undefined;
    const { summary } = await runEval({
      onItem: (done, total) => (progress ??= new Progress('eval', total, 'items')).tick(),
      benchmark: flags.benchmark,
      samples: flags.samples,
      model,
      n: flags.n,
      k: flags.k,
      temperature: flags.temperature,
      maxTokens: flags.maxTokens,
      output: flags.output,
      report: flags.report,
      timeoutMs: flags.timeoutMs,
      sandbox: sandboxOptionsFrom(flags),
    });
    progress?.finish();
    process.stdout.write(flags.json ? JSON.stringify(summary) + '\n' : describe(summary));
  });
}

function describe(summary: EvalSummary): string {
  const passAtK = Object.entries(summary.pass_at_k).map(([k, v]) => `pass@${k} ${v.toFixed(4)}`).join('  ');
  const reasons = Object.entries(summary.reasons).filter(([, c]) => c > 0).map(([r, c]) => `${r} ${c}`).join(', ');
  return (
    `${summary.items} items, n=${summary.n}: ${passAtK}\n` +
    `samples passed: ${summary.passedSamples}/${summary.samples}` +
    (reasons ? `; failures: ${reasons}` : '') +
    ` (${summary.seconds.toFixed(1)}s)\n`
  );
}

function toIntList(value: string): number[] {
  return value.split(',').map((part) => toInt(part.trim()));
}

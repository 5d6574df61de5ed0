import type { Command } from 'commander';
import { runEval } from '../../eval/run-eval.js';
import type { EvalSummary } from '../../eval/evaluate.js';
import { DEFAULT_QUERIES } from '../../eval/interactive/interactive.js';
import { checkPromptStyle, DEFAULT_PROMPT_STYLE, PROMPT_STYLES } from '../../eval/prompts.js';
import { pick } from '../../contract/index.js';
import { LLM_OPTIONS, llmClientOptions } from '../../llm/options.js';
import { SANDBOX_OPTIONS } from '../../sandbox/options.js';
import { addFlags, givenFlags } from '../flags.js';
import { Progress } from '../progress.js';
import { sandboxOptionsFrom, toInt } from '../sandbox-options.js';

export function registerEval(program: Command): void {
  const command = addFlags(
    program
      .command('eval')
      .description('evaluate a model on a Case2Code benchmark: pass@k by execution in the sandbox')
      .requiredOption('--benchmark <file>', 'JSONL benchmark: our bench format or the official Case2Code test-set format (detected)')
      .option('--completions <file>', 'saved completions, JSONL {"id", "completion"} or the reference\'s {"gen_answer_id", "completions"} (several lines per id for several samples)')
      .option('--samples-per-item <n>', 'samples per item (default: 1, or the most any id has in --completions)', toInt)
      .option('--k <list>', 'comma-separated k values for pass@k', toIntList, [1])
      .option('--prompt-style <style>', `prompt of official-format items: ${PROMPT_STYLES.join(', ')} (official: the item's own; reference-baseline: the paper's baseline prompt, byte for byte; ours: plus a note on keyword arguments)`, DEFAULT_PROMPT_STYLE)
      .option('--float-tolerance <tol>', 'floats in returned values match within this relative/absolute tolerance (default: off, exact match)', Number)
      .option('--interactive', 'the model may call query(...) on the hidden function before answering; scored on held-out cases plus fresh fuzzed inputs')
      .option('--queries <n>', `query budget per conversation in --interactive (default ${DEFAULT_QUERIES})`, toInt)
      .option('--fuzz-seed <n>', 'seed of the fresh fuzzed inputs in --interactive (default 0)', toInt)
      .option('--output <file>', 'per-item results, JSONL')
      .option('--report <file>', 'offline HTML report with the failures and their diffs')
      .option('--json', 'print the summary as JSON'),
    [LLM_OPTIONS, SANDBOX_OPTIONS],
  );
  command.action(async (flags) => {
    if (!flags.completions && !(flags.llmBaseUrl && flags.llmModel)) throw new Error('eval needs --completions FILE, or --llm-base-url URL and --llm-model NAME');
    if (flags.completions && flags.llmBaseUrl) throw new Error('give either --completions or --llm-base-url, not both');
    if (flags.interactive && !flags.llmBaseUrl) throw new Error('--interactive needs a model (--llm-base-url and --llm-model): it answers queries during the conversation');
    if (!flags.interactive && (flags.queries !== undefined || flags.fuzzSeed !== undefined)) throw new Error('--queries and --fuzz-seed only apply with --interactive');
    const model = llmClientOptions(LLM_OPTIONS.resolve(pick(LLM_OPTIONS, givenFlags(command))));
    let progress: Progress | undefined;
    const { summary } = await runEval({
      onItem: (done, total) => (progress ??= new Progress('eval', total, 'items')).tick(),
      benchmark: flags.benchmark,
      completions: flags.completions,
      model,
      samplesPerItem: flags.samplesPerItem,
      k: flags.k,
      temperature: model?.temperature,
      maxTokens: model?.maxTokens,
      promptStyle: checkPromptStyle(flags.promptStyle),
      floatTolerance: flags.floatTolerance,
      interactive: flags.interactive ? { queries: flags.queries, fuzzSeed: flags.fuzzSeed } : undefined,
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
  const setup = summary.setup_errors.map((e) => `\n  setup-error ${e.id} (line ${e.line}): ${e.reason}`).join('');
  return (
    `${summary.items} items, ${summary.n} sample(s) each, prompt style ${summary.settings.prompt_style}: ${passAtK}\n` +
    `samples passed: ${summary.passedSamples}/${summary.samples}` +
    (reasons ? `; failures: ${reasons}` : '') +
    ` (${summary.seconds.toFixed(1)}s)` +
    (summary.setup_errors.length ? `\n${summary.setup_errors.length} item(s) could not be set up here (counted as not passed):${setup}` : '') +
    '\n'
  );
}

function toIntList(value: string): number[] {
  return value.split(',').map((part) => toInt(part.trim()));
}

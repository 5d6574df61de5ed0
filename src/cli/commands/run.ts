import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { runCase2Code, type Case2CodeRunOptions } from '../../pipeline/case2code.js';
import { summaryTable } from '../../pipeline/assemble.js';
import { ProgressBoard } from '../../pipeline/progress-board.js';
import { topReasons } from '../../report/collect.js';
import { addSandboxFlags, sandboxOptionsFrom, toInt } from '../sandbox-options.js';

/** Functions taken from the embedded standard library when no source and no --limit are given. */
export const DEFAULT_EMBEDDED_LIMIT = 400;

export function registerRun(program: Command): void {
  const command = addSandboxFlags(
    program
      .command('run')
      .description('the whole pipeline, resumable: extract, inputs, exec, filters, samples, report (no SOURCE: the embedded Python standard library)')
      .argument('[source...]', 'directories, .py, .jsonl[.gz], .parquet or .zip files')
      .option('--out <dir>', 'run directory (rerun the same command to resume)', 'case2code-out')
      .option('--config <file>', 'JSON file with any of these options (camelCase); flags win')
      .option('--generator <kind>', 'fuzz, llm or hybrid', 'fuzz')
      .option('--limit <n>', `stop after this many functions (default ${DEFAULT_EMBEDDED_LIMIT} for the embedded corpus, none otherwise)`, toInt)
      .option('--seed <n>', 'seed of every random choice (inputs, templates, split)', toInt, 0)
      .option('--inputs <n>', 'inputs written per function', toInt, 10)
      .option('--edge-share <x>', 'largest share of type-confused inputs the fuzzer chooses', Number, 0.05)
      .option('--test-fraction <x>', 'share of functions (by near-duplicate cluster) in the test split', Number, 0.1)
      .option('--shard-size <n>', 'functions per shard, the unit of resume', toInt, 50)
      .option('--max-repr-chars <n>', 'longest output a case may show', toInt, 500)
      .option('--min-cases <n>', 'fewest cases a function must keep', toInt, 3)
      .option('--decontaminate <files...>', 'benchmark JSONL files whose functions must not leak into the data')
      .option('--llm-base-url <url>', 'OpenAI-compatible server (generators llm, hybrid)')
      .option('--llm-model <name>', 'model name')
      .option('--llm-cache <file>', 'SQLite response cache')
      .option('--fresh', 'delete the run directory first instead of resuming it'),
  );
  command.action(async (sourceArgs: string[], flags: Record<string, any>) => {
    const merged = withConfig(command, flags);
    const sources: string[] = sourceArgs.length > 0 ? sourceArgs : (merged.sources ?? []);
    const limit = merged.limit ?? (sources.length === 0 ? DEFAULT_EMBEDDED_LIMIT : undefined);
    const llm = merged.llm ?? (merged.llmBaseUrl && merged.llmModel ? { baseURL: merged.llmBaseUrl, model: merged.llmModel, cachePath: merged.llmCache, seed: merged.seed } : undefined);
    const stageNames = ['extract', 'inputs', 'exec', 'filter', 'samples'];
    const board = new ProgressBoard(stageNames, limit, { unfiltered: ['extract', 'inputs', 'exec'] });
    const options: Case2CodeRunOptions = {
      sources,
      out: merged.out,
      generator: merged.generator,
      limit,
      seed: merged.seed,
      inputsPerFunction: merged.inputs,
      edgeShare: merged.edgeShare,
      testFraction: merged.testFraction,
      shardSize: merged.shardSize,
      maxReprChars: merged.maxReprChars,
      minCases: merged.minCases,
      decontaminate: merged.decontaminate,
      sandbox: sandboxOptionsFrom(merged),
      llm,
      fresh: Boolean(merged.fresh),
      onEvent: board.handle,
      tool: 'case2code run',
    };
    if (!['fuzz', 'llm', 'hybrid'].includes(options.generator)) throw new Error(`--generator must be fuzz, llm or hybrid, not "${options.generator}"`);
    const result = await runCase2Code(options);
    board.finish();
    process.stdout.write(`\n${summaryTable(result.stages, (s) => topReasons(s))}\n\n`);
    process.stdout.write(
      `${result.dataset.functions.train} train and ${result.dataset.functions.test} test functions in ${result.dataDir}\n` +
        `report: ${result.report}\n` +
        `${result.seconds.toFixed(1)} s this attempt; check the samples with: case2code verify ${merged.out}\n`,
    );
  });
}

/** Options from --config, overridden by flags given on the command line. */
function withConfig(command: Command, flags: Record<string, any>): Record<string, any> {
  if (!flags.config) return flags;
  let config: Record<string, any>;
  try {
    config = JSON.parse(readFileSync(flags.config, 'utf8'));
  } catch (error) {
    throw new Error(`--config ${flags.config}: ${(error as Error).message}`);
  }
  const merged: Record<string, any> = { ...flags };
  for (const [key, value] of Object.entries(config)) {
    if (command.getOptionValueSource(key) !== 'cli') merged[key] = value;
  }
  return merged;
}

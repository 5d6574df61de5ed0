import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { extractFile, extractTools, formatFunnel, type ExtractRules } from '../../extract/index.js';
import { Sandbox } from '../../sandbox/sandbox.js';
import { addSandboxFlags, sandboxOptionsFrom, toInt } from '../sandbox-options.js';

export function registerExtract(program: Command): void {
  addSandboxFlags(
    program
      .command('extract')
      .description('find standalone, executable functions in code corpora (directories, .py, .jsonl[.gz], .parquet, .zip)')
      .argument('<sources...>', 'corpus sources')
      .requiredOption('--output <file>', 'JSONL of functions: {"id", "entry", "code", "params", "source", "cluster"}')
      .option('--rejects <file>', 'dropped files and functions with reasons (default: <output>.rejects.jsonl)')
      .option('--field <name>', 'JSONL/Parquet field with the file text', 'content')
      .option('--max-bytes <n>', 'skip files larger than this', toInt, 1024 * 1024)
      .option('--rules <file>', 'JSON object overriding extraction rules (see src/extract/rules.ts)')
      .option('--min-lines <n>', 'fewest body lines', toInt)
      .option('--max-lines <n>', 'most body lines', toInt)
      .option('--max-chars <n>', 'longest function source', toInt)
      .option('--no-dedup', 'keep exact and near duplicates')
      .option('--near-threshold <j>', 'estimated Jaccard similarity of near duplicates', Number, 0.85)
      .option('--decontaminate <files...>', 'benchmark JSONL files: drop functions sharing a long token n-gram with them')
      .option('--ngram <n>', 'tokens per n-gram for --decontaminate', toInt, 10),
  ).action(async (sources: string[], flags) => {
    const rules: Partial<ExtractRules> = flags.rules ? JSON.parse(readFileSync(flags.rules, 'utf8')) : {};
    if (flags.minLines !== undefined) rules.minBodyLines = flags.minLines;
    if (flags.maxLines !== undefined) rules.maxBodyLines = flags.maxLines;
    if (flags.maxChars !== undefined) rules.maxChars = flags.maxChars;
    const sandbox = await Sandbox.start({ ...sandboxOptionsFrom(flags), tools: extractTools() });
    try {
      const stats = await extractFile(sandbox, {
        sources,
        output: flags.output,
        rejects: flags.rejects,
        field: flags.field,
        maxBytes: flags.maxBytes,
        rules,
        dedup: flags.dedup === false ? false : { threshold: flags.nearThreshold },
        decontaminate: flags.decontaminate,
        ngram: flags.ngram,
      });
      process.stderr.write(formatFunnel(stats) + '\n');
    } finally {
      await sandbox.close();
    }
  });
}

import type { Command } from 'commander';
import { pick } from '../../contract/index.js';
import { readCorpus } from '../../corpus/index.js';
import { EXTRACT_OPTIONS, extractionStage, extractTools } from '../../extract/index.js';
import { SANDBOX_OPTIONS } from '../../sandbox/options.js';
import { addFlags, givenFlags } from '../flags.js';
import { addOutputFlags, runStageCommand } from '../stage-command.js';

export function registerExtract(program: Command): void {
  const command = addOutputFlags(
    program
      .command('extract')
      .description('find standalone, executable functions in code corpora (directories, .py, .jsonl[.gz], .parquet, .zip)')
      .argument('<sources...>', 'corpus sources'),
    'functions {"id", "entry", "code", "params", "source", "cluster"}',
  );
  addFlags(command, [EXTRACT_OPTIONS, SANDBOX_OPTIONS]);
  command.action(async (sources: string[]) => {
    const flags = givenFlags(command);
    const extract = EXTRACT_OPTIONS.resolve(pick(EXTRACT_OPTIONS, flags));
    await runStageCommand({
      sandbox: { ...pick(SANDBOX_OPTIONS, flags), tools: extractTools() },
      stage: (sandbox) => extractionStage(sandbox, extract),
      input: () => readCorpus(sources, extract),
      output: String(flags.output),
      rejects: flags.rejects as string | undefined,
    });
  });
}

import type { Command } from 'commander';
import { runCase2Code } from '../../pipeline/case2code.js';
import { checkRunKeys, DEFAULT_EMBEDDED_LIMIT, RUN_GROUPS, type Case2CodeRunOptions } from '../../pipeline/options.js';
import { funnelTable } from '../../report/collect.js';
import { addFlags, givenFlags, readConfig } from '../flags.js';
import { ProgressBoard } from '../progress-board.js';

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('the whole pipeline, resumable: extract, inputs, exec, filters, samples, report (no SOURCE: the embedded Python standard library)')
    .argument('[source...]', 'directories, .py, .jsonl[.gz], .parquet or .zip files')
    .option('--config <file>', 'JSON file with any of these options, under their camelCase names (e.g. "shardSize"); flags win');
  addFlags(command, RUN_GROUPS);
  command.action(async (sourceArgs: string[]) => {
    const { config: configFile, ...flags } = givenFlags(command);
    const config = configFile ? readConfig(String(configFile)) : {};
    checkRunKeys(config, `--config ${configFile}`);
    const options = { ...config, ...flags } as Case2CodeRunOptions;
    if (sourceArgs.length > 0) options.sources = sourceArgs;
    const limit = options.limit ?? ((options.sources ?? []).length === 0 ? DEFAULT_EMBEDDED_LIMIT : undefined);
    const board = new ProgressBoard(['extract', 'inputs', 'exec', 'filter', 'samples'], limit, { unfiltered: ['extract', 'inputs', 'exec'] });
    const result = await runCase2Code({ ...options, onProgress: board.handle, tool: 'case2code run' });
    board.finish();
    if (!result.done) {
      process.stdout.write(`${result.message}\n`);
      return;
    }
    const output = options.output ?? 'case2code-out';
    process.stdout.write(`\n${funnelTable(result.stages)}\n\n`);
    process.stdout.write(
      `${result.dataset.functions.train} train and ${result.dataset.functions.test} test functions in ${result.dataDir}\n` +
        `report: ${result.report}\n` +
        `${result.seconds.toFixed(1)} s this attempt; check the samples with: case2code verify ${output}\n`,
    );
  });
}

import type { Command } from 'commander';
import { ExecJobSchema, pick } from '../../contract/index.js';
import { execStage } from '../../execute/index.js';
import { readRecords } from '../../io/records.js';
import { SANDBOX_OPTIONS } from '../../sandbox/options.js';
import { addFlags, givenFlags } from '../flags.js';
import { addOutputFlags, runStageCommand } from '../stage-command.js';

export function registerExec(program: Command): void {
  const command = addOutputFlags(
    program
      .command('exec')
      .description('run functions on their inputs in the sandbox; one outcome per input')
      .requiredOption('--input <file>', 'JSONL: {"id", "code", "entry", "inputs": [{"args": [...], "kwargs": {...}}], "setup"?}'),
    'each input record plus "outputs"',
  );
  addFlags(command, [SANDBOX_OPTIONS]);
  command.action(async () => {
    const flags = givenFlags(command);
    await runStageCommand({
      sandbox: pick(SANDBOX_OPTIONS, flags),
      stage: (sandbox) => execStage(sandbox),
      input: () => readRecords(String(flags.input), ExecJobSchema, 'exec'),
      output: String(flags.output),
      rejects: flags.rejects as string | undefined,
    });
  });
}

import type { Command } from 'commander';
import { execFile } from '../../execute/exec-file.js';
import { Sandbox } from '../../sandbox/sandbox.js';
import { addSandboxFlags, sandboxOptionsFrom } from '../sandbox-options.js';

export function registerExec(program: Command): void {
  addSandboxFlags(
    program
      .command('exec')
      .description('run functions on their inputs in the sandbox; one outcome per input')
      .requiredOption('--input <file>', 'JSONL: {"id", "code", "entry", "inputs": [{"args": [...], "kwargs": {...}}]}')
      .requiredOption('--output <file>', 'JSONL: each input record plus "outputs"')
      .option('--rejects <file>', 'bad input lines with reasons (default: <output>.rejects.jsonl)'),
  ).action(async (flags) => {
    const sandbox = await Sandbox.start(sandboxOptionsFrom(flags));
    try {
      const stats = await execFile(sandbox, { input: flags.input, output: flags.output, rejects: flags.rejects });
      const rate = stats.jobs / Math.max(stats.seconds, 1e-9);
      process.stderr.write(
        `exec: ${stats.jobs} functions, ${stats.calls} calls, ${stats.rejected} bad lines in ${stats.seconds.toFixed(1)}s (${rate.toFixed(0)} functions/s)\n` +
          `verdicts: ${JSON.stringify(stats.verdicts)}\n`,
      );
    } finally {
      await sandbox.close();
    }
  });
}

import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../contract/index.js';
import { runStatus, statusText } from '../../pipeline/status.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('what the tasks of a run are doing, on any executor: per stage done, running, failed (with the reason) and waiting, and functions per second')
    .argument('<dir>', 'a run directory')
    .option('--json', 'print the status as JSON')
    .action((dir: string, flags: { json?: boolean }) => {
      if (!existsSync(path.join(dir, 'manifest.json'))) throw new InputError(`${dir}: no manifest.json; is this a case2code run directory?`);
      const status = runStatus(dir);
      process.stdout.write((flags.json ? JSON.stringify(status, null, 2) : statusText(status)) + '\n');
    });
}

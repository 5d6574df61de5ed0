import type { Command } from 'commander';
import { ExecJobSchema } from '../../contract/index.js';
import { execStage } from '../../execute/index.js';
import { readRecords } from '../../io/records.js';
import { registerStageCommand } from '../stage-command.js';

export function registerExec(program: Command): void {
  registerStageCommand(program, {
    name: 'exec',
    description: 'run functions on their inputs in the sandbox; one outcome per input',
    reads: { input: 'JSONL: {"id", "code", "entry", "inputs": [{"args": [...], "kwargs": {...}}], "setup"?}' },
    writes: 'each input record plus "outputs"',
    groups: [],
    build: (flags) => ({ stage: (sandbox) => execStage(sandbox), input: () => readRecords(String(flags.input), ExecJobSchema, 'exec') }),
  });
}

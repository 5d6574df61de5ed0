import type { Command } from 'commander';
import { FunctionRecordSchema, pick } from '../../contract/index.js';
import { INPUTS_OPTIONS, inputsStage, inputsTools } from '../../inputs/index.js';
import { readRecords } from '../../io/records.js';
import { LlmClient } from '../../llm/client.js';
import { LLM_OPTIONS, llmClientOptions } from '../../llm/options.js';
import { SANDBOX_OPTIONS } from '../../sandbox/options.js';
import { addFlags, givenFlags } from '../flags.js';
import { addOutputFlags, runStageCommand } from '../stage-command.js';

export function registerInputs(program: Command): void {
  const command = addOutputFlags(
    program
      .command('inputs')
      .description('write about N diverse, valid inputs per function: fuzz (default, no model), llm, or hybrid')
      .requiredOption('--input <file>', 'JSONL of functions: {"id", "entry", "code", ...}'),
    'each function plus "inputs" and "generator"',
  );
  addFlags(command, [INPUTS_OPTIONS, SANDBOX_OPTIONS, LLM_OPTIONS]);
  command.action(async () => {
    const flags = givenFlags(command);
    const inputs = INPUTS_OPTIONS.resolve(pick(INPUTS_OPTIONS, flags));
    const model = llmClientOptions(LLM_OPTIONS.resolve(pick(LLM_OPTIONS, flags)), inputs.seed);
    const llm = inputs.generator !== 'fuzz' && model ? new LlmClient(model) : undefined;
    try {
      await runStageCommand({
        sandbox: { ...pick(SANDBOX_OPTIONS, flags), tools: inputsTools() },
        stage: (sandbox) => inputsStage(sandbox, { ...inputs, llm }),
        input: () => readRecords(String(flags.input), FunctionRecordSchema, 'inputs'),
        output: String(flags.output),
        rejects: flags.rejects as string | undefined,
        after: () => (llm ? `llm: ${JSON.stringify(llm.usage())}` : ''),
      });
    } finally {
      llm?.close();
    }
  });
}

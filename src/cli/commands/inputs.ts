import type { Command } from 'commander';
import { FunctionRecordSchema, pick } from '../../contract/index.js';
import { INPUTS_OPTIONS, inputsStage, inputsTools } from '../../inputs/index.js';
import { readRecords } from '../../io/records.js';
import { LlmClient } from '../../llm/client.js';
import { LLM_OPTIONS, llmClientOptions } from '../../llm/options.js';
import { registerStageCommand } from '../stage-command.js';

export function registerInputs(program: Command): void {
  registerStageCommand(program, {
    name: 'inputs',
    description: 'write about N diverse, valid inputs per function: fuzz (default, no model), llm, or hybrid',
    reads: { input: 'JSONL of functions: {"id", "entry", "code", ...}' },
    writes: 'each function plus "inputs" and "generator"',
    groups: [INPUTS_OPTIONS, LLM_OPTIONS],
    tools: inputsTools(),
    build(flags) {
      const inputs = INPUTS_OPTIONS.resolve(pick(INPUTS_OPTIONS, flags));
      const model = llmClientOptions(LLM_OPTIONS.resolve(pick(LLM_OPTIONS, flags)), inputs.seed);
      const llm = inputs.generator !== 'fuzz' && model ? new LlmClient(model) : undefined;
      return {
        stage: (sandbox) => inputsStage(sandbox, { ...inputs, llm }),
        input: () => readRecords(String(flags.input), FunctionRecordSchema, 'inputs'),
        after: () => (llm ? `llm: ${JSON.stringify(llm.usage())}` : ''),
        close: () => llm?.close(),
      };
    },
  });
}

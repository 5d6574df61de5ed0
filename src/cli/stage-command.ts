// The single-stage commands (`case2code extract`, `inputs`, `exec`) are one shape: flags from their
// option groups, a sandbox, one stage run through the runner into JSONL files, its progress drawn
// and its funnel row printed. Each command only says how its stage and its input are built.
import type { Command } from 'commander';
import { pick, type OptionGroup, type OptionTable, type Stage, type StageItem } from '../contract/index.js';
import { runStageToFiles } from '../pipeline/run-stage.js';
import { funnelTable } from '../report/collect.js';
import { SANDBOX_OPTIONS } from '../sandbox/options.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { PythonTool } from '../sandbox/types.js';
import { addFlags, givenFlags } from './flags.js';
import { ProgressBoard } from './progress-board.js';

export interface StageCommandSpec<In> {
  name: string;
  description: string;
  /** What the command reads: corpus sources as arguments, or one JSONL file (`--input`). */
  reads: { sources: string } | { input: string };
  /** What each line of `--output` holds. */
  writes: string;
  /** The option groups besides the sandbox's. */
  groups: OptionGroup<OptionTable>[];
  tools?: Record<string, PythonTool>;
  build(flags: Record<string, unknown>, sources: string[]): StageSetup<In>;
}

export interface StageSetup<In> {
  stage: (sandbox: Sandbox) => Stage<In, unknown> | Promise<Stage<In, unknown>>;
  input: () => AsyncIterable<StageItem<In>>;
  /** Extra lines after the funnel (e.g. the model's usage). */
  after?: () => string;
  close?: () => void;
}

export function registerStageCommand<In>(program: Command, spec: StageCommandSpec<In>): void {
  const command = program.command(spec.name).description(spec.description);
  if ('sources' in spec.reads) command.argument('<sources...>', spec.reads.sources);
  else command.requiredOption('--input <file>', spec.reads.input);
  command
    .requiredOption('--output <file>', `JSONL: ${spec.writes}`)
    .option('--rejects <file>', 'dropped records and bad lines, with reasons (default: <output>.rejects.jsonl)');
  addFlags(command, [...spec.groups, SANDBOX_OPTIONS]);
  command.action(async (sources: string[] | Record<string, unknown>) => {
    const flags = givenFlags(command);
    const setup = spec.build(flags, Array.isArray(sources) ? sources : []);
    const sandbox = await Sandbox.start({ ...pick(SANDBOX_OPTIONS, flags), tools: spec.tools });
    try {
      const stage = await setup.stage(sandbox);
      const board = new ProgressBoard([stage.name], undefined);
      const output = String(flags.output);
      const started = performance.now();
      const stats = await runStageToFiles({ stage, input: sayingBadLines(setup.input()), output, rejects: flags.rejects as string | undefined, onProgress: board.handle });
      board.finish();
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(`${funnelTable([stats], 8)}\n${stats.stage}: ${seconds.toFixed(1)} s (${(stats.in / Math.max(seconds, 1e-9)).toFixed(1)} in/s); stats in ${output}.stats.json\n`);
      const after = setup.after?.();
      if (after) process.stderr.write(after + '\n');
    } finally {
      setup.close?.();
      await sandbox.close();
    }
  });
}

/** Each input line that could not be read is also said on stderr, as `file:line: reason: detail`. */
async function* sayingBadLines<T>(items: AsyncIterable<StageItem<T>>): AsyncIterable<StageItem<T>> {
  for await (const item of items) {
    if (item.kind === 'reject' && (item.reject.reason === 'bad-json' || item.reject.reason === 'bad-record')) {
      const { source, reason, detail } = item.reject;
      process.stderr.write(`${source?.path}:${source?.line}: ${reason}: ${detail}\n`);
    }
    yield item;
  }
}

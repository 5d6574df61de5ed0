// What `case2code extract`, `inputs` and `exec` share: start the sandbox, run one stage through the
// runner into JSONL files, draw its progress, print its funnel row. The stages differ only in how
// their input is read and built.
import type { Command } from 'commander';
import type { ProgressSink, Stage, StageItem } from '../contract/index.js';
import { runStageToFiles } from '../pipeline/run-stage.js';
import { funnelTable } from '../report/collect.js';
import { Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { ProgressBoard } from './progress-board.js';

export function addOutputFlags(command: Command, what: string): Command {
  return command
    .requiredOption('--output <file>', `JSONL: ${what}`)
    .option('--rejects <file>', 'dropped records and bad lines, with reasons (default: <output>.rejects.jsonl)');
}

export interface StageCommand<In> {
  sandbox: SandboxOptions;
  stage: (sandbox: Sandbox) => Stage<In, unknown> | Promise<Stage<In, unknown>>;
  input: () => AsyncIterable<StageItem<In>>;
  output: string;
  rejects?: string;
  /** Extra lines after the funnel (e.g. the model's usage). */
  after?: () => string;
}

export async function runStageCommand<In>(spec: StageCommand<In>): Promise<void> {
  const sandbox = await Sandbox.start(spec.sandbox);
  try {
    const stage = await spec.stage(sandbox);
    const board = new ProgressBoard([stage.name], undefined);
    const started = performance.now();
    const stats = await runStageToFiles({ stage, input: sayingBadLines(spec.input()), output: spec.output, rejects: spec.rejects, onProgress: board.handle as ProgressSink });
    board.finish();
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`${funnelTable([stats], 8)}\n${stats.stage}: ${seconds.toFixed(1)} s (${(stats.in / Math.max(seconds, 1e-9)).toFixed(1)} in/s); stats in ${spec.output}.stats.json\n`);
    if (spec.after) process.stderr.write(spec.after() + '\n');
  } finally {
    await sandbox.close();
  }
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

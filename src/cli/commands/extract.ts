import type { Command } from 'commander';
import { pick } from '../../contract/index.js';
import { readCorpus } from '../../corpus/index.js';
import { EXTRACT_OPTIONS, extractionStage, extractTools } from '../../extract/index.js';
import { registerStageCommand } from '../stage-command.js';

export function registerExtract(program: Command): void {
  registerStageCommand(program, {
    name: 'extract',
    description: 'find standalone, executable functions in code corpora (directories, .py, .jsonl[.gz], .parquet, .zip)',
    reads: { sources: 'corpus sources' },
    writes: 'functions {"id", "entry", "code", "params", "source", "cluster"}',
    groups: [EXTRACT_OPTIONS],
    tools: extractTools(),
    build(flags, sources) {
      const extract = EXTRACT_OPTIONS.resolve(pick(EXTRACT_OPTIONS, flags));
      return { stage: (sandbox) => extractionStage(sandbox, extract), input: () => readCorpus(sources, extract) };
    },
  });
}

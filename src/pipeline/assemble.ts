// The end of a run: every shard's samples, in shard order, become the dataset directory (JSONL,
// Parquet, card), then the summary and report.html. Rebuilt whole on every completed run (it is
// cheap), and swapped in atomically, so a kill here leaves the previous dataset or none. Two passes
// over the samples: the first gathers each function's side, cluster and definitions (a few hashes a
// function, not the samples), so that the split is made leak-free across shards before the
// second writes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { datasetCard } from '../samples/card.js';
import type { SampleSet } from '../samples/formats.js';
import { LeakFreeSplit } from '../samples/split.js';
import { DatasetWriter, type DatasetCounts } from '../samples/write.js';
import type { StageStats } from '../contract/index.js';
import { renderRunReport } from '../report/html.js';
import { replaceDirectory, tempNameFor, writeFileAtomic } from '../io/atomic.js';
import type { RunDirectory } from './run-dir.js';

export interface AssembleOptions {
  dir: RunDirectory;
  /** Each stage's stats over all shards, in order, the source first; the last one yields SampleSets. */
  stages: StageStats[];
  shards: number;
  settings: Record<string, unknown>;
  tool: string;
  seconds?: number;
}

export interface RunSummary {
  stages: StageStats[];
  dataset: DatasetCounts;
  dataDir: string;
  report: string;
}

export async function assemble(options: AssembleOptions): Promise<RunSummary> {
  const { dir } = options;
  const samplesStage = options.stages[options.stages.length - 1].stage;
  const dataDir = path.join(dir.root, 'data');
  const fresh = tempNameFor(dataDir);
  mkdirSync(fresh, { recursive: true });
  const split = new LeakFreeSplit();
  for (let shard = 0; shard < options.shards; shard++) {
    for (const sample of dir.readRecords<SampleSet>(samplesStage, shard)) split.add(sample);
  }
  const writer = new DatasetWriter(fresh);
  const examples: { title: string; text: string }[] = [];
  for (let shard = 0; shard < options.shards; shard++) {
    for (const stored of dir.readRecords<SampleSet>(samplesStage, shard)) {
      const sample: SampleSet = { ...stored, split: split.sideOf(stored.id) };
      await writer.add(sample);
      if (examples.length < 4 && sample.split === 'train') {
        examples.push({ title: `sft prompt (${sample.template.rendering}): ${sample.entry}`, text: `${sample.sft.prompt}\n\n--- completion ---\n${sample.sft.completion}` });
      } else if (examples.length === 4 && sample.split === 'test') {
        examples.push({ title: `bench item: ${sample.entry}`, text: sample.bench.prompt });
      }
    }
  }
  const dataset: DatasetCounts = { ...(await writer.close()), moved: split.moves };
  const { stages } = options;
  const funnel = stages.map((s) => ({ stage: s.stage, seen: s.in, kept: s.kept }));
  writeFileAtomic(path.join(fresh, 'README.md'), datasetCard({ counts: dataset, settings: options.settings, funnel, tool: options.tool }));
  replaceDirectory(fresh, dataDir);

  const summaryFile = path.join(dir.root, 'summary.json');
  writeFileAtomic(summaryFile, JSON.stringify({ stages, dataset }, null, 2) + '\n');
  const report = path.join(dir.root, 'report.html');
  writeFileAtomic(report, renderRunReport({ title: 'case2code run report', settings: options.settings, stages, seconds: options.seconds, dataset, examples }));
  return { stages, dataset, dataDir, report };
}

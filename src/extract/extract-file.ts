// `case2code extract` as a library call: corpus -> extract -> decontaminate -> dedup, written to
// JSONL (functions and rejects), with the funnel in `<output>.stats.json`.
import { writeFileSync } from 'node:fs';
import { readCorpus, type CorpusOptions, type SourceFile } from '../corpus/index.js';
import { JsonlWriter } from '../io/jsonl.js';
import type { StageItem } from '../pipeline/stage.js';
import type { FunctionRecord } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { decontaminate, loadContamination } from './decontaminate.js';
import { dedupFunctions, type DedupOptions } from './dedup.js';
import { extractFunctions, type ExtractOptions } from './extract.js';
import { ExtractProgress } from './progress.js';

export interface ExtractFileOptions extends CorpusOptions, ExtractOptions {
  sources: string[];
  output: string;
  /** Default: `<output>.rejects.jsonl`. */
  rejects?: string;
  /** `false` turns dedup off. */
  dedup?: DedupOptions | false;
  /** Benchmark JSONL files whose n-grams disqualify a function. */
  decontaminate?: string[];
  /** Tokens per n-gram for decontamination (default 10). */
  ngram?: number;
  quiet?: boolean;
}

export interface Counts {
  seen: number;
  kept: number;
  rejected: number;
  reasons: Record<string, number>;
}

export interface ExtractStats {
  sources: string[];
  /** Source files read; `kept` = analysed without a file-level reject. */
  files: Counts;
  /** UTF-8 bytes of the source files read. */
  bytes: number;
  /** Top-level functions found in analysed files; `kept` = written to the output. */
  functions: Counts & { reasonGroups: Record<string, number> };
  seconds: number;
  mbPerSecond: number;
  functionsPerSecond: number;
}

const emptyCounts = (): Counts => ({ seen: 0, kept: 0, rejected: 0, reasons: {} });

export async function extractFile(sandbox: Sandbox, options: ExtractFileOptions): Promise<ExtractStats> {
  const started = performance.now();
  const stats: ExtractStats = {
    sources: options.sources,
    files: emptyCounts(),
    bytes: 0,
    functions: { ...emptyCounts(), reasonGroups: {} },
    seconds: 0,
    mbPerSecond: 0,
    functionsPerSecond: 0,
  };
  const contamination = options.decontaminate?.length ? await loadContamination(options.decontaminate, { n: options.ngram }) : undefined;
  const out = new JsonlWriter(options.output);
  const rejects = new JsonlWriter(options.rejects ?? `${options.output}.rejects.jsonl`);
  const progress = new ExtractProgress(options.quiet);

  async function* counted(items: AsyncIterable<StageItem<SourceFile>>): AsyncIterable<StageItem<SourceFile>> {
    for await (const item of items) {
      stats.files.seen++;
      progress.files++;
      if (item.kind === 'keep') stats.bytes += Buffer.byteLength(item.record.text, 'utf8');
      yield item;
    }
  }

  let stream: AsyncIterable<StageItem<FunctionRecord>> = extractFunctions(sandbox, counted(readCorpus(options.sources, options)), options);
  if (contamination) stream = decontaminate(stream, contamination);
  if (options.dedup !== false) stream = dedupFunctions(stream, options.dedup ?? {});

  try {
    for await (const item of stream) {
      if (item.kind === 'keep') {
        stats.functions.seen++;
        stats.functions.kept++;
        progress.functions++;
        progress.kept++;
        await out.write(item.record);
      } else {
        const { reason, entry } = item.reject;
        // A reject naming a function is about that function; one without is about a whole file.
        const counts = entry === undefined ? stats.files : stats.functions;
        counts.rejected++;
        counts.reasons[reason] = (counts.reasons[reason] ?? 0) + 1;
        if (entry !== undefined) {
          stats.functions.seen++;
          progress.functions++;
          const group = reason.split(':')[0];
          stats.functions.reasonGroups[group] = (stats.functions.reasonGroups[group] ?? 0) + 1;
        }
        await rejects.write(item.reject);
      }
      progress.update();
    }
  } finally {
    progress.finish();
    await Promise.all([out.close(), rejects.close()]);
  }
  stats.files.kept = stats.files.seen - stats.files.rejected;
  stats.files.reasons = sortedByCount(stats.files.reasons);
  stats.functions.reasons = sortedByCount(stats.functions.reasons);
  stats.functions.reasonGroups = sortedByCount(stats.functions.reasonGroups);
  stats.seconds = (performance.now() - started) / 1000;
  stats.mbPerSecond = stats.bytes / 1e6 / Math.max(stats.seconds, 1e-9);
  stats.functionsPerSecond = stats.functions.seen / Math.max(stats.seconds, 1e-9);
  writeFileSync(`${options.output}.stats.json`, JSON.stringify(stats, null, 2) + '\n');
  return stats;
}

function sortedByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** The funnel as a few human lines (the CLI prints it). */
export function formatFunnel(stats: ExtractStats, topReasons = 15): string {
  const reasons = (counts: Record<string, number>) =>
    Object.entries(counts)
      .slice(0, topReasons)
      .map(([reason, n]) => `    ${String(n).padStart(7)}  ${reason}`)
      .join('\n');
  const lines = [
    `files:     ${stats.files.seen} read, ${stats.files.kept} analysed, ${stats.files.rejected} rejected (${(stats.bytes / 1e6).toFixed(1)} MB)`,
    reasons(stats.files.reasons),
    `functions: ${stats.functions.seen} found, ${stats.functions.kept} kept, ${stats.functions.rejected} dropped`,
    reasons(stats.functions.reasonGroups),
    `time:      ${stats.seconds.toFixed(1)}s (${stats.mbPerSecond.toFixed(2)} MB/s, ${stats.functionsPerSecond.toFixed(0)} functions/s)`,
  ];
  return lines.filter((line) => line !== '').join('\n');
}

// Extraction speed and memory: MB/s of source and functions/s on a 2-interpreter sandbox, peak RSS
// of this process plus the sandbox's, on (1) the machine's CPython standard library, with every
// kept function verified alone in a fresh sandbox, and (2) a generated Parquet file of at least
// 200 MB (written under .bench-tmp/, deleted afterwards). Goal: >= 1 MB/s per core, RSS < 1 GB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { StageItem, StageStats } from '../src/contract/index.js';
import { readCorpus, type SourceFile } from '../src/corpus/index.js';
import { extractionStage, extractTools, checkStandalone } from '../src/extract/index.js';
import { runStageToFiles } from '../src/pipeline/run-stage.js';
import { topReasons } from '../src/report/collect.js';
import type { FunctionRecord } from '../src/contract/index.js';
import { Sandbox } from '../src/sandbox/sandbox.js';

const WORKERS = 2;
const TMP = path.resolve('.bench-tmp', 'extract');
const PARQUET_BYTES = 200 * 1024 * 1024;

/** RSS of a process and all its descendants, from /proc (Linux). */
function treeRss(pid: number): number {
  let total = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) total += treeRss(Number(child));
    }
  } catch {
    // the process ended while we looked
  }
  return total;
}

async function measured<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peakRss = treeRss(process.pid);
  const timer = setInterval(() => (peakRss = Math.max(peakRss, treeRss(process.pid))), 250);
  try {
    const value = await work();
    return { value, peakRss: Math.max(peakRss, treeRss(process.pid)) };
  } finally {
    clearInterval(timer);
  }
}

async function runExtraction(label: string, sources: string[]): Promise<StageStats> {
  mkdirSync(TMP, { recursive: true });
  const output = path.join(TMP, `${label}.jsonl`);
  let bytes = 0;
  async function* counted(): AsyncIterable<StageItem<SourceFile>> {
    for await (const item of readCorpus(sources)) {
      if (item.kind === 'keep') bytes += Buffer.byteLength(item.record.text, 'utf8');
      yield item;
    }
  }
  const started = performance.now();
  const { value: stats, peakRss } = await measured(async () => {
    const sandbox = await Sandbox.start({ workers: WORKERS, tools: extractTools() });
    try {
      return await runStageToFiles({ stage: await extractionStage(sandbox), input: counted(), output });
    } finally {
      await sandbox.close();
    }
  });
  const seconds = (performance.now() - started) / 1000;
  const mbPerSecond = bytes / 1e6 / seconds;
  const functions = stats.kept + Object.entries(stats.rejects).reduce((n, [, reasons]) => n + Object.values(reasons).reduce((a, b) => a + b, 0), 0);
  console.log(
    `${label}: ${stats.in} files, ${(bytes / 1e6).toFixed(1)} MB, ${stats.kept} functions kept, ${functions - stats.kept} files and functions rejected\n` +
      `  ${seconds.toFixed(1)} s  ${mbPerSecond.toFixed(2)} MB/s (${(mbPerSecond / WORKERS).toFixed(2)} per core)  ` +
      `${(functions / seconds).toFixed(0)} functions/s  peak RSS ${(peakRss / 1e6).toFixed(0)} MB (this process + sandbox)`,
  );
  console.log(`  top reasons: ${topReasons(stats, 8)}`);
  return stats;
}

async function verifyAll(file: string): Promise<void> {
  const records: FunctionRecord[] = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const sandbox = await Sandbox.start({ workers: WORKERS, tools: extractTools() });
  const failures: string[] = [];
  try {
    for (let i = 0; i < records.length; i += 100) {
      const batch = records.slice(i, i + 100);
      const verdicts = await checkStandalone(sandbox, batch, { timeoutMs: 30_000 });
      verdicts.forEach((v, j) => v.ok || failures.push(`${batch[j].source.path}:${batch[j].source.line} ${batch[j].entry}: ${v.reason} ${v.detail ?? ''}`));
    }
  } finally {
    await sandbox.close();
  }
  console.log(`  verified alone in a fresh sandbox: ${records.length - failures.length}/${records.length} define with no unresolved names`);
  for (const failure of failures.slice(0, 10)) console.log(`    FAIL ${failure}`);
}

/** A Parquet file in The Stack's layout, made of the stdlib's files repeated until it is big enough. */
async function writeSyntheticParquet(file: string, stdlib: string): Promise<number> {
  const texts: { text: string; path: string }[] = [];
  for await (const item of readCorpus([stdlib])) if (item.kind === 'keep') texts.push({ text: item.record.text, path: item.record.source.path! });
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    codec: 'UNCOMPRESSED', // so the file itself is >= 200 MB
    schema: schemaFromColumnData({
      columnData: [
        { name: 'content', data: [''], type: 'STRING' },
        { name: 'max_stars_repo_path', data: [''], type: 'STRING' },
        { name: 'max_stars_repo_name', data: [''], type: 'STRING' },
        { name: 'max_stars_repo_licenses', data: [''], type: 'STRING' },
      ],
    }),
  });
  let bytes = 0;
  for (let copy = 0; bytes < PARQUET_BYTES; copy++) {
    for (let start = 0; start < texts.length && bytes < PARQUET_BYTES; start += 500) {
      const chunk = texts.slice(start, start + 500);
      // Each copy renames `def f` to `def f_<copy>`, so copies are near (not exact) duplicates.
      const content = chunk.map(({ text }) => (copy === 0 ? text : text.replace(/^def (\w+)/gm, `def $1_${copy}`)));
      bytes += content.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
      writer.write({
        columnData: [
          { name: 'content', data: content },
          { name: 'max_stars_repo_path', data: chunk.map((t) => path.basename(t.path)) },
          { name: 'max_stars_repo_name', data: chunk.map(() => `bench/copy${copy}`) },
          { name: 'max_stars_repo_licenses', data: chunk.map(() => 'PSF-2.0') },
        ],
        rowGroupSize: 500,
      });
    }
  }
  writer.finish();
  return statSync(file).size;
}

export async function run(): Promise<void> {
  let stdlib: string;
  try {
    stdlib = execFileSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' }).trim();
  } catch {
    console.log('extract bench: no python3 on this machine, skipped');
    return;
  }
  try {
    await runExtraction('stdlib', [stdlib]);
    await verifyAll(path.join(TMP, 'stdlib.jsonl'));
    if (process.env.BENCH_EXTRACT_PARQUET !== '0') {
      const parquet = path.join(TMP, 'synthetic.parquet');
      const size = await writeSyntheticParquet(parquet, stdlib);
      console.log(`synthetic parquet: ${(size / 1e6).toFixed(0)} MB on disk`);
      await runExtraction('parquet', [parquet]);
    }
  } finally {
    if (existsSync(TMP)) rmSync(TMP, { recursive: true, force: true });
  }
}

// `case2code run` as a library call: corpus -> extract -> inputs -> exec -> filter -> samples, in a
// resumable run directory, then the dataset, the card and the report. It only composes: the
// stages are built from their options groups (build.ts), the coordinator plans the shards and
// hands tasks to the chosen executor (this process, Slurm, a Redis queue), and the dataset is
// assembled here from the run directory, whichever executor ran the tasks.
import { rmSync } from 'node:fs';
import { embeddedStdlibPath, readCorpus } from '../corpus/index.js';
import { checkExecutor, createExecutor } from '../executors/index.js';
import { assemble, type RunSummary } from './assemble.js';
import { openRun, portableOptions, resolveRun, type OpenedRun } from './build.js';
import { coordinate } from './coordinate.js';
import type { Case2CodeRunOptions } from './options.js';
import { RunDirectory } from './run-dir.js';

export { resolveRun, runSettings, EMBEDDED_CORPUS, type ResolvedRun } from './build.js';

export type RunResult =
  | (RunSummary & { done: true; shards: number; seconds: number })
  /** Detached (Slurm): the tasks were submitted; `message` says how to follow and finish the run. */
  | { done: false; message: string; seconds: number };

export async function runCase2Code(options: Case2CodeRunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const portable = portableOptions(options);
  const local = (options.executor ?? 'local') === 'local';
  await checkExecutor(resolveRun(options).executor);
  if (options.fresh) rmSync(String(portable.output), { recursive: true, force: true });
  // A remote executor's coordinator runs no function: one interpreter is enough to name it.
  const opened: OpenedRun = await openRun(local ? options : { ...options, workers: 1 }, { onProgress: options.onProgress });
  let open = true;
  const closeOpened = async () => {
    if (open) await opened.close();
    open = false;
  };
  const { resolved, settings } = opened;
  const { run } = resolved;
  const dir = new RunDirectory(run.output);
  const executor = await createExecutor(resolved.executor, {
    dir,
    stages: opened.stages,
    concurrency: run.concurrency,
  }).catch(async (error) => {
    await closeOpened();
    throw error;
  });
  try {
    dir.open(settings);
    dir.writeOptions(portable);
    // Tasks run elsewhere; the stages stay known by name (for the totals), their sandboxes stop.
    if (!local) await closeOpened();
    const sources = resolved.sources.length > 0 ? resolved.sources : [embeddedStdlibPath()];
    const result = await coordinate({
      run: opened.stages,
      executor,
      corpus: () => readCorpus(sources, resolved.extract),
      limit: run.limit,
      shardSize: run.shardSize,
      partFiles: run.sourceShardFiles,
      firstWave: Math.max(2, run.concurrency),
    });
    const seconds = (performance.now() - started) / 1000;
    if (!result.done) return { done: false, message: result.message, seconds };
    const summary = await assemble({ dir, stages: result.stages, shards: result.shards, settings, tool: options.tool ?? 'case2code', seconds });
    return { ...summary, done: true, shards: result.shards, seconds };
  } finally {
    await executor.close();
    await closeOpened();
  }
}

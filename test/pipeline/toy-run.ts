// A child process for the resume tests: a full sharded run with the real filter and samples stages
// on synthetic functions, whose "execution" is a slow deterministic JS function, so that a kill -9
// lands in the middle of the work. Usage: node toy-run.js OUT_DIR [FUNCTIONS]
import { filterStage } from '../../src/filters/index.js';
import { assemble } from '../../src/pipeline/assemble.js';
import { RunDirectory } from '../../src/pipeline/run-dir.js';
import { coordinate } from '../../src/pipeline/coordinate.js';
import { localExecutor } from '../../src/executors/local.js';
import { keep, reject, type Stage, type StageItem } from '../../src/contract/index.js';
import type { ExecRecord, FunctionRecord, InputsRecord } from '../../src/contract/index.js';
import { samplesStage } from '../../src/samples/stage.js';
import { rngFor } from '../../src/samples/random.js';
import { mapKept } from '../../src/io/ordered.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* toySource(count: number): AsyncIterable<StageItem<FunctionRecord>> {
  for (let i = 0; i < count; i++) {
    await sleep(1);
    if (i % 7 === 3) {
      yield reject({ stage: 'extract', reason: 'no-return', id: `t${i}`, source: { path: `toy${i}.py` } });
      continue;
    }
    const code = `def f${i}(x, y=1):\n    return x * ${i % 5} + y\n`;
    yield keep({ id: `t${i}`, entry: `f${i}`, code, params: [{ name: 'x', annotation: null, default: null }, { name: 'y', annotation: null, default: '1' }], source: { path: `toy${i}.py` }, cluster: `c${i % 13}` });
  }
}

/** Inputs chosen with rngFor(seed, id), as the real generators must do. */
const toyInputs: Stage<FunctionRecord, InputsRecord> = {
  name: 'inputs',
  run: (items) =>
    mapKept(items, 1, async (r) => {
      await sleep(3);
      const rng = rngFor(5, r.id, 'inputs');
      return keep({ ...r, inputs: Array.from({ length: rng.int(2, 7) }, () => ({ args: [String(rng.int(-3, 9))] })) });
    }),
};

const toyExec: Stage<InputsRecord, ExecRecord> = {
  name: 'exec',
  run: (items) =>
    mapKept(items, 1, async (r) => {
      await sleep(3);
      const k = Number(r.id.slice(1)) % 5;
      const outputs = r.inputs.map((call) => {
        const x = Number(call.args![0]);
        return x < 0 && k === 2 ? { verdict: 'raise' as const, type: 'ValueError', message: `negative ${x}`, ms: 1 } : { verdict: 'return' as const, repr: String(x * k + 1), ms: 1 };
      });
      return keep({ ...r, outputs });
    }),
  figures: (record) => ({ calls: record.outputs.length }),
};

const out = process.argv[2];
if (out) {
  const count = Number(process.argv[3] ?? 200);
  const dir = new RunDirectory(out);
  const settings = { toy: true, count, seed: 5, shardSize: 8 };
  dir.open(settings);
  const stages = [toyInputs, toyExec, filterStage({}), samplesStage({ seed: 5, testFraction: 0.25 })];
  // The toy corpus yields functions itself: the source stage passes them through (no dedup).
  const run = { dir, source: { name: 'extract', run: (items: AsyncIterable<StageItem<FunctionRecord>>) => items }, stages };
  const result = await coordinate({
    run,
    executor: localExecutor({ dir, stages: run, concurrency: 2 }),
    corpus: () => toySource(count),
    shardSize: 8,
    partFiles: 16,
  });
  if (!result.done) throw new Error(result.message);
  await assemble({ dir, stages: result.stages, shards: result.shards, settings, tool: 'toy' });
}

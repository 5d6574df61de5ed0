// The same run on every executor gives the same data, byte for byte, and survives losing a worker:
// local; a Redis queue with two `case2code worker` processes, one of them SIGKILLed in the middle
// of a shard; Slurm job arrays on the one-node cluster, detached, one array task cancelled with
// scancel, then the run resumed in the foreground. Real Redis and real Slurm (.ci/services).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli, differingFiles, leases, REDIS_URL, requireCluster, startCli, waitFor, type Cli } from '../helpers/cluster.js';

// The pipeline's small corpus, and functions slow enough that a shard lasts while a worker is killed.
const CORPUS = [
  fileURLToPath(new URL('../../../test/pipeline/corpus', import.meta.url)),
  fileURLToPath(new URL('../../../test/executors/slow', import.meta.url)),
];
const FLAGS = ['--shard-size', '4', '--seed', '3', '--inputs', '6', '--workers', '1', '--test-fraction', '0.3', '--source-shard-files', '1'];
const skip = await requireCluster();
const root = mkdtempSync(path.join(os.tmpdir(), 'c2c-dist-exec-'));
const local = path.join(root, 'local');
const queueName = `c2c-test-${process.pid}`;
const workers: Cli[] = [];

before(async () => {
  if (skip) return;
  const run = await cli(['run', ...CORPUS, '--output', local, ...FLAGS]);
  assert.equal(run.code, 0, run.stderr);
});

after(async () => {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const funnel = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')).stages;

function sameAsLocal(dir: string): void {
  assert.deepEqual(differingFiles(path.join(local, 'data'), path.join(dir, 'data')), [], 'data/ differs from the local run');
  assert.deepEqual(funnel(dir), funnel(local));
  const ids = readFileSync(path.join(dir, 'data/bench/train.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).id);
  assert.equal(new Set(ids).size, ids.length, 'a sample appears twice');
}

test('queue: two workers, one SIGKILLed in the middle of a shard; the run completes equal to local', { skip, timeout: 240_000 }, async () => {
  const dir = path.join(root, 'queue');
  for (let i = 0; i < 2; i++) workers.push(startCli(['worker', '--redis', REDIS_URL, '--queue', queueName, '--lock-ms', '2000']));
  const coordinator = startCli(['run', ...CORPUS, '--output', dir, ...FLAGS, '--executor', 'queue', '--redis', REDIS_URL, '--queue', queueName]);
  const pids = new Set(workers.map((w) => w.child.pid));
  const victim = await waitFor('a worker in the middle of a shard', () => leases(dir).find((l) => l.task.startsWith('shard-') && l.stage === 'inputs' && pids.has(l.pid)));
  process.kill(victim.pid, 'SIGKILL');
  const run = await coordinator.exited;
  assert.equal(run.code, 0, run.stderr);
  const killed = workers.find((w) => w.child.pid === victim.pid)!;
  assert.equal((await killed.exited).signal, 'SIGKILL');
  sameAsLocal(dir);
  // The killed worker's shard was taken over by the other one (its lock expired): done once, in place.
  assert.ok(!existsSync(path.join(dir, 'tasks', `${victim.task}.running.json`)), 'the dead lease is gone');
});

test('slurm: detached arrays, one array task cancelled with scancel, resumed in the foreground; equal to local', { skip, timeout: 300_000 }, async () => {
  const dir = path.join(root, 'slurm');
  const detached = await cli(['run', ...CORPUS, '--output', dir, ...FLAGS, '--executor', 'slurm', '--detach']);
  assert.equal(detached.code, 0, detached.stderr);
  assert.match(detached.stdout, /submitted 4 extract task\(s\) as Slurm job \d+/);
  const victim = await waitFor('an array task in the middle of a shard', () => leases(dir).find((l) => l.task.startsWith('shard-') && l.stage === 'inputs' && l.slurm));
  const cancel = spawnSyncText('scancel', [victim.slurm!]);
  assert.equal(cancel.status, 0, cancel.stderr);
  const status = await cli(['status', dir]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^stage\s+done\s+running\s+failed\s+waiting\s+functions\/s/m);
  assert.match(status.stdout, /^extract\s+4\/4\s/m);
  // A later foreground run takes over (the detached follow-up is cancelled), redoes what is missing, merges.
  const resumed = await cli(['run', ...CORPUS, '--output', dir, ...FLAGS, '--executor', 'slurm']);
  assert.equal(resumed.code, 0, resumed.stderr);
  sameAsLocal(dir);
  const submissions = readFileSync(path.join(dir, 'slurm', 'submissions.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const times = submissions.filter((s) => s.kind === 'tasks' && s.tasks.includes(victim.task)).length;
  assert.ok(times >= 2, `the cancelled ${victim.task} was submitted again (${times} submission(s))`);
  const done = await cli(['status', dir]);
  assert.match(done.stdout, /finished \(data\/ written\)/);
  assert.match(done.stdout, /^samples\s+(\d+)\/\1\s+0\s+0\s+0\s/m);
});

test('bad input: Redis down, sbatch missing, a shard that fails every retry (reason in status, the rest kept)', { skip, timeout: 180_000 }, async () => {
  const down = await cli(['run', ...CORPUS, '--output', path.join(root, 'down'), '--executor', 'queue', '--redis', 'redis://127.0.0.1:1']);
  assert.notEqual(down.code, 0);
  assert.match(down.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED/);
  const noWorker = await cli(['worker', '--redis', 'redis://127.0.0.1:1']);
  assert.match(noWorker.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  const noSlurm = await cli(['run', ...CORPUS, '--output', path.join(root, 'no-slurm'), '--executor', 'slurm'], { PATH: '/nonexistent' });
  assert.notEqual(noSlurm.code, 0);
  assert.match(noSlurm.stderr, /sbatch not found on PATH/);

  // A finished run with shard 1's input broken and its stages undone: every attempt fails there.
  const dir = path.join(root, 'broken');
  cpSync(local, dir, { recursive: true });
  rmSync(path.join(dir, 'data'), { recursive: true });
  for (const stage of ['inputs', 'exec', 'filter', 'samples']) rmSync(path.join(dir, 'stages', stage, '00001.stats.json'));
  writeFileSync(path.join(dir, 'stages', 'plan', '00001.jsonl'), '{"id": "cut off here\n');
  const kept = statSync(path.join(dir, 'stages', 'samples', '00002.stats.json')).mtimeMs;
  const worker = startCli(['worker', '--redis', REDIS_URL, '--queue', `${queueName}-bad`, '--lock-ms', '2000']);
  workers.push(worker);
  const run = await cli(['run', ...CORPUS, '--output', dir, ...FLAGS, '--executor', 'queue', '--redis', REDIS_URL, '--queue', `${queueName}-bad`, '--task-retries', '1', '--retry-backoff-ms', '100']);
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /1 task\(s\) failed after every retry \(shard-00001: .*JSON/);
  assert.match(run.stderr, /case2code status/);
  const status = await cli(['status', dir]);
  assert.match(status.stdout, /failed: shard-00001 in inputs \(attempt 2, [^)]*\): SyntaxError: .*JSON/);
  assert.match(status.stdout, /^inputs\s+3\/4\s+0\s+1\s+0\s/m);
  assert.equal(statSync(path.join(dir, 'stages', 'samples', '00002.stats.json')).mtimeMs, kept, 'a finished shard was not redone');
  assert.ok(!existsSync(path.join(dir, 'data')), 'no dataset from an incomplete run');
  worker.child.kill('SIGTERM');
  assert.equal((await worker.exited).code, 0, 'the worker stops cleanly on SIGTERM');
  assert.ok(readdirSync(path.join(dir, 'stages', 'inputs')).includes('00000.stats.json'));
});

function spawnSyncText(command: string, args: string[]) {
  return spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
}

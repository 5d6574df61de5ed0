// Entry point of the child process that hosts the worker pool. It speaks over Node's IPC channel:
// {init} once, then {job} messages answered by {result}, in any order.
import { WorkerPool } from './pool.js';
import type { PoolJob } from './protocol.js';
import type { PoolOptions } from './types.js';

export type ToHost =
  | { type: 'init'; options: PoolOptions; harnessSource: string }
  | { type: 'job'; id: number; job: PoolJob }
  | { type: 'stats'; id: number };

let pool: WorkerPool | undefined;
const send = (message: unknown) => process.send!(message);

process.on('message', async (message: ToHost) => {
  try {
    if (message.type === 'init') {
      pool = new WorkerPool(message.options, message.harnessSource);
      await pool.start();
      send({ type: 'ready', versions: pool.versions });
    } else if (message.type === 'job') {
      const result = await pool!.run(message.job);
      send({ type: 'result', id: message.id, result });
    } else if (message.type === 'stats') {
      send({ type: 'result', id: message.id, result: pool!.stats() });
    }
  } catch (error) {
    send({ type: 'error', message: String((error as Error)?.stack ?? error) });
  }
});

// The parent went away: nothing left to serve.
process.on('disconnect', () => {
  void pool?.close().finally(() => process.exit(0));
});

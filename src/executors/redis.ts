// Redis for the queue executor: connections made from one URL, a check that fails fast with a
// clear message (a client would otherwise retry forever), and a rate limit every worker shares.
import { Redis } from 'ioredis';
import { ExecutorError } from '../contract/index.js';

/** A connection as BullMQ wants it: commands wait for a reconnect instead of failing. */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** Throws an ExecutorError naming the URL when Redis does not answer a PING within `timeoutMs`. */
export async function checkRedis(url: string, timeoutMs = 3_000): Promise<void> {
  let probe: Redis;
  try {
    probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  } catch (error) {
    throw new ExecutorError(`bad Redis URL ${url}: ${(error as Error).message}`);
  }
  let cause: Error | undefined; // the socket's own error (ECONNREFUSED, ...) says more than the client's
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw new ExecutorError(`cannot reach Redis at ${url} (${(cause ?? (error as Error)).message}): start redis-server there, or give the right --redis URL`);
  } finally {
    probe.disconnect();
  }
}

/**
 * At most `perSecond` calls per second across every process that uses the same key: a counter per
 * second in Redis. A caller over the limit waits for the next second.
 */
export function sharedRateLimit(redis: Redis, key: string, perSecond: number): () => Promise<void> {
  return async () => {
    for (;;) {
      const second = Math.floor(Date.now() / 1000);
      const slot = `${key}:${second}`;
      const [[, count]] = (await redis.multi().incr(slot).expire(slot, 5).exec()) as [[unknown, number], unknown];
      if (count <= perSecond) return;
      await new Promise((resolve) => setTimeout(resolve, (second + 1) * 1000 - Date.now() + Math.random() * 20));
    }
  };
}

// The client at scale (issue 13, point 5): against a server that answers after 200 ms, it keeps at
// least 256 requests in flight and spends at most 1 ms of its own CPU per request. The server runs
// in another process, so the CPU measured is the client's alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureClientAtScale } from '../helpers/llm-scale.js';

test('256+ requests in flight against 200 ms of latency, at most 1 ms of client CPU each', { timeout: 120_000 }, async () => {
  const figures = await measureClientAtScale({ requests: 2048, concurrency: 512, latencyMs: 200 });
  assert.ok(figures.mostInFlight >= 256, `only ${figures.mostInFlight} requests were in flight at once`);
  assert.ok(figures.cpuMsPerRequest <= 1, `${figures.cpuMsPerRequest.toFixed(3)} ms of client CPU per request`);
  assert.equal(figures.answered, 2048);
});

// The client at scale (issue 13, point 5): against a server that answers after 200 ms, it keeps at
// least 256 requests in flight and every request gets its answer. Its CPU per request is a speed
// figure, so it lives in the bench (`npm run bench -- distributed`), not here: a busy machine
// made the 1 ms bound fail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureClientAtScale } from '../helpers/llm-scale.js';

test('256+ requests in flight against 200 ms of latency, each answered', { timeout: 120_000 }, async () => {
  const figures = await measureClientAtScale({ requests: 2048, concurrency: 512, latencyMs: 200 });
  assert.ok(figures.mostInFlight >= 256, `only ${figures.mostInFlight} requests were in flight at once`);
  assert.equal(figures.answered, 2048);
});

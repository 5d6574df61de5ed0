import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LlmClient, LlmError } from '../../src/llm/client.js';
import { startScriptedServer } from '../helpers/openai-server.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'c2c-llm-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const fast = { retryBaseMs: 5, retryMaxMs: 200 };
const messages = [{ role: 'user' as const, content: 'hello' }];

describe('LlmClient', () => {
  it('returns n chat completions in order with usage', async () => {
    const server = await startScriptedServer(({ body }) => ({ texts: Array.from({ length: body.n }, (_, i) => `answer ${i}`), usage: { prompt_tokens: 7, completion_tokens: 9 } }));
    const client = new LlmClient({ baseURL: server.url, model: 'm', temperature: 0.7, seed: 3, stop: ['###'], ...fast });
    const out = await client.complete({ messages, n: 3 });
    assert.deepEqual(out.map((c) => c.text), ['answer 0', 'answer 1', 'answer 2']);
    assert.deepEqual(out.map((c) => c.index), [0, 1, 2]);
    assert.ok(out.every((c) => !c.cached && !c.truncated && c.finishReason === 'stop'));
    const sent = server.requests[0];
    assert.equal(sent.path, '/v1/chat/completions');
    assert.equal(sent.body.n, 3);
    assert.equal(sent.body.temperature, 0.7);
    assert.equal(sent.body.seed, 3);
    assert.deepEqual(sent.body.stop, ['###']);
    assert.deepEqual(client.usage(), { requests: 1, cachedAnswers: 0, retries: 0, promptTokens: 7, completionTokens: 9, failures: 0 });
    client.close();
    await server.close();
  });

  it('speaks the completions endpoint and flags truncated answers', async () => {
    const server = await startScriptedServer(() => ({ texts: ['cut', 'whole'], finishReason: ['length', 'stop'] }));
    const client = new LlmClient({ baseURL: server.url, model: 'm', mode: 'completions', maxTokens: 5, ...fast });
    const out = await client.complete({ prompt: 'def f(', n: 2 });
    assert.equal(server.requests[0].path, '/v1/completions');
    assert.equal(server.requests[0].body.prompt, 'def f(');
    assert.equal(server.requests[0].body.max_tokens, 5);
    assert.deepEqual(out.map((c) => [c.text, c.truncated]), [['cut', true], ['whole', false]]);
    await assert.rejects(client.complete({ messages }), /needs a prompt/);
    client.close();
    await server.close();
  });

  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const server = await startScriptedServer(({ index }) => (index === 0 ? { status: 429, headers: { 'retry-after': '0.3' } } : { texts: 'ok' }));
    const client = new LlmClient({ baseURL: server.url, model: 'm', retryBaseMs: 5, retryMaxMs: 5000 });
    const started = performance.now();
    const [c] = await client.complete({ messages });
    const waited = performance.now() - started;
    assert.equal(c.text, 'ok');
    assert.ok(waited >= 290, `waited only ${waited} ms`);
    assert.equal(client.usage().retries, 1);
    assert.equal(client.usage().requests, 2);
    client.close();
    await server.close();
  });

  it('retries 500s with backoff and gives up with kind "server" after maxRetries', async () => {
    const flaky = await startScriptedServer(({ index }) => (index < 2 ? { status: 500 } : { texts: 'fine' }));
    const client = new LlmClient({ baseURL: flaky.url, model: 'm', ...fast });
    assert.equal((await client.complete({ messages }))[0].text, 'fine');
    assert.equal(client.usage().retries, 2);
    client.close();
    await flaky.close();

    const broken = await startScriptedServer(() => ({ status: 503 }));
    const giveUp = new LlmClient({ baseURL: broken.url, model: 'm', maxRetries: 2, ...fast });
    await assert.rejects(giveUp.complete({ messages }), (e: unknown) => e instanceof LlmError && e.failure === 'server' && e.status === 503 && e.attempts === 3);
    assert.equal(broken.requests.length, 3);
    assert.equal(giveUp.usage().failures, 1);
    giveUp.close();
    await broken.close();
  });

  it('does not retry a bad request', async () => {
    const server = await startScriptedServer(() => ({ status: 400, body: { error: { message: 'context too long' } } }));
    const client = new LlmClient({ baseURL: server.url, model: 'm', ...fast });
    await assert.rejects(client.complete({ messages }), (e: unknown) => e instanceof LlmError && e.failure === 'bad-request' && e.attempts === 1);
    assert.equal(server.requests.length, 1);
    client.close();
    await server.close();
  });

  it('times out slow answers per attempt and retries them', async () => {
    const server = await startScriptedServer(({ index }) => (index === 0 ? { texts: 'late', delayMs: 1500 } : { texts: 'quick' }));
    const client = new LlmClient({ baseURL: server.url, model: 'm', timeoutMs: 200, ...fast });
    // Had the slow attempt not been cut at the timeout, its 'late' answer would have been taken.
    assert.equal((await client.complete({ messages }))[0].text, 'quick');
    assert.equal(client.usage().retries, 1);
    client.close();

    const slowServer = await startScriptedServer(() => ({ texts: 'late', delayMs: 1000 }));
    const slow = new LlmClient({ baseURL: slowServer.url, model: 'm', timeoutMs: 100, maxRetries: 1, ...fast });
    await assert.rejects(slow.complete({ messages }), (e: unknown) => e instanceof LlmError && e.failure === 'timeout');
    slow.close();
    await server.close();
    await slowServer.close();
  });

  it('reports garbage bodies as kind "garbage"', async () => {
    for (const reply of [{ raw: '{"choices": [' }, { raw: '<html>oops</html>', contentType: 'text/html' }, { raw: '{"hello": 1}' }]) {
      const server = await startScriptedServer(() => reply);
      const client = new LlmClient({ baseURL: server.url, model: 'm', maxRetries: 1, ...fast });
      await assert.rejects(client.complete({ messages }), (e: unknown) => e instanceof LlmError && e.failure === 'garbage', JSON.stringify(reply));
      assert.equal(server.requests.length, 2);
      client.close();
      await server.close();
    }
  });

  it('reports a closed port as kind "connection"', async () => {
    const server = await startScriptedServer(() => ({ texts: 'x' }));
    const url = server.url;
    await server.close();
    const client = new LlmClient({ baseURL: url, model: 'm', maxRetries: 1, ...fast });
    await assert.rejects(client.complete({ messages }), (e: unknown) => e instanceof LlmError && e.failure === 'connection');
    client.close();
  });

  it('caches each sample: a rerun sends no request, a larger n asks only for the rest', async () => {
    const server = await startScriptedServer(({ body, index }) => ({ texts: Array.from({ length: body.n }, (_, i) => `r${index}-${i}`) }));
    const cachePath = path.join(tmp, 'cache');
    const first = new LlmClient({ baseURL: server.url, model: 'm', temperature: 1, cachePath, ...fast });
    const a = await first.complete({ messages, n: 2 });
    first.close();

    const second = new LlmClient({ baseURL: server.url, model: 'm', temperature: 1, cachePath, ...fast });
    const b = await second.complete({ messages, n: 2 });
    assert.deepEqual(b.map((c) => c.text), a.map((c) => c.text));
    assert.ok(b.every((c) => c.cached));
    assert.equal(server.requests.length, 1, 'the rerun reached the server');
    assert.equal(second.usage().requests, 0);
    assert.equal(second.usage().cachedAnswers, 2);

    const c = await second.complete({ messages, n: 4 });
    assert.deepEqual(c.slice(0, 2).map((x) => x.text), a.map((x) => x.text));
    assert.deepEqual(c.slice(2).map((x) => [x.text, x.cached]), [['r1-0', false], ['r1-1', false]]);
    assert.equal(server.requests[1].body.n, 2);

    // Different sampling parameters are a different key.
    await second.complete({ messages, n: 1, temperature: 0 });
    assert.equal(server.requests.length, 3);
    second.close();
    await server.close();
  });

  it('asks again for a sample whose cache entry is truncated, and stores the new answer whole', async () => {
    const server = await startScriptedServer(({ index }) => ({ texts: `answer ${index}` }));
    const cachePath = path.join(tmp, 'cache-truncated');
    const first = new LlmClient({ baseURL: server.url, model: 'm', cachePath, ...fast });
    await first.complete({ messages });
    first.close();
    const entries = (readdirSync(cachePath, { recursive: true }) as string[]).filter((name) => name.endsWith('.json'));
    assert.equal(entries.length, 1);
    const entry = path.join(cachePath, entries[0]);
    truncateSync(entry, 10);

    const second = new LlmClient({ baseURL: server.url, model: 'm', cachePath, ...fast });
    const [again] = await second.complete({ messages });
    assert.deepEqual([again.text, again.cached], ['answer 1', false]);
    assert.equal(server.requests.length, 2);
    second.close();

    const third = new LlmClient({ baseURL: server.url, model: 'm', cachePath, ...fast });
    const [cached] = await third.complete({ messages });
    assert.deepEqual([cached.text, cached.cached], ['answer 1', true]);
    assert.equal(server.requests.length, 2);
    third.close();
    await server.close();
  });

  it('refuses a cachePath that is a file (an old SQLite cache)', () => {
    const file = path.join(tmp, 'old.sqlite');
    writeFileSync(file, 'SQLite format 3\u0000');
    assert.throws(() => new LlmClient({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', cachePath: file }), (error: unknown) => error instanceof Error && error.message.includes(file) && /directory/.test(error.message));
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await startScriptedServer(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight--;
      return { texts: 'x' };
    });
    const client = new LlmClient({ baseURL: server.url, model: 'm', concurrency: 3, ...fast });
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.complete({ messages: [{ role: 'user', content: `q${i}` }] })));
    assert.equal(server.requests.length, 12);
    assert.ok(peak <= 3 && peak >= 2, `peak ${peak}`);
    client.close();
    await server.close();
  });

  it('refuses a missing API key variable', () => {
    assert.throws(() => new LlmClient({ baseURL: 'http://127.0.0.1:1/v1', model: 'm', apiKeyEnv: 'C2C_SURELY_UNSET_KEY' }), /C2C_SURELY_UNSET_KEY/);
  });
});

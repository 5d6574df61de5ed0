// A scripted OpenAI-compatible HTTP server on loopback, for tests: real HTTP, no model. Each request
// is handed to a script that says what to answer: completions, an error status, a delay, garbage.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedRequest {
  /** The URL path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The parsed JSON body (or the raw text if it was not JSON). */
  body: any;
  /** 0 for the first request the server received, 1 for the next, ... */
  index: number;
}

export type ScriptedReply =
  | {
      /** One text per choice; a single string is repeated for each of the request's `n` choices. */
      texts?: string | string[];
      /** Per choice or one for all; default `stop`. */
      finishReason?: string | null | Array<string | null>;
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** Wait this long before answering (to test timeouts). */
      delayMs?: number;
    }
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | { raw: string; contentType?: string; status?: number; delayMs?: number };

export interface ScriptedServer {
  /** Base URL ending in `/v1`, for `LlmOptions.baseURL`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: Array<{ path: string; body: any }>;
  close(): Promise<void>;
}

export async function startScriptedServer(
  script: (request: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>,
): Promise<ScriptedServer> {
  const requests: Array<{ path: string; body: any }> = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text: the script may want to see it
    }
    const path = (req.url ?? '/').split('?')[0];
    const index = requests.length;
    requests.push({ path, body });
    let reply: ScriptedReply;
    try {
      reply = await script({ path, body, index });
    } catch (error) {
      reply = { status: 500, body: { error: { message: `script failed: ${(error as Error).message}` } } };
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return; // the client gave up (timeout) while we waited
    send(res, path, body, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A test that fails before close() must not keep the test process alive.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, path: string, body: any, reply: ScriptedReply): void {
  if ('raw' in reply) {
    res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
    res.end(reply.raw);
    return;
  }
  if ('status' in reply) {
    const payload = reply.body ?? { error: { message: `scripted status ${reply.status}`, type: 'scripted' } };
    res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
    res.end(JSON.stringify(payload));
    return;
  }
  if (path !== '/v1/chat/completions' && path !== '/v1/completions') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
    return;
  }
  const n = typeof body?.n === 'number' && body.n > 0 ? body.n : 1;
  const texts = Array.isArray(reply.texts) ? reply.texts : Array.from({ length: n }, () => (reply.texts as string | undefined) ?? '');
  const finish = (i: number) => (Array.isArray(reply.finishReason) ? reply.finishReason[i] : reply.finishReason === undefined ? 'stop' : reply.finishReason);
  const chat = path === '/v1/chat/completions';
  const choices = texts.map((text, i) =>
    chat
      ? { index: i, message: { role: 'assistant', content: text }, finish_reason: finish(i), logprobs: null }
      : { index: i, text, finish_reason: finish(i), logprobs: null },
  );
  const usage = reply.usage ?? { prompt_tokens: 10, completion_tokens: 5 * texts.length };
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: `scripted-${Date.now()}`,
      object: chat ? 'chat.completion' : 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: body?.model ?? 'scripted',
      choices,
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    }),
  );
}

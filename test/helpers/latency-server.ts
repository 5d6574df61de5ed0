// The scripted OpenAI-compatible server in a process of its own, answering every request after a
// fixed latency, so a client's CPU can be measured without the server's. It prints its URL on the
// first line of stdout; a request whose prompt is `__stats__` gets the most requests it held at once.
// Usage: node latency-server.js DELAY_MS
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startScriptedServer } from './openai-server.js';

export interface LatencyServer {
  url: string;
  close(): void;
}

export async function startLatencyServer(delayMs: number): Promise<LatencyServer> {
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(import.meta.url), String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
    child.on('exit', (code) => reject(new Error(`latency server exited (${code})`)));
  });
  return { url, close: () => void child.kill('SIGTERM') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const delayMs = Number(process.argv[2] ?? 200);
  let inFlight = 0;
  let most = 0;
  const server = await startScriptedServer(({ body }) => {
    const prompt = body?.messages?.[0]?.content ?? body?.prompt;
    if (prompt === '__stats__') return { texts: JSON.stringify({ most }) };
    inFlight++;
    most = Math.max(most, inFlight);
    setTimeout(() => inFlight--, delayMs);
    return { texts: 'def f(x):\n    return x\n', delayMs };
  });
  process.stdout.write(server.url + '\n');
  const alive = setInterval(() => {}, 60_000); // the scripted server is unref'd: this process lives for it
  process.on('SIGTERM', () => void server.close().then(() => (clearInterval(alive), process.exit(0))));
}

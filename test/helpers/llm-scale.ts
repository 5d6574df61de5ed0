// How the LLM client does at scale, measured (the test asserts the goals, the bench prints them).
import { LlmClient } from '../../src/llm/client.js';
import { startLatencyServer } from './latency-server.js';

export interface ScaleFigures {
  answered: number;
  mostInFlight: number;
  cpuMsPerRequest: number;
  seconds: number;
  requestsPerSecond: number;
}

export async function measureClientAtScale(options: { requests: number; concurrency: number; latencyMs: number }): Promise<ScaleFigures> {
  const server = await startLatencyServer(options.latencyMs);
  const client = new LlmClient({ baseURL: server.url, model: 'scripted', concurrency: options.concurrency, maxRetries: 0 });
  try {
    await client.complete({ prompt: 'warm up' }); // the first request loads the SDK's lazy parts
    const cpu = process.cpuUsage();
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: options.requests }, (_, i) => client.complete({ prompt: `write inputs for function ${i}` })));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const [stats] = await client.complete({ prompt: '__stats__' });
    return {
      answered: answers.filter((a) => a.length === 1).length,
      mostInFlight: JSON.parse(stats.text).most,
      cpuMsPerRequest: (used.user + used.system) / 1000 / options.requests,
      seconds,
      requestsPerSecond: options.requests / seconds,
    };
  } finally {
    client.close();
    server.close();
  }
}

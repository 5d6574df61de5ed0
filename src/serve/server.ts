// `case2code serve`: an HTTP scoring service for RL trainers and evaluators. Routes:
//   GET  /healthz                        liveness and readiness (no token needed)
//   GET  /metrics                        Prometheus text format
//   POST /v1/score                       score an answer against the cases it brings (or a batch)
//   POST /v1/benchmarks/{name}/score     score an answer against a benchmark item loaded at start
//   POST /run_code                       SandboxFusion-compatible: run a Python program
// Every answer runs in the sandbox; expected outputs never enter the process that runs an answer.
// Admission is bounded (429 + Retry-After past --queue-limit), bodies are size-limited (413), each
// request has a wall-clock limit (504, never a score), and close() is graceful: requests in flight
// finish, new ones are refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadBenchmark } from '../eval/benchmark.js';
import type { EvalItem } from '../eval/items.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { PoolStats } from '../sandbox/types.js';
import { Admission } from './admission.js';
import { HttpError, MethodNotAllowedError, NotFoundError, RequestTimeoutError, ShuttingDownError } from './errors.js';
import { bearerCheck, readJsonBody, sendError, sendJson } from './http.js';
import { serveMetrics } from './metrics.js';
import { resolveServeOptions, type ServeOptions } from './options.js';
import { runCodeRoute } from './run-code.js';
import { benchmarkScoreRoute, scoreRoute, type ScoringContext } from './scoring.js';
import { SERVE_TOOLS } from './tools.js';

export interface BenchmarkInfo {
  file: string;
  items: number;
  setupErrors: Array<{ id: string; line: number; reason: string }>;
}

export interface ScoreServer {
  /** e.g. `http://127.0.0.1:8000` */
  url: string;
  port: number;
  sandbox: Sandbox;
  benchmarks: Record<string, BenchmarkInfo>;
  /** Graceful: stop taking requests, let those in flight finish (up to the grace period), then stop. */
  close(): Promise<void>;
}

const BENCHMARK_ROUTE = /^\/v1\/benchmarks\/([^/]+)\/score$/;

export async function startScoreServer(input: ServeOptions = {}): Promise<ScoreServer> {
  const options = resolveServeOptions(input);
  const log = options.log ?? ((message: string) => process.stderr.write(message + '\n'));
  const owned = !(options.sandbox instanceof Sandbox);
  const sandbox = options.sandbox instanceof Sandbox ? options.sandbox : await Sandbox.start({ ...options.sandbox, tools: SERVE_TOOLS });
  let server: http.Server | undefined;
  try {
    const benchmarks = new Map<string, Map<string, EvalItem>>();
    const infos: Record<string, BenchmarkInfo> = {};
    for (const [name, file] of Object.entries(options.benchmarks ?? {})) {
      const items = await loadBenchmark(sandbox, file);
      benchmarks.set(name, new Map(items.map((item) => [item.id, item])));
      const setupErrors = items.filter((item) => item.setupError !== undefined).map((item) => ({ id: item.id, line: item.source.line, reason: item.setupError! }));
      infos[name] = { file, items: items.length, setupErrors };
      for (const e of setupErrors) log(`case2code serve: benchmark ${name}: ${file}:${e.line}: item ${e.id} cannot be set up here (scored as setup-error): ${e.reason}`);
    }

    const admission = new Admission(options.queueLimit);
    let inFlight = 0;
    let stats: PoolStats = await sandbox.stats();
    const metrics = serveMetrics({ queueDepth: () => admission.depth, queueLimit: options.queueLimit, workers: sandbox.info.workers, inFlightRequests: () => inFlight, sandbox: () => stats });
    const context: ScoringContext = { sandbox, admission, metrics, options, benchmarks };
    const authorize = bearerCheck(options.token);
    let shuttingDown = false;
    let drained: (() => void) | undefined;

    const route = async (req: http.IncomingMessage, path: string): Promise<{ status?: number; body: unknown; text?: string }> => {
      if (path === '/healthz') {
        if (req.method !== 'GET') throw new MethodNotAllowedError('GET');
        const body = { status: shuttingDown ? 'shutting-down' : 'ok', backend: sandbox.info.backend, python: sandbox.info.python, workers: sandbox.info.workers, queue_depth: admission.depth, queue_limit: options.queueLimit, benchmarks: Object.fromEntries(Object.entries(infos).map(([name, info]) => [name, { items: info.items, setup_errors: info.setupErrors.length }])) };
        return { status: shuttingDown ? 503 : 200, body };
      }
      if (shuttingDown) throw new ShuttingDownError();
      authorize(req);
      if (path === '/metrics') {
        if (req.method !== 'GET') throw new MethodNotAllowedError('GET');
        stats = await sandbox.stats();
        return { body: null, text: metrics.registry.render() };
      }
      const benchmark = BENCHMARK_ROUTE.exec(path);
      if (path !== '/v1/score' && path !== '/run_code' && !benchmark) throw new NotFoundError(`no route ${path}`);
      if (req.method !== 'POST') throw new MethodNotAllowedError('POST');
      const body = await readJsonBody(req, options.maxBodyBytes);
      const work = path === '/v1/score' ? scoreRoute(context, body) : path === '/run_code' ? runCodeRoute(context, body) : benchmarkScoreRoute(context, decodeURIComponent(benchmark![1]), body);
      return { body: await withDeadline(work, options.requestTimeoutMs) };
    };

    server = http.createServer((req, res) => {
      const started = performance.now();
      const path = (req.url ?? '/').split('?')[0];
      const label = BENCHMARK_ROUTE.test(path) ? '/v1/benchmarks/{name}/score' : ['/healthz', '/metrics', '/v1/score', '/run_code'].includes(path) ? path : 'other';
      inFlight++;
      route(req, path)
        .then(({ status = 200, body, text }) => {
          if (text !== undefined) {
            res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
            res.end(text);
          } else sendJson(res, status, body, shuttingDown ? { connection: 'close' } : {});
          return status;
        })
        .catch((error: unknown) => {
          const http = error instanceof HttpError ? error : new HttpError(500, 'internal', `the server failed on this request: ${(error as Error)?.message ?? error}`);
          if (!(error instanceof HttpError)) log(`case2code serve: ${req.method} ${path}: ${(error as Error)?.stack ?? error}`);
          // A body refused before it was read to its end: the connection cannot be reused.
          if (http.status === 413 && !req.complete) res.setHeader('connection', 'close');
          sendError(res, http);
          return http.status;
        })
        .then((status) => {
          metrics.requests.inc({ route: label, status: String(status) });
          metrics.latency.observe((performance.now() - started) / 1000, { route: label });
          inFlight--;
          if (inFlight === 0) drained?.();
        });
    });
    server.requestTimeout = 30_000; // the whole request must arrive within this (slow senders)
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(options.port, options.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        shuttingDown = true;
        const stopped = new Promise<void>((resolve) => server!.close(() => resolve()));
        server!.closeIdleConnections();
        if (inFlight > 0) {
          const grace = new Promise<void>((resolve) => setTimeout(resolve, options.shutdownGraceMs).unref());
          await Promise.race([new Promise<void>((resolve) => (drained = resolve)), grace]);
        }
        server!.closeAllConnections();
        await stopped;
        if (owned) await sandbox.close();
      })());
    return { url: `http://${host}:${port}`, port, sandbox, benchmarks: infos, close };
  } catch (error) {
    server?.close();
    if (owned) await sandbox.close();
    throw error;
  }
}

/** The work's answer, or a 504 once `ms` have passed (the work itself goes on to its end). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RequestTimeoutError(ms)), ms);
  });
  work.catch(() => {}); // an error after the deadline has nobody to tell
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

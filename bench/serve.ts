// Issue 12's serving goal: 256 concurrent clients for 60 s against `case2code serve` on loopback,
// each sending one answer at a time to /v1/benchmarks/ref/score (the 100 official fixture items
// loaded at start), a mix of gold, wrong and hostile answers whose expected result is known by
// construction. Figures: answers scored per second, latency p50/p99 (per answer, 429 retries
// included; and per admitted request), and answers lost or scored wrong (both must be 0).
// Target: >= 300 answers/s on 2 cores with p99 < 1 s.
// Settings (environment): C2C_BENCH_SECONDS (60), C2C_BENCH_CLIENTS (256), C2C_BENCH_WORKERS
// (server workers, default cores + 1), C2C_BENCH_TIMEOUT_MS (per-call CPU window, default 100),
// C2C_BENCH_QUEUE_LIMIT (the server's --queue-limit, default its own), C2C_BENCH_MIX (below).
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GOLD_MISMATCHES } from '../test/helpers/reference-fixture.js';
import { REFERENCE_FIXTURE } from './fixture.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const SECONDS = Number(process.env.C2C_BENCH_SECONDS ?? 60);
const CLIENTS = Number(process.env.C2C_BENCH_CLIENTS ?? 256);
const WORKERS = Number(process.env.C2C_BENCH_WORKERS ?? os.availableParallelism() + 1);
const TIMEOUT_MS = Number(process.env.C2C_BENCH_TIMEOUT_MS ?? 100);
const QUEUE_LIMIT = process.env.C2C_BENCH_QUEUE_LIMIT;

/** The mix: shares of gold, wrong and hostile answers (hostile ones rotate over HOSTILE);
 * C2C_BENCH_MIX=gold,wrong,hostile overrides it (e.g. 1,0,0 for gold only). */
const MIX = (([gold, wrong, hostile]) => ({ gold, wrong, hostile }))((process.env.C2C_BENCH_MIX ?? '0.7,0.25,0.05').split(',').map(Number));

/** Attacks on the sandbox and the scorer; each must fail, and none may hurt the server. */
const HOSTILE: Array<(entry: string) => string> = [
  () => 'import os\nos._exit(0)\n',
  (f) => `import os, signal\ndef ${f}(**kw):\n    os.kill(os.getppid(), signal.SIGKILL)\n    os.kill(1, signal.SIGKILL)\n`,
  (f) => `import os\ndef ${f}(**kw):\n    os.write(1, b'{"batch":[{"i":0,"o":{"verdict":"return","repr":"None","ms":0}}]}\\n')\n    os._exit(0)\n`,
  (f) => `import os\ndef ${f}(**kw):\n    for fd in range(3, 64):\n        try:\n            os.write(fd, b'{"type":"done","id":1}\\n')\n        except OSError:\n            pass\n    return object()\n`,
  (f) => `def ${f}(**kw):\n    return [0] * (10 ** 10)\n`,
  (f) => `def ${f}(**kw):\n    while True:\n        pass\n`,
  (f) => `def ${f}(**kw):\n    print("x" * 10 ** 7)\n    raise SystemExit(0)\n`,
  (f) => `import os\ndef ${f}(**kw):\n    os.fork()\n    return os.getpid()\n`,
  (f) => `import ctypes\ndef ${f}(**kw):\n    return ctypes.string_at(0)\n`,
  (f) => `def ${f}(**kw):\n    return ${f}(**kw)\n`,
];

interface Answer {
  body: string;
  kind: 'gold' | 'wrong' | 'hostile';
  passes: boolean;
}

function answersFor(record: any): { gold: Answer; wrong: Answer[]; hostile: Answer[] } {
  const f = record.func_name;
  const make = (kind: Answer['kind'], completion: string, passes: boolean): Answer => ({ body: JSON.stringify({ id: record.id, completion }), kind, passes });
  return {
    gold: make('gold', 'The function:\n```python\n' + record.code + '\n```', !(record.id in GOLD_MISMATCHES)),
    wrong: [
      // No gold output of the fixture is this string, and these do not run at all.
      make('wrong', '```python\ndef ' + f + '(**kwargs):\n    return "not it"\n```', false),
      make('wrong', `def ${f}(**kwargs):\n    raise ValueError("no idea")\n`, false),
      make('wrong', `def ${f}(**kwargs)\n    return 1\n`, false),
      make('wrong', 'I am not sure how to write this function.', false),
    ],
    hostile: HOSTILE.map((code) => make('hostile', '```python\n' + code(f) + '```', false)),
  };
}

/** A small seeded generator, so every run sends the same sequence of answers. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function post(agent: http.Agent, url: URL, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function run(): Promise<void> {
  const records: any[] = readFileSync(REFERENCE_FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const pool = records.map(answersFor);
  const args = [CLI, 'serve', '--port', '0', '--benchmark', `ref=${REFERENCE_FIXTURE}`, '--workers', String(WORKERS), '--timeout-ms', String(TIMEOUT_MS), ...(QUEUE_LIMIT ? ['--queue-limit', QUEUE_LIMIT] : [])];
  const server = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CASE2CODE_QUIET: '1' } });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  const base = await new Promise<string>((resolve, reject) => {
    server.stderr!.setEncoding('utf8');
    server.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new Error(`serve exited (${code}):\n${stderr}`)));
  });
  const url = new URL(base + '/v1/benchmarks/ref/score');
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  console.log(`server: ${stderr.trim().split('\n').at(-1)}; per-call CPU window ${TIMEOUT_MS} ms`);
  console.log(`mix: ${Object.entries(MIX).map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(', ')} (hostile: ${HOSTILE.length} kinds in turn); ${CLIENTS} clients for ${SECONDS} s`);

  const latencies: number[] = [];
  const admittedLatencies: number[] = [];
  const counts = { gold: 0, wrong: 0, hostile: 0 };
  let scored = 0;
  let refused429 = 0;
  let lost = 0;
  let wrongScores = 0;
  const problems: string[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;

  const client = async (index: number) => {
    const next = random(index + 1);
    let hostileTurn = index;
    while (performance.now() < deadline) {
      const record = pool[Math.floor(next() * pool.length)];
      const draw = next();
      const answer = draw < MIX.gold ? record.gold : draw < MIX.gold + MIX.wrong ? record.wrong[Math.floor(next() * record.wrong.length)] : record.hostile[hostileTurn++ % HOSTILE.length];
      const sent = performance.now();
      for (let attempt = 0; ; attempt++) {
        const attemptStarted = performance.now();
        let reply;
        try {
          reply = await post(agent, url, answer.body);
        } catch (error) {
          lost++;
          problems.push(`connection: ${(error as Error).message}`);
          break;
        }
        if (reply.status === 429) {
          refused429++;
          const hint = Number(reply.headers['retry-after-ms'] ?? 1000);
          await new Promise((resolve) => setTimeout(resolve, Math.min(hint, 2000) * (0.5 + next())));
          continue;
        }
        if (reply.status !== 200) {
          lost++;
          problems.push(`HTTP ${reply.status}: ${reply.text.slice(0, 200)}`);
          break;
        }
        const result = JSON.parse(reply.text);
        const now = performance.now();
        latencies.push(now - sent);
        admittedLatencies.push(now - attemptStarted);
        scored++;
        counts[answer.kind]++;
        if (result.passed !== answer.passes) {
          wrongScores++;
          if (problems.length < 20) problems.push(`${answer.kind} answer for ${result.id} scored passed=${result.passed}: ${result.detail}`);
        }
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const metricsText = await new Promise<string>((resolve, reject) => {
    http.get(base + '/metrics', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metricsText)?.[1] ?? NaN);
  server.kill('SIGTERM');
  const code = await exited;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  admittedLatencies.sort((a, b) => a - b);
  console.log(`answers scored: ${scored} in ${seconds.toFixed(1)} s = ${(scored / seconds).toFixed(1)} answers/s (gold ${counts.gold}, wrong ${counts.wrong}, hostile ${counts.hostile})`);
  console.log(`latency per answer (429 waits included): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`);
  console.log(`latency per admitted request: p50 ${percentile(admittedLatencies, 50).toFixed(0)} ms, p99 ${percentile(admittedLatencies, 99).toFixed(0)} ms; 429 answers: ${refused429}`);
  console.log(`lost: ${lost}, scored wrong: ${wrongScores}${problems.length ? `\n  ${problems.slice(0, 10).join('\n  ')}` : ''}`);
  console.log(`sandbox: ${metric('case2code_sandbox_jobs_total')} jobs, ${metric('case2code_sandbox_workers_replaced_total')} workers replaced, ${metric('case2code_sandbox_hard_kills_total')} hard kills, ${metric('case2code_sandbox_protocol_violations_total')} protocol violations; server exit code after SIGTERM: ${code}`);
  console.log(`bench client CPU: ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores`);
  const met = scored / seconds >= 300 && percentile(latencies, 99) < 1000 && lost === 0 && wrongScores === 0;
  console.log(`target (>= 300 answers/s, p99 < 1 s, 0 lost, 0 wrong): ${met ? 'met' : 'NOT met'}`);
}

// Helpers for the serve tests: HTTP calls to a real server on loopback, the CLI server as a child
// process, and a wait that polls the server's own state (never a fixed sleep).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REFERENCE_TEST_FIXTURE } from '../helpers/reference-fixture.js';

export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
export const FIXTURE_RECORDS: any[] = readFileSync(REFERENCE_TEST_FIXTURE, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(base: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // metrics are text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Polls `check` until it holds; the test's own timeout bounds the wait. */
export async function waitUntil(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

export interface CliServer {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `case2code serve --port 0 ...` as a child process; resolves once it says where it listens. */
export function startCliServer(args: string[], env: Record<string, string> = {}): Promise<CliServer> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve({ url: match[1], child, stderr: () => stderr, exited });
    });
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)));
  });
}

/** Code that sleeps, then answers like `f(a, b) = a + b`: a request that stays in flight a while. */
export const SLOW_ADD = 'import time\n\ndef f(a, b):\n    time.sleep(1.5)\n    return a + b\n';
export const ADD_CASES = [{ input: { args: ['1', '2'] }, output: { verdict: 'return', repr: '3' } }];

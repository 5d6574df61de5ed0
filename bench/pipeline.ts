// End-to-end speed of `case2code run`: functions per second and peak memory (resident set of the
// whole process tree: the CLI, the sandbox host and its interpreters), for the default run (the
// embedded standard library, fuzz inputs) and for a corpus of at least 5,000 functions (the
// site-packages and standard library of the machine's python3, or PIPELINE_BENCH_CORPUS). Runs the
// real CLI as a child process.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Resident memory (bytes) of a process and all its descendants, from /proc. */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  let rss = 0;
  const sizes = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      sizes.set(Number(entry), kb * 1024);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    rss += sizes.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return rss;
}

async function measure(label: string, args: string[]): Promise<number | undefined> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'c2c-bench-run-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'run', ...args, '--output', out], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CASE2CODE_QUIET: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 250);
    const code: number | null = await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) {
      console.log(`${label}: failed (${code}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
      return undefined;
    }
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const at = (stage: string) => summary.stages.find((s: any) => s.stage === stage);
    const functions = at('extract').kept;
    const samples = at('samples').kept;
    console.log(
      `${label}: ${functions} functions -> ${samples} with samples in ${seconds.toFixed(1)} s: ` +
        `${(functions / seconds).toFixed(2)} functions/s, ${(samples / seconds).toFixed(2)} samples/s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
    );
    return functions;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The site-packages and the standard library of the machine's python3. */
function python3Corpus(): string[] {
  try {
    const script = 'import json, site, sysconfig; print(json.dumps(site.getsitepackages() + [sysconfig.get_paths()["stdlib"]]))';
    return (JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as string[]).filter((d) => existsSync(d));
  } catch {
    return [];
  }
}

export async function run(): Promise<void> {
  const only = process.env.PIPELINE_BENCH; // 'default' or 'large' to run one of the two
  if (only !== 'large') await measure('default run (embedded stdlib, fuzz)', []);
  if (only === 'default') return;
  // PIPELINE_BENCH_CORPUS: directories separated by the path delimiter (':' on Linux).
  const corpus = process.env.PIPELINE_BENCH_CORPUS?.split(path.delimiter).filter(Boolean) ?? python3Corpus();
  if (corpus.length === 0) {
    console.log('large run: skipped (no python3 found; set PIPELINE_BENCH_CORPUS)');
    return;
  }
  const limit = process.env.PIPELINE_BENCH_LIMIT ?? '5000';
  const functions = await measure(`large run (${corpus.join(', ')}, --limit ${limit})`, [...corpus, '--limit', limit]);
  if (functions !== undefined && functions < Number(limit)) {
    console.log(`note: the corpus gave only ${functions} functions; add directories with PIPELINE_BENCH_CORPUS for a ${limit}-function run`);
  }
}

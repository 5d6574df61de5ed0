// POST /run_code, compatible with SandboxFusion's request and response for Python, so a trainer
// already wired to SandboxFusion (verl's sandbox_fusion reward, for one) works unchanged. The
// program runs in the sandbox through the run_code tool. Differences, by design: `run_timeout` is
// CPU time (a sleeping program is stopped by the wall-clock backstop), capped by the server's
// --max-run-timeout-ms; `memory_limit_MB` is the sandbox's own memory cap; `files` and
// `fetch_files` are not supported (a request using them is refused).
import { z } from 'zod';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { CallOutcome } from '../contract/index.js';
import type { Admission } from './admission.js';
import { BadRequestError } from './errors.js';
import type { ServeMetrics } from './metrics.js';
import type { ResolvedServeOptions } from './options.js';
import { RUN_CODE_TOOL } from './tools.js';

const RunCodeRequestSchema = z.looseObject({
  code: z.string(),
  language: z.string(),
  run_timeout: z.number().positive().optional(),
  compile_timeout: z.number().optional(),
  memory_limit_MB: z.number().optional(),
  stdin: z.string().nullable().optional(),
  files: z.record(z.string(), z.string().nullable()).optional(),
  fetch_files: z.array(z.string()).optional(),
});

/** What the run_code tool answers; checked, since the program ran in the same interpreter. */
const ToolAnswerSchema = z.object({ stdout: z.string(), stderr: z.string(), return_code: z.number().int(), ms: z.number() });

/** Longest stdout or stderr passed on, in characters (the tool keeps 1 MiB of bytes per stream). */
const MAX_STREAM_CHARS = 1 << 20;
/** SandboxFusion's default run_timeout, in seconds. */
const DEFAULT_RUN_TIMEOUT_S = 10;

export interface CommandRunResult {
  status: 'Finished' | 'TimeLimitExceeded' | 'Error';
  execution_time: number | null;
  return_code: number | null;
  stdout: string | null;
  stderr: string | null;
}

export interface RunCodeResponse {
  status: 'Success' | 'Failed' | 'SandboxError';
  message: string;
  compile_result: null;
  run_result: CommandRunResult | null;
  executor_pod_name: null;
  files: Record<string, string>;
}

export async function runCodeRoute(context: { sandbox: Sandbox; admission: Admission; metrics: ServeMetrics; options: ResolvedServeOptions }, body: unknown): Promise<RunCodeResponse> {
  const parsed = RunCodeRequestSchema.safeParse(body);
  if (!parsed.success) throw new BadRequestError('not a run_code request', parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`));
  const request = parsed.data;
  if (request.language !== 'python' && request.language !== 'python3') throw new BadRequestError(`this server runs python only, not ${JSON.stringify(request.language)}`);
  if (request.files && Object.keys(request.files).length > 0) throw new BadRequestError('files are not supported by case2code serve');
  if (request.fetch_files && request.fetch_files.length > 0) throw new BadRequestError('fetch_files are not supported by case2code serve');
  if (request.code.length > context.options.maxCodeChars) throw new BadRequestError(`code: ${request.code.length} characters, more than the server's --max-code-chars ${context.options.maxCodeChars}`);
  const windowMs = Math.min((request.run_timeout ?? DEFAULT_RUN_TIMEOUT_S) * 1000, context.options.maxRunTimeoutMs);
  context.admission.admit(1);
  let response: RunCodeResponse;
  try {
    const outcome = await context.sandbox.runTool<unknown>(RUN_CODE_TOOL, { code: request.code, stdin: request.stdin ?? '' }, { timeoutMs: Math.max(1, Math.round(windowMs)), totalMs: Math.max(1, Math.round(windowMs)) });
    response = outcome.ok ? finished(outcome.value) : failed(outcome.outcome);
  } finally {
    context.admission.done();
  }
  context.metrics.runCode.inc({ status: response.status });
  return response;
}


function respond(status: RunCodeResponse['status'], run: CommandRunResult | null, message = ''): RunCodeResponse {
  return { status, message, compile_result: null, run_result: run, executor_pod_name: null, files: {} };
}

function finished(value: unknown): RunCodeResponse {
  const answer = ToolAnswerSchema.safeParse(value);
  if (!answer.success) {
    return respond('Failed', { status: 'Finished', execution_time: null, return_code: 1, stdout: '', stderr: 'the program changed the runner\'s answer; no output is reported\n' });
  }
  const { stdout, stderr, return_code, ms } = answer.data;
  const run: CommandRunResult = { status: 'Finished', execution_time: ms / 1000, return_code, stdout: stdout.slice(0, MAX_STREAM_CHARS), stderr: stderr.slice(0, MAX_STREAM_CHARS) };
  return respond(return_code === 0 ? 'Success' : 'Failed', run);
}

/** A run the tool could not answer: the program ran out of time, of memory, or ended its process. */
function failed(outcome: CallOutcome): RunCodeResponse {
  const ms = 'ms' in outcome ? outcome.ms : null;
  switch (outcome.verdict) {
    case 'timeout':
      return respond('Failed', { status: 'TimeLimitExceeded', execution_time: ms === null ? null : ms / 1000, return_code: null, stdout: '', stderr: '' });
    case 'memory':
      return respond('Failed', { status: 'Finished', execution_time: ms === null ? null : ms / 1000, return_code: 1, stdout: '', stderr: 'MemoryError\n' });
    case 'crash': {
      // The process ended itself (os._exit, a signal): its exit status is the program's.
      const exited = /exited with code (\d+)/.exec(outcome.message);
      const signal = /died of signal (\w+)/.exec(outcome.message);
      const code = exited ? Number(exited[1]) : signal ? -(SIGNALS[signal[1]] ?? 9) : -9;
      return respond('Failed', { status: 'Finished', execution_time: null, return_code: code, stdout: '', stderr: `${outcome.message}\n` });
    }
    case 'raise':
      return respond('Failed', { status: 'Finished', execution_time: ms === null ? null : ms / 1000, return_code: 1, stdout: '', stderr: `${outcome.type}: ${outcome.message}\n` });
    default:
      return respond('SandboxError', { status: 'Error', execution_time: null, return_code: null, stdout: null, stderr: null }, `the sandbox could not run the program: ${'message' in outcome ? outcome.message : outcome.verdict}`);
  }
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24, SIGSYS: 31 };

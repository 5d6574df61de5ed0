// `case2code inputs`: functions JSONL in, the same records plus inputs out, in input order. Bad lines
// and functions without usable inputs go to the rejects file with a reason; nothing is lost.
import { Progress } from '../cli/progress.js';
import { readJsonl, JsonlWriter } from '../io/jsonl.js';
import { Funnel, type StageItem } from '../pipeline/stage.js';
import { FunctionRecordSchema, type FunctionRecord, type Reject } from '../records.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { generateInputs, type InputsOptions } from './index.js';

export interface InputsFileOptions extends InputsOptions {
  input: string;
  output: string;
  /** Default: `<output>.rejects.jsonl`. */
  rejects?: string;
  /** Called for each bad input line (the CLI prints it). */
  onBadLine?: (reject: Reject) => void;
  quiet?: boolean;
}

export interface InputsFileStats {
  funnel: ReturnType<Funnel['toJSON']>;
  badLines: number;
  seconds: number;
}

export async function inputsFile(sandbox: Sandbox, options: InputsFileOptions): Promise<InputsFileStats> {
  const started = performance.now();
  const out = new JsonlWriter(options.output);
  const rejects = new JsonlWriter(options.rejects ?? `${options.output}.rejects.jsonl`);
  const funnel = new Funnel();
  const progress = new Progress('inputs', undefined, 'functions', { quiet: options.quiet });
  let badLines = 0;

  // Bad lines are written as they are found; the valid records stream on to the generator.
  async function* functions(): AsyncIterable<FunctionRecord> {
    for await (const entry of readJsonl(options.input)) {
      const source = { path: options.input, line: entry.line };
      let problem: Reject | undefined;
      if (!entry.ok) problem = { stage: 'inputs', reason: 'bad-json', source, detail: entry.error };
      else {
        const parsed = FunctionRecordSchema.safeParse(entry.value);
        if (parsed.success) {
          yield parsed.data;
          continue;
        }
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
        problem = { stage: 'inputs', reason: 'bad-record', source, detail };
      }
      badLines++;
      options.onBadLine?.(problem);
      await rejects.write(problem);
    }
  }

  try {
    for await (const item of generateInputs(sandbox, functions(), options) as AsyncIterable<StageItem<any>>) {
      funnel.count(item);
      if (item.kind === 'keep') await out.write(item.record);
      else await rejects.write(item.reject);
      progress.tick();
    }
  } finally {
    progress.finish();
    await Promise.all([out.close(), rejects.close()]);
  }
  return { funnel: funnel.toJSON(), badLines, seconds: (performance.now() - started) / 1000 };
}

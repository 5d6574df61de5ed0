// What a worker may say, as schemas. Every line from a worker is parsed and checked here before the
// pool looks at it: size in bytes, shape, exact types (strings are strings, numbers are finite).
// The per-job checks (a job id this worker was given, an index it still owes, exactly one outcome
// per call) are the pool's, in pool.ts.
import { z } from 'zod';
import { CallOutcomeSchema, type CallOutcome } from '../contract/index.js';

const text = z.string();

const id = z.number().int().positive();
const result = z.strictObject({ index: z.number().int().nonnegative(), outcome: CallOutcomeSchema, value: z.unknown().optional() });

export const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), python: text, pyodide: text.optional(), layers: z.record(z.string(), text) }),
  z.strictObject({ type: z.literal('outcome'), ...result.shape, id }),
  z.strictObject({ type: z.literal('outcomes'), id, results: z.array(result).min(1) }),
  z.strictObject({ type: z.literal('done'), id }),
  z.strictObject({ type: z.literal('alive'), id }),
  z.strictObject({ type: z.literal('blocked'), what: text.max(100) }),
]);

export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;

/** Caps on what one outcome may hold, beyond its shape. */
export interface OutcomeCaps {
  reprCap: number;
  outputCap: number;
}

/** The message in `line`, or why it is refused. */
export function parseWorkerLine(line: string, caps: OutcomeCaps): WorkerMessage | { refused: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { refused: 'a line that is not JSON' };
  }
  const parsed = WorkerMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { refused: `a malformed message (${issue?.path.join('.') || 'message'}: ${issue?.message})` };
  }
  const outcomes = parsed.data.type === 'outcome' ? [parsed.data] : parsed.data.type === 'outcomes' ? parsed.data.results : [];
  for (const { outcome } of outcomes) {
    const over = overCap(outcome, caps);
    if (over) return { refused: `an outcome whose ${over} is over its cap` };
  }
  return parsed.data;
}

function overCap(outcome: CallOutcome, caps: OutcomeCaps): string | undefined {
  if ('repr' in outcome && outcome.repr.length > caps.reprCap) return 'repr';
  if ('message' in outcome && outcome.message !== undefined && outcome.message.length > caps.reprCap + 200) return 'message';
  if ('stdout' in outcome && outcome.stdout !== undefined && outcome.stdout.length > caps.outputCap) return 'stdout';
  return undefined;
}

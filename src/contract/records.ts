// Every record that crosses a stage, typed in one place. Each stage adds fields to the record it
// receives, so a later record is a superset of an earlier one. Ids are content hashes, so reruns and
// shards agree on them. The same schemas check what a worker of the sandbox says and what a user's
// JSONL file holds: strings are strings, numbers are finite.
import { z } from 'zod';

export const ParamSchema = z.object({
  name: z.string(),
  /** Source text of the annotation, if any. */
  annotation: z.string().nullable(),
  /** Source text of the default value, if any. */
  default: z.string().nullable(),
  kind: z.enum(['positional_only', 'positional_or_keyword', 'var_positional', 'keyword_only', 'var_keyword']).optional(),
});
export type Param = z.infer<typeof ParamSchema>;

export const SourceRefSchema = z.object({
  path: z.string().optional(),
  dataset: z.string().optional(),
  row: z.number().int().optional(),
  line: z.number().int().optional(),
  repo: z.string().optional(),
  license: z.string().optional(),
  /** The dataset record's own id (e.g. The Stack's `hexsha`, the reference raw data's `id`). */
  id: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** Output of `extract`: one standalone, self-contained function. */
export const FunctionRecordSchema = z.object({
  id: z.string(),
  entry: z.string(),
  code: z.string(),
  params: z.array(ParamSchema).default([]),
  source: SourceRefSchema.default({}),
  /** Near-duplicate cluster id (MinHash/LSH); functions of one cluster stay on one side of a split. */
  cluster: z.string().optional(),
});
export type FunctionRecord = z.infer<typeof FunctionRecordSchema>;

/** One call of the entry function. Each string is Python source, evaluated inside the sandbox. */
export const CallSpecSchema = z.object({
  args: z.array(z.string()).optional(),
  kwargs: z.record(z.string(), z.string()).optional(),
  /** An expression giving a mapping of keyword arguments (e.g. `examples[3]`), merged before `kwargs`. */
  kwargsFrom: z.string().optional(),
});
export type CallSpec = z.infer<typeof CallSpecSchema>;

/** A call as a reader would write it: `f(1, b=[2], **examples[0])`. */
export function callText(entry: string, call: CallSpec): string {
  const parts = [
    ...(call.args ?? []),
    ...Object.entries(call.kwargs ?? {}).map(([name, value]) => `${name}=${value}`),
    ...(call.kwargsFrom ? [`**${call.kwargsFrom}`] : []),
  ];
  return `${entry}(${parts.join(', ')})`;
}

/** Output of `inputs`: the function plus the calls to make on it. */
export const InputsRecordSchema = FunctionRecordSchema.extend({
  inputs: z.array(CallSpecSchema),
  generator: z.record(z.string(), z.unknown()).optional(),
});
export type InputsRecord = z.infer<typeof InputsRecordSchema>;

/** Input of `case2code exec`: the minimum a job needs. Extra fields are kept and passed through. */
export const ExecJobSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    entry: z.string(),
    inputs: z.array(CallSpecSchema),
    /** Python run after `code` in the same namespace, before the calls (e.g. `examples = [...]`). */
    setup: z.string().optional(),
  })
  .passthrough();
export type ExecJobRecord = z.infer<typeof ExecJobSchema>;

const ms = z.number().finite().nonnegative();

/** What one call ended as. `ms` is the call's CPU time. */
export const CallOutcomeSchema = z.discriminatedUnion('verdict', [
  z.strictObject({
    verdict: z.literal('return'), repr: z.string(), ms,
    /** The repr was longer than the sandbox's cap: `repr` is its start, `reprLength` its length. */
    truncated: z.literal(true).optional(), reprLength: z.number().int().nonnegative().optional(), stdout: z.string().optional(),
  }),
  z.strictObject({
    verdict: z.literal('raise'), type: z.string(), message: z.string(), ms,
    /** Set when the class is not a builtin, e.g. `json.decoder` for JSONDecodeError. */
    module: z.string().optional(),
    /** `define` when the function's own code (or the entry lookup) failed, `repr` when its result's repr did. */
    phase: z.enum(['define', 'repr']).optional(),
    stdout: z.string().optional(),
  }),
  z.strictObject({ verdict: z.literal('timeout'), ms, message: z.string().optional() }),
  z.strictObject({ verdict: z.literal('memory'), ms }),
  z.strictObject({ verdict: z.literal('crash'), message: z.string() }),
  z.strictObject({ verdict: z.literal('bad-input'), message: z.string() }),
]);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;
export type Verdict = CallOutcome['verdict'];

/** Output of `exec`: the job plus one outcome per input, in order. */
export const ExecRecordSchema = InputsRecordSchema.extend({ outputs: z.array(CallOutcomeSchema) });
export type ExecRecord = z.infer<typeof ExecRecordSchema>;

/** A dropped record or file: why, and where it came from. */
export const RejectSchema = z.object({
  stage: z.string(),
  /** Short and machine-readable: `no-return`, `disallowed-import:os`, `bad-json`, ... */
  reason: z.string(),
  id: z.string().optional(),
  entry: z.string().optional(),
  source: SourceRefSchema.optional(),
  /** Human-readable detail (the parser's message, the offending value, ...). */
  detail: z.string().optional(),
});
export type Reject = z.infer<typeof RejectSchema>;

/** A case as samples and benchmarks state it: the call and what it gave. */
export const CaseSchema = z.object({
  input: CallSpecSchema,
  output: z.union([
    z.object({ verdict: z.literal('return'), repr: z.string() }),
    z.object({ verdict: z.literal('raise'), type: z.string(), message: z.string() }),
  ]),
});
export type Case = z.infer<typeof CaseSchema>;

/** What a case gave, as one comparable string: two cases with the same key show the same behaviour. */
export function outputKey(c: Case): string {
  return c.output.verdict === 'return' ? `r:${c.output.repr}` : `e:${c.output.type}:${c.output.message}`;
}

/** Whether a case returned one of its own arguments unchanged (its source text, as given). */
export function returnsArgument(c: Case): boolean {
  if (c.output.verdict !== 'return') return false;
  const repr = c.output.repr.trim();
  return [...(c.input.args ?? []), ...Object.values(c.input.kwargs ?? {})].some((source) => source.trim() === repr);
}

/** Output of `filter`: a function with the cases it keeps, in the order they were run. */
export const CasesRecordSchema = FunctionRecordSchema.extend({
  generator: z.record(z.string(), z.unknown()).optional(),
  cases: z.array(CaseSchema),
});
export type CasesRecord = z.infer<typeof CasesRecordSchema>;

/** An evaluation item in our `bench` format (written by `case2code run`, read by `case2code eval`). */
export const BenchItemSchema = z.object({
  id: z.string(),
  entry: z.string(),
  /** The prompt shown to the model, in the fixed bench template. */
  prompt: z.string(),
  /** The cases the prompt shows. */
  shown: z.array(CaseSchema),
  /** Every case, shown and held out, with the expected outputs. */
  cases: z.array(CaseSchema),
  /** The reference solution. */
  code: z.string(),
  cluster: z.string().optional(),
  source: SourceRefSchema.optional(),
});
export type BenchItem = z.infer<typeof BenchItemSchema>;

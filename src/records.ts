// Every record that flows between stages, typed in one place. Each stage adds fields to the record
// it receives, so a later record is a superset of an earlier one. Ids are content hashes, so reruns
// and shards agree on them.
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

/** One call: Python expression sources, evaluated inside the sandbox. */
export const CallSpecSchema = z.object({
  args: z.array(z.string()).optional(),
  kwargs: z.record(z.string(), z.string()).optional(),
  kwargsFrom: z.string().optional(),
});
export type CallSpecRecord = z.infer<typeof CallSpecSchema>;

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

export const CallOutcomeSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('return'), repr: z.string(), ms: z.number(), truncated: z.literal(true).optional(), reprLength: z.number().optional(), stdout: z.string().optional() }),
  z.object({ verdict: z.literal('raise'), type: z.string(), message: z.string(), ms: z.number(), module: z.string().optional(), phase: z.enum(['define', 'repr']).optional(), stdout: z.string().optional() }),
  z.object({ verdict: z.literal('timeout'), ms: z.number(), message: z.string().optional() }),
  z.object({ verdict: z.literal('memory'), ms: z.number() }),
  z.object({ verdict: z.literal('crash'), message: z.string() }),
  z.object({ verdict: z.literal('bad-input'), message: z.string() }),
]);

/** Output of `exec`: the job plus one outcome per input, in order. */
export type ExecRecord = InputsRecord & { outputs: z.infer<typeof CallOutcomeSchema>[] };

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

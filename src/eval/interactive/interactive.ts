// Interactive Case2Code: the model sees a few cases, may call `query(...)` to run the hidden
// function on inputs of its choice (a budget of calls per conversation), then answers. The answer
// is scored on the item's held-out cases (those the prompt does not show) plus fresh inputs from
// the fuzzer, whose expected outputs are the reference's (differential testing).
import type { LlmOptions } from '../../llm/client.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import type { CallSpec } from '../../contract/index.js';
import type { AnswerSource } from '../answers.js';
import { callText } from '../../contract/index.js';
import type { EvalItem } from '../items.js';
import { actualText, scoreAnswer, type Answer, type SampleResult, type ScoreOptions } from '../score.js';
import { ToolChat, type ChatMessage, type ToolSpec } from './chat.js';
import { freshCases, type FreshCases } from './fresh-cases.js';

export interface InteractiveOptions {
  /** Calls of query(...) the model may make per conversation (default 10). */
  queries?: number;
  /** Fresh inputs from the fuzzer per item, scored against the reference (default 10). */
  freshInputs?: number;
  /** Seed of the fuzzer (default 0): the same seed gives the same fresh inputs. */
  fuzzSeed?: number;
  temperature?: number;
  maxTokens?: number;
}

export const DEFAULT_QUERIES = 10;
const DEFAULT_FRESH_INPUTS = 10;
/** Longest argument text of one query the sandbox is asked to evaluate. */
const MAX_QUERY_CHARS = 10_000;
/** A query's outcome as the model reads it, cut here. */
const MAX_REPLY_CHARS = 2_000;

export const QUERY_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: 'query',
    description: 'Run the hidden function on one input and see what it returns or raises. Every value is a Python expression.',
    parameters: {
      type: 'object',
      properties: {
        kwargs: { type: 'object', additionalProperties: { type: 'string' }, description: 'keyword arguments: name -> Python expression, e.g. {"x": "[1, 2]"}' },
        args: { type: 'array', items: { type: 'string' }, description: 'positional arguments, each a Python expression' },
      },
    },
  },
};

export class InteractiveEval {
  private readonly chat: ToolChat;
  private readonly queries: number;
  private readonly fresh = new Map<string, Promise<FreshCases>>();
  /** Queries used per item and sample, for the results. */
  private readonly used = new Map<string, number>();

  constructor(
    private readonly sandbox: Sandbox,
    model: LlmOptions,
    private readonly options: InteractiveOptions = {},
  ) {
    this.queries = options.queries ?? DEFAULT_QUERIES;
    if (!Number.isInteger(this.queries) || this.queries < 0) throw new Error(`queries must be a whole number >= 0, got ${this.queries}`);
    this.chat = new ToolChat(model);
  }

  settings(): Record<string, unknown> {
    return { queries: this.queries, fresh_inputs: this.options.freshInputs ?? DEFAULT_FRESH_INPUTS, fuzz_seed: this.options.fuzzSeed ?? 0, scored_on: 'held-out cases + fresh fuzzed inputs' };
  }

  /** n independent conversations per item. */
  answers(n: number): AnswerSource {
    return (item) => Promise.all(Array.from({ length: n }, (_, sample) => this.converse(item, sample)));
  }

  /** Scores on the held-out cases and the fresh inputs; the result says how many queries were used. */
  async score(item: EvalItem, answer: Answer, sample: number, options: ScoreOptions = {}): Promise<SampleResult & { queries: number; freshCases: number }> {
    const fresh = await this.freshCasesOf(item);
    const shown = new Set(item.shown ?? []);
    const held = item.calls.map((_, i) => i).filter((i) => !shown.has(i));
    const scored: EvalItem = {
      ...item,
      calls: [...held.map((i) => item.calls[i]), ...fresh.calls],
      inputs: [...held.map((i) => item.inputs[i]), ...fresh.inputs],
      expected: [...held.map((i) => item.expected[i]), ...fresh.expected],
    };
    const result = await scoreAnswer(this.sandbox, scored, answer, sample, options);
    return { ...result, queries: this.used.get(`${item.id}\n${sample}`) ?? 0, freshCases: fresh.calls.length };
  }

  close(): void {
    this.chat.close();
  }

  private freshCasesOf(item: EvalItem): Promise<FreshCases> {
    let cases = this.fresh.get(item.id);
    if (!cases) {
      cases = freshCases(this.sandbox, item, { n: this.options.freshInputs ?? DEFAULT_FRESH_INPUTS, seed: this.options.fuzzSeed ?? 0 });
      this.fresh.set(item.id, cases);
    }
    return cases;
  }

  private async converse(item: EvalItem, sample: number): Promise<Answer> {
    if (!item.gold) throw new Error(`item ${item.id} (${item.source.path}:${item.source.line}) has no reference code: interactive mode runs it to answer queries`);
    const messages: ChatMessage[] = [{ role: 'user', content: introduction(item, this.queries) }];
    let used = 0;
    // Each round the model either answers or queries; one round past the budget lets it answer.
    for (let round = 0; round <= this.queries + 1; round++) {
      const turn = await this.chat.turn(messages, [QUERY_TOOL], {
        toolChoice: used < this.queries ? 'auto' : 'none', sample, temperature: this.options.temperature, maxTokens: this.options.maxTokens,
      });
      if (turn.toolCalls.length === 0) {
        this.used.set(`${item.id}\n${sample}`, used);
        return { text: turn.content, truncated: turn.finishReason === 'length' };
      }
      messages.push({
        role: 'assistant',
        content: turn.content || null,
        tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })),
      });
      for (const call of turn.toolCalls) {
        let reply: string;
        if (call.name !== QUERY_TOOL.function.name) reply = `there is no tool named ${call.name}; the only tool is query`;
        else if (used >= this.queries) reply = `no queries left (the budget was ${this.queries}); answer now with the function in a \`\`\`python block`;
        else {
          used++;
          reply = await this.query(item, call.arguments, this.queries - used);
        }
        messages.push({ role: 'tool', tool_call_id: call.id, content: reply });
      }
    }
    this.used.set(`${item.id}\n${sample}`, used);
    return { text: '', truncated: false };
  }

  /** One query on the reference, in the sandbox; the reply the model reads. */
  private async query(item: EvalItem, argumentsJson: string, left: number): Promise<string> {
    const spec = parseQuery(argumentsJson);
    if (typeof spec === 'string') return `${spec} (${left} queries left)`;
    const [outcome] = await this.sandbox.runFunction({ code: item.gold!, entry: item.entry, setup: item.setup, calls: [spec] });
    const what = outcome.verdict === 'return' ? 'returns' : outcome.verdict === 'raise' ? 'raises' : 'gives';
    const text = `${callText(item.entry, spec)} ${what} ${actualText(outcome, item)}`;
    return `${text.length > MAX_REPLY_CHARS ? text.slice(0, MAX_REPLY_CHARS) + '...' : text} (${left} queries left)`;
  }
}

/** The arguments of a query call as a call of the sandbox, or what is wrong with them. */
export function parseQuery(argumentsJson: string): CallSpec | string {
  let value: unknown;
  try {
    value = JSON.parse(argumentsJson || '{}');
  } catch {
    return 'the arguments of query are not JSON: give {"kwargs": {"name": "<Python expression>"}}';
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'the arguments of query must be an object with kwargs and/or args';
  const { args, kwargs } = value as { args?: unknown; kwargs?: unknown };
  const spec: CallSpec = {};
  if (args !== undefined) {
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return 'args must be a list of Python expressions (strings)';
    spec.args = args;
  }
  if (kwargs !== undefined) {
    if (!kwargs || typeof kwargs !== 'object' || Array.isArray(kwargs) || !Object.values(kwargs).every((v) => typeof v === 'string')) {
      return 'kwargs must map argument names to Python expressions (strings)';
    }
    if (!Object.keys(kwargs).every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))) return 'kwargs names must be Python identifiers';
    spec.kwargs = kwargs as Record<string, string>;
  }
  if (JSON.stringify(spec).length > MAX_QUERY_CHARS) return `the arguments are longer than ${MAX_QUERY_CHARS} characters`;
  return spec;
}

function introduction(item: EvalItem, queries: number): string {
  const calling = item.format === 'official' ? ` It is called with keyword arguments: ${item.entry}(**input_dict).` : '';
  return (
    item.prompt.replace(/\s*$/, '\n\n') +
    `You may run the hidden function on inputs of your choice before you answer: call the tool query with the arguments of one call ` +
    `(kwargs: name -> Python expression; args: positional Python expressions). You have ${queries} queries.${calling} ` +
    `When you are done, answer with the complete Python function ${item.entry} in a \`\`\`python code block.`
  );
}

// Interactive Case2Code against a scripted OpenAI-compatible server: a scripted model that calls
// query(...) on the hidden function, reads what it gives, then answers. The answer is scored on
// the held-out cases plus fresh fuzzed inputs, so copying the shown cases does not pass.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseQuery } from '../../src/eval/interactive/interactive.js';
import { INTERACTIVE_TOOLS, runEval } from '../../src/eval/run-eval.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { startScriptedServer, type ScriptedServer } from '../helpers/openai-server.js';
import { GOLD_MISMATCHES } from '../helpers/reference-fixture.js';
import { FIXTURE_RECORDS } from '../serve/helpers.js';

const records = FIXTURE_RECORDS.filter((r) => !(r.id in GOLD_MISMATCHES)).slice(0, 3);
const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-eval-interactive-'));
const benchmark = path.join(dir, 'three.jsonl');
writeFileSync(benchmark, records.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** A chat completion as a server sends it: text, or tool calls of query with these arguments. */
function reply(message: { content?: string; queries?: object[] }): { raw: string } {
  const toolCalls = (message.queries ?? []).map((args, i) => ({ id: `call_${i}`, type: 'function', function: { name: 'query', arguments: JSON.stringify(args) } }));
  return {
    raw: JSON.stringify({
      id: 'scripted', object: 'chat.completion', created: 0, model: 'scripted',
      choices: [{ index: 0, message: { role: 'assistant', content: message.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }, finish_reason: toolCalls.length ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }),
  };
}

/** An answer that only knows the cases the prompt shows: a lookup table, None elsewhere. */
function copyOfShownCases(r: any): string {
  const rows = r.choosed_example_idx.map((i: number) => {
    const kwargs = r.parsed_inputs[i].map(([name, src]: [string, string]) => `${JSON.stringify(name)}: ${src}`).join(', ');
    return `    ({${kwargs}}, ${JSON.parse(r.example_outputs[i].return)}),`;
  });
  return '```python\n_SHOWN = [\n' + rows.join('\n') + `\n]\n\ndef ${r.func_name}(**kwargs):\n    for inputs, output in _SHOWN:\n        if inputs == kwargs:\n            return output\n    return None\n` + '```';
}

let sandbox: Sandbox;
let server: ScriptedServer | undefined;
before(async () => {
  sandbox = await Sandbox.start({ workers: 2, tools: INTERACTIVE_TOOLS });
});
after(async () => {
  await server?.close();
  await sandbox.close();
});

test('a scripted model queries the hidden function, then answers; it is scored on held-out and fuzzed cases', async () => {
  const [first, second, third] = records;
  const conversations: any[][] = [];
  server = await startScriptedServer(({ body }) => {
    const messages: any[] = body.messages;
    const r = records.find((record) => messages[0].content.startsWith(record.prompt));
    if (!r) return { status: 400, body: { error: { message: 'unknown prompt' } } };
    const replies = messages.filter((m) => m.role === 'tool');
    if (replies.length === 0) conversations.push(messages);
    else conversations[conversations.findIndex((c) => c[0].content === messages[0].content)] = messages;
    if (r === first) return replies.length === 0 ? reply({ queries: [{ kwargs: { code: '42' } }] }) : reply({ content: '```python\n' + r.code + '\n```' });
    if (r === second) return replies.length === 0 ? reply({ queries: [{ kwargs: { string: "'x'" } }] }) : reply({ content: copyOfShownCases(r) });
    // The third spends its budget of two in one turn of three calls, then answers with the gold.
    return replies.length === 0 ? reply({ queries: [{ kwargs: { keyInt: '3' } }, { kwargs: { keyInt: '4' } }, { kwargs: { keyInt: '5' } }] }) : reply({ content: r.code });
  });
  const { summary, results } = await runEval({
    benchmark, model: { baseURL: server.url, model: 'scripted', concurrency: 2 }, interactive: { queries: 2 }, sandbox,
  });
  assert.deepEqual(results.map((r) => r.verdict), ['pass', 'fail', 'pass']);
  assert.deepEqual(results.map((r) => (r.samples[0] as any).queries), [1, 1, 2]);
  assert.equal(results[1].reason, 'wrong-output', 'copying the shown cases fails on the held-out ones');
  for (const result of results) assert.ok((result.samples[0] as any).freshCases > 0, `${result.id}: fresh fuzzed cases were scored`);
  // Held-out cases plus fresh inputs: the shown cases are not among those scored.
  assert.equal(results[0].samples[0].cases, first.example_outputs.length - first.choosed_example_idx.length + (results[0].samples[0] as any).freshCases);
  assert.deepEqual(summary.settings.interactive, { queries: 2, fresh_inputs: 10, fuzz_seed: 0, scored_on: 'held-out cases + fresh fuzzed inputs' });

  // What the model read: the hidden function's real output, and the budget running out.
  const tool = (messages: any[]) => messages.filter((m) => m.role === 'tool').map((m) => m.content);
  assert.deepEqual(tool(conversations[0]), ["convert_standard_code(code=42) returns '000042' (1 queries left)"]);
  assert.match(tool(conversations[2])[2], /^no queries left \(the budget was 2\)/);
  assert.match(conversations[0][0].content, /call the tool query .* You have 2 queries\. It is called with keyword arguments: convert_standard_code\(\*\*input_dict\)/);
  const sent = server.requests.map((r) => r.body);
  assert.ok(sent.every((body) => body.tools?.[0]?.function?.name === 'query'));
  assert.deepEqual(sent.filter((b) => b.messages[0].content.startsWith(third.prompt)).map((b) => b.tool_choice), ['auto', 'none']);
});

test('query arguments the model gets wrong are explained to it, not run', () => {
  assert.deepEqual(parseQuery('{"kwargs": {"x": "[1, 2]"}, "args": ["3"]}'), { kwargs: { x: '[1, 2]' }, args: ['3'] });
  assert.match(parseQuery('not json') as string, /not JSON/);
  assert.match(parseQuery('{"kwargs": {"x": 1}}') as string, /Python expressions \(strings\)/);
  assert.match(parseQuery('{"kwargs": {"not a name": "1"}}') as string, /identifiers/);
  assert.match(parseQuery('[1]') as string, /must be an object/);
});

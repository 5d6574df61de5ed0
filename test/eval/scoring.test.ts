// Scoring, case by case, on items made from real sandbox runs: each way an answer can fail gets its
// reason, and raises are compared in the benchmark's own format.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadBenchmark } from '../../src/eval/benchmark.js';
import type { EvalItem } from '../../src/eval/items.js';
import { EVAL_TOOLS, runEval } from '../../src/eval/run-eval.js';
import { scoreAnswer, type Answer } from '../../src/eval/score.js';
import { BenchItemSchema, type BenchItem, type CallSpec } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-eval-scoring-'));
let sandbox: Sandbox;
let items: Map<string, EvalItem>;

const ADD = 'def add(a, b):\n    return a + b\n';
const POINT_GOLD = 'class Point:\n    def __init__(self, x, y):\n        self.x, self.y = x, y\n\ndef norm1(p):\n    return abs(p.x) + abs(p.y)\n';
const PARSE_GOLD = 'import json\n\ndef parse(s):\n    print("parsing")\n    return json.loads(s)\n';

/** A bench item whose expected outputs are what the sandbox gives for the gold code. */
async function benchItemFromRun(id: string, entry: string, code: string, inputs: CallSpec[]): Promise<BenchItem> {
  const outcomes = await sandbox.runFunction({ code, entry, calls: inputs });
  const cases = outcomes.map((outcome, i) => {
    if (outcome.verdict === 'return') return { input: inputs[i], output: { verdict: 'return' as const, repr: outcome.repr } };
    if (outcome.verdict === 'raise') return { input: inputs[i], output: { verdict: 'raise' as const, type: outcome.type, message: outcome.message } };
    throw new Error(`unexpected outcome ${outcome.verdict}`);
  });
  return BenchItemSchema.parse({ id, entry, prompt: `Function: ${entry}\n...`, shown: cases.slice(0, 1), cases, code });
}

before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: EVAL_TOOLS });
  const bench = [
    await benchItemFromRun('add', 'add', ADD, [{ args: ['1', '2'] }, { args: ["'x'", "'y'"] }, { args: ['1', "'a'"] }, { kwargs: { a: '[1]', b: '[2]' } }]),
    await benchItemFromRun('parse', 'parse', PARSE_GOLD, [{ args: ["'[1, 2]'"] }, { args: ["'{'"] }]),
  ];
  const official = [
    {
      id: 'norm1', func_name: 'norm1', prompt: 'Function: norm1\n', code: POINT_GOLD,
      example_str: 'examples = [\n    dict(p=Point(1, -2)),  # a comment\n]\nexamples += [dict(p=Point(0, 0)), dict(p=None)]\n',
      example_outputs: [{ return: '"3"' }, { return: '"0"' }, { error: '<|EXCEPTION|> ' + JSON.stringify("<class 'AttributeError'>: 'NoneType' object has no attribute 'x'") }],
    },
    {
      id: 'parse-official', func_name: 'parse', prompt: 'Function: parse\n', code: PARSE_GOLD,
      example_str: "examples = [dict(s='{\"a\": 1}'), dict(s='{')]",
      example_outputs: [
        { return: JSON.stringify("{'a': 1}") },
        { error: 'parsing\n<|EXCEPTION|> ' + JSON.stringify("<class 'json.decoder.JSONDecodeError'>: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)") },
      ],
    },
  ];
  const file = path.join(dir, 'mixed.jsonl');
  writeFileSync(file, [...bench, ...official].map((r) => JSON.stringify(r)).join('\n') + '\n');
  items = new Map((await loadBenchmark(sandbox, file)).map((item) => [item.id, item]));
});
after(() => sandbox.close());

async function score(id: string, text: string, truncated = false) {
  return scoreAnswer(sandbox, items.get(id)!, { text, truncated } satisfies Answer, 0, { timeoutMs: 300 });
}

test('both formats are detected in one file; official examples are counted in the sandbox', () => {
  assert.deepEqual([...items.values()].map((i) => [i.id, i.format, i.calls.length]), [
    ['add', 'bench', 4], ['parse', 'bench', 2], ['norm1', 'official', 3], ['parse-official', 'official', 2],
  ]);
  assert.deepEqual(items.get('norm1')!.inputs.slice(2), ["{'p': None}"]);
  assert.equal(items.get('norm1')!.prompt, 'Function: norm1\n', 'the official prompt style keeps the item\'s own prompt');
});

test('the gold code passes every item, printed noise and non-builtin exceptions included', async () => {
  for (const [id, item] of items) {
    const result = await score(id, item.gold!);
    assert.equal(result.passed, true, `${id}: ${result.detail}`);
    assert.equal(result.casesPassed, item.calls.length);
  }
});

test('each way to fail has its reason', async () => {
  const cases: Array<[string, string, boolean, string, RegExp?]> = [
    ['no code', '   ', false, 'no-code'],
    ['cut at the token limit', ADD, true, 'truncated'],
    ['a syntax error', 'def add(a, b:\n    return a + b', false, 'syntax-error', /SyntaxError/],
    ['an indentation error', 'def add(a, b):\nreturn a + b', false, 'syntax-error', /IndentationError/],
    ['another function name', 'def plus(a, b):\n    return a + b', false, 'missing-function', /name 'add' is not defined/],
    ['the name bound to a non-function', 'add = 3', false, 'missing-function', /not callable/],
    ['a wrong return', 'def add(a, b):\n    return a - b if isinstance(a, int) else a + b', false, 'wrong-output', /case 0: expected 3, got -1/],
    ['an unexpected raise', 'def add(a, b):\n    raise ValueError("no")', false, 'raised', /expected 3, got ValueError: no/],
    ['a raise with another message', 'def add(a, b):\n    if a == 1 and b == "a": raise TypeError("bad")\n    return a + b', false, 'raised', /case 2: expected TypeError: unsupported operand.*got TypeError: bad/],
    ['a return where a raise was expected', 'def add(a, b):\n    return str(a) + str(b) if a == 1 and b == "a" else a + b', false, 'wrong-output', /case 2/],
    ['an endless loop', 'def add(a, b):\n    while True:\n        pass', false, 'timeout', /timeout/],
    ['a failing import at module level', 'import no_such_module_here\ndef add(a, b):\n    return a + b', false, 'raised', /while defining the code: ModuleNotFoundError/],
  ];
  for (const [what, text, truncated, reason, detail] of cases) {
    const result = await score('add', text, truncated);
    assert.equal(result.passed, false, what);
    assert.equal(result.reason, reason, `${what}: ${result.detail}`);
    if (detail) assert.match(result.detail!, detail, what);
  }
});

test('official raises are compared as <class \'module.Type\'>: message', async () => {
  const valueError = 'import json\ndef parse(s):\n    try:\n        return json.loads(s)\n    except json.JSONDecodeError as e:\n        raise ValueError(str(e))\n';
  const result = await score('parse-official', valueError);
  assert.equal(result.reason, 'raised');
  assert.deepEqual(result.failing, {
    case: 1,
    input: "{'s': '{'}",
    expected: "<class 'json.decoder.JSONDecodeError'>: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    actual: "<class 'ValueError'>: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
  });
});

test('examples that need names from the module fail when the answer does not define them', async () => {
  const result = await score('norm1', 'def norm1(p):\n    return abs(p.x) + abs(p.y)\n');
  assert.equal(result.reason, 'raised');
  assert.match(result.failing!.actual, /setup failed: NameError: name 'Point' is not defined/);
});

test('a bench file evaluates end to end: results JSONL and a self-contained HTML report', async () => {
  const benchmark = path.join(dir, 'bench-only.jsonl');
  const lines = readFileSync(path.join(dir, 'mixed.jsonl'), 'utf8').trim().split('\n').slice(0, 2);
  writeFileSync(benchmark, lines.join('\n') + '\n');
  const samples = path.join(dir, 'bench-samples.jsonl');
  writeFileSync(samples, [
    { id: 'add', completion: '```python\n' + ADD + '```' },
    { id: 'add', completion: 'def add(a, b):\n    return [a, b]' },
    { id: 'parse', completion: 'Sorry, I cannot help.' },
    { id: 'stray', completion: 'x' },
  ].map((s) => JSON.stringify(s)).join('\n'));
  const output = path.join(dir, 'results.jsonl');
  const report = path.join(dir, 'report.html');
  const warnings: string[] = [];
  const { summary } = await runEval({ benchmark, completions: samples, sandbox, output, report, k: [1, 2], warn: (m) => warnings.push(m) });
  // n = 2 (the most samples an id has); parse has one sample, its second is missing and fails.
  assert.equal(summary.n, 2);
  assert.deepEqual(summary.pass_at_k, { '1': 0.25, '2': 0.5 });
  assert.equal(summary.reasons['wrong-output'], 1);
  // Prose without fences is taken as code, and is not Python.
  assert.equal(summary.reasons['syntax-error'], 1);
  assert.equal(summary.reasons['no-code'], 1);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  const results = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(results.map((r) => [r.id, r.verdict, r.correct, r.reason]), [['add', 'partial', 1, 'wrong-output'], ['parse', 'fail', 0, 'syntax-error']]);
  assert.deepEqual(results[0].failing, { case: 0, input: 'add(1, 2)', expected: '3', actual: '[1, 2]' });
  const html = readFileSync(report, 'utf8');
  assert.doesNotMatch(html, /<script|<link|src=|href="http|@import|url\(/);
  assert.match(html, /pass@2<\/th><td>0\.5000/);
  assert.match(html, /<del>3<\/del>/);
  assert.match(html, /<ins>\[1, 2\]<\/ins>/);
  assert.match(html, /partial: 1\/2 samples passed/);
});

// Unit tests of the in-sandbox pieces: type inference, selection, and reading a model's answer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INPUTS_TOOL, inputsTools } from '../../src/inputs/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: inputsTools() });
});
after(() => sandbox?.close());

async function op<T = any>(payload: Record<string, unknown>): Promise<T> {
  const outcome = await sandbox.runTool<T>(INPUTS_TOOL, payload, { timeoutMs: 3000, totalMs: 10_000 });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.value;
}

/** The strongest inferred type of each parameter. */
async function types(code: string, entry = 'f'): Promise<Record<string, string>> {
  const info = await op<{ params: Array<{ name: string; types: [number, string][] }> }>({ op: 'infer', code, entry });
  return Object.fromEntries(info.params.map((p) => [p.name, p.types[0][1]]));
}

describe('type inference', () => {
  it('reads annotations, including generics, Optional and unions', async () => {
    const code = 'from typing import List, Optional, Dict\ndef f(a: int, b: List[str], c: Optional[float] = None, d: Dict[str, int] = {}, e: "bool" = False, g: int | str = 0):\n    return a\n';
    assert.deepEqual(await types(code), { a: 'int', b: 'list[str]', c: 'float', d: 'dict[str, int]', e: 'bool', g: 'int' });
  });

  it('reads defaults and docstrings (reST, Google, NumPy)', async () => {
    const code = [
      'def f(a, b, c, d=2.5, e="x"):',
      '    """Do things.',
      '    :param a: the count',
      '    :type a: int',
      '    b (list of str): names',
      '    c : float',
      '    """',
      '    return a',
    ].join('\n');
    assert.deepEqual(await types(code), { a: 'int', b: 'list[str]', c: 'float', d: 'float', e: 'str' });
  });

  it('reads how the body uses each parameter', async () => {
    const code = [
      'def f(s, xs, n, table, flag, pairs, word, rows):',
      '    out = s.strip().lower()',
      '    xs.append(1)',
      '    for i in range(n):',
      '        out += str(i)',
      '    if table["name"].startswith("a") and flag:',
      '        return out',
      '    for a, b in pairs:',
      '        out += a',
      '    if isinstance(word, str):',
      '        return word',
      '    return rows[0][1] + 1',
    ].join('\n');
    const t = await types(code);
    assert.equal(t.s, 'str');
    assert.equal(t.xs, 'list[int]');
    assert.equal(t.n, 'int');
    assert.equal(t.table, "{'name': str}");
    assert.equal(t.pairs.startsWith('list[tuple['), true, t.pairs);
    assert.equal(t.word, 'str');
    assert.equal(t.rows, 'list[list[int]]');
  });

  it('treats a value looked up in a literal table as that table\'s key type, and collects literals', async () => {
    const code = "def f(code):\n    names = {'+100': 'a', '+200': 'b'}\n    if code in names:\n        return names[code]\n    return 404\n";
    const info = await op({ op: 'infer', code, entry: 'f' });
    assert.equal(info.params[0].types[0][1], 'str');
    assert.ok(info.literals.str.includes('+100'));
    assert.ok(info.literals.int.includes(404) && info.literals.int.includes(403), 'ints and their neighbours');
  });
});

describe('type inference from use (shapes the fuzzer needs)', () => {
  it('reads int()/float() arguments as digit strings or numbers, and an unpacked argument as a list of that arity', async () => {
    const info = await op({ op: 'infer', entry: 'f', code: 'def f(s, n):\n    HY, HE, A, B, C, D, E, F, G = n\n    return int(s) + HY\n' });
    const s = info.params[0].types.map((t: [number, string]) => t[1]);
    assert.equal(s[0], 'str', JSON.stringify(info.params[0]));
    assert.ok(s.includes('float') || s.includes('int'), 'a number is also an option');
    assert.equal(info.params[1].types[0][1], `list[${Array(9).fill('int').join(', ')}]`);
  });

  it('follows items through locals, pop() and sorted(), and a key built from text means a dict', async () => {
    const code = [
      'def f(pref, intervals, names, table, prefix):',
      '    a, b = pref.pop()',
      '    ordered = sorted(intervals)',
      '    for s, e in ordered:',
      '        a += s',
      '    name = names[0]',
      '    if name.startswith("x"):',
      '        return table["key_" + prefix]',
      '    return a',
    ].join('\n');
    const t = await types(code);
    assert.equal(t.pref, 'list[tuple[int, int]]');
    assert.equal(t.intervals.startsWith('list[tuple['), true, t.intervals);
    assert.equal(t.names, 'list[str]');
    assert.equal(t.table.startsWith('dict['), true, t.table);
  });

  it('follows nested records through comprehensions and loops', async () => {
    const code = [
      'def f(results):',
      "    lines = [region['lines'] for region in results['regions']]",
      '    out = []',
      '    for line in lines:',
      '        for word in line:',
      "            out.append(word['text'].upper())",
      '    return out',
    ].join('\n');
    assert.equal((await types(code)).results, "{'regions': list[{'lines': list[{'text': str}]}]}");
  });

  it('gives the items of a list the kind of the parameter they are compared with', async () => {
    const code = 'def finds(strs, s):\n    for i in range(len(strs)):\n        if strs[i] == s:\n            return i\n';
    assert.deepEqual(await types(code, 'finds'), { strs: 'list[str]', s: 'str' });
  });

  it('lets a record field checked with isinstance() be something else too', async () => {
    const code = "def f(node):\n    if isinstance(node['left'], dict):\n        return f(node['left'])\n    return node['left']\n";
    assert.equal((await types(code)).node, "{'left': dict[str, int] | int}");
  });
});

describe('selection', () => {
  const record = (features: string[], out: string, verdict = 'return', size = 5) => ({ features: features.map((f) => [f]), out, verdict, size });

  it('prefers new coverage, then new outputs, and never exceeds the raising share', async () => {
    const records = [
      record(['a'], 'r:1'),
      record(['a'], 'r:1'), // adds nothing
      record(['a', 'b'], 'r:2'),
      record(['a', 'c'], 'e:ValueError', 'raise'),
      record(['a', 'd'], 'e:KeyError', 'raise'),
      record(['a', 'e'], 'e:TypeError', 'raise'),
      record(['a'], 'r:3'),
      record(['a'], 't:', 'timeout'),
    ];
    const { chosen, reason } = await op({ op: 'select', records, n: 5, maxRaiseShare: 0.2 });
    assert.equal(reason, null);
    assert.equal(chosen.length, 5);
    const raising = chosen.filter((i: number) => records[i].verdict === 'raise');
    assert.equal(raising.length, 1, 'at most 20% of 5');
    assert.ok(!chosen.includes(7), 'timeouts are never chosen');
    assert.equal(chosen[0], 2, 'the widest coverage comes first');
    assert.ok(chosen.includes(6), 'a new output beats a repeated one');
  });

  it('prefers small values when nothing else differs, and names the failure when nothing returns', async () => {
    const small = await op({ op: 'select', records: [record(['a'], 'r:1', 'return', 200), record(['a'], 'r:2', 'return', 4)], n: 1 });
    assert.deepEqual(small.chosen, [1]);
    const allRaise = await op({ op: 'select', records: [record(['a'], 'e:X', 'raise')], n: 3 });
    assert.deepEqual(allRaise, { chosen: [], reason: 'all-raise' });
    const none = await op({ op: 'select', records: [record(['a'], 't:', 'timeout')], n: 3 });
    assert.equal(none.reason, 'no-valid-inputs');
  });
});

describe("reading a model's answer", () => {
  const code = 'def f(a, b=1, *, c=None):\n    return a\n';
  const parse = (text: string, known: string[] = []) => op({ op: 'parse', code, entry: 'f', text, known });

  it('accepts dict(...), {...} and f(...) entries from a code block', async () => {
    const text = "Reasoning first.\n```python\ninputs = [\n    dict(a=1),\n    {'a': 'x', 'b': [1, 2]},\n    f(3, c=(1, 2)),\n    dict(a=-2.5, b=list(range(3))),\n]\n```\n";
    const out = await parse(text);
    assert.deepEqual(out.inputs, [
      { args: [], kwargs: { a: '1' } },
      { args: [], kwargs: { a: "'x'", b: '[1, 2]' } },
      { args: ['3'], kwargs: { c: '(1, 2)' } },
      { args: [], kwargs: { a: '-2.5', b: 'list(range(3))' } },
    ]);
    assert.equal(out.dropped.length, 0);
  });

  it('drops invalid and duplicate entries with a reason', async () => {
    const text = [
      '```python',
      'inputs = [',
      '    dict(a=1),',
      '    dict(a=1),',            // duplicate
      '    dict(b=2),',            // missing a
      '    dict(a=1, z=2),',       // unknown parameter
      "    dict(a=__import__('os').system('echo hi')),", // not data
      '    dict(a=[0] * 10**9),',  // too big to build
      '    dict(a=1/0),',          // fails to evaluate
      '    f(1, 2, 3),',           // too many positional arguments
      '    dict(a=1.0),',          // a different value: kept
      ']',
      '```',
    ].join('\n');
    const out = await parse(text);
    assert.deepEqual(out.inputs, [{ args: [], kwargs: { a: '1' } }, { args: [], kwargs: { a: '1.0' } }]);
    assert.deepEqual(out.dropped.map((d: any) => d.reason), ['duplicate', 'missing-param:a', 'unknown-param:z', 'not-data', 'not-data', 'eval-error', 'too-many-args']);
    const again = await parse('```python\n[dict(a=1), dict(a=2)]\n```', out.keys);
    assert.deepEqual(again.inputs, [{ args: [], kwargs: { a: '2' } }], 'inputs known from an earlier round count as duplicates');
  });

  it('reads a truncated block line by line and a bare answer without a fence', async () => {
    const cut = await parse('```python\ninputs = [\n    dict(a=1),\n    dict(a=2),\n    dict(a=[1, 2');
    assert.deepEqual(cut.inputs.map((s: any) => s.kwargs.a), ['1', '2']);
    const bare = await parse("dict(a='q')");
    assert.deepEqual(bare.inputs, [{ args: [], kwargs: { a: "'q'" } }]);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SourceFile } from '../../src/corpus/index.js';
import { extractStage, extractTools, checkStandalone } from '../../src/extract/index.js';
import { keep, reject, type StageItem } from '../../src/contract/index.js';
import type { FunctionRecord, Reject } from '../../src/contract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await Sandbox.start({ workers: 1, tools: extractTools() });
});
after(() => sandbox?.close());

const body = '    y = x + 1\n    z = y * 2\n    return z\n';

/** Each case is one file; `expect` is `kept` or the reason of the function named `target`. */
const CASES: { rule: string; source: string; expect: string; target?: string }[] = [
  { rule: 'kept: plain', source: `def target(x):\n${body}`, expect: 'kept' },
  { rule: 'parameters', source: 'def target():\n    y = 1\n    z = y * 2\n    return z\n', expect: 'no-args' },
  { rule: 'parameters: *args counts', source: `def target(*x):\n    y = len(x)\n    z = y * 2\n    return z\n`, expect: 'kept' },
  { rule: 'return', source: 'def target(x):\n    y = x + 1\n    z = y * 2\n    x.append(z)\n', expect: 'no-return' },
  { rule: 'return: only in a nested function', source: 'def target(x):\n    def inner():\n        return x\n    y = inner\n    z = y\n', expect: 'no-return' },
  { rule: 'generator', source: 'def target(x):\n    y = x + 1\n    yield y\n    return y\n', expect: 'generator' },
  { rule: 'generator: a nested one is fine', source: 'def target(x):\n    def gen():\n        yield x\n    y = list(gen())\n    return y\n', expect: 'kept' },
  { rule: 'async', source: `async def target(x):\n${body}`, expect: 'async' },
  { rule: 'decorated', source: `import contextlib\n@contextlib.contextmanager\ndef target(x):\n${body}`, expect: 'decorated' },
  { rule: 'decorated: lru_cache is trivial', source: `import functools\n@functools.lru_cache(maxsize=None)\ndef target(x):\n${body}`, expect: 'kept' },
  { rule: 'global', source: `COUNT = 0\ndef target(x):\n    global COUNT\n    COUNT += x\n    return COUNT\n`, expect: 'global' },
  { rule: 'nonlocal', source: 'def target(x):\n    n = 0\n    def bump():\n        nonlocal n\n        n += 1\n    bump()\n    return n + x\n', expect: 'nonlocal' },
  { rule: 'io-call: open', source: 'def target(p):\n    with open(p) as f:\n        text = f.read()\n    return text\n', expect: 'io-call' },
  { rule: 'io-call: eval', source: 'def target(s):\n    v = eval(s)\n    w = v + 1\n    return w\n', expect: 'io-call' },
  { rule: 'io-call: a local name that shadows a builtin is fine', source: 'def target(open):\n    y = open + 1\n    z = y * 2\n    return z\n', expect: 'kept' },
  { rule: 'introspection', source: 'def target(f):\n    g = f.__globals__\n    h = len(g)\n    return h\n', expect: 'introspection' },
  { rule: 'nondeterministic-call', source: 'import datetime\ndef target(x):\n    d = datetime.datetime.now()\n    y = d.year\n    return y + x\n', expect: 'nondeterministic-call' },
  { rule: 'imports: allowed', source: 'import math\ndef target(x):\n    y = math.sqrt(x)\n    z = math.floor(y)\n    return z\n', expect: 'kept' },
  { rule: 'imports: disallowed module', source: 'import os\ndef target(p):\n    y = os.path.basename(p)\n    z = y.upper()\n    return z\n', expect: 'disallowed-import:os' },
  { rule: 'imports: disallowed inside the body', source: 'def target(x):\n    import random\n    y = random.random()\n    return x + y\n', expect: 'disallowed-import:random' },
  { rule: 'imports: submodule of an allowed package', source: 'from collections.abc import Sequence\ndef target(x):\n    y = isinstance(x, Sequence)\n    z = not y\n    return z\n', expect: 'kept' },
  { rule: 'imports: warnings only writes to stderr, which the sandbox captures', source: 'import warnings\ndef target(x):\n    if x < 0:\n        warnings.warn("negative", DeprecationWarning)\n    return abs(x)\n', expect: 'kept' },
  { rule: 'imports: codecs looks encodings up without reading files', source: 'import codecs\ndef target(name):\n    info = codecs.lookup(name)\n    canonical = info.name\n    return canonical\n', expect: 'kept' },
  { rule: 'io-call: codecs.open opens a file', source: 'import codecs\ndef target(p):\n    with codecs.open(p, encoding="utf-8") as f:\n        text = f.read()\n    return text\n', expect: 'io-call' },
  { rule: 'io-call: codecs.open imported by name', source: 'from codecs import open\ndef target(p):\n    handle = open(p, "r", "utf-8")\n    first = handle.readline()\n    return first\n', expect: 'io-call' },
  { rule: 'io-call: codecs.open imported inside the body', source: 'def target(p):\n    from codecs import open\n    handle = open(p, "r", "utf-8")\n    first = handle.readline()\n    return first\n', expect: 'io-call' },
  { rule: 'io-call: codecs.open read, then called', source: 'import codecs\ndef target(p):\n    opener = codecs.open\n    handle = opener(p)\n    return handle.readline()\n', expect: 'io-call' },
  { rule: 'io-call: a lambda parameter does not hide a forbidden builtin', source: 'OPS = {"id": lambda eval: eval, "get": lambda: eval}\ndef target(s):\n    fn = OPS["get"]()\n    r = fn(s)\n    return r\n', expect: 'io-call' },
  { rule: 'io-call: any .open() call opens something', source: 'def target(archive, name):\n    with archive.open(name) as f:\n        data = f.read()\n    return data\n', expect: 'io-call' },
  { rule: 'imports: a pure member of a module that is not allowed', source: 'from io import StringIO\ndef target(lines):\n    out = StringIO()\n    out.write("\\n".join(lines))\n    return out.getvalue()\n', expect: 'kept' },
  { rule: 'imports: that module itself is still not allowed', source: 'import io\ndef target(lines):\n    out = io.StringIO()\n    out.write("\\n".join(lines))\n    return out.getvalue()\n', expect: 'disallowed-import:io' },
  { rule: 'imports: a pure member imported inside the body', source: 'def target(words):\n    from sys import intern\n    names = [intern(w) for w in words]\n    return names\n', expect: 'kept' },
  { rule: 'imports: another member of that module inside the body', source: 'def target(i):\n    from sys import argv\n    arg = argv[i]\n    return arg\n', expect: 'disallowed-import:sys' },
  { rule: 'imports: relative', source: 'from . import util\ndef target(x):\n    y = util.f(x)\n    z = y\n    return z\n', expect: 'relative-import' },
  { rule: 'names: unresolved', source: 'def target(x):\n    y = helper_somewhere_else(x)\n    z = y\n    return z\n', expect: 'unresolved-name:helper_somewhere_else' },
  { rule: 'names: a class is carried like a helper', source: 'class Box:\n    pass\ndef target(x):\n    b = Box()\n    b.v = x\n    return b\n', expect: 'kept' },
  { rule: 'names: a class with a metaclass is not', source: 'class Box(metaclass=type):\n    pass\ndef target(x):\n    b = Box()\n    b.v = x\n    return b\n', expect: 'class-keywords' },
  { rule: 'names: a class whose method does I/O is not', source: 'class Box:\n    def read(self):\n        return open(self.p).read()\ndef target(x):\n    b = Box()\n    b.v = x\n    return b\n', expect: 'io-call' },
  { rule: 'names: a constant changed at module level is not a constant', source: 'TABLE = {}\nTABLE["a"] = 1\ndef target(k):\n    v = TABLE.get(k)\n    w = v or 0\n    return w\n', expect: 'unresolved-name:TABLE' },
  { rule: 'names: a constant made by a comprehension is carried', source: 'CODES = {"a": 1, "b": 2}\nNAMES = {v: k for k, v in CODES.items()}\ndef target(code):\n    name = NAMES.get(code)\n    shown = name or "?"\n    return shown\n', expect: 'kept' },
  { rule: 'names: a table of lambdas is a constant', source: 'OPS = {"in": lambda a, b: a in b, "not in": lambda a, b: a not in b}\ndef target(op, a, b):\n    fn = OPS[op]\n    found = fn(a, b)\n    return found\n', expect: 'kept' },
  { rule: 'names: a module-level assert of pure builtins changes nothing', source: 'CODES = {"a": 1}\nNAMES = {v: k for k, v in CODES.items()}\nassert len(CODES) == len(NAMES)\ndef target(code):\n    name = NAMES.get(code)\n    shown = name or "?"\n    return shown\n', expect: 'kept' },
  { rule: 'names: an assert that calls something else may change what it reads', source: 'CODES = {"a": 1}\nassert CODES.pop("a")\ndef target(code):\n    found = code in CODES\n    shown = not found\n    return shown\n', expect: 'unresolved-name:CODES' },
  { rule: 'names: an assert that passes a method along may change what it reads', source: 'TABLE = {"a": 1, "b": 2}\nassert sorted(list(TABLE), key=TABLE.pop)\ndef target(k):\n    v = TABLE.get(k)\n    w = v or 0\n    return w\n', expect: 'unresolved-name:TABLE' },
  { rule: 'names: a comprehension that calls a function is not a constant', source: 'def make(k):\n    return k * 2\nTABLE = [make(k) for k in range(3)]\ndef target(i):\n    v = TABLE[i]\n    w = v + 1\n    return w\n', expect: 'unresolved-name:TABLE' },
  { rule: 'names: a helper that breaks a rule drops its caller', source: 'import os\ndef helper(p):\n    return os.getcwd() + p\ndef target(p):\n    q = helper(p)\n    r = q + "x"\n    return r\n', expect: 'disallowed-import:os' },
  { rule: 'names: annotations must resolve too', source: `def target(x: Widget) -> int:\n${body}`, expect: 'unresolved-name:Widget' },
  { rule: 'size: too short', source: 'def target(x):\n    return x + 1\n', expect: 'too-short' },
  { rule: 'size: too long', source: `def target(x):\n${'    x = x + 1\n'.repeat(70)}    return x\n`, expect: 'too-long' },
  { rule: 'size: too many characters', source: `def target(x):\n    s = "${'a'.repeat(4100)}"\n    t = s + x\n    return t\n`, expect: 'too-long' },
  { rule: 'trivial: constant return', source: 'def target(x):\n    """Docs\n    more docs.\n    """\n    return 42\n', expect: 'trivial' },
  { rule: 'define: a default that fails when defined', source: 'def target(x, d=1 // 0):\n    y = x + d\n    z = y\n    return z\n', expect: 'define-error' },
];

async function* filesOf(sources: string[]): AsyncIterable<StageItem<SourceFile>> {
  for (const [i, text] of sources.entries()) yield keep({ text, source: { path: `case${i}.py` } });
}

async function run(sources: string[]): Promise<StageItem<FunctionRecord>[]> {
  const items: StageItem<FunctionRecord>[] = [];
  for await (const item of extractStage(sandbox, { batchFiles: 8 }).run(filesOf(sources))) items.push(item);
  return items;
}

describe('extraction rules', () => {
  test('each rule keeps its good example and drops its bad one with the reason', async () => {
    const items = await run(CASES.map((c) => c.source));
    for (const [i, c] of CASES.entries()) {
      const mine = items.filter((item) => (item.kind === 'keep' ? item.record.source.path : item.reject.source?.path) === `case${i}.py`);
      const target = mine.find((item) => (item.kind === 'keep' ? item.record.entry : item.reject.entry) === (c.target ?? 'target'));
      assert.ok(target, `${c.rule}: no verdict for the target`);
      const got = target.kind === 'keep' ? 'kept' : target.reject.reason;
      assert.equal(got, c.expect, `${c.rule}: ${target.kind === 'reject' ? target.reject.detail ?? '' : ''}`);
    }
  });

  test('carries helpers (transitively), constants and imports, and the result runs alone', async () => {
    const source = [
      'import math, os',
      'from functools import reduce',
      'SCALE = 2',
      'LIMITS = (1, SCALE * 10)',
      'UNUSED = os.sep',
      '',
      'def _clamp(v):',
      '    lo, hi = LIMITS',
      '    return max(lo, min(hi, v))',
      '',
      'def _scaled(v):',
      '    return _clamp(v * SCALE)',
      '',
      'def total(values):',
      '    """Sum of clamped, scaled values."""',
      '    parts = [_scaled(v) for v in values]',
      '    extra = math.floor(0.5)',
      '    return reduce(lambda a, b: a + b, parts, 0) + extra',
    ].join('\n');
    const items = await run([source]);
    const record = items.find((i) => i.kind === 'keep' && i.record.entry === 'total');
    assert.ok(record && record.kind === 'keep');
    const code = record.record.code;
    for (const piece of ['import math', 'from functools import reduce', 'SCALE = 2', 'LIMITS = (1, SCALE * 10)', 'def _clamp', 'def _scaled']) {
      assert.ok(code.includes(piece), `missing ${piece} in\n${code}`);
    }
    assert.ok(!code.includes('import os') && !code.includes('UNUSED'), `carries only what it needs:\n${code}`);
    assert.ok(code.indexOf('def _clamp') < code.indexOf('def total'), 'helpers come before the function');
    assert.deepEqual(record.record.params, [{ name: 'values', annotation: null, default: null, kind: 'positional_or_keyword' }]);
    assert.equal(record.record.source.line, 14);
    const [outcome] = await sandbox.runFunction({ code, entry: 'total', calls: [{ args: ['[1, 3, 100]'] }] });
    assert.deepEqual(outcome.verdict === 'return' && outcome.repr, '28');
    assert.deepEqual(await checkStandalone(sandbox, [{ code, entry: 'total' }]), [{ ok: true }]);
  });

  test('constants made by comprehensions and lambdas are carried with what they read, and run alone', async () => {
    const source = [
      'import re',
      'OPERATORS = {"+": "add", "-": "sub", "in": "contains"}',
      'REVERSE = {v: k for k, v in OPERATORS.items()}',
      'assert len(OPERATORS) == len(REVERSE), "operators dropped"',
      'PATTERN = re.compile("|".join(re.escape(op) for op in sorted(OPERATORS, key=lambda op: -len(op))))',
      'CHECKS = {"in": lambda a, b: a in b, "==": lambda a, b: a == b}',
      '',
      'def describe(kind, a, b):',
      '    symbol = REVERSE.get(kind, kind)',
      '    check = CHECKS.get(symbol)',
      '    found = PATTERN.findall(symbol)',
      '    return symbol, found, check(a, b) if check else None',
    ].join('\n');
    const items = await run([source]);
    const record = items.find((i) => i.kind === 'keep' && i.record.entry === 'describe');
    assert.ok(record && record.kind === 'keep', JSON.stringify(items.map((i) => (i.kind === 'reject' ? i.reject : i.record.entry))));
    const code = record.record.code;
    for (const piece of ['import re', 'OPERATORS = ', 'REVERSE = ', 'PATTERN = ', 'CHECKS = ']) assert.ok(code.includes(piece), `missing ${piece} in\n${code}`);
    assert.ok(!code.includes('assert'), `the assert binds nothing, so it is not carried:\n${code}`);
    const [outcome] = await sandbox.runFunction({ code, entry: 'describe', calls: [{ args: ["'contains'", "'a'", "'cat'"] }] });
    assert.equal(outcome.verdict === 'return' && outcome.repr, "('in', ['in'], True)");
    assert.deepEqual(await checkStandalone(sandbox, [{ code, entry: 'describe' }]), [{ ok: true }]);
  });

  test('the id hashes normalised code: comments, docstrings and layout do not change it', async () => {
    const a = 'def f(x):\n    y = x + 1  # add\n    z = y * 2\n    return z\n';
    const b = 'def f(x):\n    """Doc."""\n    y = x+1\n\n    z = (y *\n         2)\n    return z\n';
    const c = 'def f(x):\n    y = x + 2\n    z = y * 2\n    return z\n';
    const ids = (await run([a, b, c, a])).map((i) => (i.kind === 'keep' ? i.record.id : 'dropped'));
    assert.equal(ids[0], ids[1]);
    assert.notEqual(ids[0], ids[2]);
    assert.equal(ids[0], ids[3], 'stable across calls');
    assert.match(ids[0], /^[0-9a-f]{16}$/);
  });

  test('a syntax error rejects the file with its line; corpus rejects pass through; the run goes on', async () => {
    const corpusReject: Reject = { stage: 'corpus', reason: 'not-utf8', source: { path: 'bad.py' } };
    async function* input(): AsyncIterable<StageItem<SourceFile>> {
      yield keep({ text: 'def broken(x):\n    return (x\n', source: { path: 'broken.py' } });
      yield reject(corpusReject);
      yield keep({ text: 'X = 1\n', source: { path: 'nodefs.py' } });
      // passes the text test (an attribute of self), parsed it has nothing to judge
      yield keep({ text: 'class A:\n    def __init__(self):\n        self.x = 1\n', source: { path: 'init-only.py' } });
      yield keep({ text: `def fine(x):\n${body}`, source: { path: 'fine.py' } });
    }
    const items: StageItem<FunctionRecord>[] = [];
    for await (const item of extractStage(sandbox).run(input())) items.push(item);
    assert.equal(items.length, 5);
    assert.ok(items[0].kind === 'reject' && items[0].reject.reason === 'syntax-error' && items[0].reject.source?.line === 2);
    assert.deepEqual(items[1], reject(corpusReject));
    assert.ok(items[2].kind === 'reject' && items[2].reject.reason === 'no-functions');
    assert.ok(items[3].kind === 'reject' && items[3].reject.reason === 'no-functions' && items[3].reject.source?.path === 'init-only.py', JSON.stringify(items[3]));
    assert.ok(items[4].kind === 'keep' && items[4].record.entry === 'fine');
  });
});

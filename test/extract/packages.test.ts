// Carried package definitions, on a real package tree written to disk (and the same tree zipped):
// relative and absolute intra-package imports, needs three modules deep, an import cycle, a name
// two modules define, module globals with their real values, placeholders that are rejected,
// methods made functions, the private rule; every kept function runs alone in a fresh process.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { keep, type FunctionRecord, type StageItem } from '../../src/contract/index.js';
import { readCorpus, type SourceFile } from '../../src/corpus/index.js';
import { checkStandalone, extractStage, extractTools, type ExtractOptions } from '../../src/extract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { buildZip } from '../corpus/zip-writer.js';

const FILES: Record<string, string> = {
  'shop/__init__.py': '"""A shop."""\nfrom .pricing import PRICE_SCALE\n',
  'shop/errors.py': 'class PriceError(ValueError):\n    """A price that cannot be."""\n',
  'shop/pricing.py': [
    'from .errors import PriceError',
    '',
    'PRICE_SCALE = 100',
    '',
    'def to_cents(amount):',
    '    if amount < 0:',
    '        raise PriceError(f"negative: {amount}")',
    '    return round(amount * PRICE_SCALE)',
    '',
  ].join('\n'),
  'shop/format.py': [
    'from .pricing import to_cents',
    '',
    'def money(amount):',
    '    cents = to_cents(amount)',
    '    whole, rest = divmod(cents, 100)',
    '    return f"{whole}.{rest:02d}"',
    '',
  ].join('\n'),
  'shop/util/__init__.py': '',
  'shop/util/text.py': [
    'from ..pricing import PRICE_SCALE',
    'from shop.format import money',
    '',
    'def label(name, amount):',
    '    """Name and price, as a shop shows them."""',
    '    text = money(amount)',
    '    shown = name.title()',
    '    return f"{shown}: {text} (x{PRICE_SCALE})"',
    '',
  ].join('\n'),
  // a cycle: each module imports the other
  'shop/ping.py': [
    'from .pong import pong',
    '',
    'def ping(n):',
    '    if n <= 0:',
    '        return "ping"',
    '    return pong(n - 1)',
    '',
    'def rally(n):',
    '    """Who has the ball after n strokes."""',
    '    result = ping(n)',
    '    loud = result.upper()',
    '    return loud',
    '',
  ].join('\n'),
  'shop/pong.py': 'from .ping import ping\n\ndef pong(n):\n    if n <= 0:\n        return "pong"\n    return ping(n - 1)\n',
  // a clash: `norm` means one thing in x.py and another here
  'shop/x.py': 'def norm(s):\n    return s.strip()\n\ndef tagged(s):\n    t = norm(s)\n    u = t + "!"\n    return u\n',
  'shop/clash.py': [
    'from .x import tagged',
    '',
    'def norm(v):',
    '    return v * 2',
    '',
    'def both(s, v):',
    '    a = tagged(s)',
    '    b = norm(v)',
    '    return a + str(b)',
    '',
  ].join('\n'),
  // globals: a placeholder rebound later, a placeholder used as an object, and a missing module
  'shop/lazy.py': [
    'import re',
    '',
    '_pattern = None',
    '_handler = None',
    '',
    'def _compile():',
    '    global _pattern',
    '    _pattern = re.compile("[a-z]+")',
    '',
    'def matches(s):',
    '    found = _pattern.match(s)',
    '    ok = found is not None',
    '    return ok',
    '',
    'def handled(s):',
    '    value = _handler(s)',
    '    done = value or s',
    '    return done',
    '',
  ].join('\n'),
  'shop/broken.py': 'from .nowhere import thing\nfrom . import units\n\ndef uses_missing(x):\n    y = thing(x)\n    z = y + 1\n    return z\n\ndef uses_module(x):\n    y = units.factor * x\n    z = y + 1\n    return z\n',
  'shop/units.py': 'factor = 3\n',
  // methods: one that never reads self, a static one, ones that read its data and call each
  // other, one that reads a class constant, one that calls a method the class does not define
  'shop/parse.py': [
    'import re',
    '',
    'class Reader:',
    '    PATTERN = re.compile(r"[0-9]+")',
    '',
    '    def __init__(self, sep, numeric=False):',
    '        self.sep = sep',
    '        self.numeric = numeric',
    '',
    '    def _digits(self, text):',
    '        kept = [c for c in text if c.isdigit()]',
    '        joined = "".join(kept)',
    '        return int(joined or 0)',
    '',
    '    @staticmethod',
    '    def halves(n):',
    '        """Both halves of n."""',
    '        low = n // 2',
    '        high = n - low',
    '        return low, high',
    '',
    '    def split(self, text):',
    '        parts = text.split(self.sep)',
    '        cleaned = [p.strip() for p in parts]',
    '        return cleaned',
    '',
    '    @property',
    '    def _spaced(self):',
    '        out = self.sep.strip()',
    '        out = out + " "',
    '        return out',
    '',
    '    def join(self, parts):',
    '        cleaned = [str(p).strip() for p in parts]',
    '        joined = self._spaced.join(cleaned)',
    '        return self._digits(joined) if self.numeric else joined',
    '',
    '    def numbers(self, text):',
    '        found = self.PATTERN.findall(text)',
    '        values = [int(f) for f in found]',
    '        return values',
    '',
    '    def checked(self, text):',
    '        self.validate(text)',
    '        out = text.strip()',
    '        return out',
    '',
  ].join('\n'),
};

let root: string;
let sandbox: Sandbox;
before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'c2c-packages-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, 'tree', name)), { recursive: true });
    writeFileSync(path.join(root, 'tree', name), text);
  }
  const entries = Object.entries(FILES).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, text]) => ({ name, data: Buffer.from(text) }));
  writeFileSync(path.join(root, 'shop.zip'), buildZip(entries));
  sandbox = await Sandbox.start({ workers: 1, tools: extractTools() });
});
after(async () => {
  await sandbox?.close();
  rmSync(root, { recursive: true, force: true });
});

async function extract(sources: string[] | AsyncIterable<StageItem<SourceFile>>, options: ExtractOptions = {}): Promise<StageItem<FunctionRecord>[]> {
  const items: StageItem<FunctionRecord>[] = [];
  const input = Array.isArray(sources) ? readCorpus(sources) : sources;
  for await (const item of extractStage(sandbox, options).run(input)) items.push(item);
  return items;
}
const verdicts = (items: StageItem<FunctionRecord>[]) =>
  Object.fromEntries(items.flatMap((i) => (i.kind === 'keep' ? [[i.record.entry, 'kept']] : i.reject.entry ? [[i.reject.entry, i.reject.reason]] : [])));
const kept = (items: StageItem<FunctionRecord>[], entry: string) => {
  const found = items.find((i) => i.kind === 'keep' && i.record.entry === entry);
  assert.ok(found && found.kind === 'keep', `${entry} is not kept: ${JSON.stringify(verdicts(items))}`);
  return found.record;
};

describe('definitions from sibling modules of the package', () => {
  let items: StageItem<FunctionRecord>[];
  before(async () => {
    items = await extract([path.join(root, 'tree', 'shop')]);
  });

  test('relative (..) and absolute imports of the own package are carried, three modules deep, with their real values', async () => {
    const label = kept(items, 'label');
    for (const piece of ['PRICE_SCALE = 100', 'class PriceError(ValueError)', 'def to_cents(amount)', 'def money(amount)', 'def label(name, amount)']) {
      assert.ok(label.code.includes(piece), `missing ${piece} in\n${label.code}`);
    }
    assert.ok(!/^from \.|^import shop|^from shop/m.test(label.code), `no intra-package import is left:\n${label.code}`);
    assert.ok(label.code.indexOf('class PriceError') < label.code.indexOf('def to_cents'), 'what a helper needs comes before it');
    assert.equal(label.source.path, 'shop/util/text.py', 'the source is named relative to the folder given');
    const [shown, negative] = await sandbox.runFunction({ code: label.code, entry: 'label', calls: [{ args: ["'tea'", '2.5'] }, { args: ["'tea'", '-1'] }] });
    assert.deepEqual(shown.verdict === 'return' && shown.repr, "'Tea: 2.50 (x100)'");
    assert.ok(negative.verdict === 'raise' && negative.type === 'PriceError', JSON.stringify(negative));
  });

  test('an import cycle carries each definition once', async () => {
    const rally = kept(items, 'rally');
    assert.equal(rally.code.match(/^def ping\(/gm)?.length, 1);
    assert.equal(rally.code.match(/^def pong\(/gm)?.length, 1);
    const [outcome] = await sandbox.runFunction({ code: rally.code, entry: 'rally', calls: [{ args: ['3'] }] });
    assert.deepEqual(outcome.verdict === 'return' && outcome.repr, "'PONG'");
  });

  test('a name two carried modules bind differently, placeholders and missing modules are rejected with their reason', () => {
    const got = verdicts(items);
    assert.equal(got.both, 'name-clash:norm');
    assert.equal(got.tagged, 'kept', 'the clash is only where both are needed');
    assert.equal(got.matches, 'rebound-global:_pattern', 'a global rebound by `global` is not carried with its placeholder');
    assert.equal(got.handled, 'stub-global:_handler', 'None used as an object is a placeholder, not a value');
    assert.equal(got.uses_missing, 'missing-module:shop.nowhere');
    assert.equal(got.uses_module, 'kept', 'a module of the package read only by its attributes is carried (module-objects.test.ts)');
  });

  test('methods that never read self, and static ones, are functions', async () => {
    const digits = kept(items, '_digits');
    assert.match(digits.code, /^def _digits\(text\):/m);
    const halves = kept(items, 'halves');
    assert.ok(!halves.code.includes('@staticmethod') && halves.code.startsWith('def halves(n):'), halves.code);
    assert.equal(digits.source.line, 10, 'named by the line of the method');
    const [outcome] = await sandbox.runFunction({ code: digits.code, entry: '_digits', calls: [{ args: ["'a1b2'"] }] });
    assert.deepEqual(outcome.verdict === 'return' && outcome.repr, '12');
  });

  test('methods that read their instance data are functions of it, carrying the methods and properties they call', async () => {
    const split = kept(items, 'split');
    assert.match(split.code, /^def split\(sep, text\):\n {4}parts = text\.split\(sep\)$/m);
    const join = kept(items, 'join');
    assert.match(join.code, /^def join\(sep, numeric, parts\):$/m, join.code);
    for (const piece of ['def _spaced(sep):', 'def _digits(text):', 'joined = _spaced(sep).join(cleaned)', 'return _digits(joined) if numeric else joined']) {
      assert.ok(join.code.includes(piece), `missing ${piece} in\n${join.code}`);
    }
    assert.ok(!/\bself\b|@property/.test(join.code), join.code);
    assert.deepEqual(join.params.map((p) => p.name), ['sep', 'numeric', 'parts']);
    // The same results as the method on an instance of the original class.
    const original = FILES['shop/parse.py'] + '\ndef via_instance(sep, numeric, parts):\n    return Reader(sep, numeric).join(parts)\n';
    const calls = [["', '", 'False', "['a ', ' b']"], ["' - '", 'True', "['x1', 'y2', 3]"], ["'/'", 'False', '[]'], ["';'", 'True', "['ab']"]].map((args) => ({ args }));
    const lifted = await sandbox.runFunction({ code: join.code, entry: 'join', calls });
    const method = await sandbox.runFunction({ code: original, entry: 'via_instance', calls });
    assert.deepEqual(lifted.map((o) => o.verdict === 'return' && o.repr), ["'a, b'", '123', "''", '0']);
    assert.deepEqual(lifted.map((o) => o.verdict === 'return' && o.repr), method.map((o) => o.verdict === 'return' && o.repr));
    const got = verdicts(items);
    const numbers = kept(items, 'numbers');
    assert.ok(numbers.code.includes('PATTERN = re.compile(r"[0-9]+")\n') && /^def numbers\(text\):/m.test(numbers.code), 'a class-level constant is carried with its value, no input:\n' + numbers.code);
    assert.equal(got.checked, undefined, 'validate is no method of the class');
    const off = verdicts(await extract([path.join(root, 'tree', 'shop', 'parse.py')], { rules: { liftAttributeReads: false } }));
    assert.deepEqual([off.split, off.join, off._digits], [undefined, undefined, 'kept']);
  });

  test('every kept function defines alone in a fresh process, with no unresolved name', async () => {
    const records = items.flatMap((i) => (i.kind === 'keep' ? [i.record] : []));
    assert.ok(records.length >= 8, `${records.length} kept`);
    const checks = await checkStandalone(sandbox, records);
    assert.deepEqual(checks.filter((c) => !c.ok), []);
  });

  test('the verdicts do not depend on batching, and a zip of the package gives the same functions', async () => {
    const alone = await extract([path.join(root, 'tree', 'shop')], { batchFiles: 1 });
    assert.deepEqual(alone, items);
    const zipped = await extract([path.join(root, 'shop.zip')]);
    const strip = (list: StageItem<FunctionRecord>[]) => list.flatMap((i) => (i.kind === 'keep' ? [[i.record.entry, i.record.id, i.record.code]] : [[i.reject.entry, i.reject.reason]]));
    assert.deepEqual(strip(zipped), strip(items));
  });

  test('a file without a package place (a JSONL row) keeps rejecting relative imports; carryPackage off does too', async () => {
    async function* row(): AsyncIterable<StageItem<SourceFile>> {
      yield keep({ text: FILES['shop/util/text.py'], source: { dataset: 'rows.jsonl', row: 1 } });
    }
    assert.equal(verdicts(await extract(row())).label, 'relative-import');
    const off = await extract([path.join(root, 'tree', 'shop', 'util')], { rules: { carryPackage: false } });
    assert.equal(verdicts(off).label, 'relative-import');
  });

  test('the private rule: documented keeps a private function only with a docstring, drop keeps none', async () => {
    const documented = verdicts(await extract([path.join(root, 'tree', 'shop', 'parse.py')], { rules: { privateEntries: 'documented' } }));
    assert.equal(documented._digits, 'private');
    assert.equal(documented.halves, 'kept');
    const dropped = verdicts(await extract([path.join(root, 'tree', 'shop', 'parse.py')], { rules: { privateEntries: 'drop' } }));
    assert.equal(dropped._digits, 'private');
  });
});

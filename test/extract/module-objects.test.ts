// A module of the function's own package used as an object (`from lib import units`, then
// `units.FACTOR`), on a real package tree written to disk: kept when every use is an attribute read
// of something carriable, with the module's name bound to a namespace of exactly those names and
// the function's own text unchanged; rejected as `module-object`, saying which use or attribute,
// otherwise. Every kept function runs alone in a fresh process.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FunctionRecord, StageItem } from '../../src/contract/index.js';
import { readCorpus } from '../../src/corpus/index.js';
import { checkStandalone, extractStage, extractTools } from '../../src/extract/index.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';

const USE = [
  'from lib import units',
  'from . import units as u2',
  'import lib.units as m',
  'from .other import scale',
  '',
  'def by_const(x):',
  '    y = x * units.FACTOR',
  '    z = y + 1',
  '    return z',
  '',
  'def by_helper(x):',
  '    y = units.double(x)',
  '    z = y - 1',
  '    return z',
  '',
  'def by_class(name):',
  '    unit = units.Unit(name)',
  '    ok = isinstance(unit, units.Unit)',
  '    return ok and unit.label()',
  '',
  'def by_alias(x):',
  '    y = m.double(x)',
  '    z = y + m.FACTOR',
  '    return z',
  '',
  'def by_relative(text):',
  '    found = u2.words(text)',
  '    n = len(found)',
  '    return n',
  '',
  'def passes_module(x):',
  '    y = repr(units)',
  '    z = y + x',
  '    return z',
  '',
  'def by_getattr(name):',
  '    value = getattr(units, name)',
  '    shown = str(value)',
  '    return shown',
  '',
  'def sets_attribute(x):',
  '    units.FACTOR = x',
  '    y = x * 2',
  '    return y',
  '',
  'def needs_metaclass(x):',
  '    made = units.Fancy()',
  '    pair = made, x',
  '    return pair',
  '',
  'def needs_missing(x):',
  '    y = units.nowhere(x)',
  '    z = y + 1',
  '    return z',
  '',
  'def two_scales(x):',
  '    a = units.scale(x)',
  '    b = scale(x)',
  '    return a + b',
  '',
  'def scaled(x, factor=units.FACTOR):',
  '    y = x * factor',
  '    z = y + 0',
  '    return z',
  '',
  'def uses_scaled(x):',
  '    y = scaled(x)',
  '    z = y + 1',
  '    return z',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'lib/__init__.py': '',
  'lib/units.py': [
    'import re',
    'from .other import offset',
    '',
    'FACTOR = 3',
    '_WORD = re.compile(r"[a-z]+")',
    '',
    'class Unit:',
    '    def __init__(self, name):',
    '        self.name = name',
    '',
    '    def label(self):',
    '        return self.name.upper()',
    '',
    'def double(x):',
    '    return offset(x * 2 * FACTOR)',
    '',
    'def scale(x):',
    '    return x * FACTOR',
    '',
    'def words(text):',
    '    return _WORD.findall(text)',
    '',
    'class Meta(type):',
    '    pass',
    '',
    'class Fancy(metaclass=Meta):',
    '    pass',
    '',
  ].join('\n'),
  'lib/other.py': 'def offset(x):\n    return x + 1\n\ndef scale(x):\n    return x + 100\n',
  'lib/use.py': USE,
};

let root: string;
let sandbox: Sandbox;
let items: StageItem<FunctionRecord>[];
before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'c2c-module-objects-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  sandbox = await Sandbox.start({ workers: 1, tools: extractTools() });
  items = [];
  for await (const item of extractStage(sandbox).run(readCorpus([path.join(root, 'lib', 'use.py')]))) items.push(item);
});
after(async () => {
  await sandbox?.close();
  rmSync(root, { recursive: true, force: true });
});

const kept = (entry: string) => {
  const found = items.find((i) => i.kind === 'keep' && i.record.entry === entry);
  assert.ok(found && found.kind === 'keep', `${entry} is not kept: ${JSON.stringify(items.map((i) => (i.kind === 'keep' ? i.record.entry : i.reject)))}`);
  return found.record;
};
const rejected = (entry: string) => {
  const found = items.find((i) => i.kind === 'reject' && i.reject.entry === entry);
  assert.ok(found && found.kind === 'reject', `${entry} is not rejected`);
  return found.reject;
};
async function returns(record: FunctionRecord, args: string[]): Promise<string | undefined> {
  const [outcome] = await sandbox.runFunction({ code: record.code, entry: record.entry, calls: [{ args }] });
  assert.equal(outcome.verdict, 'return', JSON.stringify(outcome));
  return outcome.verdict === 'return' ? outcome.repr : undefined;
}

describe('a module of the package used as an object', () => {
  test('a constant, a helper (with what it needs from a third module) and a class read off the module are carried, and compute what they compute there', async () => {
    const byConst = kept('by_const');
    assert.match(byConst.code, /^FACTOR = 3$/m);
    assert.match(byConst.code, /\nclass units:\n {4}FACTOR = FACTOR\n\n\ndef by_const\(x\):\n {4}y = x \* units\.FACTOR\n {4}z = y \+ 1\n {4}return z\n$/, byConst.code);
    assert.equal(await returns(byConst, ['2']), '7');
    const byHelper = kept('by_helper');
    assert.ok(byHelper.code.includes('def offset(x)') && byHelper.code.includes('def double(x)'), byHelper.code);
    assert.match(byHelper.code, /^class units:\n {4}double = double\n\n/m, 'the namespace holds exactly the names used');
    assert.equal(await returns(byHelper, ['2']), '12');
    assert.equal(await returns(kept('by_class'), ["'kg'"]), "'KG'");
  });

  test('`import pkg.mod as m` and `from . import mod as alias` bind the namespace under the name the function uses', async () => {
    const byAlias = kept('by_alias');
    assert.match(byAlias.code, /^class m:\n {4}FACTOR = FACTOR\n {4}double = double\n/m, byAlias.code);
    assert.ok(!/^import |^from /m.test(byAlias.code.replace(/^import re$/m, '')), `no intra-package import is left:\n${byAlias.code}`);
    assert.equal(await returns(byAlias, ['2']), '16');
    const byRelative = kept('by_relative');
    assert.match(byRelative.code, /^import re$/m);
    assert.match(byRelative.code, /^class u2:\n {4}words = words\n/m);
    assert.equal(await returns(byRelative, ["'ab cd 12 ef'"]), '3');
  });

  test('the module as a value, getattr, an assignment to it, and attributes that cannot be carried stay module-object, saying why', () => {
    assert.equal(rejected('passes_module').reason, 'module-object');
    assert.match(rejected('passes_module').detail ?? '', /units is used as a value/);
    assert.equal(rejected('by_getattr').reason, 'module-object');
    assert.equal(rejected('sets_attribute').reason, 'module-object');
    assert.match(rejected('sets_attribute').detail ?? '', /units\.FACTOR is assigned/);
    const metaclass = rejected('needs_metaclass');
    assert.equal(metaclass.reason, 'module-object');
    assert.match(metaclass.detail ?? '', /lib\.units\.Fancy: class-keywords/, 'what fails below an attribute is told as that attribute');
    const missing = rejected('needs_missing');
    assert.equal(missing.reason, 'module-object');
    assert.match(missing.detail ?? '', /units\.nowhere: unresolved-name:nowhere \(not defined in lib\.units\)/);
  });

  test('an attribute whose name another carried definition binds differently is a clash; a carried helper reading the module when it is defined is rejected, the same function as the entry is kept', async () => {
    assert.equal(rejected('two_scales').reason, 'name-clash:scale');
    const usesScaled = rejected('uses_scaled');
    assert.equal(usesScaled.reason, 'module-object');
    assert.match(usesScaled.detail ?? '', /units\.FACTOR is read when scaled is defined/);
    assert.equal(await returns(kept('scaled'), ['2']), '6');
  });

  test('every kept function defines alone in a fresh process, with no unresolved name', async () => {
    const records = items.flatMap((i) => (i.kind === 'keep' ? [i.record] : []));
    assert.equal(records.length, 6);
    assert.deepEqual((await checkStandalone(sandbox, records)).filter((c) => !c.ok), []);
  });
});

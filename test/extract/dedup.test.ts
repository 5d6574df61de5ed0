import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { codeTokens, decontaminateStage, dedupStage, loadContamination, type ContaminationIndex } from '../../src/extract/index.js';
import { keep, type StageItem } from '../../src/contract/index.js';

const dedupStageRun = (items: AsyncIterable<StageItem<FunctionRecord>>, options = {}) => dedupStage(options).run(items);
const decontaminateRun = (items: AsyncIterable<StageItem<FunctionRecord>>, index: ContaminationIndex) => decontaminateStage(index).run(items);
import type { FunctionRecord } from '../../src/contract/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-dedup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LONG = `def score(cards):
    total = 0
    aces = 0
    for card in cards:
        if str(card['rank']).isdigit():
            total += card['rank']
        elif card['rank'] == 'A':
            total += 11
            aces += 1
        else:
            total += 10
    while total > 21 and aces:
        total -= 10
        aces -= 1
    bonus = 0
    if len(cards) == 2 and total == 21:
        bonus = 5
    elif len(cards) >= 5 and total <= 21:
        bonus = 3
    return total + bonus
`;
const record = (id: string, code: string): FunctionRecord => ({ id, entry: 'score', code, params: [], source: { path: `${id}.py` } });

async function collect(stream: AsyncIterable<StageItem<FunctionRecord>>): Promise<StageItem<FunctionRecord>[]> {
  const items: StageItem<FunctionRecord>[] = [];
  for await (const item of stream) items.push(item);
  return items;
}
async function* from(records: FunctionRecord[]): AsyncIterable<StageItem<FunctionRecord>> {
  for (const r of records) yield keep(r);
}

describe('dedup', () => {
  const nearCopy = LONG.replace('bonus = 5', 'bonus = 6');
  const different = 'def mean(xs):\n    n = len(xs)\n    s = sum(xs)\n    return s / n if n else 0.0\n';

  test('drops exact duplicates by id and near duplicates by MinHash; the kept one carries its cluster', async () => {
    const items = await collect(dedupStageRun(from([record('a', LONG), record('a', LONG), record('b', nearCopy), record('c', different)])));
    assert.deepEqual(items.map((i) => (i.kind === 'keep' ? `keep:${i.record.cluster}` : i.reject.reason)), ['keep:a', 'duplicate', 'near-duplicate', 'keep:c']);
    assert.ok(items[2].kind === 'reject' && items[2].reject.detail?.startsWith('cluster a'));
    assert.equal(items[2].kind === 'reject' && items[2].reject.source?.path, 'b.py');
  });

  test('a higher threshold keeps the near copy; near dedup can be turned off', async () => {
    const strict = await collect(dedupStageRun(from([record('a', LONG), record('b', nearCopy)]), { threshold: 0.99 }));
    assert.deepEqual(strict.map((i) => i.kind), ['keep', 'keep']);
    const off = await collect(dedupStageRun(from([record('a', LONG), record('b', nearCopy), record('a', LONG)]), { near: false }));
    assert.deepEqual(off.map((i) => (i.kind === 'keep' ? 'keep' : i.reject.reason)), ['keep', 'keep', 'duplicate']);
  });
});

describe('dedup of template families', () => {
  // Twelve comparison helpers made from one template, as functools' total_ordering has them:
  // each derives one operator from another; they differ in names, docstrings and an operator or two.
  const ops: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };
  const derive: Record<string, (base: string) => string> = {
    gt: (b) => (b === 'lt' || b === 'le' ? 'not op_result and self != other' : 'op_result and self != other'),
    lt: (b) => (b === 'gt' || b === 'ge' ? 'not op_result and self != other' : 'op_result and self != other'),
    ge: (b) => (b === 'lt' ? 'not op_result' : 'not op_result or self == other'),
    le: (b) => (b === 'gt' ? 'not op_result' : 'op_result or self == other'),
  };
  const family = Object.keys(ops).flatMap((want) =>
    Object.keys(ops).filter((base) => base !== want).map((base) => {
      const name = `_${want}_from_${base}`;
      const code = `def ${name}(self, other):\n    'Return a ${ops[want]} b, computed from a ${ops[base]} b.'\n` +
        `    op_result = type(self).__${base}__(self, other)\n    if op_result is NotImplemented:\n        return op_result\n` +
        `    return ${derive[want](base)}\n`;
      return { id: name, entry: name, code, params: [], source: { path: 'ordering.py' } } as FunctionRecord;
    }),
  );

  test('the total_ordering family is merged to a few clusters; raw tokens merged none', async () => {
    assert.equal(family.length, 12);
    const items = await collect(dedupStageRun(from(family)));
    const kept = items.filter((i) => i.kind === 'keep').length;
    assert.ok(kept <= 3, `${kept} of 12 kept`);
    const raw = await collect(dedupStageRun(from(family), { normalise: false, shingle: 5, threshold: 0.85 }));
    assert.ok(raw.filter((i) => i.kind === 'keep').length >= 10, 'raw 5-token shingles at 0.85 (the old default) kept them apart');
  });

  test('functions that differ in their string literals are not near duplicates', async () => {
    const escape = `def escape(text):\n    text = text.replace('&', '&amp;')\n    text = text.replace('<', '&lt;')\n    text = text.replace('>', '&gt;')\n    return text\n`;
    const unescape = `def unescape(text):\n    text = text.replace('&lt;', '<')\n    text = text.replace('&gt;', '>')\n    text = text.replace('&amp;', '&')\n    return text\n`;
    const items = await collect(dedupStageRun(from([record('e', escape), record('u', unescape)])));
    assert.deepEqual(items.map((i) => i.kind), ['keep', 'keep']);
  });
});

describe('decontamination', () => {
  test('drops functions sharing a 10-token sequence with a benchmark code or prompt field', async () => {
    const bench = path.join(dir, 'bench.jsonl');
    writeFileSync(bench, JSON.stringify({ id: 1, prompt: 'Function: score', code: LONG.replace('score', 'blackjack') }) + '\n');
    const index = await loadContamination([bench]);
    const items = await collect(decontaminateRun(from([record('a', LONG), record('b', 'def mean(xs):\n    return sum(xs) / len(xs)\n')]), index));
    assert.deepEqual(items.map((i) => (i.kind === 'keep' ? 'keep' : i.reject.reason)), ['contaminated', 'keep']);
  });

  test('a benchmark line that is not JSON is a configuration error naming file and line', async () => {
    const bench = path.join(dir, 'broken.jsonl');
    writeFileSync(bench, '{"code": "x"}\n{oops\n');
    await assert.rejects(loadContamination([bench]), /broken\.jsonl:2/);
  });

  test('tokens ignore comments and keep string literals whole', () => {
    assert.deepEqual(codeTokens("x = 'a # b'  # note\nreturn x**2"), ['x', '=', "'a # b'", 'return', 'x', '**', '2']);
  });
});

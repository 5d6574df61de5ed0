// The progress display: what it draws from the library's progress events, on a terminal and in a
// log, and the time format of its ETAs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyStats, type StageStats } from '../../src/contract/index.js';
import { ProgressBoard } from '../../src/cli/progress-board.js';
import { formatSeconds } from '../../src/cli/progress.js';

/** A stream that records what is written to it. */
function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

const stats = (stage: string, counts: Partial<StageStats>): StageStats => ({ ...emptyStats(stage), ...counts });

describe('progress board', () => {
  it('adds finished shards and the streaming stage\'s live count, one line per stage', () => {
    const { writes, stream } = recorder(false);
    const board = new ProgressBoard(['extract', 'inputs'], 100, { stream, quiet: false });
    board.handle({ type: 'item', stage: 'extract', stats: stats('extract', { in: 7, kept: 5 }) });
    board.handle({ type: 'shard', stage: 'extract', shard: 0, stats: stats('extract', { in: 12, kept: 10 }), skipped: false });
    board.handle({ type: 'item', stage: 'extract', stats: stats('extract', { in: 3, kept: 2 }) });
    board.handle({ type: 'shard', stage: 'inputs', shard: 0, stats: stats('inputs', { in: 10, kept: 9 }), skipped: true });
    board.handle({ type: 'shard', stage: 'unknown', shard: 0, stats: stats('unknown', { in: 1 }), skipped: false });
    board.finish();
    const last = writes[writes.length - 1].split('\n').filter(Boolean);
    assert.equal(last.length, 2);
    assert.match(last[0], /^progress: extract\s+15 in\s+12 kept/);
    assert.match(last[1], /^progress: inputs\s+10 in\s+9 kept/);
    assert.ok(!writes.join('').includes('\x1b['), 'no terminal codes in a log');
  });

  it('redraws in place with a bar on a terminal', () => {
    const { writes, stream } = recorder(true);
    const board = new ProgressBoard(['exec'], 10, { stream, quiet: false });
    board.handle({ type: 'shard', stage: 'exec', shard: 0, stats: stats('exec', { in: 5, kept: 5 }), skipped: false });
    board.finish();
    board.finish();
    assert.match(writes[writes.length - 1], /^\x1b\[1F\x1b\[K\[##########\.{10}\] exec\s+5 in/);
  });

  it('draws nothing when quiet', () => {
    const { writes, stream } = recorder(true);
    const board = new ProgressBoard(['exec'], 10, { stream, quiet: true });
    board.handle({ type: 'shard', stage: 'exec', shard: 0, stats: stats('exec', { in: 5, kept: 5 }), skipped: false });
    board.finish();
    assert.deepEqual(writes, []);
  });
});

describe('formatSeconds', () => {
  it('reads as seconds, then minutes and seconds; unknown as ?', () => {
    assert.equal(formatSeconds(42.4), '42s');
    assert.equal(formatSeconds(125), '2m05s');
    assert.equal(formatSeconds(Infinity), '?');
  });
});

// Progress of every stage of a command: one line per stage (items in, kept, rate, ETA) redrawn in
// place on a terminal, or a plain log line per stage every few seconds otherwise. It draws the
// library's progress events (contract/progress.ts): shards as they finish, and the live count of
// the stage that streams (the source of a run, or the one stage of `case2code extract|inputs|exec`).
import type { ProgressEvent } from '../contract/index.js';
import { formatSeconds } from './progress.js';

interface Row {
  stage: string;
  done: number;
  kept: number;
  started?: number;
  /** Records done by earlier attempts of the run: counted, but not in the rate. */
  resumed: number;
}

export class ProgressBoard {
  private readonly rows: Row[];
  private readonly tty: boolean;
  private lastDraw = 0;
  private drawnLines = 0;
  /** The streaming stage's counts since its last finished shard. */
  private live = { stage: '', in: 0, kept: 0 };

  constructor(
    stages: string[],
    private readonly total: number | undefined,
    private readonly options: {
      quiet?: boolean;
      stream?: NodeJS.WriteStream;
      /** Stages that see every function (before any filtering): only they get a bar and an ETA. */
      unfiltered?: string[];
    } = {},
  ) {
    this.rows = stages.map((stage) => ({ stage, done: 0, kept: 0, resumed: 0 }));
    this.tty = Boolean((options.stream ?? process.stderr).isTTY);
  }

  get stream(): NodeJS.WriteStream {
    return this.options.stream ?? process.stderr;
  }

  handle = (event: ProgressEvent): void => {
    const row = this.rows.find((r) => r.stage === event.stage);
    if (!row) return;
    // A stage's clock starts with the command's work, not at its first finished shard, which would
    // count a whole shard in no time at all.
    row.started ??= this.rows[0].started ?? performance.now();
    if (event.type === 'item') {
      this.live = { stage: event.stage, in: event.stats.in, kept: event.stats.kept };
    } else {
      row.done += event.stats.in;
      row.kept += event.stats.kept;
      if (event.skipped) row.resumed += event.stats.in;
      if (this.live.stage === event.stage) this.live = { stage: '', in: 0, kept: 0 };
    }
    this.maybeDraw();
  };

  private maybeDraw(): void {
    const now = performance.now();
    if (now - this.lastDraw < (this.tty ? 150 : 5000)) return;
    this.lastDraw = now;
    this.draw();
  }

  finish(): void {
    this.draw();
  }

  private line(row: Row, index: number): string {
    const live = this.live.stage === row.stage ? this.live : { in: 0, kept: 0 };
    const kept = row.kept + live.kept;
    const done = row.done + live.in;
    const seconds = row.started ? (performance.now() - row.started) / 1000 : 0;
    const rate = seconds > 0 ? (done - row.resumed) / seconds : 0;
    // Downstream stages see the source's kept records; the source's total is its --limit.
    const total = !this.options.unfiltered || this.options.unfiltered.includes(row.stage) ? this.total : undefined;
    const progressed = index === 0 ? kept : done;
    const parts = [`${row.stage.padEnd(9)} ${String(done).padStart(6)} in  ${String(kept).padStart(6)} kept`, `${rate.toFixed(1)}/s`];
    if (total && rate > 0 && progressed < total) parts.push(`ETA ${formatSeconds((total - progressed) / rate)}`);
    let text = parts.join('  ');
    if (this.tty && total) {
      const width = 20;
      const filled = Math.min(width, Math.round((progressed / total) * width));
      text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
    }
    return text;
  }

  private draw(): void {
    if (this.options.quiet ?? process.env.CASE2CODE_QUIET === '1') return;
    const lines = this.rows.map((row, i) => this.line(row, i));
    if (this.tty) {
      const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
      this.stream.write(up + lines.map((l) => `\x1b[K${l}`).join('\n') + '\n');
      this.drawnLines = lines.length;
    } else {
      this.stream.write(lines.map((l) => `progress: ${l}`).join('\n') + '\n');
    }
  }
}

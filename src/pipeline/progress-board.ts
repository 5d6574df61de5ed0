// Progress of every stage of a run: one bar per stage (records, rate, ETA) redrawn in place on a
// terminal, or a plain log line per stage every few seconds otherwise.
import type { RunnerEvent } from './runner.js';

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
  private sourceLive = { kept: 0, rejected: 0 };

  constructor(
    stages: string[],
    private total: number | undefined,
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

  handle = (event: RunnerEvent): void => {
    if (event.type === 'source') {
      this.sourceLive = { kept: event.kept, rejected: event.rejected };
      this.rows[0].started ??= performance.now();
    } else {
      const row = this.rows.find((r) => r.stage === event.stage);
      if (!row) return;
      // A stage's clock starts with the run's work, not at its first finished shard, which would
      // count a whole shard in no time at all.
      row.started ??= this.rows[0].started ?? performance.now();
      row.done += event.stats.in;
      row.kept += event.stats.kept;
      if (event.skipped) row.resumed += event.stats.in;
      if (row === this.rows[0]) this.sourceLive = { kept: 0, rejected: 0 };
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
    const live = index === 0 ? this.sourceLive.kept + this.sourceLive.rejected : 0;
    const kept = row.kept + (index === 0 ? this.sourceLive.kept : 0);
    const done = row.done + live;
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

  /** How many functions the run expects (its --limit), for bars and ETAs. */
  setTotal(total: number): void {
    this.total = total;
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

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

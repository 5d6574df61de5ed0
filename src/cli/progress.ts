// Progress for long stages: a one-line bar with rate and ETA on a terminal, plain log lines
// (every few seconds) when stderr is a file or a pipe.

/** One status line on stderr, redrawn at most every 100 ms on a terminal, every 5 s in a log. */
export class StatusLine {
  private lastDraw = 0;
  readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly quiet = process.env.CASE2CODE_QUIET === '1') {}

  /** Redraw with `render()` if enough time has passed (always when `final`). */
  update(render: () => string, final = false): void {
    if (this.quiet) return;
    const now = performance.now();
    if (!final && now - this.lastDraw <= (this.tty ? 100 : 5000)) return;
    this.lastDraw = now;
    const text = render();
    if (this.tty) process.stderr.write(`\r\x1b[K${text}${final ? '\n' : ''}`);
    else process.stderr.write(text + '\n');
  }
}

export class Progress {
  private done = 0;
  private readonly started = performance.now();
  private readonly line: StatusLine;

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    private readonly unit = 'items',
    options: { quiet?: boolean } = {},
  ) {
    this.line = new StatusLine(options.quiet);
  }

  tick(n = 1): void {
    this.done += n;
    this.line.update(() => this.render(false));
  }

  finish(): void {
    this.line.update(() => this.render(true), true);
  }

  get rate(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  private render(final: boolean): string {
    const rate = this.rate;
    const parts = [`${this.label}: ${this.done}${this.total ? `/${this.total}` : ''} ${this.unit}`, `${rate.toFixed(1)} ${this.unit}/s`];
    if (this.total && rate > 0 && !final) parts.push(`ETA ${formatSeconds((this.total - this.done) / rate)}`);
    if (final) parts.push(`in ${formatSeconds((performance.now() - this.started) / 1000)}`);
    const text = parts.join('  ');
    if (!this.line.tty || !this.total) return text;
    const width = 24;
    const filled = Math.min(width, Math.round((this.done / this.total) * width));
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

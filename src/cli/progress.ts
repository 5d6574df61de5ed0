// Progress for long stages: a one-line bar with rate and ETA on a terminal, plain log lines
// (every few seconds) when stderr is a file or a pipe.
export class Progress {
  private done = 0;
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly quiet: boolean;

  constructor(
    private readonly label: string,
    private total: number | undefined,
    private readonly unit = 'items',
    options: { quiet?: boolean } = {},
  ) {
    this.quiet = options.quiet ?? process.env.CASE2CODE_QUIET === '1';
  }

  setTotal(total: number): void {
    this.total = total;
  }

  tick(n = 1): void {
    this.done += n;
    const now = performance.now();
    if (now - this.lastDraw > (this.tty ? 100 : 5000)) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  finish(): void {
    this.draw(true);
  }

  get rate(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  private draw(final: boolean): void {
    if (this.quiet) return;
    const rate = this.rate;
    const parts = [`${this.label}: ${this.done}${this.total ? `/${this.total}` : ''} ${this.unit}`, `${rate.toFixed(1)} ${this.unit}/s`];
    if (this.total && rate > 0 && !final) parts.push(`ETA ${formatSeconds((this.total - this.done) / rate)}`);
    if (final) parts.push(`in ${formatSeconds((performance.now() - this.started) / 1000)}`);
    let text = parts.join('  ');
    if (this.tty && this.total) {
      const width = 24;
      const filled = Math.min(width, Math.round((this.done / this.total) * width));
      text = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`;
    }
    if (this.tty) process.stderr.write(`\r\x1b[K${text}${final ? '\n' : ''}`);
    else process.stderr.write(text + '\n');
  }
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

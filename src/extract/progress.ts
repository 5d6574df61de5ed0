// A one-line progress display for extraction: files/s and functions/s on a terminal, a plain line
// every few seconds when stderr is a file or a pipe.
export class ExtractProgress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  files = 0;
  functions = 0;
  kept = 0;

  constructor(private readonly quiet = process.env.CASE2CODE_QUIET === '1') {}

  update(): void {
    const now = performance.now();
    if (now - this.lastDraw > (this.tty ? 200 : 5000)) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  finish(): void {
    this.draw(true);
  }

  private draw(final: boolean): void {
    if (this.quiet) return;
    const seconds = Math.max((performance.now() - this.started) / 1000, 1e-9);
    const text =
      `extract: ${this.files} files (${(this.files / seconds).toFixed(1)}/s)  ` +
      `${this.functions} functions (${(this.functions / seconds).toFixed(1)}/s)  ${this.kept} kept  ${seconds.toFixed(0)}s`;
    if (this.tty) process.stderr.write(`\r\x1b[K${text}${final ? '\n' : ''}`);
    else process.stderr.write(text + '\n');
  }
}

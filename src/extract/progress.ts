// A one-line progress display for extraction: files/s and functions/s on a terminal, a plain line
// every few seconds when stderr is a file or a pipe.
import { StatusLine } from '../cli/progress.js';

export class ExtractProgress {
  private readonly started = performance.now();
  private readonly line: StatusLine;
  files = 0;
  functions = 0;
  kept = 0;

  constructor(quiet?: boolean) {
    this.line = new StatusLine(quiet);
  }

  update(): void {
    this.line.update(() => this.render());
  }

  finish(): void {
    this.line.update(() => this.render(), true);
  }

  private render(): string {
    const seconds = Math.max((performance.now() - this.started) / 1000, 1e-9);
    return (
      `extract: ${this.files} files (${(this.files / seconds).toFixed(1)}/s)  ` +
      `${this.functions} functions (${(this.functions / seconds).toFixed(1)}/s)  ${this.kept} kept  ${seconds.toFixed(0)}s`
    );
  }
}

// Streaming JSON Lines: read with line numbers (plain or gzip), write with back-pressure.
import { createReadStream, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export type JsonlLine =
  | { line: number; ok: true; value: unknown }
  | { line: number; ok: false; error: string; raw: string };

/** Every non-blank line of a JSONL file (`.gz` is decompressed), parsed or with the parse error. */
export async function* readJsonl(file: string): AsyncIterable<JsonlLine> {
  const raw = createReadStream(file);
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, ok: true, value: JSON.parse(text) };
    } catch (error) {
      yield { line, ok: false, error: `not JSON: ${(error as Error).message}`, raw: text.slice(0, 200) };
    }
  }
}

/** Appends JSON values one a line; `write` waits when the OS buffer is full, so memory stays flat. */
export class JsonlWriter {
  private readonly stream: WriteStream;
  constructor(
    readonly file: string,
    options: { append?: boolean } = {},
  ) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.stream = createWriteStream(file, { flags: options.append ? 'a' : 'w' });
  }

  async write(value: unknown): Promise<void> {
    if (!this.stream.write(JSON.stringify(value) + '\n')) {
      await new Promise<void>((resolve) => this.stream.once('drain', resolve));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
  }
}

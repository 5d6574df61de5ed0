// Parquet files for each format, column by column. Nested values are real Parquet lists of structs
// where readers handle them well (chat messages); bench cases are JSON-typed columns, which
// `datasets` reads as strings (parse them with json.loads), and so is a prediction row's `input`.
import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { FormatName } from './formats.js';

type Row = Record<string, any>;

const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;

export function parquetBuffer(format: FormatName, rows: Row[]): ArrayBuffer {
  const column = (name: string, pick: (row: Row) => unknown = (row) => row[name] ?? null) => ({ name, data: rows.map(pick) });
  switch (format) {
    case 'sft':
      return parquetWriteBuffer({ columnData: ['id', 'prompt', 'completion'].map((n) => ({ ...column(n), type: 'STRING' as const })) });
    case 'pretrain':
      return parquetWriteBuffer({ columnData: ['id', 'text'].map((n) => ({ ...column(n), type: 'STRING' as const })) });
    case 'chat':
      return parquetWriteBuffer({
        columnData: [column('id'), column('messages')],
        schema: [
          { name: 'root', num_children: 2 },
          { name: 'id', ...STRING, repetition_type: 'REQUIRED' },
          { name: 'messages', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
          { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
          { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
          { name: 'role', ...STRING, repetition_type: 'REQUIRED' },
          { name: 'content', ...STRING, repetition_type: 'REQUIRED' },
        ],
      });
    case 'bench':
      return parquetWriteBuffer({
        columnData: [
          ...['id', 'entry', 'prompt', 'code', 'cluster'].map((n) => ({ ...column(n), type: 'STRING' as const })),
          ...['shown', 'cases', 'source'].map((n) => ({ ...column(n), type: 'JSON' as const })),
        ],
      });
    case 'output_prediction':
    case 'input_prediction':
      return parquetWriteBuffer({
        columnData: [
          ...['id', 'function', 'entry', 'code', 'output', 'prompt', 'completion'].map((n) => ({ ...column(n), type: 'STRING' as const })),
          { ...column('input'), type: 'JSON' as const },
        ],
      });
  }
}

export function writeParquet(file: string, format: FormatName, rows: Row[]): void {
  writeFileSync(file, Buffer.from(parquetBuffer(format, rows)));
}

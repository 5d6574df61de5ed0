// Parquet sources (The Stack v1 / StarCoderData layout), read one row group at a time so memory
// stays bounded by the largest row group, not the file.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import { reject, type StageItem } from '../contract/index.js';
import { ID_FIELDS, LICENSE_FIELDS, PATH_FIELDS, REPO_FIELDS, recordToSource } from './dataset-record.js';
import type { SourceFile } from './types.js';

export async function* readParquetSource(file: string, field: string, maxBytes: number): AsyncIterable<StageItem<SourceFile>> {
  let metadata: FileMetaData;
  let buffer;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    yield reject({ stage: 'corpus', reason: 'corrupt-parquet', source: { dataset: file }, detail: (error as Error).message });
    return;
  }
  const present = new Set(parquetSchema(metadata).children.map((child) => child.element.name));
  if (!present.has(field)) {
    yield reject({ stage: 'corpus', reason: 'missing-field', source: { dataset: file }, detail: `no column "${field}" (columns: ${[...present].join(', ')})` });
    return;
  }
  const columns = [field, ...[...PATH_FIELDS, ...REPO_FIELDS, ...LICENSE_FIELDS, ...ID_FIELDS].filter((name) => present.has(name))];
  let rowStart = 0;
  for (const [index, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows;
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, columns, rowStart, rowEnd });
    } catch (error) {
      const detail = `row group ${index} (rows ${rowStart}-${rowEnd - 1}): ${(error as Error).message}`;
      yield reject({ stage: 'corpus', reason: 'corrupt-parquet', source: { dataset: file, row: rowStart }, detail });
      rowStart = rowEnd;
      continue;
    }
    for (let i = 0; i < rows.length; i++) {
      yield recordToSource(rows[i], field, { dataset: file, row: rowStart + i }, maxBytes);
    }
    rowStart = rowEnd;
  }
}

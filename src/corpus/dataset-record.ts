// One dataset record (a JSONL line, a Parquet row) to a source file: the text field, and where it
// came from. Column names follow The Stack / StarCoderData and the Case2Code reference's raw data.
import type { SourceRef } from '../contract/index.js';
import { keep, reject, type StageItem } from '../contract/index.js';
import { checkText } from './decode.js';
import type { SourceFile } from './types.js';

export const PATH_FIELDS = ['path', 'max_stars_repo_path', 'file_path', 'filepath', 'filename'];
export const REPO_FIELDS = ['repo_name', 'max_stars_repo_name', 'repo', 'repository'];
export const LICENSE_FIELDS = ['license', 'licenses', 'max_stars_repo_licenses'];
export const ID_FIELDS = ['id', 'hexsha'];

export function recordToSource(record: unknown, field: string, where: SourceRef, maxBytes: number): StageItem<SourceFile> {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return reject({ stage: 'corpus', reason: 'missing-field', source: where, detail: `expected an object with "${field}", got ${describe(record)}` });
  }
  const row = record as Record<string, unknown>;
  const source: SourceRef = { ...where };
  const recordPath = firstText(row, PATH_FIELDS);
  const repo = firstText(row, REPO_FIELDS);
  const license = firstText(row, LICENSE_FIELDS);
  const id = firstText(row, ID_FIELDS);
  if (recordPath !== undefined) source.path = recordPath;
  if (repo !== undefined) source.repo = repo;
  if (license !== undefined) source.license = license;
  if (id !== undefined) source.id = id;
  const text = row[field];
  if (typeof text !== 'string') {
    return reject({ stage: 'corpus', reason: 'missing-field', source, detail: `field "${field}" is ${describe(text)}` });
  }
  const checked = checkText(text, maxBytes);
  if (!checked.ok) return reject({ stage: 'corpus', reason: checked.reason, source, detail: checked.detail });
  return keep({ text: checked.text, source });
}

function firstText(row: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const value = row[name];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value.join(',');
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

import type { CanonicalRow, DatasetRowView, RowProblem } from '../../../preload/contract';

/** A dataset_rows record as better-sqlite3 returns it (snake_case columns). */
export interface StoredRow {
  readonly id: number;
  readonly dataset_id: string;
  readonly row_index: number;
  readonly line_number: number | null;
  readonly original_json: string;
  readonly canonical_json: string | null;
  readonly valid: number;
  readonly problems_json: string;
  readonly char_length: number;
  readonly token_count: number | null;
  readonly turns: number;
  readonly content_hash: string | null;
  readonly tags_json: string;
  readonly split: string | null;
  readonly deleted_at: number | null;
}

function parseOr<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** A stored row as the row browser shows it: JSON parsed, `original` as imported. */
export function toRowView(row: StoredRow): DatasetRowView {
  return {
    id: row.id,
    rowIndex: row.row_index,
    lineNumber: row.line_number,
    valid: row.valid === 1,
    problems: parseOr<RowProblem[]>(row.problems_json, []),
    canonical: row.canonical_json === null ? null : parseOr<CanonicalRow | null>(row.canonical_json, null),
    original: parseOr<unknown>(row.original_json, row.original_json),
    charLength: row.char_length,
    tokenCount: row.token_count,
    turns: row.turns,
    tags: parseOr<string[]>(row.tags_json, []),
    split: row.split === 'train' || row.split === 'val' ? row.split : null,
    deleted: row.deleted_at !== null,
  };
}

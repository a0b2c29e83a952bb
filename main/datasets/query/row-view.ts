import type { StoredRow } from '../../../db/repositories/dataset-row-query-repository';
import type { CanonicalRow, DatasetRowView, RowProblem } from '../../../preload/contract';

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

/**
 * How a dataset row is stored: its insert values, the original kept once when it equals the
 * canonical JSON, and the column list that reads a whole row back. The repositories that write and
 * read rows (dataset-rows-repository.ts, dataset-row-query-repository.ts) share it.
 */

/**
 * A row's original as imported. original_json holds '' when the original was byte for byte the
 * canonical JSON (a clean chat or text file: most rows), so such a row is stored once, not twice
 * (about 40% of the database on chat JSONL). No reader makes '' an original: JSON lines are
 * trimmed and non-empty, everything else is JSON.stringify'd. Read originals only through this.
 */
export const ORIGINAL_JSON_SQL =
  "CASE WHEN original_json = '' AND canonical_json IS NOT NULL THEN canonical_json ELSE original_json END";

/** What original_json stores for a row: '' when the original is its canonical JSON. */
export function storedOriginal(originalJson: string, canonicalJson: string | null): string {
  return originalJson === canonicalJson ? '' : originalJson;
}

/** The original of a row as read back from its stored columns (ORIGINAL_JSON_SQL, in JS). */
export function resolvedOriginal(stored: string, canonicalJson: string | null): string {
  return stored === '' && canonicalJson !== null ? canonicalJson : stored;
}

/** The insert statement's values for a row. */
export function insertValues(datasetId: string, r: NewDatasetRow, ts: number): unknown[] {
  return [
    datasetId,
    r.rowIndex,
    r.lineNumber,
    storedOriginal(r.originalJson, r.canonicalJson),
    r.canonicalJson,
    r.valid ? 1 : 0,
    r.problemsJson,
    r.charLength,
    r.turns,
    r.contentHash,
    ts,
    ts,
  ];
}

/** Every dataset_rows column, the original resolved (a `SELECT` list for whole rows). */
export const STORED_ROW_COLUMNS = `id, dataset_id, row_index, line_number, ${ORIGINAL_JSON_SQL} AS original_json,
  canonical_json, valid, problems_json, char_length, token_count, turns, content_hash, tags_json, split,
  created_at, updated_at, deleted_at`;

/** A row as the importer produces it; timestamps are added here. */
export interface NewDatasetRow {
  readonly rowIndex: number;
  readonly lineNumber: number | null;
  readonly originalJson: string;
  readonly canonicalJson: string | null;
  readonly valid: boolean;
  readonly problemsJson: string;
  readonly charLength: number;
  readonly turns: number;
  /** The row's duplicate key (normalise/content-hash.ts): an 8-byte BLOB. */
  readonly contentHash: Uint8Array | null;
  /**
   * The row's search text and its distinct roles (comma-joined) as dataset_rows_search_text gives
   * them, when the builder has them at hand; insertIndexedBatch indexes rows without them through
   * that view (rows with no canonical form).
   */
  readonly search?: { readonly text: string; readonly roles: string };
}

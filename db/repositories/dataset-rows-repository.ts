import type { Statement } from 'better-sqlite3';
import { and, asc, count, eq, gt, isNull } from 'drizzle-orm';
import type { Clock } from '../ids';
import type { Db, SqliteDatabase } from '../open';
import { datasetRows } from '../schema';
import type { RowSelectionSql } from './dataset-row-filter-plan';
import { insertValues, type NewDatasetRow, ORIGINAL_JSON_SQL, resolvedOriginal } from './dataset-row-storage';

export {
  type NewDatasetRow,
  ORIGINAL_JSON_SQL,
  STORED_ROW_COLUMNS,
  storedOriginal,
} from './dataset-row-storage';

export type DatasetRowRecord = typeof datasetRows.$inferSelect;

/** Ids from `from` (inclusive) to `to` (exclusive). */
export interface IdRange {
  readonly from: number;
  readonly to: number;
}

/** A live row's canonical form, for scans (token counts, near duplicates, freezing). */
export interface ScannedRow {
  readonly id: number;
  readonly rowIndex: number;
  readonly canonical: string | null;
  readonly split: string | null;
}

/** What a row edit writes. */
export interface RowEdit {
  readonly canonicalJson: string;
  readonly valid: boolean;
  readonly problemsJson: string;
  readonly charLength: number;
  readonly turns: number;
  readonly contentHash: Uint8Array;
}

/**
 * The rows of datasets. Bulk insert and the page-at-a-time scans are hot paths (ARCHITECTURE
 * rule 5): raw statements prepared once per repository (on first use), batches in one
 * transaction, not drizzle.
 */
export class DatasetRowsRepository {
  private readonly insertStatement;
  private readonly prepared = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly sqlite: SqliteDatabase,
    private readonly now: Clock = Date.now,
  ) {
    this.insertStatement = sqlite.prepare(
      `INSERT INTO dataset_rows (dataset_id, row_index, line_number, original_json, canonical_json, valid,
         problems_json, char_length, turns, content_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatchTx = sqlite.transaction(
      (datasetId: string, rows: ReadonlyArray<NewDatasetRow>, ts: number) => {
        for (const r of rows) this.insertStatement.run(...insertValues(datasetId, r, ts));
      },
    );
  }

  private readonly insertBatchTx: (datasetId: string, rows: ReadonlyArray<NewDatasetRow>, ts: number) => void;
  private indexedTx: {
    readonly body: (datasetId: string, rows: ReadonlyArray<NewDatasetRow>, ts: number) => void;
    readonly tx: (datasetId: string, rows: ReadonlyArray<NewDatasetRow>, ts: number) => void;
  } | null = null;

  /** Insert a batch in one transaction: all of it or none of it. */
  insertBatch(datasetId: string, rows: ReadonlyArray<NewDatasetRow>): void {
    this.insertBatchTx(datasetId, rows, this.now());
  }

  /**
   * Insert a batch and add its rows to the search index, in one transaction (the importer). The
   * search text the builder already made goes straight in: making it again in SQL from the stored
   * JSON (json_each per row) was a third of the index build.
   */
  insertIndexedBatch(datasetId: string, rows: ReadonlyArray<NewDatasetRow>): void {
    if (this.indexedTx === null) {
      const insert = this.insertStatement;
      const indexText = this.sqlite.prepare(
        'INSERT INTO dataset_rows_fts (rowid, text, roles) VALUES (?, ?, ?)',
      );
      const indexFromView = this.sqlite.prepare(
        `INSERT INTO dataset_rows_fts (rowid, text, roles)
         SELECT id, coalesce(text, ''), coalesce(roles, '') FROM dataset_rows_search_text WHERE id = ?`,
      );
      const body = (id: string, batch: ReadonlyArray<NewDatasetRow>, ts: number): void => {
        for (const r of batch) {
          const rowId = insert.run(...insertValues(id, r, ts)).lastInsertRowid;
          if (r.search) indexText.run(rowId, r.search.text, r.search.roles);
          else indexFromView.run(rowId);
        }
      };
      this.indexedTx = { body, tx: this.sqlite.transaction(body) };
    }
    // Inside a transaction the caller opened (beginSpanning), the batch is written as it is: a
    // savepoint per batch made FTS5 flush its pending terms into a new segment each time (100k
    // chat rows: 2.59 s → 2.12 s of storage without them). The caller's transaction keeps the
    // all-or-nothing promise; on its own the batch is one transaction.
    const { body, tx } = this.indexedTx;
    if (this.sqlite.inTransaction) body(datasetId, rows, this.now());
    else tx(datasetId, rows, this.now());
  }

  /** A page of live rows after a row index (keyset pagination). */
  page(datasetId: string, afterRowIndex: number, limit: number): DatasetRowRecord[] {
    return this.db
      .select()
      .from(datasetRows)
      .where(
        and(
          eq(datasetRows.datasetId, datasetId),
          isNull(datasetRows.deletedAt),
          gt(datasetRows.rowIndex, afterRowIndex),
        ),
      )
      .orderBy(asc(datasetRows.rowIndex))
      .limit(limit)
      .all()
      .map((r) => ({ ...r, originalJson: resolvedOriginal(r.originalJson, r.canonicalJson) }));
  }

  count(datasetId: string): number {
    const row = this.db
      .select({ n: count() })
      .from(datasetRows)
      .where(and(eq(datasetRows.datasetId, datasetId), isNull(datasetRows.deletedAt)))
      .get();
    return row?.n ?? 0;
  }

  /**
   * Open a write transaction spanning several insert batches (the importer: each batch becomes a
   * savepoint in it, and index pages are rewritten once per commit, not once per batch).
   */
  beginSpanning(): void {
    this.sqlite.exec('BEGIN IMMEDIATE');
  }

  /** Commit the open transaction, if any. */
  commitOpen(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec('COMMIT');
  }

  /** Roll back the open transaction, if any. */
  rollbackOpen(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
  }

  /** Whether this connection has a transaction open. */
  get inTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  /** Run `work` in one transaction on this connection (nested calls become savepoints). */
  transaction<T>(work: () => T): T {
    return this.sqlite.transaction(work)();
  }

  /** Delete up to `limit` rows of a dataset; returns how many went (0 when none are left). */
  deleteSome(datasetId: string, limit: number): number {
    return this.statement(
      'DELETE FROM dataset_rows WHERE id IN (SELECT id FROM dataset_rows WHERE dataset_id = ? LIMIT ?)',
    ).run(datasetId, limit).changes;
  }

  /** Live rows whose canonical content repeats an earlier row's exactly (beyond the first of each). */
  countExactDuplicates(datasetId: string): number {
    return this.statement(
      `SELECT count(*) - count(DISTINCT content_hash) FROM dataset_rows
       WHERE dataset_id = ? AND deleted_at IS NULL AND content_hash IS NOT NULL`,
    )
      .pluck()
      .get(datasetId) as number;
  }

  /** How many rows of a dataset are soft-deleted. */
  countDeleted(datasetId: string): number {
    return this.statement(
      `SELECT count(*) FROM dataset_rows INDEXED BY dataset_rows_deleted_idx
       WHERE dataset_id = ? AND deleted_at IS NOT NULL`,
    )
      .pluck()
      .get(datasetId) as number;
  }

  /** Each problem message of a dataset's live rows and how many times it occurs. */
  problemMessages(datasetId: string): Array<{ message: unknown; n: number }> {
    return this.statement(
      `SELECT json_extract(j.value, '$.message') AS message, count(*) AS n
       FROM dataset_rows p INDEXED BY dataset_rows_problems_idx, json_each(p.problems_json) AS j
       WHERE p.dataset_id = ? AND p.deleted_at IS NULL AND p.problems_json <> '[]'
       GROUP BY message`,
    ).all(datasetId) as Array<{ message: unknown; n: number }>;
  }

  /** How many valid live rows of a dataset lie in an id range. */
  countValidLive(datasetId: string, range: IdRange): number {
    return this.statement(
      `SELECT count(*) FROM dataset_rows INDEXED BY dataset_rows_state_idx WHERE ${VALID_LIVE_IN_RANGE}`,
    )
      .pluck()
      .get({ ds: datasetId, from: range.from, to: range.to }) as number;
  }

  /** The next page of valid live rows in an id range, after id `after`, in id order. */
  validLivePage(datasetId: string, range: IdRange, after: number, limit: number): ScannedRow[] {
    return this.statement(
      `SELECT id, row_index AS rowIndex, canonical_json AS canonical, split FROM dataset_rows
       INDEXED BY dataset_rows_state_idx
       WHERE id > @after AND ${VALID_LIVE_IN_RANGE} ORDER BY id LIMIT @limit`,
    ).all({ ds: datasetId, from: range.from, to: range.to, after, limit }) as ScannedRow[];
  }

  /** Store rows' token counts, all in one transaction. */
  storeTokenCounts(counts: ReadonlyArray<readonly [id: number, tokens: number]>): void {
    const store = this.statement('UPDATE dataset_rows SET token_count = ? WHERE id = ?');
    this.transaction(() => {
      for (const [id, tokens] of counts) store.run(tokens, id);
    });
  }

  /** How many live rows of a dataset have a canonical form (content_hash is set exactly then). */
  countLiveCanonical(datasetId: string): number {
    return this.statement(
      `SELECT count(*) FROM dataset_rows INDEXED BY dataset_rows_live_hash_idx
       WHERE dataset_id = ? AND deleted_at IS NULL AND content_hash IS NOT NULL`,
    )
      .pluck()
      .get(datasetId) as number;
  }

  /** The next page of live rows with a canonical form, after id `after`, in id order. */
  liveCanonicalPage(datasetId: string, after: number, limit: number): ScannedRow[] {
    return this.statement(
      `SELECT id, row_index AS rowIndex, canonical_json AS canonical, split FROM dataset_rows
       INDEXED BY dataset_rows_state_idx
       WHERE id > ? AND dataset_id = ? AND deleted_at IS NULL AND content_hash IS NOT NULL ORDER BY id LIMIT ?`,
    ).all(after, datasetId, limit) as ScannedRow[];
  }

  /** Live rows whose content hash (as hex) another live row shares, ordered by hash then row index. */
  sharedHashRows(datasetId: string): Array<{ hash: string; id: number; rowIndex: number }> {
    return this.statement(
      `SELECT hex(h.content_hash) AS hash, h.id AS id, d.row_index AS rowIndex
       FROM dataset_rows h INDEXED BY dataset_rows_live_hash_idx CROSS JOIN dataset_rows d ON d.id = h.id
       WHERE h.dataset_id = @ds AND h.deleted_at IS NULL AND h.content_hash IN (
         SELECT content_hash FROM dataset_rows INDEXED BY dataset_rows_live_hash_idx
         WHERE dataset_id = @ds AND deleted_at IS NULL AND content_hash IS NOT NULL
         GROUP BY content_hash HAVING count(*) > 1)
       ORDER BY h.content_hash, d.row_index`,
    ).all({ ds: datasetId }) as Array<{ hash: string; id: number; rowIndex: number }>;
  }

  /** Where rows came from in the file (row index, source line) by row id; missing ids are left out. */
  locations(
    datasetId: string,
    rowIds: ReadonlyArray<number>,
  ): Array<{ id: number; rowIndex: number; lineNumber: number | null }> {
    return this.statement(
      `SELECT id, row_index AS rowIndex, line_number AS lineNumber FROM dataset_rows
       WHERE dataset_id = ? AND id IN (SELECT value FROM json_each(?))`,
    ).all(datasetId, JSON.stringify(rowIds)) as Array<{
      id: number;
      rowIndex: number;
      lineNumber: number | null;
    }>;
  }

  /** The original JSON of rows by row index (missing indexes are left out). */
  originals(
    datasetId: string,
    rowIndexes: ReadonlyArray<number>,
  ): Array<{ rowIndex: number; original: string }> {
    return this.statement(
      `SELECT row_index AS rowIndex, ${ORIGINAL_JSON_SQL} AS original FROM dataset_rows
       WHERE dataset_id = ? AND row_index IN (SELECT value FROM json_each(?))`,
    ).all(datasetId, JSON.stringify(rowIndexes)) as Array<{ rowIndex: number; original: string }>;
  }

  /** A row's validity and deletion, or undefined when the dataset has no such row. */
  rowState(datasetId: string, rowId: number): { valid: number; deletedAt: number | null } | undefined {
    return this.statement(
      'SELECT valid, deleted_at AS deletedAt FROM dataset_rows WHERE id = ? AND dataset_id = ?',
    ).get(rowId, datasetId) as { valid: number; deletedAt: number | null } | undefined;
  }

  /**
   * Replace a row's canonical form and what follows from it; its token count is forgotten. An
   * original stored as '' (it was the old canonical JSON) is written out first, so it survives.
   */
  edit(rowId: number, edit: RowEdit, ts: number): void {
    this.statement(
      `UPDATE dataset_rows SET original_json = ${ORIGINAL_JSON_SQL}, canonical_json = @canonical, valid = @valid, problems_json = @problems,
         char_length = @chars, turns = @turns, content_hash = @hash, token_count = NULL, updated_at = @ts
       WHERE id = @id`,
    ).run({
      id: rowId,
      canonical: edit.canonicalJson,
      valid: edit.valid ? 1 : 0,
      problems: edit.problemsJson,
      chars: edit.charLength,
      turns: edit.turns,
      hash: edit.contentHash,
      ts,
    });
  }

  /** How many selected rows of a dataset are live (or deleted), and how many of them are valid. */
  countSelected(
    datasetId: string,
    selection: RowSelectionSql,
    deleted: boolean,
  ): { n: number; valid: number } {
    return this.sqlite
      .prepare(
        `SELECT count(*) AS n, coalesce(sum(valid), 0) AS valid FROM dataset_rows WHERE ${selectedIn(deleted, selection)}`,
      )
      .get({ ...selection.params, ds: datasetId }) as { n: number; valid: number };
  }

  /** Soft delete the selected live rows (or restore the selected deleted ones); returns rows changed. */
  setDeleted(datasetId: string, selection: RowSelectionSql, deleted: boolean, ts: number): number {
    return this.sqlite
      .prepare(
        `UPDATE dataset_rows SET deleted_at = ${deleted ? '@ts' : 'NULL'}, updated_at = @ts
         WHERE ${selectedIn(deleted, selection)}`,
      )
      .run({ ...selection.params, ds: datasetId, ts }).changes;
  }

  /** Add and remove tags on the selected rows (kept unique and sorted); returns rows changed. */
  tag(
    datasetId: string,
    selection: RowSelectionSql,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>,
    ts: number,
  ): number {
    const next = `(SELECT json_group_array(value ORDER BY value) FROM (
        SELECT value FROM json_each(dataset_rows.tags_json) WHERE value NOT IN (SELECT value FROM json_each(@remove))
        UNION SELECT value FROM json_each(@add)))`;
    return this.sqlite
      .prepare(
        `UPDATE dataset_rows SET tags_json = ${next}, updated_at = @ts
         WHERE id IN (${selection.sql}) AND dataset_id = @ds AND tags_json IS NOT ${next}`,
      )
      .run({
        ...selection.params,
        ds: datasetId,
        ts,
        add: JSON.stringify([...new Set(add)]),
        remove: JSON.stringify([...new Set(remove)]),
      }).changes;
  }

  /** Take the split away from the selected rows that have one; returns rows changed. */
  clearSplit(datasetId: string, selection: RowSelectionSql, ts: number): number {
    return this.sqlite
      .prepare(
        `UPDATE dataset_rows SET split = NULL, updated_at = @ts
         WHERE id IN (${selection.sql}) AND dataset_id = @ds AND split IS NOT NULL`,
      )
      .run({ ...selection.params, ds: datasetId, ts }).changes;
  }

  /** Put the selected rows in `val` when their id is in `valIds`, else in `train`; returns rows changed. */
  assignSplit(
    datasetId: string,
    selection: RowSelectionSql,
    valIds: ReadonlyArray<number>,
    ts: number,
  ): number {
    const side = `CASE WHEN id IN (SELECT value FROM json_each(@val)) THEN 'val' ELSE 'train' END`;
    return this.sqlite
      .prepare(
        `UPDATE dataset_rows SET split = ${side}, updated_at = @ts
         WHERE id IN (${selection.sql}) AND dataset_id = @ds AND split IS NOT ${side}`,
      )
      .run({ ...selection.params, ds: datasetId, ts, val: JSON.stringify(valIds) }).changes;
  }

  private statement(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/** Valid live rows of @ds with ids in [@from, @to). */
const VALID_LIVE_IN_RANGE =
  'id >= @from AND id < @to AND dataset_id = @ds AND deleted_at IS NULL AND valid = 1';

/** The selected rows of @ds that are live (to delete) or deleted (to restore). */
function selectedIn(deleted: boolean, selection: RowSelectionSql): string {
  const state = deleted ? 'deleted_at IS NULL' : 'deleted_at IS NOT NULL';
  return `id IN (${selection.sql}) AND dataset_id = @ds AND ${state}`;
}

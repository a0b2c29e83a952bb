import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../open';
import {
  binCaseSql,
  countSliceSql,
  countSql,
  countUpToSql,
  pageIdsSql,
  type RowPlan,
  type RowSelectionSql,
} from './dataset-row-filter-plan';
import { STORED_ROW_COLUMNS } from './dataset-row-storage';

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
  readonly content_hash: Buffer | null;
  readonly tags_json: string;
  readonly split: string | null;
  readonly deleted_at: number | null;
}

/** Where a dataset's rows sit in the id space, as stored: lowest and highest id, and how many. */
export interface StoredSpan {
  readonly lo: number | null;
  readonly hi: number | null;
  readonly n: number;
}

/** Totals over a dataset's live rows (nulls when it has none). */
export interface LiveTotals {
  readonly rows: number;
  readonly valid: number;
  readonly cmin: number | null;
  readonly cmax: number | null;
  readonly cmean: number | null;
  readonly tmin: number | null;
  readonly tmax: number | null;
  readonly tmean: number | null;
  readonly train: number;
  readonly val: number;
}

/**
 * The row browser's reads, driven by a RowPlan (dataset-row-filter-plan.ts). The plans' SQL varies
 * with the filter, so statements are prepared once per distinct SQL text and kept: paging and
 * counting the same filter again reuses them (a hot path while scrolling).
 */
export class DatasetRowQueryRepository {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly sqlite: SqliteDatabase) {}

  /** SQLite's data_version: changes when another connection has written. */
  dataVersion(): number {
    return this.sqlite.pragma('data_version', { simple: true }) as number;
  }

  /**
   * The id range and row count of a dataset (deleted rows included), from its first and last row
   * by position: two index seeks, where min/max/count read every index entry of the dataset (75 ms
   * at 1M rows, once per dataset and process). Exact because a dataset's rows are inserted once,
   * by its import, in row order (ids grow with row_index, which runs 0, 1, 2, …) and are only ever
   * removed all together (`deleteSome` when the dataset goes): soft deletes keep them.
   */
  span(datasetId: string): StoredSpan {
    const found = this.statement(
      `SELECT first.id AS lo, last.id AS hi, last.row_index - first.row_index + 1 AS n
       FROM (SELECT id, row_index FROM dataset_rows WHERE dataset_id = @ds ORDER BY row_index LIMIT 1) AS first,
            (SELECT id, row_index FROM dataset_rows WHERE dataset_id = @ds ORDER BY row_index DESC LIMIT 1) AS last`,
    ).get({ ds: datasetId }) as StoredSpan | undefined;
    return found ?? { lo: null, hi: null, n: 0 };
  }

  /** Whether rows of any dataset lie outside [lo, hi], and whether the dataset has deleted rows. */
  spanFlags(datasetId: string, lo: number, hi: number): { outside: boolean; deleted: boolean } {
    const flags = this.statement(
      `SELECT EXISTS (SELECT 1 FROM dataset_rows WHERE id < @lo) OR EXISTS (SELECT 1 FROM dataset_rows WHERE id > @hi) AS outside,
              EXISTS (SELECT 1 FROM dataset_rows INDEXED BY dataset_rows_deleted_idx
                      WHERE dataset_id = @ds AND deleted_at IS NOT NULL) AS deleted`,
    ).get({ lo, hi, ds: datasetId }) as { outside: number; deleted: number };
    return { outside: flags.outside !== 0, deleted: flags.deleted === 1 };
  }

  /** How many rows a plan matches. */
  count(plan: RowPlan): number {
    return this.statement(countSql(plan)).pluck().get(plan.params) as number;
  }

  /** How many rows a plan matches, up to `cap` (so reaching `cap` means "at least `cap`"). */
  countUpTo(plan: RowPlan, cap: number): number {
    return this.statement(countUpToSql(plan))
      .pluck()
      .get({ ...plan.params, cap }) as number;
  }

  /** How many rows of a sliceable plan have ids in [from, to). */
  countSlice(plan: RowPlan, from: number, to: number): number {
    return this.statement(countSliceSql(plan))
      .pluck()
      .get({ ...plan.params, sliceFrom: from, sliceTo: to }) as number;
  }

  /**
   * The counts kept on the dataset itself (moved by every edit, in the edit's transaction): live
   * rows, and of them valid and invalid ones. Undefined when there is no such dataset.
   */
  keptCounts(datasetId: string): { rows: number; valid: number; invalid: number } | undefined {
    return this.statement(
      'SELECT row_count AS rows, valid_count AS valid, invalid_count AS invalid FROM datasets WHERE id = ?',
    ).get(datasetId) as { rows: number; valid: number; invalid: number } | undefined;
  }

  /** The ids of one page of a plan, in its order. */
  pageIds(plan: RowPlan, limit: number, offset: number): number[] {
    return this.statement(pageIdsSql(plan))
      .pluck()
      .all({ ...plan.params, limit, offset }) as number[];
  }

  /** Rows by id (any order; missing ids are left out). */
  rows(ids: ReadonlyArray<number>): StoredRow[] {
    if (ids.length === 0) return [];
    return this.statement(
      `SELECT ${STORED_ROW_COLUMNS} FROM dataset_rows WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as StoredRow[];
  }

  /** One row of a dataset. */
  row(datasetId: string, id: number): StoredRow | undefined {
    return this.statement(
      `SELECT ${STORED_ROW_COLUMNS} FROM dataset_rows WHERE id = ? AND dataset_id = ?`,
    ).get(id, datasetId) as StoredRow | undefined;
  }

  /** Counts, validity, characters, turns and splits of the rows a plan matches. */
  totals(plan: RowPlan): LiveTotals | undefined {
    return this.aggregate<LiveTotals>(
      plan,
      `count(*) AS rows, coalesce(sum(r.valid), 0) AS valid,
       min(r.char_length) AS cmin, max(r.char_length) AS cmax, avg(r.char_length) AS cmean,
       min(r.turns) AS tmin, max(r.turns) AS tmax, avg(r.turns) AS tmean,
       coalesce(sum(r.split = 'train'), 0) AS train, coalesce(sum(r.split = 'val'), 0) AS val`,
    )[0];
  }

  /** How many rows a plan matches fall in each character-length bin of `edges`. */
  charBins(plan: RowPlan, edges: ReadonlyArray<number>): Array<{ bin: number; n: number }> {
    return this.aggregate(plan, `${binCaseSql('r.char_length', edges)} AS bin, count(*) AS n`, 'bin');
  }

  /** Every id of a selection. */
  selectedIds(selection: RowSelectionSql): number[] {
    return this.sqlite.prepare(selection.sql).pluck().all(selection.params) as number[];
  }

  /** The k-th id (0-based, in id order) of a selection. */
  idAtOffset(selection: RowSelectionSql, k: number): number {
    return Number(
      this.statement(`SELECT id FROM (${selection.sql}) ORDER BY id LIMIT 1 OFFSET @k`)
        .pluck()
        .get({ ...selection.params, k }),
    );
  }

  /** Aggregates over a plan's rows: `columns` (and `groupBy`) use the alias `r` of dataset_rows_state_idx. */
  private aggregate<T>(plan: RowPlan, columns: string, groupBy?: string): T[] {
    const group = groupBy ? ` GROUP BY ${groupBy}` : '';
    return this.sqlite
      .prepare(`SELECT ${columns} FROM ${plan.from} WHERE ${plan.where.join(' AND ')}${group}`)
      .all(plan.params) as T[];
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

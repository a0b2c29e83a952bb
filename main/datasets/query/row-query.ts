import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../../db/open';
import type { DatasetRowView, RowFilter } from '../../../preload/contract';
import {
  countSql,
  type DatasetSpan,
  pageIdsSql,
  planRows,
  type RowPlan,
  selectIdsSql,
} from './row-filter-plan';
import { type StoredRow, toRowView } from './row-view';
import { endsInWord, SearchTokenizer, toFtsQuery } from './search-index';

/** The largest page the row browser may ask for (the contract's limit). */
export const MAX_PAGE_ROWS = 500;
/** Totals remembered per filter, so scrolling a big result set counts it once. */
const TOTALS_CACHED = 64;

export interface RowPage {
  readonly total: number;
  readonly rows: DatasetRowView[];
}

/** The SQL of a selection of rows (a filter), for bulk UPDATEs: `... WHERE id IN (<sql>)`. */
export interface RowSelectionSql {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** What about a dataset's rows a change touched; a cached total is kept unless its filter reads it. */
export type RowAspect = 'live' | 'content' | 'split' | 'tags';
const ASPECTS: ReadonlyArray<RowAspect> = ['live', 'content', 'split', 'tags'];

/** The aspects a filter's result depends on (every filter depends on which rows are live). */
function aspectsOf(filter: RowFilter): RowAspect[] {
  const content =
    filter.search !== undefined ||
    filter.role !== undefined ||
    filter.valid !== undefined ||
    filter.problem !== undefined ||
    filter.minChars !== undefined ||
    filter.maxChars !== undefined ||
    filter.minTurns !== undefined ||
    filter.maxTurns !== undefined ||
    filter.duplicate !== undefined;
  return ASPECTS.filter(
    (a) =>
      a === 'live' ||
      (a === 'content' && content) ||
      (a === 'split' && filter.split !== undefined) ||
      (a === 'tags' && filter.tag !== undefined),
  );
}

/** Filter keys in a fixed order, so equal filters share a cache entry. */
function filterKey(filter: RowFilter): string {
  return JSON.stringify(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The row browser's queries: a page of rows and the total for any RowFilter, and the same
 * selection as SQL for bulk actions. Totals are cached: call `invalidate` with what changed after
 * changing a dataset's rows (an edit does not recount the unfiltered total of a million rows);
 * writes by other connections invalidate everything by themselves (data_version).
 */
export class RowQuery {
  private readonly spans = new Map<string, { lo: number; hi: number; contiguous: boolean } | null>();
  private readonly revisions = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private tokenizer: SearchTokenizer | null = null;
  private readonly statements = new Map<string, Statement>();

  constructor(readonly sqlite: SqliteDatabase) {}

  /** Forget cached totals that depend on what changed (all of it when not said). */
  invalidate(datasetId: string, aspects: ReadonlyArray<RowAspect> = ASPECTS): void {
    for (const aspect of aspects) {
      const key = `${datasetId}\u0000${aspect}`;
      this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
    }
  }

  /** One page of rows in row order, and how many rows the filter matches in all. */
  page(datasetId: string, offset: number, limit: number, filter: RowFilter = {}): RowPage {
    const plan = this.plan(datasetId, filter);
    if (plan === null) return { total: 0, rows: [] };
    const total = this.cachedTotal(datasetId, filter, plan);
    if (offset >= total) return { total, rows: [] };
    const size = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.trunc(limit)));
    const ids = this.statement(pageIdsSql(plan))
      .pluck()
      .all({ ...plan.params, limit: size, offset }) as number[];
    return { total, rows: this.fetch(ids) };
  }

  /** How many rows match a filter. */
  count(datasetId: string, filter: RowFilter = {}): number {
    const plan = this.plan(datasetId, filter);
    return plan === null ? 0 : this.cachedTotal(datasetId, filter, plan);
  }

  /** One row of a dataset, or null when the dataset has no such row. */
  row(datasetId: string, id: number): DatasetRowView | null {
    const row = this.statement('SELECT * FROM dataset_rows WHERE id = ? AND dataset_id = ?').get(
      id,
      datasetId,
    );
    return row === undefined ? null : toRowView(row as StoredRow);
  }

  /**
   * Aggregates over a dataset's live rows: `columns` (and `groupBy`) may use the alias `r` and the
   * columns of dataset_rows_state_idx. No rows (an empty dataset) gives no result rows.
   */
  summarise<T>(datasetId: string, columns: string, groupBy?: string): T[] {
    const plan = this.plan(datasetId, {});
    if (plan === null) return [];
    const group = groupBy ? ` GROUP BY ${groupBy}` : '';
    return this.sqlite
      .prepare(`SELECT ${columns} FROM ${plan.from} WHERE ${plan.where.join(' AND ')}${group}`)
      .all(plan.params) as T[];
  }

  /** The filter's rows as a `SELECT id ...` to use in `WHERE id IN (...)`; null when nothing matches. */
  selection(datasetId: string, filter: RowFilter): RowSelectionSql | null {
    const plan = this.plan(datasetId, filter);
    return plan === null ? null : { sql: selectIdsSql(plan), params: plan.params };
  }

  private fetch(ids: ReadonlyArray<number>): DatasetRowView[] {
    if (ids.length === 0) return [];
    const rows = this.statement(
      'SELECT * FROM dataset_rows WHERE id IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(ids)) as StoredRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toRowView(row)] : [];
    });
  }

  private cachedTotal(datasetId: string, filter: RowFilter, plan: RowPlan): number {
    const version = this.sqlite.pragma('data_version', { simple: true });
    const revisions = aspectsOf(filter).map((a) => this.revisions.get(`${datasetId}\u0000${a}`) ?? 0);
    const key = `${datasetId}\u0000${revisions.join('.')}\u0000${version}\u0000${filterKey(filter)}`;
    const known = this.totals.get(key);
    if (known !== undefined) {
      this.totals.delete(key);
      this.totals.set(key, known);
      return known;
    }
    const total = this.statement(countSql(plan)).pluck().get(plan.params) as number;
    this.totals.set(key, total);
    if (this.totals.size > TOTALS_CACHED) {
      const oldest = this.totals.keys().next().value;
      if (oldest !== undefined) this.totals.delete(oldest);
    }
    return total;
  }

  private plan(datasetId: string, filter: RowFilter): RowPlan | null {
    const span = this.span(datasetId);
    if (span === null) return null;
    return planRows(datasetId, span, filter, this.match(filter));
  }

  /** The FTS5 expression of the search and role filters. */
  private match(filter: RowFilter): string | null {
    const parts: string[] = [];
    const search = filter.search ?? '';
    if (search.trim() !== '') {
      this.tokenizer ??= new SearchTokenizer(this.sqlite);
      const query = toFtsQuery(this.tokenizer.tokenize(search), endsInWord(search));
      if (query !== null) parts.push(`text : (${query})`);
    }
    if (filter.role !== undefined) parts.push(`roles : "${filter.role}"`);
    return parts.length > 0 ? parts.join(' AND ') : null;
  }

  private span(datasetId: string): DatasetSpan | null {
    let known = this.spans.get(datasetId);
    if (known === undefined) {
      const row = this.statement(
        'SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM dataset_rows WHERE dataset_id = ?',
      ).get(datasetId) as { lo: number | null; hi: number | null; n: number };
      known =
        row.lo === null || row.hi === null
          ? null
          : { lo: row.lo, hi: row.hi, contiguous: row.n === row.hi - row.lo + 1 };
      // An empty dataset may still be importing: only spans of datasets with rows are remembered.
      if (known !== null) this.spans.set(datasetId, known);
    }
    if (known === null) return null;
    const flags = this.statement(
      `SELECT EXISTS (SELECT 1 FROM dataset_rows WHERE id < @lo) OR EXISTS (SELECT 1 FROM dataset_rows WHERE id > @hi) AS outside,
              EXISTS (SELECT 1 FROM dataset_rows INDEXED BY dataset_rows_deleted_idx
                      WHERE dataset_id = @ds AND deleted_at IS NOT NULL) AS deleted`,
    ).get({ lo: known.lo, hi: known.hi, ds: datasetId }) as { outside: number; deleted: number };
    return { ...known, alone: flags.outside === 0, hasDeleted: flags.deleted === 1 };
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

import {
  type DatasetSpan,
  planRows,
  planSelection,
  type RowPlan,
  type RowSelectionSql,
} from '../../../db/repositories/dataset-row-filter-plan';
import type {
  DatasetRowQueryRepository,
  LiveTotals,
} from '../../../db/repositories/dataset-row-query-repository';
import type { DatasetSearchRepository } from '../../../db/repositories/dataset-search-repository';
import type { DatasetRowView, RowFilter } from '../../../preload/contract';
import { endsInWord, toFtsQuery } from './fts-query';
import { toRowView } from './row-view';

/** The largest page the row browser may ask for (the contract's limit). */
export const MAX_PAGE_ROWS = 500;
/** Totals remembered per filter, so scrolling a big result set counts it once. */
const TOTALS_CACHED = 64;

/**
 * Rows counted at most past the end of the page asked for before the page answers with a lower
 * bound ("≥ N"): counting a million rows on every new filter was most of a first page's time. A
 * sparse filter combination (a tag on a third of the rows and a 10% split) had to look through
 * every row to find 10,000: with 1,000, the filter-combination first pages at 200k rows went from
 * p50 ~11 ms to ~2 ms (paired runs, same database); `datasets.count` finds the exact total.
 */
export const PAGE_COUNT_LOOKAHEAD = 1_000;
/** Ids per slice of an exact count; the event loop is yielded between slices. */
export const COUNT_SLICE_IDS = 65_536;

export interface RowPage {
  /** How many rows match; a lower bound when `totalExact` is false. */
  readonly total: number;
  readonly totalExact: boolean;
  readonly rows: DatasetRowView[];
}

export type { RowSelectionSql };

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

  constructor(
    private readonly rowsQuery: DatasetRowQueryRepository,
    private readonly search: DatasetSearchRepository,
  ) {}

  /** Forget cached totals that depend on what changed (all of it when not said). */
  invalidate(datasetId: string, aspects: ReadonlyArray<RowAspect> = ASPECTS): void {
    for (const aspect of aspects) {
      const key = `${datasetId}\u0000${aspect}`;
      this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
    }
  }

  /**
   * One page of rows in row order, and how many rows the filter matches: exact when it is known
   * (kept on the dataset, or counted before), else counted no further than PAGE_COUNT_LOOKAHEAD rows
   * past this page, which is a lower bound when reached (`totalExact: false`; `countAll` finds it).
   */
  page(datasetId: string, offset: number, limit: number, filter: RowFilter = {}): RowPage {
    const plan = this.plan(datasetId, filter);
    if (plan === null) return { total: 0, totalExact: true, rows: [] };
    const size = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.trunc(limit)));
    let total = this.knownTotal(datasetId, filter);
    let totalExact = total !== undefined;
    if (total === undefined) {
      const cap = offset + size + PAGE_COUNT_LOOKAHEAD;
      total = this.rowsQuery.countUpTo(plan, cap);
      totalExact = total < cap;
      if (totalExact) this.remember(this.totalKey(datasetId, filter), total);
    }
    if (offset >= total) return { total, totalExact, rows: [] };
    const ids = this.rowsQuery.pageIds(plan, size, offset);
    return { total, totalExact, rows: this.fetch(ids) };
  }

  /** How many rows match a filter (counted in one statement when not known). */
  count(datasetId: string, filter: RowFilter = {}): number {
    const plan = this.plan(datasetId, filter);
    if (plan === null) return 0;
    const known = this.knownTotal(datasetId, filter);
    if (known !== undefined) return known;
    const key = this.totalKey(datasetId, filter);
    const total = this.rowsQuery.count(plan);
    this.remember(key, total);
    return total;
  }

  /**
   * The exact count of a filter without holding the thread: counted a slice of ids at a time,
   * yielding between slices, so other requests are answered meanwhile. A count that a write
   * overtook is counted again (at most twice; then counted in one statement).
   */
  async countAll(datasetId: string, filter: RowFilter = {}): Promise<number> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const plan = this.plan(datasetId, filter);
      if (plan === null) return 0;
      const known = this.knownTotal(datasetId, filter);
      if (known !== undefined) return known;
      if (!plan.sliceable) return this.count(datasetId, filter);
      const key = this.totalKey(datasetId, filter);
      const { lo, hi } = plan.params as { lo: number; hi: number };
      let total = 0;
      for (let from = lo; from <= hi; from += COUNT_SLICE_IDS) {
        total += this.rowsQuery.countSlice(plan, from, Math.min(from + COUNT_SLICE_IDS, hi + 1));
        await new Promise((r) => setImmediate(r));
      }
      if (key === this.totalKey(datasetId, filter)) {
        this.remember(key, total);
        return total;
      }
    }
    return this.count(datasetId, filter);
  }

  /** One row of a dataset, or null when the dataset has no such row. */
  row(datasetId: string, id: number): DatasetRowView | null {
    const row = this.rowsQuery.row(datasetId, id);
    return row === undefined ? null : toRowView(row);
  }

  /** Counts, validity, characters, turns and splits of a dataset's live rows; undefined when it has none. */
  liveTotals(datasetId: string): LiveTotals | undefined {
    const plan = this.plan(datasetId, {});
    return plan === null ? undefined : this.rowsQuery.totals(plan);
  }

  /** How many live rows fall in each character-length bin of `edges`. */
  charBins(datasetId: string, edges: ReadonlyArray<number>): Array<{ bin: number; n: number }> {
    const plan = this.plan(datasetId, {});
    return plan === null ? [] : this.rowsQuery.charBins(plan, edges);
  }

  /** The filter's rows as a `SELECT id ...` to use in `WHERE id IN (...)`; null when nothing matches. */
  selection(datasetId: string, filter: RowFilter): RowSelectionSql | null {
    const plan = this.plan(datasetId, filter);
    return plan === null ? null : planSelection(plan);
  }

  /** Every id of a selection. */
  ids(selection: RowSelectionSql): number[] {
    return this.rowsQuery.selectedIds(selection);
  }

  /** The k-th id (0-based, in id order) of a selection. */
  idAt(selection: RowSelectionSql, k: number): number {
    return this.rowsQuery.idAtOffset(selection, k);
  }

  private fetch(ids: ReadonlyArray<number>): DatasetRowView[] {
    if (ids.length === 0) return [];
    const rows = this.rowsQuery.rows(ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toRowView(row)] : [];
    });
  }

  /**
   * The filter's total when it is known without counting: the dataset's own counts for all live
   * rows, or all valid / invalid ones, else a total counted before (and nothing changed since).
   */
  private knownTotal(datasetId: string, filter: RowFilter): number | undefined {
    const keys = Object.entries(filter)
      .filter(([k, v]) => v !== undefined && !(k === 'deleted' && v === false))
      .map(([k]) => k);
    if (keys.length === 0 || (keys.length === 1 && keys[0] === 'valid')) {
      const kept = this.rowsQuery.keptCounts(datasetId);
      if (kept !== undefined) {
        if (filter.valid === undefined) return kept.rows;
        return filter.valid ? kept.valid : kept.invalid;
      }
    }
    const key = this.totalKey(datasetId, filter);
    const known = this.totals.get(key);
    if (known !== undefined) {
      this.totals.delete(key);
      this.totals.set(key, known);
    }
    return known;
  }

  /** The cache key of a filter's total: changes when anything it depends on changed. */
  private totalKey(datasetId: string, filter: RowFilter): string {
    const version = this.rowsQuery.dataVersion();
    const revisions = aspectsOf(filter).map((a) => this.revisions.get(`${datasetId}\u0000${a}`) ?? 0);
    return `${datasetId}\u0000${revisions.join('.')}\u0000${version}\u0000${filterKey(filter)}`;
  }

  private remember(key: string, total: number): void {
    this.totals.set(key, total);
    if (this.totals.size > TOTALS_CACHED) {
      const oldest = this.totals.keys().next().value;
      if (oldest !== undefined) this.totals.delete(oldest);
    }
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
      const query = toFtsQuery(this.search.tokenize(search), endsInWord(search));
      if (query !== null) parts.push(`text : (${query})`);
    }
    if (filter.role !== undefined) parts.push(`roles : "${filter.role}"`);
    return parts.length > 0 ? parts.join(' AND ') : null;
  }

  private span(datasetId: string): DatasetSpan | null {
    let known = this.spans.get(datasetId);
    if (known === undefined) {
      const row = this.rowsQuery.span(datasetId);
      known =
        row.lo === null || row.hi === null
          ? null
          : { lo: row.lo, hi: row.hi, contiguous: row.n === row.hi - row.lo + 1 };
      // An empty dataset may still be importing: only spans of datasets with rows are remembered.
      if (known !== null) this.spans.set(datasetId, known);
    }
    if (known === null) return null;
    const flags = this.rowsQuery.spanFlags(datasetId, known.lo, known.hi);
    return { ...known, alone: !flags.outside, hasDeleted: flags.deleted };
  }
}

import type { DatasetRowView } from '../../../../preload/contract';

/** Rows per `datasets.rows` request. */
export const PAGE_SIZE = 100;
/** Pages kept in memory; the farthest from the visible range go first. */
export const MAX_CACHED_PAGES = 60;

/**
 * The pages of one filtered row list that have been fetched, which are stale (the dataset changed
 * since), and which to fetch next for a visible range. Pure bookkeeping: the hook does the I/O.
 */
export class RowPageCache {
  private readonly pages = new Map<number, ReadonlyArray<DatasetRowView>>();
  private readonly stale = new Set<number>();
  private readonly failed = new Set<number>();
  readonly inFlight = new Set<number>();
  total: number | null = null;
  /** False while `total` is only a lower bound ("≥ N"). */
  totalExact = true;
  /** The visible page range, inclusive. */
  private wanted: readonly [number, number] = [0, 0];

  /** Sets the visible index range; returns true when it names other pages than before. */
  setRange(firstIndex: number, lastIndex: number): boolean {
    const next = [
      Math.floor(Math.max(0, firstIndex) / PAGE_SIZE),
      Math.floor(Math.max(0, lastIndex) / PAGE_SIZE),
    ] as const;
    if (next[0] === this.wanted[0] && next[1] === this.wanted[1]) return false;
    this.wanted = next;
    this.failed.clear();
    return true;
  }

  /** Pages of the visible range to request now, missing ones first, at most `slots` of them. */
  nextPages(slots: number): number[] {
    const [from, to] = this.wanted;
    const lastPage = this.total === null ? from : Math.max(0, Math.ceil(this.total / PAGE_SIZE) - 1);
    const missing: number[] = [];
    const refresh: number[] = [];
    for (let page = from; page <= Math.min(to, lastPage); page++) {
      if (this.inFlight.has(page) || this.failed.has(page)) continue;
      if (!this.pages.has(page)) missing.push(page);
      else if (this.stale.has(page)) refresh.push(page);
    }
    return [...missing, ...refresh].slice(0, Math.max(0, slots));
  }

  /**
   * Stores a fetched page; `fresh` is false when the dataset changed while it was in flight. Its
   * total replaces the one here unless it is a lower bound below an exact total already known.
   */
  put(
    page: number,
    rows: ReadonlyArray<DatasetRowView>,
    total: number,
    fresh: boolean,
    totalExact = true,
  ): void {
    this.pages.set(page, rows);
    if (fresh) this.stale.delete(page);
    else this.stale.add(page);
    if (totalExact || this.total === null || !this.totalExact || total > this.total) {
      this.total = total;
      this.totalExact = totalExact;
    }
    this.evict();
  }

  /** The exact total, counted after a page gave only a lower bound. */
  setExactTotal(total: number): void {
    this.total = total;
    this.totalExact = true;
  }

  /** Remembers a page that could not be fetched, so it is not retried until the range changes. */
  fail(page: number): void {
    this.failed.add(page);
  }

  /** The row at a list index, when its page is here. */
  get(index: number): DatasetRowView | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** A cached row by its id. */
  findById(id: number): DatasetRowView | undefined {
    for (const rows of this.pages.values()) {
      const row = rows.find((r) => r.id === id);
      if (row !== undefined) return row;
    }
    return undefined;
  }

  /** Replaces a row in whichever page holds it (after an edit). */
  replace(row: DatasetRowView): void {
    for (const [page, rows] of this.pages) {
      const at = rows.findIndex((r) => r.id === row.id);
      if (at !== -1) {
        this.pages.set(
          page,
          rows.map((r, i) => (i === at ? row : r)),
        );
        return;
      }
    }
  }

  /** The dataset changed: keep what is shown until fresh pages arrive, forget the rest. */
  markStale(): void {
    const [from, to] = this.wanted;
    for (const page of [...this.pages.keys()]) {
      if (page < from || page > to) this.pages.delete(page);
      else this.stale.add(page);
    }
    // The total may have changed too: the next page's answer replaces it, even a lower bound.
    this.totalExact = false;
    this.failed.clear();
  }

  private evict(): void {
    if (this.pages.size <= MAX_CACHED_PAGES) return;
    const [from, to] = this.wanted;
    const distance = (page: number) => (page < from ? from - page : page > to ? page - to : 0);
    const byDistance = [...this.pages.keys()].sort((a, b) => distance(b) - distance(a));
    for (const page of byDistance.slice(0, this.pages.size - MAX_CACHED_PAGES)) {
      this.pages.delete(page);
      this.stale.delete(page);
    }
  }
}

import { describe, expect, it } from 'vitest';
import type { DatasetRowView } from '../../../../preload/contract';
import {
  MAX_CACHED_PAGES,
  PAGE_SIZE,
  RowPageCache,
} from '../../../../renderer/src/pages/datasets/row-page-cache';

function rows(page: number, count = PAGE_SIZE): DatasetRowView[] {
  return Array.from({ length: count }, (_, k) => {
    const i = page * PAGE_SIZE + k;
    return {
      id: i + 1,
      rowIndex: i,
      lineNumber: i + 1,
      valid: true,
      problems: [],
      canonical: { text: `row ${i}` },
      original: { text: `row ${i}` },
      charLength: 5,
      tokenCount: null,
      turns: 0,
      tags: [],
      split: null,
      deleted: false,
    };
  });
}

describe('row page cache', () => {
  it('asks for the first page before it knows the total', () => {
    const cache = new RowPageCache();
    expect(cache.nextPages(2)).toEqual([0]);
  });

  it('asks only for the pages of the visible range that it does not have, within the slots', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0), 1_000_000, true);
    cache.setRange(250, 480);
    expect(cache.nextPages(2)).toEqual([2, 3]);
    cache.inFlight.add(2);
    expect(cache.nextPages(1)).toEqual([3]);
  });

  it('skips the pages a fast scroll passed over', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0), 1_000_000, true);
    cache.setRange(100, 150);
    cache.setRange(500_000, 500_040);
    expect(cache.nextPages(2)).toEqual([5000]);
  });

  it('does not ask beyond the last page', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0, 30), 30, true);
    cache.setRange(0, 60);
    expect(cache.nextPages(2)).toEqual([]);
  });

  it('finds rows by index and id, and replaces an edited row', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0), 500, true);
    cache.put(3, rows(3), 500, true);
    expect(cache.get(305)?.rowIndex).toBe(305);
    expect(cache.get(150)).toBeUndefined();
    cache.replace({ ...rows(3)[5]!, valid: false });
    expect(cache.findById(306)?.valid).toBe(false);
  });

  it('refetches the visible pages after a change, and forgets the others', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0), 1000, true);
    cache.put(4, rows(4), 1000, true);
    cache.setRange(0, 50);
    cache.markStale();
    expect(cache.get(450)).toBeUndefined();
    expect(cache.get(10)?.rowIndex).toBe(10);
    expect(cache.nextPages(2)).toEqual([0]);
    cache.put(0, rows(0), 1000, true);
    expect(cache.nextPages(2)).toEqual([]);
  });

  it('keeps a page that was in flight during a change marked stale', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0), 1000, false);
    expect(cache.nextPages(2)).toEqual([0]);
  });

  it('does not retry a failed page until the range changes', () => {
    const cache = new RowPageCache();
    cache.fail(0);
    expect(cache.nextPages(2)).toEqual([]);
    cache.setRange(200, 210);
    cache.setRange(0, 10);
    expect(cache.nextPages(2)).toEqual([0]);
  });

  it('evicts the pages farthest from the visible range', () => {
    const cache = new RowPageCache();
    const total = PAGE_SIZE * (MAX_CACHED_PAGES + 20);
    cache.setRange(0, 10);
    for (let page = 0; page < MAX_CACHED_PAGES + 20; page++) cache.put(page, rows(page), total, true);
    expect(cache.get(0)).toBeDefined();
    expect(cache.get(total - 1)).toBeUndefined();
  });

  it('keeps an exact total over a later lower bound, takes a bigger bound, and any answer after a change', () => {
    const cache = new RowPageCache();
    cache.put(0, rows(0), 10_100, true, false);
    expect([cache.total, cache.totalExact]).toEqual([10_100, false]);
    cache.put(1, rows(1), 10_200, true, false);
    expect([cache.total, cache.totalExact]).toEqual([10_200, false]);
    cache.setExactTotal(54_321);
    cache.put(2, rows(2), 10_300, true, false);
    expect([cache.total, cache.totalExact]).toEqual([54_321, true]);
    cache.markStale();
    cache.put(0, rows(0), 10_100, true, false);
    expect([cache.total, cache.totalExact]).toEqual([10_100, false]);
    cache.put(0, rows(0), 7, true);
    expect([cache.total, cache.totalExact]).toEqual([7, true]);
  });
});

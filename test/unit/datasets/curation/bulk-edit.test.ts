import { describe, expect, it } from 'vitest';
import {
  BULK_EDIT_SLICE_MS,
  BULK_EDIT_SLICE_ROWS,
  BulkEditCancelledError,
  nextSliceRows,
  SliceRunner,
} from '../../../../main/datasets/curation/bulk-edit';

describe('bulk edit slices', () => {
  it('shrinks a slice that took longer than aimed, and never grows past the first size', () => {
    expect(nextSliceRows(400, BULK_EDIT_SLICE_MS * 4)).toBe(100);
    expect(nextSliceRows(100, BULK_EDIT_SLICE_MS / 2)).toBe(200);
    expect(nextSliceRows(1000, 1)).toBe(BULK_EDIT_SLICE_ROWS);
    expect(nextSliceRows(100, 10_000)).toBe(50);
  });

  it('writes every item once, reports rows done of the total, and stops on cancel with the rows changed', async () => {
    const items = Array.from({ length: 2500 }, (_, i) => i);
    const seen: number[] = [];
    const progress: number[] = [];
    const done = new SliceRunner(items.length, { progress: (n) => progress.push(n) });
    await done.run(items, (slice) => {
      seen.push(...slice);
      return slice.length;
    });
    expect(seen).toEqual(items);
    expect(progress.at(-1)).toBe(2500);
    expect(done.changes).toBe(2500);

    const controller = new AbortController();
    const cancelled = new SliceRunner(items.length, { signal: controller.signal });
    const run = cancelled.run(items, (slice) => {
      controller.abort();
      return slice.length - 1;
    });
    await expect(run).rejects.toEqual(new BulkEditCancelledError(BULK_EDIT_SLICE_ROWS - 1));
    await expect(run).rejects.toThrow(`cancelled after changing ${BULK_EDIT_SLICE_ROWS - 1} rows`);
  });
});

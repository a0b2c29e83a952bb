import { formatCount } from '../readers/source-record';
import type { ScanControl } from './dedupe';

/** Rows of a bulk edit's first slice (one transaction), and the most of any later one. */
export const BULK_EDIT_SLICE_ROWS = 500;
/** Writer time one slice aims at: a slower slice makes the next ones smaller (down to 50 rows). */
export const BULK_EDIT_SLICE_MS = 50;
const MIN_SLICE_ROWS = 50;
/** Milliseconds between slices, so a writer waiting on the lock (polling) gets in. */
export const BULK_EDIT_PAUSE_MS = 5;

/** A bulk edit stopped by its task's cancel, between two slices; what it had written stays. */
export class BulkEditCancelledError extends Error {
  constructor(readonly changed: number) {
    super(`cancelled after changing ${formatCount(changed)} row${changed === 1 ? '' : 's'}`);
    this.name = 'BulkEditCancelledError';
  }
}

/** Wait BULK_EDIT_PAUSE_MS between two slices of a bulk edit. */
export function pauseBetweenSlices(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, BULK_EDIT_PAUSE_MS));
}

/**
 * Write a bulk edit slice by slice (each `write` one transaction, returning the rows it changed),
 * with a pause between slices. Progress is rows looked at of `total` (all slices of every step);
 * a cancel is honoured before each slice and throws BulkEditCancelledError with the rows changed.
 */
export class SliceRunner {
  private done = 0;
  private changed = 0;

  constructor(
    private readonly total: number,
    private readonly control: ScanControl = {},
  ) {}

  /** Rows changed so far. */
  get changes(): number {
    return this.changed;
  }

  /**
   * Run `write` on `items` a slice at a time: BULK_EDIT_SLICE_ROWS first, then sized so a slice
   * takes about BULK_EDIT_SLICE_MS (never more rows than the first), so on a loaded machine the
   * lock is still let go every few tens of milliseconds.
   */
  async run<T>(items: ReadonlyArray<T>, write: (slice: ReadonlyArray<T>) => number): Promise<void> {
    let size = BULK_EDIT_SLICE_ROWS;
    for (let at = 0; at < items.length; ) {
      if (this.control.signal?.aborted) throw new BulkEditCancelledError(this.changed);
      const slice = items.slice(at, at + size);
      const started = performance.now();
      this.changed += write(slice);
      const ms = performance.now() - started;
      at += slice.length;
      this.done += slice.length;
      this.control.progress?.(this.done, this.total);
      size = nextSliceRows(size, ms);
      await pauseBetweenSlices();
    }
  }
}

/** The next slice's rows after one of `size` rows took `ms`: aimed at BULK_EDIT_SLICE_MS. */
export function nextSliceRows(size: number, ms: number): number {
  const aimed = ms > 0 ? Math.floor((size * BULK_EDIT_SLICE_MS) / ms) : BULK_EDIT_SLICE_ROWS;
  return Math.max(MIN_SLICE_ROWS, Math.min(BULK_EDIT_SLICE_ROWS, aimed));
}

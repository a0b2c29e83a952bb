import { formatCount } from '../readers/source-record';
import type { ScanControl } from './dedupe';

/** Rows per bulk-edit transaction; re-exported by row-editor (its first home). */
export const BULK_EDIT_SLICE_ROWS = 1_000;
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

  /** Run `write` on each slice in turn. */
  async run<T>(
    slices: ReadonlyArray<ReadonlyArray<T>>,
    write: (slice: ReadonlyArray<T>) => number,
  ): Promise<void> {
    for (const slice of slices) {
      if (this.control.signal?.aborted) throw new BulkEditCancelledError(this.changed);
      this.changed += write(slice);
      this.done += slice.length;
      this.control.progress?.(this.done, this.total);
      await pauseBetweenSlices();
    }
  }
}

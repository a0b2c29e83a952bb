import { idsSelection } from '../../../db/repositories/dataset-row-filter-plan';
import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { RowQuery } from '../query/row-query';
import { SliceRunner } from './bulk-edit';
import type { ScanControl } from './dedupe';
import { mix32 } from './minhash';

/** How many rows go to validation: a ratio of the eligible rows, or a count. */
export interface SplitOptions {
  readonly valRatio?: number;
  readonly valCount?: number;
  readonly seed: number;
}

export interface SplitResult {
  readonly train: number;
  readonly val: number;
}

/** Where a row falls in the seeded shuffle: a 32-bit hash of (seed, row id). */
export function splitRank(seed: number, rowId: number): number {
  return mix32(mix32(rowId >>> 0) ^ mix32((seed ^ 0x5bd1e995) >>> 0) ^ Math.floor(rowId / 4294967296));
}

/** How many of `eligible` rows go to validation. */
export function validationSize(eligible: number, options: SplitOptions): number {
  const wanted = options.valCount ?? Math.round(eligible * (options.valRatio ?? 0));
  return Math.max(0, Math.min(eligible, wanted));
}

/**
 * Split a dataset's valid, live rows into train and validation, reproducibly: rows are ordered by
 * a seeded hash of their id and the first k go to validation, so the same seed on the same rows
 * gives the same split (and a row's side does not depend on the others' order). Deleted and
 * invalid rows get no split. Only rows whose side changes are written, a slice (SliceRunner)
 * per transaction with a pause between, so other writers are not kept waiting for the whole split.
 * Progress counts rows looked at; a cancel stops it between slices (BulkEditCancelledError).
 */
export async function assignSplit(
  rowsRepo: DatasetRowsRepository,
  query: RowQuery,
  datasetId: string,
  options: SplitOptions,
  now: number,
  control: ScanControl = {},
): Promise<SplitResult> {
  const eligible = query.selection(datasetId, { valid: true });
  const ids = eligible === null ? [] : query.ids(eligible);
  const ranks = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) ranks[i] = splitRank(options.seed, ids[i] ?? 0);
  const order = new Uint32Array(ids.length).map((_, i) => i);
  order.sort((a, b) => (ranks[a] ?? 0) - (ranks[b] ?? 0) || (ids[a] ?? 0) - (ids[b] ?? 0));
  const k = validationSize(ids.length, options);
  const val = new Set(Array.from(order.subarray(0, k), (i) => ids[i] ?? 0));

  // Deleted and invalid rows lose any side they had.
  const others = [{ deleted: true }, { valid: false }].map((filter) => {
    const selection = query.selection(datasetId, filter);
    return selection === null ? [] : query.ids(selection);
  });
  const runner = new SliceRunner(ids.length + others.reduce((n, o) => n + o.length, 0), control);
  for (const other of others) {
    await runner.run(other, (slice) =>
      rowsRepo.transaction(() => rowsRepo.clearSplit(datasetId, idsSelection(slice), now)),
    );
  }
  await runner.run(ids, (slice) => {
    const sliceVal = slice.filter((id) => val.has(id));
    return rowsRepo.transaction(() => rowsRepo.assignSplit(datasetId, idsSelection(slice), sliceVal, now));
  });
  return { train: ids.length - k, val: k };
}

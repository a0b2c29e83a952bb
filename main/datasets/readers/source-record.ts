import type { RowProblem } from '../../../preload/contract';

/** One row as a reader found it, before normalisation: parsed, or with the reason it could not be. */
export interface SourceRecord {
  /** 1-based line where the row starts; null where lines mean nothing (Parquet). */
  readonly lineNumber: number | null;
  /** The parsed row; undefined when `problem` says why it could not be parsed. */
  readonly value: unknown;
  /** The original row as JSON text: the exact source text for JSON inputs. */
  readonly originalJson: string;
  /** Why the row could not be parsed (the JSON is cut off, NaN, too deep…). */
  readonly problem: RowProblem | null;
}

/** Rows arrive in arrays, one per chunk of input, so no stage awaits once per row. */
export type RecordBatches = AsyncIterable<ReadonlyArray<SourceRecord>>;

/**
 * The longest line, JSON array element or CSV record accepted: 64 MB. A longer one is refused with
 * its line number before it is joined, so memory stays bounded (a 120 MB line peaked at 1.53 GiB of
 * RSS when parsed; refused at 64 MB it peaks at a fraction of that: see test/README.md).
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Format a count the way every message in the app does: 1,204. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes in words for messages: 1.5 GB, 12 MB, 512 bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

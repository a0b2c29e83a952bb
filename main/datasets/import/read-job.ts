import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type NewDatasetRow, storedOriginal } from '../../../db/repositories/dataset-row-storage';
import type { DatasetFormat, DatasetShape, ErrorCode, ShapeDetection } from '../../../preload/contract';
import { AppError } from '../../errors';
import { type CsvOptions, openRecords } from '../readers/open-records';
import { readFileChunks } from '../readers/read-file-chunks';
import { sniffFile } from '../readers/sniff-format';
import type { TextEncoding } from '../readers/text-encoding';
import { ImportCancelledError, importRows } from './import-rows';

/**
 * The reading half of an import, run on its own thread (import-reader-worker.ts) so that reading,
 * parsing, normalising and hashing rows overlap with the writer storing the previous ones
 * (import-job.ts). It sniffs the file, copies and hashes the original while streaming it, builds
 * rows and posts them in batches; it never opens the database.
 */
export interface ReadJob {
  readonly path: string;
  readonly size: number;
  readonly format?: DatasetFormat;
  readonly shape?: DatasetShape;
  readonly csv?: CsvOptions;
  /** The dataset's own folder; the original is copied to `original.<format>` inside it. */
  readonly copyDir: string;
  /** Int32 flag shared with the writer and the parent: 1 cancels. */
  readonly cancel: SharedArrayBuffer;
  readonly batchRows?: number;
  readonly maxRowGroupBytes?: number;
}

/** What reading the whole file found (everything of ImportJobResult the database does not give). */
export interface ReadSummary {
  readonly format: DatasetFormat;
  readonly encoding: TextEncoding;
  /** CSV/TSV delimiter; null for other formats. */
  readonly delimiter: string | null;
  /** CSV/TSV/Parquet columns; null for other formats. */
  readonly columns: string[] | null;
  readonly detection: ShapeDetection;
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly sha256: string;
  readonly sizeBytes: number;
  /** The copy's file name inside copyDir: `original.<format>`. */
  readonly fileName: string;
}

/** Messages from the reader to the writer. */
export type ReaderMessage =
  | {
      readonly type: 'rows';
      readonly rows: NewDatasetRow[];
      /** Batches posted and not yet stored, this one included (flow control's measure). */
      readonly ahead: number;
    }
  | { readonly type: 'progress'; readonly bytesDone: number; readonly rows: number }
  | { readonly type: 'read'; readonly summary: ReadSummary }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string };

/** Messages from the writer to the reader: one per batch of rows stored. */
export type WriterMessage = { readonly type: 'stored' };

/**
 * Batches posted but not yet stored beyond which the reader waits before reading its next chunk of
 * the file (1 MB of input; its rows are posted at once). Enough to keep the writer busy while the
 * reader builds the next batch; few enough that queued rows stay a few MB.
 */
export const READ_AHEAD_BATCHES = 4;

const PROGRESS_INTERVAL_MS = 100;

/**
 * Read one file into batches of rows. `post` sends a message to the writer; `onStored` registers
 * the listener called each time the writer has stored a batch (flow control). Every outcome is
 * posted exactly once.
 */
export async function runReadJob(
  job: ReadJob,
  post: (message: ReaderMessage) => void,
  onStored: (listener: () => void) => void,
): Promise<void> {
  const cancel = new Int32Array(job.cancel);
  const isCancelled = (): boolean => Atomics.load(cancel, 0) !== 0;
  let fd: number | null = null;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  onStored(() => {
    inFlight--;
    const resume = wake;
    wake = null;
    resume?.();
  });
  try {
    const sniff = await sniffFile(job.path, job.size, job.format);
    const fileName = `original.${sniff.format}`;
    fd = openSync(join(job.copyDir, fileName), 'wx');
    const copyFd = fd;
    const fileHash = createHash('sha256');
    let bytesDone = 0;
    let bytesRead = 0;
    let rows = 0;
    let lastPost = 0;
    const report = (): void => {
      const now = Date.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS) return;
      lastPost = now;
      post({ type: 'progress', bytesDone, rows });
    };
    const keep = (chunk: Buffer): void => {
      fileHash.update(chunk);
      bytesRead += chunk.length;
      for (let off = 0; off < chunk.length; ) off += writeSync(copyFd, chunk, off, chunk.length - off);
    };
    let sourcePath = job.path;
    if (sniff.format === 'parquet') {
      // Parquet is read by random access: copy and hash it first, then read the copy.
      for await (const _chunk of readFileChunks(job.path, keep)) {
        if (isCancelled()) throw new ImportCancelledError();
      }
      sourcePath = join(job.copyDir, fileName);
    }
    const source = await openRecords(sourcePath, sniff, {
      csv: job.csv,
      maxRowGroupBytes: job.maxRowGroupBytes,
      tap: (chunk) => {
        keep(chunk);
        bytesDone += chunk.length;
        report();
      },
      onParquetBytes: (bytes) => {
        bytesDone = bytes;
        report();
      },
    });
    let result: Awaited<ReturnType<typeof importRows>>;
    try {
      result = await importRows(
        source,
        (batch) => {
          // The original is compared with its canonical JSON here, off the writer's thread.
          const sent = batch.map((r) =>
            r.originalJson === r.canonicalJson
              ? { ...r, originalJson: storedOriginal(r.originalJson, r.canonicalJson) }
              : r,
          );
          inFlight++;
          post({ type: 'rows', rows: sent, ahead: inFlight });
        },
        {
          shape: job.shape,
          batchRows: job.batchRows,
          isCancelled,
          onRows: (n) => {
            rows = n;
            report();
          },
          drain: async () => {
            while (inFlight > READ_AHEAD_BATCHES && !isCancelled()) {
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
            }
          },
        },
      );
    } finally {
      await source.close();
    }
    closeSync(fd);
    fd = null;
    if (isCancelled()) throw new ImportCancelledError();
    post({
      type: 'read',
      summary: {
        format: source.format,
        encoding: source.encoding,
        delimiter: source.delimiter,
        columns: source.columns,
        detection: result.detection,
        rows: result.rows,
        valid: result.valid,
        invalid: result.invalid,
        sha256: fileHash.digest('hex'),
        sizeBytes: bytesRead,
        fileName,
      },
    });
  } catch (error) {
    if (error instanceof ImportCancelledError) post({ type: 'cancelled' });
    else if (error instanceof AppError) post({ type: 'error', code: error.code, message: error.message });
    else post({ type: 'error', ...describeReadError(error) });
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** A reading failure as the error a person sees. */
export function describeReadError(error: unknown): { code: ErrorCode; message: string } {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT')
    return { code: 'NOT_FOUND', message: 'the file disappeared while it was being imported' };
  if (code === 'EACCES' || code === 'EPERM')
    return { code: 'BAD_INPUT', message: 'the file cannot be read: permission denied' };
  if (error instanceof RangeError)
    return { code: 'BAD_INPUT', message: `the file could not be processed: ${error.message}` };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

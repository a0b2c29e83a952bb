import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyPragmas } from '../../../db/open';
import { createDatasetRepositories } from '../../../db/repositories/dataset-repositories';
import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetFormat, DatasetShape, ErrorCode, ShapeDetection } from '../../../preload/contract';
import { AppError } from '../../errors';
import { computeDatasetStats } from '../curation/dataset-stats';
import { RowQuery } from '../query/row-query';
import { type CsvOptions, openRecords } from '../readers/open-records';
import { readFileChunks } from '../readers/read-file-chunks';
import { sniffFile } from '../readers/sniff-format';
import type { TextEncoding } from '../readers/text-encoding';
import { ImportCancelledError, importRows } from './import-rows';

/** Everything a worker needs to import one file into one (already created) dataset. */
export interface ImportJob {
  readonly dbFile: string;
  readonly nativeBinding?: string;
  readonly datasetId: string;
  readonly path: string;
  readonly size: number;
  readonly format?: DatasetFormat;
  readonly shape?: DatasetShape;
  readonly csv?: CsvOptions;
  /** The dataset's own folder; the original is copied to `original.<format>` inside it. */
  readonly copyDir: string;
  /** Int32 flag: set to 1 by the parent to cancel. */
  readonly cancel: SharedArrayBuffer;
  readonly batchRows?: number;
  readonly maxRowGroupBytes?: number;
}

/** What the import found and wrote. */
export interface ImportJobResult {
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
  /** The dataset's statistics (DatasetStats as JSON), computed here so the main thread never does. */
  readonly statsJson: string;
  /** Milliseconds spent reading, inserting and indexing rows, of which inserting, and merging the index. */
  readonly timings: {
    readonly rowsMs: number;
    readonly insertMs: number;
    readonly indexMs: number;
    readonly statsMs: number;
  };
}

/** Messages from an import worker to its parent. */
export type ImportMessage =
  | {
      readonly type: 'progress';
      readonly bytesDone: number;
      readonly bytesTotal: number;
      readonly rows: number;
    }
  | { readonly type: 'done'; readonly result: ImportJobResult }
  | { readonly type: 'cancelled' }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string };

const PROGRESS_INTERVAL_MS = 100;
/**
 * WAL pages between automatic checkpoints on the import's connection (SQLite's default is 1,000).
 * Every checkpoint fsyncs the database; a bulk import writing ~1 KB rows spent a third of its
 * insert time in them (100k chat rows: 3.2 s → 2.1 s with 16,384 pages, i.e. a WAL of ≤ 64 MB).
 */
const IMPORT_WAL_AUTOCHECKPOINT_PAGES = 16_384;
/** Rows per import transaction (index pages rewritten once per commit: 1,000-row commits cost ~6% more CPU). */
const IMPORT_COMMIT_ROWS = 10_000;
/**
 * A transaction is also committed once it has been open this long, so another writer (the app's
 * own connection) waits at most about this long for the import's lock (a 10,000-row batch insert
 * used to hold it ~300 ms).
 */
const IMPORT_COMMIT_MS = 100;
/**
 * Page cache of the import's connection (KiB), above SQLite's 2 MB default so index pages stay
 * cached across batches. 32 MB bought no measurable CPU over 8 MB (200k chat rows: 13.1 CPU-s
 * either way) and cost ~25 MB of peak RSS.
 */
const IMPORT_CACHE_KIB = 8_192;

/**
 * Import one file on its own SQLite connection (same pragmas, no migrations): sniff, copy and hash
 * the original while streaming it, insert and index rows in batches, then merge the search index. Every
 * outcome is posted exactly once; cleaning up after a failure is the parent's job.
 */
export async function runImportJob(job: ImportJob, post: (message: ImportMessage) => void): Promise<void> {
  const cancel = new Int32Array(job.cancel);
  const isCancelled = (): boolean => Atomics.load(cancel, 0) !== 0;
  let sqlite: Database.Database | null = null;
  let fd: number | null = null;
  try {
    sqlite = new Database(job.dbFile, job.nativeBinding ? { nativeBinding: job.nativeBinding } : {});
    applyPragmas(sqlite);
    sqlite.pragma(`wal_autocheckpoint = ${IMPORT_WAL_AUTOCHECKPOINT_PAGES}`);
    sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    const { rows: rowsRepo, rowQuery, search } = createDatasetRepositories(sqlite);
    const sniff = await sniffFile(job.path, job.size, job.format);
    const fileName = `original.${sniff.format}`;
    fd = openSync(join(job.copyDir, fileName), 'wx');
    const copyFd = fd;
    const hash = createHash('sha256');
    let bytesDone = 0;
    let bytesRead = 0;
    let rows = 0;
    let lastPost = 0;
    const report = (force = false): void => {
      const now = Date.now();
      if (!force && now - lastPost < PROGRESS_INTERVAL_MS) return;
      lastPost = now;
      post({ type: 'progress', bytesDone, bytesTotal: job.size, rows });
    };
    const keep = (chunk: Buffer): void => {
      hash.update(chunk);
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
    const rowsStarted = performance.now();
    let insertMs = 0;
    // Rows are built and handed over in small batches (memory: a batch's rows die young instead of
    // being promoted to the old generation), but committed in larger transactions (speed: fewer
    // rewrites of the shared index pages); each batch is a savepoint inside the open transaction.
    let txRows = 0;
    let txStarted = 0;
    const commit = (): void => {
      rowsRepo.commitOpen();
      txRows = 0;
    };
    const insert = (batch: Parameters<DatasetRowsRepository['insertBatch']>[1]): void => {
      const started = performance.now();
      if (!rowsRepo.inTransaction) {
        rowsRepo.beginSpanning();
        txStarted = started;
      }
      rowsRepo.insertIndexedBatch(job.datasetId, batch);
      txRows += batch.length;
      const now = performance.now();
      insertMs += now - started;
      if (txRows >= IMPORT_COMMIT_ROWS || now - txStarted >= IMPORT_COMMIT_MS) commit();
    };
    try {
      result = await importRows(source, insert, {
        shape: job.shape,
        batchRows: job.batchRows,
        isCancelled,
        onRows: (n) => {
          rows = n;
          report();
        },
      });
      commit();
    } finally {
      rowsRepo.rollbackOpen();
      await source.close();
    }
    const rowsMs = performance.now() - rowsStarted;
    closeSync(fd);
    fd = null;
    if (isCancelled()) throw new ImportCancelledError();
    const indexStarted = performance.now();
    search.optimizeFor(job.datasetId);
    const indexMs = performance.now() - indexStarted;
    const statsStarted = performance.now();
    const stats = computeDatasetStats(rowsRepo, new RowQuery(rowQuery, search), job.datasetId, null);
    const statsMs = performance.now() - statsStarted;
    bytesDone = job.size;
    rows = result.rows;
    report(true);
    post({
      type: 'done',
      result: {
        format: source.format,
        encoding: source.encoding,
        delimiter: source.delimiter,
        columns: source.columns,
        detection: result.detection,
        rows: result.rows,
        valid: result.valid,
        invalid: result.invalid,
        sha256: hash.digest('hex'),
        sizeBytes: bytesRead,
        fileName,
        statsJson: JSON.stringify(stats),
        timings: {
          rowsMs: Math.round(rowsMs),
          insertMs: Math.round(insertMs),
          indexMs: Math.round(indexMs),
          statsMs: Math.round(statsMs),
        },
      },
    });
  } catch (error) {
    if (error instanceof ImportCancelledError) post({ type: 'cancelled' });
    else if (error instanceof AppError) post({ type: 'error', code: error.code, message: error.message });
    else post({ type: 'error', ...describeError(error) });
  } finally {
    if (fd !== null) closeSync(fd);
    if (sqlite?.open) sqlite.close();
  }
}

function describeError(error: unknown): { code: ErrorCode; message: string } {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT')
    return { code: 'NOT_FOUND', message: 'the file disappeared while it was being imported' };
  if (code === 'EACCES' || code === 'EPERM')
    return { code: 'BAD_INPUT', message: 'the file cannot be read: permission denied' };
  if (error instanceof RangeError)
    return { code: 'BAD_INPUT', message: `the file could not be processed: ${error.message}` };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

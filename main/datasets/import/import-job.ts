import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyPragmas } from '../../../db/open';
import { createDatasetRepositories } from '../../../db/repositories/dataset-repositories';
import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { ErrorCode } from '../../../preload/contract';
import { AppError } from '../../errors';
import { startWorker } from '../../workers/worker-entry';
import { computeDatasetStats } from '../curation/dataset-stats';
import { RowQuery } from '../query/row-query';
import { ImportCancelledError } from './import-rows';
import {
  describeReadError,
  type ReaderMessage,
  type ReadJob,
  type ReadSummary,
  type WriterMessage,
} from './read-job';

/** Everything a worker needs to import one file into one (already created) dataset. */
export interface ImportJob extends ReadJob {
  readonly dbFile: string;
  readonly nativeBinding?: string;
  readonly datasetId: string;
  /** The reading thread's V8 limits (its rows are the import's memory). */
  readonly readerLimits?: {
    readonly maxOldGenerationSizeMb: number;
    readonly maxYoungGenerationSizeMb: number;
  };
}

/** What the import found (the reader's summary) and wrote. */
export interface ImportJobResult extends ReadSummary {
  /** The most batches the reading thread had posted that were not yet stored (bounded by flow control). */
  readonly readAhead: number;
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
 * Import one file: a reading thread (read-job.ts) sniffs, copies, hashes and parses it into rows
 * while this thread stores them on its own SQLite connection (same pragmas, no migrations) — the
 * two overlap, so an import takes about as long as the slower half instead of both. Then the
 * search index is merged and the statistics computed here. Every outcome is posted exactly once;
 * cleaning up after a failure is the parent's job.
 */
export async function runImportJob(job: ImportJob, post: (message: ImportMessage) => void): Promise<void> {
  let sqlite: Database.Database | null = null;
  try {
    sqlite = new Database(job.dbFile, job.nativeBinding ? { nativeBinding: job.nativeBinding } : {});
    applyPragmas(sqlite);
    sqlite.pragma(`wal_autocheckpoint = ${IMPORT_WAL_AUTOCHECKPOINT_PAGES}`);
    sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    const { rows: rowsRepo, rowQuery, search } = createDatasetRepositories(sqlite);
    const rowsStarted = performance.now();
    let stored: StoredRows;
    try {
      stored = await storeRows(job, rowsRepo, (bytesDone, rows) =>
        post({ type: 'progress', bytesDone, bytesTotal: job.size, rows }),
      );
    } finally {
      rowsRepo.rollbackOpen();
    }
    const rowsMs = performance.now() - rowsStarted;
    if (Atomics.load(new Int32Array(job.cancel), 0) !== 0) throw new ImportCancelledError();
    const indexStarted = performance.now();
    search.optimizeFor(job.datasetId);
    const indexMs = performance.now() - indexStarted;
    const statsStarted = performance.now();
    const stats = computeDatasetStats(rowsRepo, new RowQuery(rowQuery, search), job.datasetId, null);
    const statsMs = performance.now() - statsStarted;
    const { summary } = stored;
    post({ type: 'progress', bytesDone: job.size, bytesTotal: job.size, rows: summary.rows });
    post({
      type: 'done',
      result: {
        ...summary,
        readAhead: stored.readAhead,
        statsJson: JSON.stringify(stats),
        timings: {
          rowsMs: Math.round(rowsMs),
          insertMs: Math.round(stored.insertMs),
          indexMs: Math.round(indexMs),
          statsMs: Math.round(statsMs),
        },
      },
    });
  } catch (error) {
    if (error instanceof ImportCancelledError) post({ type: 'cancelled' });
    else if (error instanceof AppError) post({ type: 'error', code: error.code, message: error.message });
    else post({ type: 'error', ...describeReadError(error) });
  } finally {
    if (sqlite?.open) sqlite.close();
  }
}

interface StoredRows {
  readonly summary: ReadSummary;
  /** Milliseconds this thread spent inserting (the rest of the time it waited for rows). */
  readonly insertMs: number;
  readonly readAhead: number;
}

/**
 * Start the reading thread and store each batch it posts, in transactions committed every
 * IMPORT_COMMIT_ROWS rows or IMPORT_COMMIT_MS (also when no batch came within that time, so a slow
 * reader never leaves the write lock held). Resolves with the reader's summary once every row is
 * committed; rejects on the first failure, cancel or reader crash, the reader stopped.
 */
function storeRows(
  job: ImportJob,
  rowsRepo: DatasetRowsRepository,
  onProgress: (bytesDone: number, rows: number) => void,
): Promise<StoredRows> {
  const cancel = new Int32Array(job.cancel);
  const readJob: ReadJob = {
    path: job.path,
    size: job.size,
    format: job.format,
    shape: job.shape,
    csv: job.csv,
    copyDir: job.copyDir,
    cancel: job.cancel,
    batchRows: job.batchRows,
    maxRowGroupBytes: job.maxRowGroupBytes,
  };
  return new Promise((resolve, reject) => {
    const reader: Worker = startWorker(
      'import-reader-worker',
      'main/datasets/import/import-reader-worker.ts',
      {
        workerData: readJob,
        resourceLimits: job.readerLimits,
      },
    );
    let settled = false;
    let insertMs = 0;
    let readAhead = 0;
    let txRows = 0;
    let txStarted = 0;
    let rowsStored = 0;
    let bytesDone = 0;
    let idleCommit: NodeJS.Timeout | null = null;
    const commit = (): void => {
      if (idleCommit) clearTimeout(idleCommit);
      idleCommit = null;
      rowsRepo.commitOpen();
      txRows = 0;
    };
    // This thread owns the reader's life: it is stopped once the import settles either way (its
    // port, listened on for acknowledgements, would otherwise keep it and so this thread alive).
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      if (idleCommit) clearTimeout(idleCommit);
      void reader.terminate();
      outcome();
    };
    const fail = (error: Error): void => settle(() => reject(error));
    const store = (batch: ReaderMessage & { type: 'rows' }): void => {
      const started = performance.now();
      if (!rowsRepo.inTransaction) {
        rowsRepo.beginSpanning();
        txStarted = started;
      }
      rowsRepo.insertIndexedBatch(job.datasetId, batch.rows);
      txRows += batch.rows.length;
      rowsStored += batch.rows.length;
      const now = performance.now();
      insertMs += now - started;
      if (txRows >= IMPORT_COMMIT_ROWS || now - txStarted >= IMPORT_COMMIT_MS) commit();
      else {
        if (idleCommit) clearTimeout(idleCommit);
        idleCommit = setTimeout(
          () => {
            try {
              commit();
            } catch (error) {
              fail(error instanceof Error ? error : new Error(String(error)));
            }
          },
          Math.max(0, IMPORT_COMMIT_MS - (now - txStarted)),
        );
      }
    };
    reader.on('message', (message: ReaderMessage) => {
      if (settled) return;
      try {
        if (Atomics.load(cancel, 0) !== 0) throw new ImportCancelledError();
        switch (message.type) {
          case 'rows':
            readAhead = Math.max(readAhead, message.ahead);
            store(message);
            reader.postMessage({ type: 'stored' } satisfies WriterMessage);
            onProgress(bytesDone, rowsStored);
            break;
          case 'progress':
            bytesDone = message.bytesDone;
            onProgress(bytesDone, rowsStored);
            break;
          case 'read':
            commit();
            if (message.summary.rows !== rowsStored) {
              throw new AppError(
                'INTERNAL',
                `the import read ${message.summary.rows} rows but stored ${rowsStored}`,
              );
            }
            settle(() => resolve({ summary: message.summary, insertMs, readAhead }));
            break;
          case 'cancelled':
            throw new ImportCancelledError();
          case 'error':
            throw new AppError(message.code, message.message);
        }
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    reader.on('error', (error: Error & { code?: string }) =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new AppError('BAD_INPUT', 'the import ran out of memory: a row or row group is too large')
          : new AppError('INTERNAL', `the import reader failed: ${error.message}`),
      ),
    );
    reader.on('exit', (code) =>
      fail(new AppError('INTERNAL', `the import reader stopped (exit code ${code})`)),
    );
  });
}

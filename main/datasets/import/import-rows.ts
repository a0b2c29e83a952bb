import type { NewDatasetRow } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetShape, ShapeDetection } from '../../../preload/contract';
import { AppError } from '../../errors';
import { buildRow, describeProblem } from '../normalise/build-row';
import { analyseShapes, DETECTION_SAMPLE } from '../normalise/detect-shape';
import type { RecordSource } from '../readers/open-records';
import { formatCount, type SourceRecord } from '../readers/source-record';

/**
 * Rows per batch handed to `write`. Small, so a batch's rows die young: 10,000-row batches were
 * promoted to the old generation and took the worker's heap to ~160 MB (200k chat rows, peak RSS
 * ~400 MB against ~350 MB with 1,000). The writer decides how many batches make one transaction.
 */
export const IMPORT_BATCH_ROWS = 1_000;
/** A batch is also written once its rows hold this many characters, so huge rows keep memory flat. */
export const IMPORT_BATCH_CHARS = 32 * 1024 * 1024;

/** Thrown between batches when the import was asked to stop. */
export class ImportCancelledError extends Error {
  constructor() {
    super('the import was cancelled');
    this.name = 'ImportCancelledError';
  }
}

export interface ImportRowsOptions {
  /** The shape chosen by hand; detected from the first rows otherwise. */
  readonly shape?: DatasetShape;
  readonly batchRows?: number;
  /** Polled between chunks; true stops the import with ImportCancelledError. */
  readonly isCancelled?: () => boolean;
  /** Rows written so far, after each batch. */
  readonly onRows?: (rows: number) => void;
  /** Awaited before each chunk of records is read: flow control when `write` hands rows on. */
  readonly drain?: () => Promise<void>;
}

export interface ImportRowsResult {
  readonly detection: ShapeDetection;
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
}

/**
 * Read every record of a source, detect the shape on the first ones, and hand rows to `write` in
 * batches (synchronously: no await per row; the writer chooses the transactions). Nothing is dropped: a record
 * that fails to parse or validate is a row with its problems. A file with no rows, or whose rows fit
 * no shape when none was chosen, is refused.
 */
export async function importRows(
  source: RecordSource,
  write: (rows: NewDatasetRow[]) => void,
  options: ImportRowsOptions = {},
): Promise<ImportRowsResult> {
  const batchRows = options.batchRows ?? IMPORT_BATCH_ROWS;
  const pending: SourceRecord[] = [];
  let detection: ShapeDetection | null = null;
  let batch: NewDatasetRow[] = [];
  let batchChars = 0;
  let rows = 0;
  let valid = 0;

  const flush = (): void => {
    if (batch.length === 0) return;
    write(batch);
    batch = [];
    batchChars = 0;
    options.onRows?.(rows);
  };
  const add = (records: ReadonlyArray<SourceRecord>, shape: DatasetShape): void => {
    for (const record of records) {
      const row = buildRow(record, rows, shape);
      rows++;
      if (row.valid) valid++;
      batch.push(row);
      batchChars += row.originalJson.length + (row.canonicalJson?.length ?? 0);
      if (batch.length >= batchRows || batchChars >= IMPORT_BATCH_CHARS) flush();
    }
  };
  const detect = (): ShapeDetection => {
    if (pending.length === 0) throw new AppError('BAD_INPUT', 'the file holds no rows');
    const sample = pending.slice(0, DETECTION_SAMPLE);
    const { detection: found, matched } = analyseShapes(
      sample.map((r) => r.value),
      options.shape,
    );
    if (!matched) throw noShapeError(found, sample);
    return { ...found, evidence: [...source.notes, ...found.evidence] };
  };

  for await (const records of source.batches) {
    if (options.drain) await options.drain();
    if (options.isCancelled?.()) throw new ImportCancelledError();
    if (detection === null) {
      pending.push(...records);
      if (pending.length < DETECTION_SAMPLE) continue;
      detection = detect();
      add(pending, detection.shape);
      pending.length = 0;
    } else {
      add(records, detection.shape);
    }
  }
  if (detection === null) {
    detection = detect();
    add(pending, detection.shape);
  }
  flush();
  return { detection, rows, valid, invalid: rows - valid };
}

function noShapeError(detection: ShapeDetection, sample: ReadonlyArray<SourceRecord>): AppError {
  const firstBad = sample.findIndex((r) => r.value === undefined && r.problem);
  const bad = sample[firstBad];
  if (bad?.problem && sample.every((r) => r.value === undefined)) {
    return new AppError(
      'BAD_INPUT',
      `none of the first ${formatCount(sample.length)} rows could be read; ${describeProblem(bad.problem, bad.lineNumber, firstBad)}`,
    );
  }
  return new AppError(
    'BAD_INPUT',
    `${detection.evidence.join('; ')}. Expected chat \`messages\`, ShareGPT \`conversations\`, Alpaca ` +
      '`instruction`/`output`, `prompt`/`completion` or `text`: choose a shape or map the columns',
  );
}

import { and, asc, count, eq, gt, isNull } from 'drizzle-orm';
import type { Clock } from '../ids';
import type { Db, SqliteDatabase } from '../open';
import { datasetRows } from '../schema';

export type DatasetRowRecord = typeof datasetRows.$inferSelect;

/** A row as the importer produces it; timestamps are added here. */
export interface NewDatasetRow {
  readonly rowIndex: number;
  readonly lineNumber: number | null;
  readonly originalJson: string;
  readonly canonicalJson: string | null;
  readonly valid: boolean;
  readonly problemsJson: string;
  readonly charLength: number;
  readonly turns: number;
  readonly contentHash: string | null;
}

/**
 * The rows of datasets. Bulk insert is a hot path (ARCHITECTURE rule 5): one raw prepared
 * statement inside one transaction per batch, not drizzle.
 */
export class DatasetRowsRepository {
  private readonly insertStatement;

  constructor(
    private readonly db: Db,
    sqlite: SqliteDatabase,
    private readonly now: Clock = Date.now,
  ) {
    this.insertStatement = sqlite.prepare(
      `INSERT INTO dataset_rows (dataset_id, row_index, line_number, original_json, canonical_json, valid,
         problems_json, char_length, turns, content_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatchTx = sqlite.transaction(
      (datasetId: string, rows: ReadonlyArray<NewDatasetRow>, ts: number) => {
        for (const r of rows) {
          this.insertStatement.run(
            datasetId,
            r.rowIndex,
            r.lineNumber,
            r.originalJson,
            r.canonicalJson,
            r.valid ? 1 : 0,
            r.problemsJson,
            r.charLength,
            r.turns,
            r.contentHash,
            ts,
            ts,
          );
        }
      },
    );
  }

  private readonly insertBatchTx: (datasetId: string, rows: ReadonlyArray<NewDatasetRow>, ts: number) => void;

  /** Insert a batch in one transaction: all of it or none of it. */
  insertBatch(datasetId: string, rows: ReadonlyArray<NewDatasetRow>): void {
    this.insertBatchTx(datasetId, rows, this.now());
  }

  /** A page of live rows after a row index (keyset pagination). */
  page(datasetId: string, afterRowIndex: number, limit: number): DatasetRowRecord[] {
    return this.db
      .select()
      .from(datasetRows)
      .where(
        and(
          eq(datasetRows.datasetId, datasetId),
          isNull(datasetRows.deletedAt),
          gt(datasetRows.rowIndex, afterRowIndex),
        ),
      )
      .orderBy(asc(datasetRows.rowIndex))
      .limit(limit)
      .all();
  }

  count(datasetId: string): number {
    const row = this.db
      .select({ n: count() })
      .from(datasetRows)
      .where(and(eq(datasetRows.datasetId, datasetId), isNull(datasetRows.deletedAt)))
      .get();
    return row?.n ?? 0;
  }
}

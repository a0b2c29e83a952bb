import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../ids';
import type { Db, SqliteDatabase } from '../open';
import { metricsPoints } from '../schema';

export interface MetricPoint {
  readonly name: string;
  readonly step: number;
  readonly value: number | null;
  readonly ts: number;
}

/**
 * Metric points by job/name/step. Writes are batched through a raw prepared statement in one
 * transaction (hot path); a point already stored for the same step is replaced, so re-reading an
 * events file after a crash never duplicates a step.
 */
export class MetricsRepository {
  private readonly insertBatchTx: (jobId: string, points: ReadonlyArray<MetricPoint>, ts: number) => void;

  constructor(
    private readonly db: Db,
    sqlite: SqliteDatabase,
    private readonly now: Clock = Date.now,
  ) {
    const insert = sqlite.prepare(
      `INSERT INTO metrics_points (job_id, name, step, value, ts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id, name, step) DO UPDATE SET value = excluded.value, ts = excluded.ts, updated_at = excluded.updated_at`,
    );
    this.insertBatchTx = sqlite.transaction(
      (jobId: string, points: ReadonlyArray<MetricPoint>, ts: number) => {
        for (const p of points) insert.run(jobId, p.name, p.step, p.value, p.ts, ts, ts);
      },
    );
  }

  /** Store a batch of points in one transaction. */
  insertBatch(jobId: string, points: ReadonlyArray<MetricPoint>): void {
    if (points.length > 0) this.insertBatchTx(jobId, points, this.now());
  }

  /** One series of a job, in step order. */
  series(jobId: string, name: string): MetricPoint[] {
    return this.db
      .select({
        name: metricsPoints.name,
        step: metricsPoints.step,
        value: metricsPoints.value,
        ts: metricsPoints.ts,
      })
      .from(metricsPoints)
      .where(and(eq(metricsPoints.jobId, jobId), eq(metricsPoints.name, name)))
      .orderBy(asc(metricsPoints.step))
      .all();
  }
}

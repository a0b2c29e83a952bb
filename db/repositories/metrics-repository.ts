import type { Statement } from 'better-sqlite3';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../ids';
import type { Db, SqliteDatabase } from '../open';
import { metricsPoints } from '../schema';
import { isInternalMetric, MetricRollupRepository, TOP_LEVEL } from './metric-rollup-repository';

export interface MetricPoint {
  readonly name: string;
  readonly step: number;
  readonly value: number | null;
  readonly ts: number;
}

/** Metric series of a job by name, each in step order, with the attempt that logged each point. */
export type JobMetrics = Record<string, Array<{ step: number; value: number | null; attempt: number }>>;

/** Only each step's point from the latest attempt that logged it: the current curve. */
const CURRENT = `attempt = (SELECT MAX(p.attempt) FROM metrics_points p
  WHERE p.job_id = metrics_points.job_id AND p.name = metrics_points.name AND p.step = metrics_points.step)`;

/**
 * Metric points by job/name/step/attempt. Writes are batched through a raw prepared statement in
 * one transaction (hot path); a point already stored for the same step and attempt is replaced, so
 * re-reading an events file after a crash never duplicates a step. A resumed attempt that logs a
 * step again supersedes the earlier attempt's point, which stays stored. Reads return the current
 * curve (each step's latest attempt). Names starting with `_` are the supervisor's own bookkeeping
 * (e.g. the bad-line count): publicSeries never returns them.
 */
export class MetricsRepository {
  private readonly insertBatchTx: (
    jobId: string,
    points: ReadonlyArray<MetricPoint>,
    attempt: number,
    ts: number,
  ) => void;
  private readonly lastValueStmt: Statement<[string, string]>;
  private readonly valueAtStmt: Statement<[string, string, number]>;
  private readonly lastStepStmt: Statement;
  private readonly pointStmt: Statement;
  private readonly throughputStmt: Statement<[string]>;
  private readonly supersededStmt: Statement<[string, string, number, number]>;
  private readonly trailingNullsStmt: Statement<
    [{ job: string; name: string; attempt: number; skip: number }]
  >;

  constructor(
    private readonly db: Db,
    private readonly sqlite: SqliteDatabase,
    private readonly now: Clock = Date.now,
  ) {
    // A new point is inserted; one that is stored already (an events file read again after a
    // crash) is replaced, and only then are its rollup buckets recomputed instead of added to.
    const insert = sqlite.prepare(
      `INSERT INTO metrics_points (job_id, name, step, value, ts, attempt, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, name, step, attempt) DO NOTHING`,
    );
    const update = sqlite.prepare(
      `UPDATE metrics_points SET value = ?, ts = ?, updated_at = ?
       WHERE job_id = ? AND name = ? AND step = ? AND attempt = ?`,
    );
    const rollup = new MetricRollupRepository(sqlite);
    this.insertBatchTx = sqlite.transaction(
      (jobId: string, points: ReadonlyArray<MetricPoint>, attempt: number, ts: number) => {
        let fresh: MetricPoint[] | null = null;
        const replaced = new Map<string, number[]>();
        for (let i = 0; i < points.length; i++) {
          const p = points[i]!;
          if (insert.run(jobId, p.name, p.step, p.value, p.ts, attempt, ts, ts).changes === 1) {
            fresh?.push(p);
            continue;
          }
          update.run(p.value, p.ts, ts, jobId, p.name, p.step, attempt);
          fresh ??= points.slice(0, i);
          replaced.set(p.name, [...(replaced.get(p.name) ?? []), p.step]);
        }
        rollup.addPoints(jobId, attempt, fresh ?? points, ts);
        for (const [name, steps] of replaced) rollup.recompute(jobId, attempt, name, steps, ts);
      },
    );
    // Read on every progress push and job list: prepared once.
    this.lastValueStmt = sqlite.prepare(
      'SELECT value FROM metrics_points WHERE job_id = ? AND name = ? ORDER BY attempt DESC, step DESC LIMIT 1',
    );
    this.lastStepStmt = sqlite.prepare(
      `SELECT attempt, MAX(last_step) AS step FROM metrics_rollup WHERE job_id = ? AND level = ${TOP_LEVEL} AND name = ?
         AND attempt = (SELECT MAX(attempt) FROM metrics_rollup WHERE job_id = ? AND level = ${TOP_LEVEL} AND name = ?)`,
    );
    this.pointStmt = sqlite.prepare(
      'SELECT value FROM metrics_points WHERE job_id = ? AND name = ? AND step = ? AND attempt = ?',
    );
    this.valueAtStmt = sqlite.prepare(
      'SELECT value FROM metrics_points WHERE job_id = ? AND name = ? AND step = ? ORDER BY attempt DESC LIMIT 1',
    );
    this.supersededStmt = sqlite.prepare(
      `SELECT COUNT(*) AS n, MIN(step) AS first, MAX(step) AS last FROM metrics_points
       WHERE job_id = ? AND name = ? AND attempt < ? AND step > ?`,
    );
    this.trailingNullsStmt = sqlite.prepare(
      `WITH tail AS (
         SELECT step FROM metrics_points
         WHERE job_id = @job AND name = @name AND attempt = @attempt AND value IS NULL AND step > COALESCE(
           (SELECT MAX(step) FROM metrics_points
            WHERE job_id = @job AND name = @name AND attempt = @attempt AND value IS NOT NULL), -1))
       SELECT (SELECT COUNT(*) FROM tail) AS n, (SELECT step FROM tail ORDER BY step LIMIT 1 OFFSET @skip) AS nth`,
    );
    this.throughputStmt = sqlite.prepare(
      `SELECT AVG(m.value) AS tps FROM metrics_points m JOIN training_jobs j ON j.id = m.job_id
       WHERE j.base_model_path = ? AND m.name = 'tokens_per_s' AND m.value > 0`,
    );
  }

  /** Store a batch of points of one attempt in one transaction (joins the caller's transaction). */
  insertBatch(jobId: string, points: ReadonlyArray<MetricPoint>, attempt = 1): void {
    if (points.length > 0) this.insertBatchTx(jobId, points, attempt, this.now());
  }

  /** One series of a job as the current curve, in step order. */
  series(jobId: string, name: string): MetricPoint[] {
    return this.db
      .select({
        name: metricsPoints.name,
        step: metricsPoints.step,
        value: metricsPoints.value,
        ts: metricsPoints.ts,
      })
      .from(metricsPoints)
      .where(and(eq(metricsPoints.jobId, jobId), eq(metricsPoints.name, name), sql.raw(CURRENT)))
      .orderBy(asc(metricsPoints.step))
      .all();
  }

  /** Points of earlier attempts past `afterStep` that a new attempt's points supersede (kept, not shown). */
  supersededBy(
    jobId: string,
    name: string,
    attempt: number,
    afterStep: number,
  ): { count: number; first: number | null; last: number | null } {
    const row = this.supersededStmt.get(jobId, name, attempt, afterStep) as {
      n: number;
      first: number | null;
      last: number | null;
    };
    return { count: row.n, first: row.first, last: row.last };
  }

  /**
   * The run of null (not finite) values at the end of one attempt's series: its length, and the step
   * of its `nth` point (null when the run is shorter). From stored points, so it outlives the process.
   */
  trailingNulls(
    jobId: string,
    name: string,
    attempt: number,
    nth: number,
  ): { count: number; nthStep: number | null } {
    const skip = Math.max(0, nth - 1);
    const row = this.trailingNullsStmt.get({ job: jobId, name, attempt, skip }) as {
      n: number;
      nth: number | null;
    };
    return { count: row.n, nthStep: row.nth };
  }

  /** The named public series of a job (every public series when no names are given). */
  publicSeries(jobId: string, names?: ReadonlyArray<string>): JobMetrics {
    const wanted = names?.filter((n) => !n.startsWith('_'));
    const where = wanted
      ? `AND name IN (${wanted.map(() => '?').join(', ') || "''"})`
      : `AND name NOT LIKE '\\_%' ESCAPE '\\'`;
    const rows = this.sqlite
      .prepare(
        `SELECT name, step, value, attempt FROM metrics_points WHERE job_id = ? ${where} AND ${CURRENT}
         ORDER BY name, step`,
      )
      .all(jobId, ...(wanted ?? [])) as Array<{
      name: string;
      step: number;
      value: number | null;
      attempt: number;
    }>;
    const out: JobMetrics = {};
    for (const name of wanted ?? []) out[name] = [];
    for (const r of rows) {
      const series = out[r.name] ?? [];
      series.push({ step: r.step, value: r.value, attempt: r.attempt });
      out[r.name] = series;
    }
    return out;
  }

  /** The value at the highest step of a series' latest attempt, or null. */
  lastValue(jobId: string, name: string): number | null {
    // A public series: its latest attempt and last step from the rollup's coarsest level, then
    // one seek (ordering every point by attempt would read a long run's millions).
    const last = isInternalMetric(name)
      ? undefined
      : (this.lastStepStmt.get(jobId, name, jobId, name) as { attempt: number | null; step: number | null });
    if (last === undefined || last.attempt === null || last.step === null)
      return (this.lastValueStmt.get(jobId, name) as { value: number | null } | undefined)?.value ?? null;
    return (
      (this.pointStmt.get(jobId, name, last.step, last.attempt) as { value: number | null } | undefined)
        ?.value ?? null
    );
  }

  /** The value of a series at one step, or null. */
  valueAt(jobId: string, name: string, step: number): number | null {
    return (this.valueAtStmt.get(jobId, name, step) as { value: number | null } | undefined)?.value ?? null;
  }

  /** Average tokens/s that earlier runs on this base model reached, or null (the duration estimate). */
  meanTokensPerSecond(baseModelPath: string): number | null {
    return (this.throughputStmt.get(baseModelPath) as { tps: number | null }).tps ?? null;
  }
}

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../open';

/** A range of one series: which rows, and along which column buckets are cut. */
export interface SeriesRange {
  readonly fromStep: number;
  readonly toStep: number;
  readonly fromTs: number;
  readonly toTs: number;
}

/** How many rows a series has in a range, and the extent of its x columns. */
export interface SeriesExtent {
  readonly count: number;
  readonly minStep: number | null;
  readonly maxStep: number | null;
  readonly minTs: number | null;
  readonly maxTs: number | null;
  readonly mean: number | null;
}

/** One stored point (GPU samples have no step). */
export interface RangePoint {
  readonly step: number | null;
  readonly ts: number;
  readonly value: number | null;
}

/** One bucket's extreme: its bucket number and the row holding the min (or max). */
export interface BucketPoint extends RangePoint {
  readonly bucket: number;
}

/** How to cut buckets: along `x` from `lo`, `buckets` of them over `span` units. */
export interface BucketPlan {
  readonly x: 'step' | 'ts';
  readonly lo: number;
  readonly span: number;
  readonly buckets: number;
}

/** The GPU sample columns a chart reads, with how each becomes its charted unit. */
export const GPU_COLUMNS = {
  'gpu.utilization': 'utilization_pct',
  // nvidia-smi reports MiB; charts speak GiB (2^30), as nvidia-smi's own "GiB" does.
  'gpu.memory': 'memory_used_mb / 1024.0',
  'gpu.temperature': 'temperature_c',
  'gpu.power': 'power_draw_w',
} as const;
export type GpuColumn = keyof typeof GPU_COLUMNS;

const METRIC_WHERE = 'job_id = ? AND name = ? AND step BETWEEN ? AND ? AND ts BETWEEN ? AND ?';
const GPU_WHERE = 'job_id = ? AND gpu_index = ? AND ts BETWEEN ? AND ?';

/**
 * Range reads of metric points and GPU samples for charts. Downsampling happens here, in SQLite:
 * one GROUP BY per extreme, where SQLite's bare-column rule hands back the row (step, ts) that
 * holds the bucket's MIN (or MAX) value, so the renderer never receives a million rows.
 */
export class MetricBucketsRepository {
  private readonly cache = new Map<string, Statement<unknown[]>>();

  constructor(private readonly sqlite: SqliteDatabase) {}

  private stmt(sql: string) {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.sqlite.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  /**
   * The public metric names a job has (names starting with `_` are bookkeeping). One index seek per
   * name (a skip-scan), not a DISTINCT over every point: a long run has millions.
   */
  metricNames(jobId: string): string[] {
    const next = this.stmt(
      'SELECT name FROM metrics_points WHERE job_id = ? AND name > ? ORDER BY name LIMIT 1',
    );
    const names: string[] = [];
    let after = '';
    for (;;) {
      const row = next.get(jobId, after) as { name: string } | undefined;
      if (row === undefined) return names;
      after = row.name;
      if (!row.name.startsWith('_')) names.push(row.name);
    }
  }

  /** The GPU indices a job has samples of. */
  gpuIndices(jobId: string): number[] {
    return (
      this.stmt('SELECT DISTINCT gpu_index AS g FROM gpu_samples WHERE job_id = ? ORDER BY g').all(
        jobId,
      ) as Array<{
        g: number;
      }>
    ).map((row) => row.g);
  }

  /** The first timestamp of a job's public metrics or GPU samples (ms), or null (each read by an index). */
  startTs(jobId: string, names: ReadonlyArray<string> = this.metricNames(jobId)): number | null {
    let first: number | null = null;
    const byName = this.stmt(
      'SELECT ts FROM metrics_points WHERE job_id = ? AND name = ? ORDER BY step LIMIT 1',
    );
    for (const name of names) {
      const row = byName.get(jobId, name) as { ts: number } | undefined;
      if (row !== undefined && (first === null || row.ts < first)) first = row.ts;
    }
    const gpu = this.stmt('SELECT MIN(ts) AS t FROM gpu_samples WHERE job_id = ?').get(jobId) as {
      t: number | null;
    };
    if (gpu.t !== null && (first === null || gpu.t < first)) first = gpu.t;
    return first;
  }

  /** Count and extent of one metric series in a range. */
  metricExtent(jobId: string, name: string, r: SeriesRange): SeriesExtent {
    return this.stmt(
      `SELECT COUNT(*) AS count, MIN(step) AS minStep, MAX(step) AS maxStep, MIN(ts) AS minTs, MAX(ts) AS maxTs,
         AVG(value) AS mean FROM metrics_points WHERE ${METRIC_WHERE}`,
    ).get(jobId, name, r.fromStep, r.toStep, r.fromTs, r.toTs) as SeriesExtent;
  }

  /**
   * The first and last step of one series in a step range, with their times: two index seeks, for
   * a range with no time limit (where COUNT and AVG would read every point of a long run).
   */
  stepBounds(
    jobId: string,
    name: string,
    fromStep: number,
    toStep: number,
  ): { minStep: number; maxStep: number; minTs: number; maxTs: number } | null {
    const where = 'job_id = ? AND name = ? AND step BETWEEN ? AND ?';
    const first = this.stmt(`SELECT step, ts FROM metrics_points WHERE ${where} ORDER BY step LIMIT 1`).get(
      jobId,
      name,
      fromStep,
      toStep,
    ) as { step: number; ts: number } | undefined;
    if (first === undefined) return null;
    const last = this.stmt(
      `SELECT step, ts FROM metrics_points WHERE ${where} ORDER BY step DESC LIMIT 1`,
    ).get(jobId, name, fromStep, toStep) as { step: number; ts: number };
    return { minStep: first.step, maxStep: last.step, minTs: first.ts, maxTs: last.ts };
  }

  /** Every point of one metric series in a range, in x order. */
  metricPoints(jobId: string, name: string, r: SeriesRange, x: 'step' | 'ts'): RangePoint[] {
    return this.stmt(
      `SELECT step, ts, value FROM metrics_points WHERE ${METRIC_WHERE} ORDER BY ${x === 'ts' ? 'ts, step' : 'step'}`,
    ).all(jobId, name, r.fromStep, r.toStep, r.fromTs, r.toTs) as RangePoint[];
  }

  /**
   * Per bucket, the points with the lowest and the highest value of one metric series. Along steps
   * this is two small range reads per bucket on the covering index (job, name, step, value, ts): no
   * sort, where one GROUP BY over a million rows spends its time in a temporary B-tree. Along time
   * there is no such index, so one GROUP BY per extreme.
   */
  metricExtremes(
    jobId: string,
    name: string,
    r: SeriesRange,
    plan: BucketPlan,
  ): {
    minima: BucketPoint[];
    maxima: BucketPoint[];
    totals?: { count: number; values: number; sum: number };
  } {
    if (plan.x === 'ts') {
      const grouped = (which: 'MIN' | 'MAX') =>
        this.stmt(
          `SELECT CAST((ts - ?) * ? / ? AS INTEGER) AS bucket, ${which}(value) AS value, step, ts
           FROM metrics_points WHERE ${METRIC_WHERE} AND value IS NOT NULL GROUP BY bucket`,
        ).all(
          plan.lo,
          plan.buckets,
          plan.span,
          jobId,
          name,
          r.fromStep,
          r.toStep,
          r.fromTs,
          r.toTs,
        ) as BucketPoint[];
      return { minima: grouped('MIN'), maxima: grouped('MAX') };
    }
    // The minimum's query also counts and sums the bucket (bare columns still come from the row
    // holding the one MIN), so the series' total and mean cost nothing more.
    const min = this.stmt(
      `SELECT MIN(value) AS value, step, ts, COUNT(*) AS n, COUNT(value) AS nv, SUM(value) AS sum
       FROM metrics_points WHERE ${METRIC_WHERE}`,
    );
    const max = this.stmt(`SELECT MAX(value) AS value, step, ts FROM metrics_points WHERE ${METRIC_WHERE}`);
    const minima: BucketPoint[] = [];
    const maxima: BucketPoint[] = [];
    const totals = { count: 0, values: 0, sum: 0 };
    for (let bucket = 0; bucket < plan.buckets; bucket++) {
      // The steps x with floor((x - lo) * buckets / span) === bucket.
      const from = Math.max(r.fromStep, plan.lo + Math.ceil((bucket * plan.span) / plan.buckets));
      const to = Math.min(r.toStep, plan.lo + Math.ceil(((bucket + 1) * plan.span) / plan.buckets) - 1);
      if (from > to) continue;
      const low = min.get(jobId, name, from, to, r.fromTs, r.toTs) as RangePoint & {
        n: number;
        nv: number;
        sum: number | null;
      };
      totals.count += low.n;
      totals.values += low.nv;
      totals.sum += low.sum ?? 0;
      if (low.value === null) continue;
      const high = max.get(jobId, name, from, to, r.fromTs, r.toTs) as RangePoint;
      minima.push({ bucket, step: low.step, ts: low.ts, value: low.value });
      maxima.push({ bucket, ...high });
    }
    return { minima, maxima, totals };
  }

  /**
   * One GPU's samples in a time range, in time order, as rows of [ts, utilisation %, memory GiB,
   * temperature °C, power W] (the order of `GPU_COLUMNS`). About one a second, so even a week's run
   * is read in one pass and bucketed by the caller.
   */
  gpuRows(
    jobId: string,
    gpuIndex: number,
    fromTs: number,
    toTs: number,
  ): Array<[number, ...(number | null)[]]> {
    return this.stmt(
      `SELECT ts, ${Object.values(GPU_COLUMNS).join(', ')} FROM gpu_samples WHERE ${GPU_WHERE} ORDER BY ts`,
    )
      .raw()
      .all(jobId, gpuIndex, fromTs, toTs) as Array<[number, ...(number | null)[]]>;
  }

  /** Every public point of a job, by step then name, for export (iterated: a long run has millions). */
  *allPoints(jobId: string): Generator<[step: number, name: string, value: number | null, ts: number]> {
    yield* this.stmt(
      `SELECT step, name, value, ts FROM metrics_points WHERE job_id = ? AND name NOT LIKE '\\_%' ESCAPE '\\'
       ORDER BY step, name`,
    )
      .raw()
      .iterate(jobId) as Iterable<[number, string, number | null, number]>;
  }
}

import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../open';

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

const GPU_WHERE = 'job_id = ? AND gpu_index = ? AND ts BETWEEN ? AND ?';

/**
 * What charts read besides the rollup (metric-rollup-repository.ts): a job's metric names, its
 * start, its GPU samples, and every point for export.
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

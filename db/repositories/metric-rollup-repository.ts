import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../open';
import { addPoint, type BucketSummary, type ExtremePoint, summaryOf } from './metric-bucket-summary';

/**
 * The stored levels: bucket widths of 2^level steps, eight times wider from one to the next. A
 * chart merges at most four stored buckets into one of its own; fewer levels keep the ingest cost
 * low (each batch writes about one row per 32 points of a series, plus one per coarser level).
 */
export const ROLLUP_LEVELS: ReadonlyArray<number> = [5, 8, 11, 14, 17];
/** The coarsest level: a few rows per series even for a long run (the attempts' spans are read here). */
export const TOP_LEVEL = 17;
const WIDTHS = ROLLUP_LEVELS.map((level) => 2 ** level);

/** One attempt's first and last step of a series (or of the whole job), and its point count. */
export interface AttemptSpan {
  readonly attempt: number;
  readonly firstStep: number;
  readonly lastStep: number;
  readonly count: number;
}

/** A point as the rollup takes it in. */
export interface RollupPoint {
  readonly name: string;
  readonly step: number;
  readonly value: number | null;
  readonly ts: number;
}

const COLUMNS = `bucket, count, value_count AS valueCount, sum, first_step AS firstStep, last_step AS lastStep,
  ts_lo AS tsLo, ts_hi AS tsHi, min_value AS minValue, min_step AS minStep, min_ts AS minTs, max_value AS maxValue, max_step AS maxStep, max_ts AS maxTs`;

/** A stored bucket summary: its extremes as flat columns. */
interface SummaryRow extends Omit<BucketSummary, 'min' | 'max'> {
  minValue: number | null;
  minStep: number | null;
  minTs: number | null;
  maxValue: number | null;
  maxStep: number | null;
  maxTs: number | null;
}

function fromRow(r: SummaryRow): BucketSummary {
  return {
    bucket: r.bucket,
    count: r.count,
    valueCount: r.valueCount,
    sum: r.sum,
    firstStep: r.firstStep,
    lastStep: r.lastStep,
    tsLo: r.tsLo,
    tsHi: r.tsHi,
    min: r.minValue === null ? null : { step: r.minStep!, ts: r.minTs!, value: r.minValue },
    max: r.maxValue === null ? null : { step: r.maxStep!, ts: r.maxTs!, value: r.maxValue },
  };
}

const bucketOf = (step: number, level: number) => Math.floor(step / 2 ** level);

/** True for the supervisor's bookkeeping series (`_bad_event_lines`…), which are not charted. */
export const isInternalMetric = (name: string) => name.startsWith('_');

/**
 * The per-job rollup of metric series (`metrics_rollup`). New points are folded in with the batch
 * that stores them (one upsert per touched bucket and level, merged in SQL); a point that replaced
 * a stored one makes its buckets recomputed, the finest from the points and each coarser one from
 * the four below it.
 */
export class MetricRollupRepository {
  private readonly upsert: Statement;
  private readonly replace: Statement;
  private readonly fromPoints: Statement;
  private readonly pointExtreme: Record<'ASC' | 'DESC', Statement>;
  private readonly fromChildren: Statement;
  private readonly childExtreme: Record<'ASC' | 'DESC', Statement>;
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly sqlite: SqliteDatabase) {
    const insertColumns = `job_id, level, name, attempt, bucket, count, value_count, sum, first_step, last_step, ts_lo, ts_hi,
      min_value, min_step, min_ts, max_value, max_step, max_ts, created_at, updated_at`;
    // Every SET expression reads the row as it was, so the conditions compare old and new alike.
    const lowerNew =
      'excluded.min_value IS NOT NULL AND (min_value IS NULL OR excluded.min_value < min_value OR (excluded.min_value = min_value AND excluded.min_step < min_step))';
    const higherNew =
      'excluded.max_value IS NOT NULL AND (max_value IS NULL OR excluded.max_value > max_value OR (excluded.max_value = max_value AND excluded.max_step < max_step))';
    this.upsert = sqlite.prepare(
      `INSERT INTO metrics_rollup (${insertColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id, level, name, attempt, bucket) DO UPDATE SET
         count = count + excluded.count, value_count = value_count + excluded.value_count, sum = sum + excluded.sum,
         first_step = MIN(first_step, excluded.first_step), last_step = MAX(last_step, excluded.last_step),
         ts_lo = MIN(ts_lo, excluded.ts_lo), ts_hi = MAX(ts_hi, excluded.ts_hi),
         min_value = CASE WHEN ${lowerNew} THEN excluded.min_value ELSE min_value END,
         min_step = CASE WHEN ${lowerNew} THEN excluded.min_step ELSE min_step END,
         min_ts = CASE WHEN ${lowerNew} THEN excluded.min_ts ELSE min_ts END,
         max_value = CASE WHEN ${higherNew} THEN excluded.max_value ELSE max_value END,
         max_step = CASE WHEN ${higherNew} THEN excluded.max_step ELSE max_step END,
         max_ts = CASE WHEN ${higherNew} THEN excluded.max_ts ELSE max_ts END,
         updated_at = excluded.updated_at`,
    );
    this.replace = sqlite.prepare(
      `INSERT OR REPLACE INTO metrics_rollup (${insertColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const points = 'job_id = ? AND name = ? AND attempt = ? AND step BETWEEN ? AND ?';
    this.fromPoints = sqlite.prepare(
      `SELECT COUNT(*) AS count, COUNT(value) AS valueCount, TOTAL(value) AS sum, MIN(step) AS firstStep,
         MAX(step) AS lastStep, MIN(ts) AS tsLo, MAX(ts) AS tsHi FROM metrics_points WHERE ${points}`,
    );
    const pointExtreme = (order: 'ASC' | 'DESC') =>
      sqlite.prepare(
        `SELECT step, ts, value FROM metrics_points WHERE ${points} AND value IS NOT NULL
         ORDER BY value ${order}, step LIMIT 1`,
      );
    this.pointExtreme = { ASC: pointExtreme('ASC'), DESC: pointExtreme('DESC') };
    const children = 'job_id = ? AND level = ? AND name = ? AND attempt = ? AND bucket BETWEEN ? AND ?';
    this.fromChildren = sqlite.prepare(
      `SELECT COUNT(*) AS rows, TOTAL(count) AS count, TOTAL(value_count) AS valueCount, TOTAL(sum) AS sum,
         MIN(first_step) AS firstStep, MAX(last_step) AS lastStep, MIN(ts_lo) AS tsLo, MAX(ts_hi) AS tsHi FROM metrics_rollup WHERE ${children}`,
    );
    const childExtreme = (order: 'ASC' | 'DESC') => {
      const side = order === 'ASC' ? 'min' : 'max';
      return sqlite.prepare(
        `SELECT ${side}_step AS step, ${side}_ts AS ts, ${side}_value AS value FROM metrics_rollup
         WHERE ${children} AND ${side}_value IS NOT NULL ORDER BY ${side}_value ${order}, ${side}_step LIMIT 1`,
      );
    };
    this.childExtreme = { ASC: childExtreme('ASC'), DESC: childExtreme('DESC') };
  }

  private stmt(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.sqlite.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  /**
   * Fold newly stored points of one attempt into every level (call inside the batch's transaction).
   * Points of a series mostly arrive in step order, so each level keeps one open bucket per series
   * and writes it when the next point falls in another bucket.
   */
  addPoints(jobId: string, attempt: number, points: ReadonlyArray<RollupPoint>, now: number): void {
    const open = new Map<string, Array<BucketSummary | undefined>>();
    const write = (name: string, level: number, s: BucketSummary) =>
      this.upsert.run(...rowParams(jobId, level, name, attempt, s, now));
    for (const p of points) {
      if (isInternalMetric(p.name)) continue;
      let levels = open.get(p.name);
      if (levels === undefined) {
        levels = new Array(ROLLUP_LEVELS.length);
        open.set(p.name, levels);
      }
      for (let i = 0; i < ROLLUP_LEVELS.length; i++) {
        const level = ROLLUP_LEVELS[i]!;
        const bucket = Math.floor(p.step / WIDTHS[i]!);
        const current = levels[i];
        if (current !== undefined && current.bucket === bucket) {
          addPoint(current, p.step, p.ts, p.value);
          continue;
        }
        if (current !== undefined) write(p.name, level, current);
        levels[i] = summaryOf(bucket, p.step, p.ts, p.value);
      }
    }
    for (const [name, levels] of open) {
      levels.forEach((s, i) => {
        if (s !== undefined) write(name, ROLLUP_LEVELS[i]!, s);
      });
    }
  }

  /** Recompute the buckets holding these steps of one series and attempt (their points changed). */
  recompute(jobId: string, attempt: number, name: string, steps: ReadonlyArray<number>, now: number): void {
    if (isInternalMetric(name)) return;
    let buckets = new Set(steps.map((step) => bucketOf(step, ROLLUP_LEVELS[0]!)));
    let previous: number | null = null;
    for (const level of ROLLUP_LEVELS) {
      if (previous !== null)
        buckets = new Set([...buckets].map((b) => Math.floor(b / 2 ** (level - previous!))));
      for (const bucket of buckets) {
        const summary =
          previous === null
            ? this.summarisePoints(jobId, name, attempt, bucket * 2 ** level, (bucket + 1) * 2 ** level - 1)
            : this.summariseChildren(jobId, name, attempt, previous, bucket, 2 ** (level - previous));
        if (summary === null) {
          this.stmt(
            'DELETE FROM metrics_rollup WHERE job_id = ? AND level = ? AND name = ? AND attempt = ? AND bucket = ?',
          ).run(jobId, level, name, attempt, bucket);
          continue;
        }
        this.replace.run(...rowParams(jobId, level, name, attempt, { ...summary, bucket }, now));
      }
      previous = level;
    }
  }

  private summarisePoints(
    jobId: string,
    name: string,
    attempt: number,
    from: number,
    to: number,
  ): Omit<BucketSummary, 'bucket'> | null {
    const args = [jobId, name, attempt, from, to];
    const row = this.fromPoints.get(...args) as Omit<BucketSummary, 'bucket' | 'min' | 'max'>;
    if (row.count === 0) return null;
    return {
      ...row,
      min: (this.pointExtreme.ASC.get(...args) as ExtremePoint | undefined) ?? null,
      max: (this.pointExtreme.DESC.get(...args) as ExtremePoint | undefined) ?? null,
    };
  }

  private summariseChildren(
    jobId: string,
    name: string,
    attempt: number,
    level: number,
    parent: number,
    factor: number,
  ): Omit<BucketSummary, 'bucket'> | null {
    const args = [jobId, level, name, attempt, parent * factor, parent * factor + factor - 1];
    const row = this.fromChildren.get(...args) as Omit<BucketSummary, 'bucket' | 'min' | 'max'> & {
      rows: number;
    };
    if (row.rows === 0) return null;
    const { rows: _rows, ...totals } = row;
    return {
      ...totals,
      min: (this.childExtreme.ASC.get(...args) as ExtremePoint | undefined) ?? null,
      max: (this.childExtreme.DESC.get(...args) as ExtremePoint | undefined) ?? null,
    };
  }

  /** Rebuild a job's whole rollup from its points (what the migration does for the jobs it finds). */
  rebuild(jobId: string, now: number): void {
    this.sqlite.transaction(() => {
      this.stmt('DELETE FROM metrics_rollup WHERE job_id = ?').run(jobId);
      const names = this.stmt('SELECT DISTINCT name, attempt FROM metrics_points WHERE job_id = ?').all(
        jobId,
      ) as Array<{ name: string; attempt: number }>;
      const read = this.stmt(
        'SELECT name, step, value, ts FROM metrics_points WHERE job_id = ? AND name = ? AND attempt = ? ORDER BY step',
      );
      for (const { name, attempt } of names) {
        if (isInternalMetric(name)) continue;
        this.addPoints(jobId, attempt, read.all(jobId, name, attempt) as RollupPoint[], now);
      }
    })();
  }

  /** Each attempt's step span over the job's public series (from the coarsest level: a few rows). */
  jobSpans(jobId: string): AttemptSpan[] {
    return this.stmt(
      `SELECT attempt, MIN(first_step) AS firstStep, MAX(last_step) AS lastStep, TOTAL(count) AS count
       FROM metrics_rollup WHERE job_id = ? AND level = ${TOP_LEVEL} GROUP BY attempt ORDER BY attempt`,
    ).all(jobId) as AttemptSpan[];
  }

  /** Each attempt's step span and point count of one series. */
  seriesSpans(jobId: string, name: string): AttemptSpan[] {
    return this.stmt(
      `SELECT attempt, MIN(first_step) AS firstStep, MAX(last_step) AS lastStep, TOTAL(count) AS count
       FROM metrics_rollup WHERE job_id = ? AND level = ${TOP_LEVEL} AND name = ? GROUP BY attempt ORDER BY attempt`,
    ).all(jobId, name) as AttemptSpan[];
  }

  /** The stored buckets of one series and attempt at a level, in a bucket range, in order. */
  buckets(
    jobId: string,
    name: string,
    attempt: number,
    level: number,
    fromBucket: number,
    toBucket: number,
  ): BucketSummary[] {
    return (
      this.stmt(
        `SELECT ${COLUMNS} FROM metrics_rollup
         WHERE job_id = ? AND level = ? AND name = ? AND attempt = ? AND bucket BETWEEN ? AND ? ORDER BY bucket`,
      ).all(jobId, level, name, attempt, fromBucket, toBucket) as SummaryRow[]
    ).map(fromRow);
  }

  /** One attempt's points of a series in a step range (and time range), as [step, ts, value] rows. */
  points(
    jobId: string,
    name: string,
    attempt: number,
    fromStep: number,
    toStep: number,
    fromTs: number,
    toTs: number,
  ): Array<[number, number, number | null]> {
    return this.stmt(
      `SELECT step, ts, value FROM metrics_points
       WHERE job_id = ? AND name = ? AND step BETWEEN ? AND ? AND attempt = ? AND ts BETWEEN ? AND ? ORDER BY step`,
    )
      .raw()
      .all(jobId, name, fromStep, toStep, attempt, fromTs, toTs) as Array<[number, number, number | null]>;
  }

  /**
   * The step ranges of one attempt's series (within a step range) whose points may fall in a time
   * range: from the coarsest level down, each level keeps the buckets whose time span meets the
   * range, within what the level above kept; the finest level's are returned, adjacent ones joined.
   * No order of time along steps is assumed. A live chart's "everything since t" reads a few rows.
   */
  stepRangesInTime(
    jobId: string,
    name: string,
    attempt: number,
    fromStep: number,
    toStep: number,
    fromTs: number,
    toTs: number,
  ): Array<[number, number]> {
    const read = this.stmt(
      `SELECT bucket, first_step AS firstStep, last_step AS lastStep FROM metrics_rollup
       WHERE job_id = ? AND level = ? AND name = ? AND attempt = ? AND bucket BETWEEN ? AND ?
         AND ts_hi >= ? AND ts_lo <= ? AND last_step >= ? AND first_step <= ? ORDER BY bucket`,
    );
    let lo = fromStep;
    let hi = toStep;
    let rows: Array<{ bucket: number; firstStep: number; lastStep: number }> = [];
    for (const level of [...ROLLUP_LEVELS].reverse()) {
      rows = read.all(
        jobId,
        level,
        name,
        attempt,
        bucketOf(lo, level),
        bucketOf(hi, level),
        fromTs,
        toTs,
        fromStep,
        toStep,
      ) as typeof rows;
      if (rows.length === 0) return [];
      lo = Math.max(fromStep, rows[0]!.firstStep);
      hi = Math.min(toStep, Math.max(...rows.map((r) => r.lastStep)));
    }
    const ranges: Array<[number, number]> = [];
    let previous = Number.NaN;
    for (const r of rows) {
      const to = Math.min(toStep, r.lastStep);
      if (r.bucket === previous + 1) ranges[ranges.length - 1]![1] = to;
      else ranges.push([Math.max(fromStep, r.firstStep), to]);
      previous = r.bucket;
    }
    return ranges;
  }

  /** The first and last step one attempt's points of a series have in a step range, or null. */
  stepExtent(
    jobId: string,
    name: string,
    attempt: number,
    fromStep: number,
    toStep: number,
  ): [number, number] | null {
    const where = 'job_id = ? AND name = ? AND step BETWEEN ? AND ? AND attempt = ?';
    const first = this.stmt(`SELECT step FROM metrics_points WHERE ${where} ORDER BY step LIMIT 1`).get(
      jobId,
      name,
      fromStep,
      toStep,
      attempt,
    ) as { step: number } | undefined;
    if (first === undefined) return null;
    const last = this.stmt(`SELECT step FROM metrics_points WHERE ${where} ORDER BY step DESC LIMIT 1`).get(
      jobId,
      name,
      fromStep,
      toStep,
      attempt,
    ) as { step: number };
    return [first.step, last.step];
  }

  /** The time of one attempt's point at a step, or null. */
  tsAt(jobId: string, name: string, attempt: number, step: number): number | null {
    const row = this.stmt(
      'SELECT ts FROM metrics_points WHERE job_id = ? AND name = ? AND step = ? AND attempt = ?',
    ).get(jobId, name, step, attempt) as { ts: number } | undefined;
    return row?.ts ?? null;
  }
}

/** One rollup row's statement parameters, in the column order of the upsert and replace statements. */
function rowParams(
  jobId: string,
  level: number,
  name: string,
  attempt: number,
  s: BucketSummary,
  now: number,
): unknown[] {
  return [
    jobId,
    level,
    name,
    attempt,
    s.bucket,
    s.count,
    s.valueCount,
    s.sum,
    s.firstStep,
    s.lastStep,
    s.tsLo,
    s.tsHi,
    s.min?.value ?? null,
    s.min?.step ?? null,
    s.min?.ts ?? null,
    s.max?.value ?? null,
    s.max?.step ?? null,
    s.max?.ts ?? null,
    now,
    now,
  ];
}

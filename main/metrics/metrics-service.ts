import type { SqliteDatabase } from '../../db/open';
import { MetricBucketsRepository } from '../../db/repositories/metric-buckets-repository';
import { MetricRollupRepository } from '../../db/repositories/metric-rollup-repository';
import type { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { MetricsQuery, MetricsResult } from '../../preload/contract';
import { AppError } from '../errors';
import { metricsCsv } from './metrics-csv';
import { queryMetrics } from './metrics-downsample';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
const CACHED_ANSWERS = 16;

/**
 * A job's charted series (read from the metrics rollup at the caller's point budget) and its CSV export.
 * A finished run's series no longer change: its answers are kept (a few), so reopening its page or
 * resetting a zoom on a million-point run does not read it again.
 */
export class MetricsService {
  private readonly buckets: MetricBucketsRepository;
  private readonly rollup: MetricRollupRepository;
  private readonly finished = new Map<string, MetricsResult>();

  constructor(
    sqlite: SqliteDatabase,
    /** Job rows: existence, status and updatedAt (a resumed run changes it). */
    private readonly jobs: Pick<TrainingJobsRepository, 'get'>,
  ) {
    this.buckets = new MetricBucketsRepository(sqlite);
    this.rollup = new MetricRollupRepository(sqlite);
  }

  /** The series a query asks for, min/max-bucketed to its budget. */
  query(query: MetricsQuery): MetricsResult {
    const job = this.mustExist(query.id);
    if (!TERMINAL.has(job.status)) return queryMetrics(this.buckets, this.rollup, query);
    const key = `${job.updatedAt}:${JSON.stringify(query)}`;
    const cached = this.finished.get(key);
    if (cached !== undefined) return cached;
    const result = queryMetrics(this.buckets, this.rollup, query);
    this.finished.set(key, result);
    if (this.finished.size > CACHED_ANSWERS) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
    return result;
  }

  /** Every point of a run as CSV: one row per step, one column per metric. */
  csv(id: string): ReturnType<typeof metricsCsv> {
    this.mustExist(id);
    return metricsCsv(this.buckets, id);
  }

  private mustExist(id: string) {
    const job = this.jobs.get(id);
    if (job === undefined) throw new AppError('NOT_FOUND', `There is no job ${id}.`);
    return job;
  }
}

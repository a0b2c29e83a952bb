import type { SqliteDatabase } from '../../db/open';
import { MetricBucketsRepository } from '../../db/repositories/metric-buckets-repository';
import type { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { MetricsResult } from '../../preload/contract';
import { metricsCsv } from '../metrics/metrics-csv';
import { queryMetrics } from '../metrics/metrics-downsample';
import { AppError } from './api-error';
import type { Handlers } from './api-router';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
const CACHED_ANSWERS = 16;

/** The metrics channels: a job's charted series (downsampled in the core) and its CSV export. */
export function createMetricsHandlers(deps: {
  readonly sqlite: SqliteDatabase;
  /** Job rows: existence, status and updatedAt (a resumed run changes it). */
  readonly jobs: Pick<TrainingJobsRepository, 'get'>;
}): Pick<Handlers, 'jobs.metrics' | 'jobs.metricsCsv'> {
  const buckets = new MetricBucketsRepository(deps.sqlite);
  // A finished run's series no longer change: its answers are kept (a few), so reopening its page
  // or resetting a zoom on a million-point run does not read it again.
  const finished = new Map<string, MetricsResult>();
  const mustExist = (id: string) => {
    const job = deps.jobs.get(id);
    if (job === undefined) throw new AppError('NOT_FOUND', `There is no job ${id}.`);
    return job;
  };
  return {
    'jobs.metrics': (query) => {
      const job = mustExist(query.id);
      if (!TERMINAL.has(job.status)) return queryMetrics(buckets, query);
      const key = `${job.updatedAt}:${JSON.stringify(query)}`;
      const cached = finished.get(key);
      if (cached !== undefined) return cached;
      const result = queryMetrics(buckets, query);
      finished.set(key, result);
      if (finished.size > CACHED_ANSWERS) finished.delete(finished.keys().next().value!);
      return result;
    },
    'jobs.metricsCsv': ({ id }) => {
      mustExist(id);
      return metricsCsv(buckets, id);
    },
  };
}
